#!/usr/bin/env bash
# Runs every test. Starts a throwaway PostgreSQL (initdb into a temp dir, a free port on 127.0.0.1),
# so storage tests run on both SQLite and PostgreSQL, then stops it and removes its files.
# Extra arguments go to `dotnet test` (e.g. ./test.sh --filter Calendar).
set -euo pipefail
cd "$(dirname "$0")"

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
  echo "PostgreSQL server binaries not found: apt-get install -y postgresql" >&2
  exit 2
fi

# initdb refuses to run as root: run the server as the postgres system user then.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pgdir=$(mktemp -d /tmp/duban-pg.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres "$pgdir"
stop_pg() {
  as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$pgdir"
}
trap stop_pg EXIT

as_pg "$pgbin/initdb" -D "$pgdir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
started=
for attempt in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 30000))
  if as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 30 \
       -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null; then
    started=1
    break
  fi
done
if [ -z "$started" ]; then
  echo "PostgreSQL did not start:" >&2
  cat "$pgdir/server.log" >&2
  exit 2
fi
echo "Throwaway PostgreSQL on 127.0.0.1:$port"
export DUBAN_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true"

results=$(mktemp -d /tmp/duban-results.XXXXXX)
status=0
dotnet test Duban.slnx --logger "trx" --results-directory "$results" "$@" || status=$?

# One closing line over all test assemblies, from the TRX counters.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); passed=$((passed + ${p:-0}))
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters"); failed=$((failed + ${f:-0}))
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters"); skipped=$((skipped + ${n:-0}))
done
rm -rf "$results"
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$passed" = 0 ] && [ "$status" = 0 ]; then
  echo "No test ran." >&2
  status=1
fi
exit "$status"
