#!/usr/bin/env bash
# Two Duban instances on one PostgreSQL behind nginx, loaded through nginx (docs/BENCHMARKS.md, "Two instances behind
# nginx"; docs/SCALING.md): a throwaway PostgreSQL (fsync on, as bench/with-postgres.sh), a Release build, a 50-unit
# synthetic organisation (`duban seed synthetic`), instances A and B on loopback (both sweeping and delivering, as in
# production), and Debian's nginx from scripts/nginx-duban.conf in front. The peers' workload (bench/peers/duban_load.py:
# N appeal creates at C clients, then 30 list calls of 50 open matters by due date) runs through nginx, then once more
# against instance A alone for comparison. One line per run with the load average after it. Asserts nothing.
#
#   bench/nginx-load.sh [N] [C]        (default 2000 creates at 8 clients; each run bounded to 300 s)
#   DIRECT_FIRST=1 bench/nginx-load.sh  A alone first, then through nginx
#
# Runs from any directory; everything it starts is stopped (by its process id) and removed when it exits.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
N=${1:-2000}
C=${2:-8}
[ -x /usr/sbin/nginx ] || { echo "needs nginx (apt-get install nginx)" >&2; exit 2; }

. scripts/throwaway-postgres.sh
start_throwaway_postgres # fsync stays on: commit latency is real
work=$(mktemp -d "${TMPDIR:-/tmp}/duban-nginx.XXXXXX")
chmod 755 "$work" # nginx's worker (nobody, when run as root) reaches its temp folders
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
  stop_throwaway_postgres
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { # $1 port, $2 log
  for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$1/readyz" >/dev/null && return 0; sleep 0.5; done
  echo "no answer on port $1:" >&2; tail -n 20 "$2" >&2; exit 1
}

echo "# two instances behind nginx: $N creates at $C clients, 30 list calls; $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD), $(nproc) cores, PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}'), $(/usr/sbin/nginx -v 2>&1 | sed 's/.*\///')"
dotnet build src/Duban.Web -c Release -o "$work/web" --nologo --verbosity quiet >/dev/null
conn="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=duban_nginx"
as_pg "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE duban_nginx" >/dev/null
./duban --db "$conn" seed synthetic --matters 1 --units 50 --seed 1 >/dev/null
token=$(./duban --db "$conn" token create --unit S-DC --role handler --name 双实例基准)

start_instance() { # $1 name, $2 port
  ASPNETCORE_URLS="http://127.0.0.1:$2" ASPNETCORE_ENVIRONMENT=Production Database__Provider=postgres \
    ConnectionStrings__Duban="$conn" Demo__Seed=false Network__TrustedProxies=127.0.0.1 Logging__LogLevel__Default=Warning \
    Attachments__Directory="$work/attachments" Audit__AnchorFile="$work/anchors-$1.txt" \
    dotnet "$work/web/Duban.Web.dll" >"$work/$1.log" 2>&1 &
  pids+=($!)
}
pa=$(free_port); start_instance a "$pa"
pb=$(free_port); start_instance b "$pb"
wait_up "$pa" "$work/a.log"; wait_up "$pb" "$work/b.log"

pn=$(free_port)
sed -e "s|@DIR@|$work/nginx|g" -e "s|@LISTEN@|127.0.0.1:$pn|" -e "s|@SERVERS@|server 127.0.0.1:$pa; server 127.0.0.1:$pb;|" \
  scripts/nginx-duban.conf >"$work/nginx.conf"
mkdir -m 755 "$work/nginx"
/usr/sbin/nginx -p "$work/nginx" -c "$work/nginx.conf" -e "$work/nginx/error.log" &
pids+=($!)
wait_up "$pn" "$work/nginx/error.log"

run() { # $1 label, $2 port
  local line
  line=$(timeout 300 python3 bench/peers/duban_load.py --port "$2" --token "$token" --region K001-T01 --n "$N" --concurrency "$C" --max-seconds 240)
  echo "via=$1 $line load_avg=$(cut -d' ' -f1 /proc/loadavg)"
}
# Which instance served how many: each answers through nginx with its own port (X-Duban-Upstream).
count() {
  python3 - "$pn" "$pa" "$pb" <<'PY'
import sys, urllib.request
port, a, b = sys.argv[1:]
seen = {a: 0, b: 0}
for _ in range(20):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as r:
        seen[r.headers["X-Duban-Upstream"].rsplit(":", 1)[1]] += 1
print(f"# 20 requests through nginx: {seen[a]} on A, {seen[b]} on B")
PY
}
# DIRECT_FIRST=1 runs A alone first (the runs warm the instances they reach: compare both orders).
if [ "${DIRECT_FIRST:-0}" = 1 ]; then
  run direct-a "$pa"; run nginx-a+b "$pn"; count
else
  run nginx-a+b "$pn"; count; run direct-a "$pa"
fi
