#!/usr/bin/env bash
# Runs the benchmarks with a throwaway PostgreSQL, as test.sh starts one: initdb into a temp dir, a free port on
# 127.0.0.1, stopped and removed afterwards. Unlike test.sh it keeps fsync on, so commit latency is real.
# Arguments go to the bench, e.g.: bench/with-postgres.sh --quick
set -euo pipefail
cd "$(dirname "$0")/.."

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
  echo "PostgreSQL server binaries not found: apt-get install -y postgresql" >&2
  exit 2
fi

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pgdir=$(mktemp -d /tmp/duban-bench-pg.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres "$pgdir"
stop_pg() {
  as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$pgdir"
}
trap stop_pg EXIT

as_pg "$pgbin/initdb" -D "$pgdir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
started=
for attempt in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 30000))
  if as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 30 \
       -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1" start >/dev/null; then
    started=1
    break
  fi
done
if [ -z "$started" ]; then
  echo "PostgreSQL did not start:" >&2
  cat "$pgdir/server.log" >&2
  exit 2
fi
echo "# throwaway PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

dotnet run -c Release --project bench/Duban.Bench -- \
  --postgres "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres" "$@"
