#!/usr/bin/env bash
# Durable writes over HTTP: a Release Duban on loopback (fresh SQLite in $TMPDIR, or --postgres CONN), wrk posting
# appeals (writes.lua: unique Idempotency-Key each) at each concurrency for a fixed time, then lifecycle actions
# (writes.lua with DUBAN_WRITE=action: 进展反馈 on 500 acknowledged matters) at each concurrency. Prints one line per run: rate, latency
# percentiles, the server's CPU per request (utime+stime from /proc), and the disk's limit of one fsync'd commit per
# request measured in the same directory. Asserts nothing. See docs/BENCHMARKS.md.
#   bench/http/intake.sh [--seconds 20] [--clients 8,32,64] [--warmup 10] [--postgres CONN] [--no-publish] [--trace FILE.perf]
#     (--clients "" skips the closed-loop runs: with --paced and --trace the profiles are of the paced runs)
#     [--minimal] (the actions send Prefer: return=minimal, as an integration acting in bulk would: no matter read back)
#     [--floor] (also, after the appeals, the same number of clients sending appeals refused before any look-up or write:
#     the HTTP path's own rate and CPU, bench=floor)
#     [--paced 500,1000] (also appeals, then actions, sent at each fixed rate on 64 connections by paced.py, an open loop
#     timed from each request's scheduled moment: issue 18's p99 at 1,000 requests/s; bench=intake-paced, action-paced;
#     with --floor also refused appeals at each rate, bench=floor-paced)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds=20; clients="8,32,64"; warmup=10; postgres=""; publish=1; trace=""; floor=0; paced=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --postgres) postgres="$2"; shift 2 ;;
    --no-publish) publish=0; shift ;;
    --minimal) export DUBAN_PREFER=return=minimal; shift ;;
    --floor) floor=1; shift ;;
    --paced) paced="$2"; shift 2 ;;
    --trace) trace="$2"; shift 2 ;; # CPU profiles (perf, with the runtime's perf map) of the first measured run of appeals (FILE) and of actions (FILE.actions)
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
{ command -v wrk && [ -x /usr/bin/time ]; } >/dev/null || { echo "needs wrk and time (apt-get install wrk time)" >&2; exit 2; }
tmp="$(mktemp -d "${TMPDIR:-/tmp}/duban-intake.XXXXXX")"
out="${DUBAN_BENCH_BUILD:-$tmp/app}"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
if [ "$publish" = 1 ] || [ ! -f "$out/Duban.Web.dll" ]; then
  dotnet publish "$root/src/Duban.Web" -c Release -o "$out" --nologo -v q >/dev/null
  dotnet publish "$root/src/Duban.Cli" -c Release -o "$out/cli" --nologo -v q >/dev/null
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export Logging__LogLevel__Default=Warning DOTNET_PerfMapEnabled=$([ -n "$trace" ] && echo 1 || echo 0) DOTNET_EnableWriteXorExecute=$([ -n "$trace" ] && echo 0 || echo 1) Audit__AnchorFile="$tmp/anchors.txt"
if [ -n "$postgres" ]; then
  db="duban_intake_$$"
  psql "$(sed 's/;/ /g; s/Username=/user=/; s/Host=/host=/; s/Port=/port=/; s/Database=[^ ]*/dbname=postgres/' <<<"$postgres")" -qc "CREATE DATABASE $db" >/dev/null
  export Database__Provider=postgres ConnectionStrings__Duban="$(sed "s/Database=[^;]*/Database=$db/" <<<"$postgres")"
  engine=postgres
else
  export Database__Provider=sqlite ConnectionStrings__Duban="Data Source=$tmp/duban.db"
  engine=sqlite
fi
dotnet "$out/Duban.Web.dll" --urls "http://127.0.0.1:$port" >"$tmp/server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
export DUBAN_TOKEN="$(dotnet "$out/cli/duban.dll" token create --unit 4101-DC --role supervisor --name 压测)"
cpu() { awk '{print $14 + $15}' "/proc/$server/stat"; }
tick=$(getconf CLK_TCK)
run() { # $1 clients, $2 seconds, $3 label, $4 what to write (appeal, the default, or action), $5 a fixed rate (paced.py)
  local before after lines script="${4:-appeal}"
  before=$(cpu)
  # The client's own CPU (it shares the two cores with the server) is printed beside the server's.
  if [ -n "${5:-}" ]; then
    lines=$(DUBAN_SEED="$3" DUBAN_WRITE="$script" /usr/bin/time -f "%U %S" -o "$tmp/client.cpu" python3 "$here/paced.py" "http://127.0.0.1:$port" --rate "$5" --seconds "$2" --connections "$1" | tail -n 1)
  else
    lines=$(DUBAN_SEED="$3" DUBAN_WRITE="$script" /usr/bin/time -f "%U %S" -o "$tmp/client.cpu" wrk -t "$(( $1 < 2 ? 1 : 2 ))" -c "$1" -d "${2}s" --timeout 30s -s "$here/writes.lua" "http://127.0.0.1:$port" | tail -n 1)
  fi
  after=$(cpu)
  local requests=$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' <<<"$lines")
  python3 - "$engine" "$1" "$2" "$requests" "$before" "$after" "$tick" "$lines" "$script" "$(cat "$tmp/client.cpu")" <<'PY'
import sys
engine, c, s, n, b, a, tick, line, script, client = sys.argv[1:]
n = int(n); s = float(s)
cpu_ms = (float(a) - float(b)) * 1000 / int(tick)
client_ms = sum(float(x) for x in client.split()) * 1000
bench = {"appeal": "intake", "action": "action", "refused": "floor"}[script] + ("-paced" if "reached_per_s=" in line else "")
print(f"bench={bench} engine={engine} clients={c} seconds={s:g} per_s={n / s:.0f} cpu_ms_per_req={cpu_ms / max(n, 1):.2f} client_cpu_ms_per_req={client_ms / max(n, 1):.2f} {line}")
PY
}
echo "# warm-up ${warmup}s at 8 clients (server started $(date -u +%H:%M:%S))"
run 8 "$warmup" warm
IFS=, read -ra list <<<"$clients"
if [ -n "$trace" ]; then
  perf record -F 499 -g -p "$server" -o "$trace" -- sleep "$seconds" >/dev/null 2>&1 &
  tracer=$!
fi
for c in "${list[@]}"; do run "$c" "$seconds" "c$c"; done
if [ "$floor" = 1 ]; then
  for c in "${list[@]}"; do run "$c" "$seconds" "f$c" refused; done
fi
IFS=, read -ra rates <<<"$paced"
for r in "${rates[@]}"; do
  run 64 "$seconds" "p$r" appeal "$r"
  if [ "$floor" = 1 ]; then run 64 "$seconds" "g$r" refused "$r"; fi
done
# Lifecycle actions: the lead unit (督查室 itself, 首接首办) acknowledges 500 appeals, then reports progress on them.
export DUBAN_TOKEN="$(dotnet "$out/cli/duban.dll" token create --unit 4101-DC --role handler --name 压测承办)"
export DUBAN_MATTERS="$(python3 - "http://127.0.0.1:$port" <<'PY'
import json, os, sys, urllib.request
base, token = sys.argv[1], os.environ["DUBAN_TOKEN"]
def call(method, path, body=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)
ids, page = [], 1
while len(ids) < 500 and page <= 50:
    rows = call("GET", f"/api/matters?tab=all&sort=new&pageSize=100&page={page}")
    rows = rows.get("items", rows) if isinstance(rows, dict) else rows
    if not rows:
        break
    page += 1
    for m in rows:
        if m.get("status") == "assigned" and len(ids) < 500:
            call("POST", f"/api/matters/{m['id']}/acknowledge", {})
            ids.append(str(m["id"]))
print(",".join(ids))
PY
)"
echo "# actions on $(tr ',' '\n' <<<"$DUBAN_MATTERS" | grep -c .) acknowledged matters"
if [ -n "$trace" ]; then
  wait "$tracer" || true
  perf record -F 499 -g -p "$server" -o "$trace.actions" -- sleep "$seconds" >/dev/null 2>&1 &
  tracer=$!
fi
for c in "${list[@]}"; do run "$c" "$seconds" "a$c" action; done
for r in "${rates[@]}"; do run 64 "$seconds" "q$r" action "$r"; done
if [ -n "$trace" ]; then
  wait "$tracer" || true
  # The runtime deletes its perf map when the server exits: kept beside the trace (copy it back to /tmp/perf-PID.map
  # to read the trace again with perf script).
  cp "/tmp/perf-$server.map" "$trace.map" 2>/dev/null || true
  for f in "$trace" "$trace.actions"; do
    echo "# profile: self time, top 40 frames ($f)"
    perf report -i "$f" --no-children --sort symbol --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -40 || true
  done
fi
if [ "$engine" = sqlite ]; then
  python3 - "$tmp/limit.db" <<'PY'
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("PRAGMA journal_mode=WAL"); con.execute("PRAGMA synchronous=FULL")
con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
n, start = 0, time.monotonic()
while time.monotonic() - start < 5 and n < 100000:
    con.execute("BEGIN"); con.execute("INSERT INTO t (body) VALUES (?)", ("诉求" * 60,)); con.execute("COMMIT"); n += 1
print(f"bench=disk-limit engine=sqlite commits_per_s={n / (time.monotonic() - start):.0f} (one fsync'd single-row commit each, synchronous=FULL, WAL)")
PY
fi
echo "server_errors_logged=$(grep -c '"Level":"Error"\|fail:' "$tmp/server.log" || true)"
grep -m 3 -A 4 '"Level":"Error"\|fail:' "$tmp/server.log" | cut -c1-300 | sed 's/^/# /' || true
