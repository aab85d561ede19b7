#!/usr/bin/env bash
# Runs the benchmarks with a throwaway PostgreSQL, as test.sh starts one: initdb into a temp dir, a free port on
# 127.0.0.1, stopped and removed afterwards. Unlike test.sh it keeps fsync on, so commit latency is real.
# Arguments go to the bench, e.g.: bench/with-postgres.sh --quick
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/throwaway-postgres.sh
start_throwaway_postgres # fsync stays on: commit latency is real
port=$pg_port
echo "# throwaway PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

dotnet run -c Release --project bench/Duban.Bench -- \
  --postgres "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres" "$@"
