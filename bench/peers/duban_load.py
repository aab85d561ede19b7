#!/usr/bin/env python3
"""The peers' workload (../shared/peers/load.py) against a running Duban, measured the same way.

Imports load.py for its payloads (the same seeded Chinese titles and bodies), its client, its create loop and its
percentiles, so only the two calls differ:

  create  POST /api/appeals  {title, content, category, region, contactName, contactPhone, channel: hotline}
          (an appeal received by the 12345 hotline, routed to the lead unit given; 201 counts as success)
  list    GET  /api/matters?tab=all&sort=due&dir=asc&page=1&pageSize=50
          (the matters by due date, page of 50; every matter the run made is open)

    python3 duban_load.py --port 5080 --token <token> --region K001-T01 --n 2000 --concurrency 8

Prints one summary line in load.py's format (peer=duban ...) and writes the JSON beside the peers' results.
"""
import argparse
import json
import os
import sys
import time
import urllib.parse

PEERS = os.environ.get("PEERS_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "peers"))
sys.path.insert(0, os.path.abspath(PEERS))
import load  # noqa: E402  (the peers' own load generator)


class DubanPeer:
    name = "duban"

    def __init__(self, port, token, region):
        self.port = port
        self.region = region
        self.headers = {"Authorization": "Bearer " + token}

    def prepare_client(self, c):
        pass

    def create(self, c, rng, i):
        subject, body = load.make_item(rng, i)
        doc = {
            "title": subject, "content": body, "category": "城乡建设", "region": self.region, "leadUnit": self.region,
            "contactName": "市民" + str(rng.randint(1, 200)), "contactPhone": "138" + str(rng.randint(10_000_000, 99_999_999)),
            "channel": "hotline",
        }
        st, _, payload = c.request("POST", "/api/appeals", doc, self.headers)
        return st == 201, st, payload

    def list_path(self):
        return "/api/matters?" + urllib.parse.urlencode({"tab": "all", "sort": "due", "dir": "asc", "page": 1, "pageSize": 50})

    def list(self, c):
        st, _, payload = c.request("GET", self.list_path(), None, self.headers)
        if st != 200:
            return False, st, payload, None
        doc = json.loads(payload)
        return len(doc.get("items", [])) == min(50, doc.get("total", 0)), st, payload, doc.get("total")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--region", required=True, help="unit code the appeals are received for and routed to")
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--warmup", type=int, default=32)
    ap.add_argument("--list-reps", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--max-seconds", type=float, default=600.0)
    ap.add_argument("--json", help="write the summary as JSON here")
    a = ap.parse_args()
    peer = DubanPeer(a.port, a.token, a.region)
    offset = (int(time.time()) % 10_000) * 1_000_000
    errors = []
    if a.warmup:
        load.run_creates(peer, a.warmup, a.concurrency, a.seed + 7, a.timeout, time.monotonic() + 600, offset + 900_000, [])
    lat, wall, skipped = load.run_creates(peer, a.n, a.concurrency, a.seed, a.timeout, time.monotonic() + a.max_seconds, offset, errors)

    c = load.Client(peer.port, a.timeout)
    list_lat, list_err, total = [], 0, None
    for r in range(3 + a.list_reps):
        t0 = time.perf_counter()
        ok, st, payload, total_r = peer.list(c)
        ms = (time.perf_counter() - t0) * 1000.0
        if r < 3:
            continue
        if ok:
            list_lat.append(ms)
            total = total_r
        else:
            list_err += 1
            errors.append({"list": True, "status": st, "body": payload[:300].decode("utf-8", "replace")})

    ok = len(lat)
    res = {
        "peer": "duban", "n": a.n, "ok": ok, "err": a.n - ok - skipped, "skipped": skipped, "conc": a.concurrency, "auth": "token",
        "create_per_s": ok / wall if wall > 0 else 0.0, "wall_s": wall,
        "p50_ms": load.pct(lat, 50), "p95_ms": load.pct(lat, 95), "p99_ms": load.pct(lat, 99), "max_ms": max(lat) if lat else float("nan"),
        "list_p50_ms": load.pct(list_lat, 50), "list_p95_ms": load.pct(list_lat, 95), "list_err": list_err, "open_total": total,
    }
    order = ["peer", "n", "ok", "err", "skipped", "conc", "auth", "create_per_s", "p50_ms", "p95_ms",
             "p99_ms", "max_ms", "list_p50_ms", "list_p95_ms", "list_err", "open_total", "wall_s"]
    print(" ".join(f"{k}={res[k]:.1f}" if isinstance(res[k], float) else f"{k}={res[k]}" for k in order), flush=True)
    for e in errors[:3]:
        print("error sample:", e, file=sys.stderr)
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump({"summary": res, "errors_sample": errors[:20]}, f, ensure_ascii=False, indent=1)
    return 0 if (ok == a.n and list_err == 0) else 1


if __name__ == "__main__":
    sys.exit(main())
