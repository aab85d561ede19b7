#!/usr/bin/env python3
"""Writes at a fixed rate (open loop), for bench/http/intake.sh --paced: issue 18's "p99 <= 50 ms at 1,000 requests/s".

wrk sends the next request when the last is answered (closed loop), so it measures how fast the server can go, and a
stall holds back the requests that would have waited in it. This client schedules request k at start + k / rate
whatever happens, on a pool of keep-alive connections, and times each from its scheduled moment: a request that waits
for a free connection counts that wait (no coordinated omission). What it writes mirrors writes.lua (DUBAN_WRITE=appeal,
action or refused, DUBAN_TOKEN, DUBAN_MATTERS, DUBAN_PREFER, DUBAN_SEED). Prints the line writes.lua prints, plus the rate
reached and how many requests went out late (no free connection at their moment).

  paced.py URL --rate 1000 --seconds 15 --connections 64
"""
import argparse
import asyncio
import json
import os
import random
from urllib.parse import urlsplit

CATEGORIES = ["城乡建设", "环境保护", "交通运输", "劳动和社会保障", "教育文体", "卫生计生", "商贸旅游", "民政"]
PLACES = ["人民路", "解放大道", "建设北路", "中山东路", "文化街", "长江路", "黄河路", "和平里"]
PROBLEMS = ["路灯不亮", "井盖缺失", "噪音扰民", "垃圾未清运", "违章停车", "污水外溢", "施工扬尘", "树木倒伏"]


def requests(host, mode, token, seed, matters, prefer):
    """Yields the bytes of each request to send, in order."""
    counter = 0
    while True:
        counter += 1
        headers = [f"Host: {host}", "Content-Type: application/json", f"Authorization: Bearer {token}"]
        if mode == "action":
            path = f"/api/matters/{random.choice(matters)}/feedback"
            body = json.dumps({"note": f"已现场查看，正在协调施工单位处理，预计三个工作日内完成。第{random.randint(1, 1000000)}次反馈。"}, ensure_ascii=False)
            if prefer:
                headers.append(f"Prefer: {prefer}")
        elif mode == "refused":  # refused before any look-up or write (an empty title, no key): the HTTP path's floor
            path = "/api/appeals"
            body = json.dumps({"title": "", "content": f"人民路{counter}号附近路灯不亮已有多日，影响居民出行，请有关部门尽快处理。",
                               "category": "城乡建设", "contactName": "张先生", "contactPhone": "13800001234", "channel": "web"},
                              ensure_ascii=False)
        else:
            path = "/api/appeals"
            place, problem, n = random.choice(PLACES), random.choice(PROBLEMS), random.randint(1, 999)
            body = json.dumps({
                "title": f"关于{place}{n}号附近{problem}的诉求",
                "content": f"{place}{n}号附近{problem}已有多日，影响居民出行和生活，请有关部门尽快处理并答复。编号{seed}-p-{counter}。",
                "category": random.choice(CATEGORIES), "contactName": "张先生",
                "contactPhone": f"1380000{random.randint(0, 9999):04d}", "channel": "web"}, ensure_ascii=False)
            headers.append(f"Idempotency-Key: paced-{seed}-{counter}")
        data = body.encode()
        headers.append(f"Content-Length: {len(data)}")
        yield ("POST " + path + " HTTP/1.1\r\n" + "\r\n".join(headers) + "\r\n\r\n").encode() + data


async def read_response(reader):
    """Reads one HTTP/1.1 response (Content-Length or chunked) and returns its status."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    fields = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    if fields.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif "content-length" in fields:
        await reader.readexactly(int(fields["content-length"]))
    return status


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--rate", type=float, default=1000)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    split = urlsplit(args.url)
    mode = os.environ.get("DUBAN_WRITE", "appeal")
    matters = [m for m in os.environ.get("DUBAN_MATTERS", "").split(",") if m]
    if mode == "action" and not matters:
        raise SystemExit("DUBAN_WRITE=action needs DUBAN_MATTERS")
    random.seed(os.environ.get("DUBAN_SEED", "0"))
    source = requests(split.netloc, mode, os.environ["DUBAN_TOKEN"], os.environ.get("DUBAN_SEED", "0"), matters,
                      os.environ.get("DUBAN_PREFER"))
    total = int(args.rate * args.seconds)
    latencies, statuses, late = [], {}, 0
    next_index = 0
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.2  # every connection open before the first moment

    async def connection():
        nonlocal next_index, late
        reader, writer = await asyncio.open_connection(split.hostname, split.port)
        try:
            while next_index < total:
                k = next_index
                next_index += 1
                due = start + k / args.rate
                wait = due - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                elif wait < -0.001:
                    late += 1
                writer.write(next(source))
                status = await read_response(reader)
                latencies.append(loop.time() - due)
                statuses[status] = statuses.get(status, 0) + 1
        finally:
            writer.close()

    await asyncio.gather(*(connection() for _ in range(args.connections)))
    elapsed = loop.time() - start
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] * 1000 if latencies else 0.0

    errors = sum(n for s, n in statuses.items() if s >= 400)
    print(f"rate={args.rate:g} reached_per_s={len(latencies) / max(elapsed, 1e-9):.0f} late={late} "
          f"requests={len(latencies)} errors_status={errors} p50_ms={pct(50):.2f} p90_ms={pct(90):.2f} "
          f"p99_ms={pct(99):.2f} max_ms={latencies[-1] * 1000 if latencies else 0:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
