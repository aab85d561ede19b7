#!/usr/bin/env bash
# Runs every test. Starts a throwaway PostgreSQL (initdb into a temp dir, a free port on 127.0.0.1),
# so storage tests run on both SQLite and PostgreSQL, then stops it and removes its files.
# Extra arguments go to `dotnet test` (e.g. ./test.sh --filter Calendar).
# On a machine without what the tests need from Debian (PostgreSQL's server, Chromium, LibreOffice Writer, CJK fonts, nginx), it installs them
# with apt-get when run as root, and otherwise names the one command to run.
set -euo pipefail
cd "$(dirname "$0")"

. scripts/throwaway-postgres.sh

missing=()
postgres_bin >/dev/null || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
# The bulletin (讲评通报) is rendered to PDF by LibreOffice's Writer (the headless build is enough).
[ -x /usr/bin/libreoffice ] || missing+=(libreoffice-writer-nogui)
# Two instances behind nginx (TwoInstancesTests, bench/nginx-load.sh).
[ -x /usr/sbin/nginx ] || missing+=(nginx)
# Pages are screenshot with Chinese text: without a CJK font it renders as boxes.
{ command -v fc-list >/dev/null && [ -n "$(fc-list :lang=zh family)" ]; } \
  || dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'ok installed' || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "The tests need Debian packages that are missing; run: sudo apt-get install -y ${missing[*]}" >&2
    exit 2
  fi
  echo "Installing ${missing[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

start_throwaway_postgres -c fsync=off -c max_connections=200
port=$pg_port
echo "Throwaway PostgreSQL on 127.0.0.1:$port"
export DUBAN_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true"
# A streaming replica of it, for the reads served by a replica (ReplicaTests); a standby needs max_connections as high.
start_throwaway_replica -c fsync=off -c max_connections=200
export DUBAN_TEST_POSTGRES_REPLICA="Host=127.0.0.1;Port=$replica_port;Username=postgres;Database=postgres;Pooling=true"

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

# The quick bench, so it cannot rot: on a whole run only (no arguments), SQLite only, with a bounded time. It asserts
# nothing about time; only a crash fails the run (a run cut off by the bound is said, not failed). DUBAN_BENCH_QUICK=0 skips it.
if [ $# -eq 0 ] && [ "${DUBAN_BENCH_QUICK:-1}" != 0 ]; then
  bench_out=$(mktemp -d /tmp/duban-bench.XXXXXX)
  bench_status=0
  timeout "${DUBAN_BENCH_QUICK_SECONDS:-600}" dotnet run -c Release --project bench/Duban.Bench -- --quick --out "$bench_out/quick.json" \
    >"$bench_out/quick.txt" 2>&1 || bench_status=$?
  if [ "$bench_status" = 124 ]; then
    echo "Quick bench: stopped after ${DUBAN_BENCH_QUICK_SECONDS:-600} s (not a failure); last lines:"; tail -n 3 "$bench_out/quick.txt"
  elif [ "$bench_status" != 0 ]; then
    echo "Quick bench crashed (exit $bench_status):" >&2; tail -n 40 "$bench_out/quick.txt" >&2
    status=1
  else
    echo "Quick bench: $(tail -n 1 "$bench_out/quick.txt")"
  fi
  rm -rf "$bench_out"
fi

echo "$passed passed, $failed failed, $skipped skipped"
if [ "$passed" = 0 ] && [ "$status" = 0 ]; then
  echo "No test ran." >&2
  status=1
fi
exit "$status"
