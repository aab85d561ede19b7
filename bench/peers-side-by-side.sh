#!/usr/bin/env bash
# The same workload against Duban, Request Tracker 5 and Redmine 5 in one run, and the ratios (docs/BENCHMARKS.md,
# "Side by side with Request Tracker and Redmine"): N creates at C clients (default 2,000 at 8), then 30 list calls of
# 50 open items by due date, measured by the peers' own load generator (../shared/peers/load.py; duban_load.py reuses it).
#
#   sudo bench/peers-side-by-side.sh [N] [C]
#
# Needs root for the peers (their install.sh must have run once). Duban runs first, alone: a Release build on loopback
# over a fresh SQLite database (a 50-unit synthetic organisation, `duban seed synthetic`), then stops; then the peers
# get fresh databases (reset.sh), start, are loaded one after the other, and are stopped (stop.sh) even on failure.
# PEERS_DIR points elsewhere than ../shared/peers; SKIP_PEERS=1 measures Duban alone; RT_AUTH=token makes RT check its
# auth token (bcrypt, ~0.3 s of CPU a request) instead of a session cookie (on 2026-12-05 RT 5.0.3 refused every
# session-cookie create with 403 "Cross-site request forgery protection refused this request").
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000}
C=${2:-8}
export PEERS_DIR=${PEERS_DIR:-$(cd .. && pwd)/shared/peers}
work=$(mktemp -d /tmp/duban-side.XXXXXX)
web=""
peers_started=""
cleanup() {
  [ -n "$web" ] && kill "$web" 2>/dev/null && wait "$web" 2>/dev/null || true
  [ -n "$peers_started" ] && "$PEERS_DIR/stop.sh" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "# side by side: $N creates at $C clients, 30 list calls; $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD), load average $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet build src/Duban.Web -c Release -o "$work/web" --nologo --verbosity quiet >/dev/null
db="$work/duban.db"
./duban --db "$db" seed synthetic --matters 1 --units 50 --seed 1 >/dev/null
token=$(./duban --db "$db" token create --unit S-DC --role handler --name 并列基准)
port=$((20000 + RANDOM % 30000))
ASPNETCORE_URLS="http://127.0.0.1:$port" ASPNETCORE_ENVIRONMENT=Production Database__Provider=sqlite \
  ConnectionStrings__Duban="Data Source=$db" Demo__Seed=false \
  dotnet "$work/web/Duban.Web.dll" >"$work/web.log" 2>&1 &
web=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.5
done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { echo "Duban did not start:" >&2; tail -n 20 "$work/web.log" >&2; exit 1; }
python3 bench/peers/duban_load.py --port "$port" --token "$token" --region K001-T01 --n "$N" --concurrency "$C" | tee "$work/duban.txt"
kill "$web"; wait "$web" 2>/dev/null || true; web=""

if [ "${SKIP_PEERS:-0}" = 1 ]; then exit 0; fi
peers_started=1
"$PEERS_DIR/reset.sh" >"$work/peers.log" 2>&1
"$PEERS_DIR/start.sh" >>"$work/peers.log" 2>&1
"$PEERS_DIR/load.sh" "$N" "$C" | tee "$work/peers.txt"
"$PEERS_DIR/stop.sh" >>"$work/peers.log" 2>&1; peers_started=""

# Ratios: Duban's creates per second over each peer's; each peer's list latency over Duban's.
python3 - "$work/duban.txt" "$work/peers.txt" <<'PY'
import sys
def read(path):
    rows = {}
    for line in open(path, encoding="utf-8"):
        if line.startswith("peer="):
            kv = dict(f.split("=", 1) for f in line.split())
            rows[kv["peer"]] = kv
    return rows
duban = read(sys.argv[1])["duban"]
for name, peer in read(sys.argv[2]).items():
    if float(peer["create_per_s"]) == 0 or peer["list_err"] != "0":
        print(f"ratio duban/{name}: none, the peer's run failed ({peer['err']} creates and {peer['list_err']} lists refused; see its results/*.json)")
        continue
    create = float(duban["create_per_s"]) / float(peer["create_per_s"])
    p50 = float(peer["list_p50_ms"]) / float(duban["list_p50_ms"])
    p95 = float(peer["list_p95_ms"]) / float(duban["list_p95_ms"])
    print(f"ratio duban/{name}: creates {create:.1f}x ({duban['create_per_s']} vs {peer['create_per_s']}/s); "
          f"list latency {p50:.1f}x lower at p50 ({duban['list_p50_ms']} vs {peer['list_p50_ms']} ms), {p95:.1f}x at p95")
PY
