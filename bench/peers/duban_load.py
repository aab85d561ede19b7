#!/usr/bin/env python3
"""The peers' workload (../shared/peers/load.py) against a running Duban, measured the same way.

Imports load.py for its payloads (the same seeded Chinese titles and bodies), its client, its create loop and its
percentiles, so only the two calls differ:

  create  POST /api/appeals  {title, content, category, region, contactName, contactPhone, channel: hotline}
          (an appeal received by the 12345 hotline, routed to the lead unit given; 201 counts as success)
  list    GET  /api/matters?tab=all&sort=due&dir=asc&page=1&pageSize=50
          (the matters by due date, page of 50; every matter the run made is open)

    python3 duban_load.py --port 5080 --token <token> --region K001-T01 --n 2000 --concurrency 8

With --reads FILE --login USER:PASSWORD… it measures pages instead (bench/flat-reads.sh): each line of FILE,
"label user path", --reps times in a row on a signed-in connection, one line per label with p50/p95.

Prints one summary line in load.py's format (peer=duban ...) and writes the JSON beside the peers' results.
"""
import argparse
import json
import os
import re
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


def sign_in(port, user, password, timeout=60.0):
    """A page client signed in through the login form (its antiforgery token and cookie), as a browser would."""
    c = load.Client(port, timeout)
    st, headers, payload = c.request("GET", "/login", None, {"Accept": "text/html"})
    cookies = {}

    def keep(headers):
        for k, v in headers:
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                cookies[name] = rest.split(";", 1)[0]
        c.cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())

    keep(headers)
    token = re.search(rb'name="__RequestVerificationToken" type="hidden" value="([^"]+)"', payload)
    if st != 200 or not token:
        raise SystemExit(f"login page: {st}")
    form = urllib.parse.urlencode({"UserName": user, "Password": password, "__RequestVerificationToken": token.group(1).decode()}).encode()
    st, headers, _ = c.request("POST", "/login", form, {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html"})
    keep(headers)
    if st != 302:
        raise SystemExit(f"sign-in as {user}: {st}")
    return c


def reads(a):
    """--reads: each page or call of the file (lines "label user path", the user one of --login's) --reps times,
    one after another after 3 unmeasured, on one signed-in connection per user; one line per label. Before any is
    measured, --warm-rounds rounds over all of them, and more until --warm-seconds have passed, unmeasured: a server
    just started spends its first minute or so compiling its hot code again, optimised (tiered compilation: after
    270 pages its compiler thread still took a sixth of the CPU), which is not what a page costs a server that has
    run for a while. The first requests after a start are bench/http/intake.sh's and the cold start's to measure."""
    clients = {}
    for pair in a.login:
        user, _, password = pair.partition(":")
        clients[user] = sign_in(a.port, user, password, a.timeout)
    failed = 0
    with open(a.reads, encoding="utf-8") as f:
        lines = [l.split() for l in f if l.strip() and not l.startswith("#")]
    warm_until, rounds = time.monotonic() + a.warm_seconds, 0
    while rounds < a.warm_rounds or (time.monotonic() < warm_until and rounds < 100 * max(a.warm_rounds, 1)):
        for label, user, path in lines:
            clients[user].request("GET", path, None, {"Accept": "text/html"})
        rounds += 1
    for label, user, path in lines:
        c, lat, bad, size = clients[user], [], 0, 0
        for r in range(3 + a.reps):
            t0 = time.perf_counter()
            st, _, payload = c.request("GET", path, None, {"Accept": "text/html"})
            ms = (time.perf_counter() - t0) * 1000.0
            if st != 200:
                bad += 1
            elif r >= 3:
                lat.append(ms)
                size = len(payload)
        failed += bad
        print(f"read={label} n={len(lat)} err={bad} p50_ms={load.pct(lat, 50):.1f} p95_ms={load.pct(lat, 95):.1f} "
              f"max_ms={max(lat) if lat else float('nan'):.1f} bytes={size} path={path}", flush=True)
    return 0 if failed == 0 else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--reads", help="measure the reads listed in this file instead (see reads()); needs --login")
    ap.add_argument("--login", action="append", default=[], help="USER:PASSWORD to sign in as, for --reads (repeatable)")
    ap.add_argument("--reps", type=int, default=50, help="measured repetitions of each read")
    ap.add_argument("--warm-rounds", type=int, default=30, help="unmeasured rounds over all the reads first")
    ap.add_argument("--warm-seconds", type=float, default=30.0, help="and more unmeasured rounds until this long has passed")
    ap.add_argument("--token")
    ap.add_argument("--region", help="unit code the appeals are received for and routed to")
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--warmup", type=int, default=32)
    ap.add_argument("--list-reps", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--max-seconds", type=float, default=600.0)
    ap.add_argument("--json", help="write the summary as JSON here")
    a = ap.parse_args()
    if a.reads:
        return reads(a)
    if not a.token or not a.region:
        ap.error("--token and --region are required for the create and list run")
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
