"""A real ``corral server`` child process for tests: started on a free loopback port with
its own data directory, ready once ``/readyz`` answers over TLS verified against the
server's own CA, stopped with SIGTERM (or killed with SIGKILL to test durability).

Its output goes to ``server.log`` beside the data directory; failures quote its tail.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

START_TIMEOUT = 60.0
STOP_TIMEOUT = 20.0
_PORT_IN_USE_HINTS = ("cannot serve on", "address already in use")


class ServerError(AssertionError):
    """The server did not start or stop as expected; the message quotes its log."""


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def corral_argv(*args: str) -> list[str]:
    """The command line that runs ``corral`` from this checkout with this interpreter."""
    return [sys.executable, "-m", "corral", *args]


class CorralServer:
    """One server process over one data directory; it can be stopped and started again."""

    def __init__(self, base: Path, port: int | None = None) -> None:
        self.base = base
        self.data_dir = base / "data"
        self.log_path = base / "server.log"
        self._fixed_port = port is not None
        self.port = port if port is not None else free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self._log_offset = 0

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def kubeconfig(self) -> Path:
        return self.data_dir / "kubeconfig.yaml"

    @property
    def ca_cert(self) -> Path:
        return self.data_dir / "tls" / "ca.crt"

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self, timeout: float = START_TIMEOUT) -> CorralServer:
        """Start the process and wait until it is ready; retries on a port taken meanwhile."""
        for _attempt in range(3):
            self._spawn()
            try:
                self.wait_ready(timeout)
                return self
            except ServerError:
                if self.running:  # started but never ready: leave no orphan behind
                    self.kill9()
                    raise
                if self._fixed_port or not self._port_was_taken():
                    raise
                self.port = free_port()
        raise ServerError(f"corral server found no free port\n{self.log_tail()}")

    def _spawn(self) -> None:
        if self.running:
            raise ServerError(f"corral server already running (pid {self.proc and self.proc.pid})")
        self.base.mkdir(parents=True, exist_ok=True)
        self._log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        argv = corral_argv("server", "--data-dir", str(self.data_dir), "--bind", "127.0.0.1",
                           "--port", str(self.port))
        with self.log_path.open("ab") as log:
            log.write(f"--- {' '.join(argv)}\n".encode())
            log.flush()
            self.proc = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)

    def _port_was_taken(self) -> bool:
        text = self.log_path.read_bytes()[self._log_offset:].decode(errors="replace").lower()
        return any(hint in text for hint in _PORT_IN_USE_HINTS)

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        """Poll ``/readyz`` (TLS verified by the server's CA once it exists) until it says ok."""
        deadline = time.monotonic() + timeout
        last = "no answer yet"
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                code = None if self.proc is None else self.proc.returncode
                raise ServerError(f"corral server exited with {code} before it was ready\n{self.log_tail()}")
            if self.ca_cert.exists():
                try:
                    status, body = self.https_get("/readyz", timeout=2.0)
                except (OSError, http.client.HTTPException, ssl.SSLError) as exc:
                    last = f"{type(exc).__name__}: {exc}"
                else:
                    last = f"HTTP {status}: {body[:200]!r}"
                    if status == 200 and body.strip() == b"ok" and self.kubeconfig.exists():
                        return
            time.sleep(0.05)
        raise ServerError(f"corral server not ready within {timeout}s ({last})\n{self.log_tail()}")

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca_cert))

    def https_get(self, path: str, timeout: float = 10.0,
                  headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        """An anonymous GET (no client certificate, no token): status and body."""
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=timeout,
                                           context=self.ssl_context())
        try:
            conn.request("GET", path, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, resp.read()
        finally:
            conn.close()

    def stop(self, timeout: float = STOP_TIMEOUT) -> int | None:
        """SIGTERM, wait up to ``timeout``, then SIGKILL. Returns the exit code."""
        proc = self.proc
        if proc is None:
            return None
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout)
                message = f"corral server ignored SIGTERM for {timeout}s\n{self.log_tail()}"
                raise ServerError(message) from None
        return proc.returncode

    def kill9(self) -> None:
        """SIGKILL: no chance to flush or close anything."""
        proc = self.proc
        if proc is not None and proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(STOP_TIMEOUT)

    def log_tail(self, lines: int = 60) -> str:
        if not self.log_path.exists():
            return f"(no log at {self.log_path})"
        tail = self.log_path.read_text(errors="replace").splitlines()[-lines:]
        return f"--- last {len(tail)} lines of {self.log_path}:\n" + "\n".join(tail)
