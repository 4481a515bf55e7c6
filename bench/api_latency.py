"""API throughput and latency: 16 concurrent HTTPS clients creating, getting, listing and
updating ConfigMaps against a real server; then a paced 200 writes/s run for the p99 of
mutations under steady load.

    python3 -m bench.api_latency [--seconds 10] [--clients 16]
"""

from __future__ import annotations

import argparse
import asyncio
import time

from bench.harness import configmap, create_namespace, machine, server, session, summary


async def _timed(latencies: list[float], coro_factory) -> None:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    async with coro_factory() as r:
        await r.read()
        if r.status >= 300:
            raise RuntimeError(f"{r.status}: {await r.text()}")
    latencies.append(time.perf_counter() - t0)


async def main(seconds: float, clients: int) -> None:
    async with server() as srv, session(srv) as http:
        await create_namespace(http, "bench")
        creates: list[float] = []
        end = time.perf_counter() + seconds

        async def creator(i: int) -> None:
            n = 0
            while time.perf_counter() < end:
                name = f"c{i}-{n}"
                await _timed(creates, lambda name=name: http.post("/api/v1/namespaces/bench/configmaps",
                                                                    json=configmap(name)))
                n += 1

        t0 = time.perf_counter()
        await asyncio.gather(*(creator(i) for i in range(clients)))
        elapsed = time.perf_counter() - t0
        print(f"machine: {machine()}")
        print(f"creates/s with {clients} clients: {len(creates) / elapsed:.0f}")
        print(summary("create", creates))

        gets: list[float] = []
        lists: list[float] = []
        updates: list[float] = []
        names = [f"c{i}-0" for i in range(clients)]

        async def reader(name: str) -> None:
            for _ in range(100):
                await _timed(gets, lambda: http.get(f"/api/v1/namespaces/bench/configmaps/{name}"))

        async def lister() -> None:
            for _ in range(10):
                await _timed(lists, lambda: http.get("/api/v1/namespaces/bench/configmaps?limit=500"))

        async def updater(name: str) -> None:
            for j in range(50):
                body = configmap(name)
                body["data"] = {"key": str(j)}  # type: ignore[index]
                await _timed(updates, lambda body=body: http.put(
                    f"/api/v1/namespaces/bench/configmaps/{name}", json=body))

        await asyncio.gather(*(reader(n) for n in names))
        await asyncio.gather(*(lister() for _ in range(clients)))
        await asyncio.gather(*(updater(n) for n in names))
        print(summary("get", gets))
        print(summary("list (limit 500)", lists))
        print(summary("update", updates))

        paced: list[float] = []
        rate, duration = 200, seconds
        tasks = []
        start = time.perf_counter()
        for k in range(int(rate * duration)):
            due = start + k / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(_timed(paced, lambda k=k: http.post(
                "/api/v1/namespaces/bench/configmaps", json=configmap(f"paced-{k}")))))
        await asyncio.gather(*tasks)
        print(summary(f"create paced {rate}/s", paced))
        print(f"server RSS after run: {srv.rss_mb():.0f} MB")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--clients", type=int, default=16)
    a = ap.parse_args()
    asyncio.run(main(a.seconds, a.clients))
