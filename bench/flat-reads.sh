#!/usr/bin/env bash
# Flat reads at size (issue 19, part 2): for each size, `duban seed synthetic` builds a database (SQLite in
# $DUBAN_BIG_TMP or /tmp — 1M matters is GBs, not for /dev/shm — or a new database on --postgres CONN), a Release
# Duban serves it on loopback (the sweep off: reads only), and bench/peers/duban_load.py --reads signs in as 督查室
# (ducha) and as a township handler and times each page --reps times: the unit's work list tab, the 督查室 board, a
# matter page, the overdue list, keyword searches (小区, common: the substring test; 井盖, rare: the index), a deep
# page of the full list, and the 专项行动 list with its counts (the generator's campaigns). After at least 30 s of
# unmeasured rounds (duban_load.py: the runtime still compiles its hot code for the first minute or so). One line per
# page and size, then
# the server's peak RSS and the load average. Asserts nothing; deletes each database after (unless --keep).
#   bench/flat-reads.sh [--sizes 10000,100000,1000000] [--postgres CONN] [--reps 50] [--units 3000] [--keep] [--no-publish]
#   bench/flat-reads.sh --existing FILE --password PASSWORD [--reps 50]   (a SQLite file kept from an earlier run,
#     e.g. to time two builds on one database; ducha's password as the generator printed it; the file is migrated)
#   bench/flat-reads.sh --postgres CONN --existing DATABASE --password PASSWORD   (the same, a database on that server)
# Bounded: each generation by --gen-minutes (default 30), each size's reads by 10 minutes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
sizes="10000,100000"; postgres=""; reps=50; units=3000; keep=0; publish=1; gen_minutes=30; existing=""; password=""
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --postgres) postgres="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    --units) units="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --no-publish) publish=0; shift ;;
    --gen-minutes) gen_minutes="$2"; shift 2 ;;
    --existing) existing="$2"; keep=1; sizes=existing; shift 2 ;;
    --password) password="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$existing" ] && [ -z "$postgres" ] && existing="$(realpath "$existing")"
big="${DUBAN_BIG_TMP:-/tmp}"
tmp="$(mktemp -d "$big/duban-flat.XXXXXX")"
out="${DUBAN_BENCH_BUILD:-$tmp/app}"
server=""
# --keep keeps the folder with the database; with --existing it holds only logs, so it goes.
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; [ "$keep" = 1 ] && [ -z "$existing" ] || rm -rf "$tmp"; }
trap cleanup EXIT
if [ "$publish" = 1 ] || [ ! -f "$out/Duban.Web.dll" ]; then
  dotnet publish "$root/src/Duban.Web" -c Release -o "$out" --nologo -v q >/dev/null
  dotnet publish "$root/src/Duban.Cli" -c Release -o "$out/cli" --nologo -v q >/dev/null
fi
# The real appeals the texts come from: beside the checkout (the published program would look above itself and the
# working directory, which need not be near it).
appeals="$(cd "$root/.." && pwd)/shared/data/appeals-taidi2020/hot_issue_messages.csv"
[ -f "$appeals" ] || appeals=""
export Logging__LogLevel__Default=Warning Escalation__SweepEnabled=false Audit__AnchorFile="$tmp/anchors.txt"
sql() { # one value from the database of this size
  if [ -n "$postgres" ]; then PGTZ=UTC psql "$(pg_conn "$ConnectionStrings__Duban")" -At -c "$1"; else python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$file" "$1"; fi
}
# psql's form of an Npgsql connection string: the keys psql knows (Npgsql's own, such as Max Auto Prepare, dropped).
pg_conn() { tr ';' '\n' <<<"$1" | sed -n 's/^Username=/user=/p; s/^Host=/host=/p; s/^Port=/port=/p; s/^Database=/dbname=/p; s/^Password=/password=/p' | paste -sd' '; }
IFS=, read -ra list <<<"$sizes"
for n in "${list[@]}"; do
  if [ -n "$postgres" ] && [ -n "$existing" ]; then
    name="$existing"
    export Database__Provider=postgres ConnectionStrings__Duban="$(sed "s/Database=[^;]*/Database=$name/" <<<"$postgres")"
    engine=postgres
  elif [ -n "$postgres" ]; then
    name="duban_flat_${n}_$$"
    psql "$(pg_conn "$(sed 's/Database=[^;]*/Database=postgres/' <<<"$postgres")")" -qc "CREATE DATABASE $name" >/dev/null
    export Database__Provider=postgres ConnectionStrings__Duban="$(sed "s/Database=[^;]*/Database=$name/" <<<"$postgres")"
    engine=postgres
  else
    file="$tmp/duban-$n.db"
    export Database__Provider=sqlite ConnectionStrings__Duban="Data Source=$file"
    engine=sqlite
  fi
  if [ -n "$existing" ]; then
    [ -n "$postgres" ] || { file="$existing"; export ConnectionStrings__Duban="Data Source=$file"; }
    dotnet "$out/cli/duban.dll" db migrate >/dev/null
    n="$(sql 'SELECT COUNT(*) FROM matters')"
  else
  start=$(date +%s)
  if ! seed="$(timeout "$((gen_minutes * 60))" dotnet "$out/cli/duban.dll" seed synthetic --matters "$n" --units "$units" --seed 42 \
      --now 2026-12-01T10:00+08:00 ${appeals:+--appeals "$appeals"} 2>"$tmp/seed.err")"; then
    # timeout's SIGTERM cancels the generator: say it was this script's bound, not a database timeout.
    grep -q '^已中止' "$tmp/seed.err" && echo "# $engine $n matters: stopped at the --gen-minutes bound ($gen_minutes min)" >&2
    echo "# $engine $n matters: the generator failed:" >&2; cat "$tmp/seed.err" >&2; exit 1
  fi
  password="$(sed -n 's/^登录：ducha \/ \([^（]*\)（.*/\1/p' <<<"$seed")"
  rate="$(sed -n 's/.*每秒 \([0-9]*\) 件.*/\1/p' <<<"$seed")"
  size="$([ -n "$postgres" ] && sql "SELECT pg_database_size(current_database())" || stat -c %s "$file")"
  sed -n '/^已生成\|^用时\|^事项用时/s/^/# /p' <<<"$seed"
  [ "$keep" = 1 ] && echo "# kept ${postgres:+database }${name:-$file}, ducha's password $password (for --existing)"
  echo "# $engine $n matters: generated in $(( $(date +%s) - start )) s (${rate} matters/s), $(( size / 1048576 )) MB, load $(cut -d' ' -f1-3 /proc/loadavg)"
  fi
  # The township leading the most matters, its handler; a matter in the middle; a word common in the titles.
  unit="$(sql 'SELECT u."Code" FROM matters m JOIN units u ON u."Id" = m."LeadUnitId" WHERE u."Level" = '"'Township'"' GROUP BY u."Code" ORDER BY COUNT(*) DESC, u."Code" LIMIT 1')"
  matter="$(sql "SELECT \"Id\" FROM matters ORDER BY \"Id\" LIMIT 1 OFFSET $((n / 2))")"
  # The deep page again as its 下一页 link reaches it: the key (next deadline in UTC ticks, id) of the row before it
  # (page 200 of 50 in the due order: those with a deadline by it, then those without by id).
  key="$(sql "SELECT k FROM (SELECT \"NextDueAt\" || '|' || \"Id\" AS k, 0 AS part, \"NextDueAt\" AS d, \"Id\" AS i FROM matters WHERE \"NextDueAt\" IS NOT NULL UNION ALL SELECT '|' || \"Id\", 1, NULL, \"Id\" FROM matters WHERE \"NextDueAt\" IS NULL) x ORDER BY part, d, i LIMIT 1 OFFSET 9949")"
  key="$(python3 -c 'import datetime,re,sys
due, id = sys.argv[1].split("|")
if not due: print(f"after={id}"); sys.exit()  # among the matters without a deadline, by id
m = re.match(r"(\d+)-(\d+)-(\d+)[ T](\d+):(\d+):(\d+)(?:\.(\d+))?", due)
y, mo, d, h, mi, s = (int(x) for x in m.groups()[:6])
ticks = ((datetime.date(y, mo, d).toordinal() - 1) * 86400 + h * 3600 + mi * 60 + s) * 10**7 + int(((m.group(7) or "") + "0000000")[:7])
print(f"after={id}&after-due={ticks}")' "$key")"
  [ -n "$existing" ] && [ -n "$(sql "SELECT COUNT(*) FROM \"AspNetUsers\" WHERE \"UserName\" = 'bench-handler'" | grep -v '^0$')" ] ||
  dotnet "$out/cli/duban.dll" users create --user bench-handler --display 压测承办 --unit "$unit" --role handler --password Bench-Handler-1 >/dev/null
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  dotnet "$out/Duban.Web.dll" --urls "http://127.0.0.1:$port" >"$tmp/server-$n.log" 2>&1 &
  server=$!
  for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
  cat >"$tmp/reads.txt" <<EOF
worklist-tab bench-handler /?tab=in-progress
board ducha /supervision
matter ducha /matters/$matter
overdue ducha /?overdue=true&sort=due
search ducha /?q=%E5%B0%8F%E5%8C%BA
search-rare ducha /?q=%E4%BA%95%E7%9B%96
first-page ducha /?tab=all
deep-page ducha /?tab=all&p=200
deep-page-key ducha /?tab=all&p=200&$key
campaigns ducha /campaigns
EOF
  timeout 600 python3 "$here/peers/duban_load.py" --port "$port" --reads "$tmp/reads.txt" --reps "$reps" \
    --login "ducha:$password" --login bench-handler:Bench-Handler-1 | sed "s/^/engine=$engine matters=$n /" || true
  echo "# server peak RSS $(( $(awk '/VmHWM/ {print $2}' "/proc/$server/status") / 1024 )) MB, load $(cut -d' ' -f1-3 /proc/loadavg), errors logged $(grep -c 'fail:' "$tmp/server-$n.log" || true)"
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
  if [ "$keep" = 0 ]; then
    if [ -n "$postgres" ]; then
      psql "$(pg_conn "$(sed 's/Database=[^;]*/Database=postgres/' <<<"$postgres")")" -qc "DROP DATABASE $name" >/dev/null
    else
      rm -f "$file" "$file"-* "$file".migrating
    fi
  fi
done
