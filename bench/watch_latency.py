"""Watch delivery latency: 100 watchers on one namespace's ConfigMaps while a writer
creates objects at a steady rate; each event's delay is measured from just before the
write was sent to its arrival at every watcher.

    python3 -m bench.watch_latency [--watchers 100] [--events 500] [--rate 100]
"""

from __future__ import annotations

import argparse
import asyncio
import time

import orjson

from bench.harness import configmap, create_namespace, machine, server, session, summary


async def main(watchers: int, events: int, rate: float) -> None:
    async with server() as srv, session(srv, connections=watchers + 8) as http:
        await create_namespace(http, "watch")
        sent: dict[str, float] = {}
        delays: list[float] = []
        ready = 0
        all_ready = asyncio.Event()
        async with http.get("/api/v1/namespaces/watch/configmaps") as r:
            rv = (await r.json())["metadata"]["resourceVersion"]

        async def watcher() -> None:
            nonlocal ready
            seen = 0
            async with http.get(f"/api/v1/namespaces/watch/configmaps?watch=1&resourceVersion={rv}",
                                timeout=None) as r:
                ready += 1
                if ready == watchers:
                    all_ready.set()
                async for line in r.content:
                    ev = orjson.loads(line)
                    name = ev["object"]["metadata"]["name"]
                    delays.append(time.perf_counter() - sent[name])
                    seen += 1
                    if seen == events:
                        return

        tasks = [asyncio.create_task(watcher()) for _ in range(watchers)]
        await asyncio.wait_for(all_ready.wait(), 60)
        start = time.perf_counter()
        for k in range(events):
            delay = start + k / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            name = f"w{k}"
            sent[name] = time.perf_counter()
            async with http.post("/api/v1/namespaces/watch/configmaps", json=configmap(name, "watch")) as r:
                await r.read()
        await asyncio.wait_for(asyncio.gather(*tasks), 120)
        print(f"machine: {machine()}")
        print(f"{watchers} watchers, {events} events at {rate:.0f}/s")
        print(summary("watch delivery", delays))


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--watchers", type=int, default=100)
    ap.add_argument("--events", type=int, default=500)
    ap.add_argument("--rate", type=float, default=100)
    a = ap.parse_args()
    asyncio.run(main(a.watchers, a.events, a.rate))
