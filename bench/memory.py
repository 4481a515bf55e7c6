"""Server memory: idle RSS after start, then RSS with 10,000 pods and 50,000 ConfigMaps
stored, and the time to list the 10,000 pods (JSON and as a kubectl Table).

    python3 -m bench.memory [--pods 10000] [--configmaps 50000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from typing import Any

from bench.harness import configmap, create_namespace, machine, server, session


def pod(name: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "pods", "labels": {"app": "bench", "n": name}},
            # a scheduler of their own that does not exist: the pods stay stored, unscheduled
            "spec": {"schedulerName": "bench-unscheduled",
                     "containers": [{"name": "main", "image": "busybox:1.36", "command": ["sleep", "3600"],
                                     "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}}}]}}


async def _bulk(http: Any, path: str, bodies: list[dict[str, Any]], concurrency: int = 16) -> float:
    queue = list(reversed(bodies))
    t0 = time.perf_counter()

    async def worker() -> None:
        while queue:
            body = queue.pop()
            async with http.post(path, json=body) as r:
                if r.status != 201:
                    raise RuntimeError(await r.text())

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - t0


async def main(pods: int, configmaps: int) -> None:
    async with server(["--disable-agent"]) as srv:
        await asyncio.sleep(2)  # let start-up garbage settle before reading idle RSS
        print(f"machine: {machine()}")
        print(f"idle RSS: {srv.rss_mb():.1f} MB")
        async with session(srv) as http:
            await create_namespace(http, "pods")
            await create_namespace(http, "bench")
            took = await _bulk(http, "/api/v1/namespaces/pods/pods", [pod(f"p{i}") for i in range(pods)])
            print(f"created {pods} pods in {took:.1f} s ({pods / took:.0f}/s)")
            took = await _bulk(http, "/api/v1/namespaces/bench/configmaps",
                               [configmap(f"cm{i}") for i in range(configmaps)])
            print(f"created {configmaps} configmaps in {took:.1f} s ({configmaps / took:.0f}/s)")
            print(f"RSS with {pods} pods and {configmaps} configmaps: {srv.rss_mb():.0f} MB")
            for label, headers in (("JSON", {}), ("Table", {
                    "Accept": "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"})):
                times = []
                for _ in range(5):
                    t0 = time.perf_counter()
                    async with http.get("/api/v1/namespaces/pods/pods", headers=headers) as r:
                        body = await r.read()
                    times.append(time.perf_counter() - t0)
                print(f"list {pods} pods ({label}): median {statistics.median(times) * 1000:.0f} ms, "
                      f"{len(body) / 2**20:.1f} MiB; server RSS after these lists: {srv.rss_mb():.0f} MB")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--pods", type=int, default=10000)
    ap.add_argument("--configmaps", type=int, default=50000)
    a = ap.parse_args()
    asyncio.run(main(a.pods, a.configmaps))
