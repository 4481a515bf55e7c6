"""Shared benchmark plumbing: start a real ``corral server`` process on a free loopback
port in a temporary data dir, an HTTPS client session with the admin certificate, and
small statistics helpers. Benchmarks measure; they assert nothing."""

from __future__ import annotations

import asyncio
import os
import platform
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RunningServer:
    proc: subprocess.Popen[bytes]
    url: str
    data_dir: Path

    def ssl_context(self) -> ssl.SSLContext:
        tls = self.data_dir / "tls"
        ctx = ssl.create_default_context(cafile=str(tls / "ca.crt"))
        ctx.load_cert_chain(str(tls / "admin.crt"), str(tls / "admin.key"))
        return ctx

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS")

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@asynccontextmanager
async def server(extra: list[str] | None = None) -> AsyncIterator[RunningServer]:
    with tempfile.TemporaryDirectory(prefix="corral-bench-") as tmp:
        port = free_port()
        log = open(Path(tmp) / "server.log", "wb")  # noqa: SIM115
        proc = subprocess.Popen(
            [sys.executable, "-m", "corral", "server", "--data-dir", f"{tmp}/data", "--bind", "127.0.0.1",
             "--port", str(port), "--log-level", "warning", *(extra or [])],
            stdout=log, stderr=subprocess.STDOUT)
        srv = RunningServer(proc, f"https://127.0.0.1:{port}", Path(tmp) / "data")
        try:
            await _wait_ready(srv)
            yield srv
        finally:
            proc.terminate()
            proc.wait(30)
            log.close()


async def _wait_ready(srv: RunningServer, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if srv.proc.poll() is not None:
            raise RuntimeError(f"server exited with {srv.proc.returncode}")
        if (srv.data_dir / "kubeconfig.yaml").exists():
            try:
                async with aiohttp.ClientSession() as s, s.get(
                        srv.url + "/readyz", ssl=srv.ssl_context()) as r:
                    if r.status == 200:
                        return
            except (aiohttp.ClientError, OSError):
                pass
        await asyncio.sleep(0.05)
    raise TimeoutError("server not ready")


def session(srv: RunningServer, connections: int = 100) -> aiohttp.ClientSession:
    conn = aiohttp.TCPConnector(ssl=srv.ssl_context(), limit=connections)
    return aiohttp.ClientSession(srv.url, connector=conn)


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def summary(name: str, latencies: list[float]) -> str:
    ms = [v * 1000 for v in latencies]
    return (f"{name:<28} n={len(ms):>6}  p50={statistics.median(ms):7.2f} ms  "
            f"p99={percentile(ms, 99):7.2f} ms")


def machine() -> str:
    cpu = "unknown cpu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, Python {platform.python_version()}, {platform.system()}"


def configmap(name: str, namespace: str = "bench") -> dict[str, object]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": namespace},
            "data": {"key": "value", "other": "x" * 64}}


async def create_namespace(http: aiohttp.ClientSession, name: str) -> None:
    async with http.post("/api/v1/namespaces", json={"metadata": {"name": name}}) as r:
        if r.status not in (201, 409):
            raise RuntimeError(await r.text())
