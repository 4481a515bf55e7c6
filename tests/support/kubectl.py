"""Run the real kubectl and helm against a test server.

Every call has a timeout, captures stdout and stderr, and fails with the command line,
exit code and both streams in the message. ``stream`` starts a long-running command
(``kubectl get -w``, ``kubectl wait``) whose output lines are read with a deadline.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.binaries import binary

DEFAULT_TIMEOUT = 60.0

LineMatcher = str | re.Pattern[str] | Callable[[str], bool]


@dataclass(frozen=True)
class Result:
    argv: list[str]
    returncode: int
    stdout: str
    stderr: str

    def describe(self) -> str:
        return (f"$ {shlex.join(self.argv)}\nexit code: {self.returncode}\n"
                f"--- stdout:\n{_ended(self.stdout)}--- stderr:\n{_ended(self.stderr)}---")

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()


class Runner:
    """A command-line binary run with a fixed environment."""

    def __init__(self, path: Path, env: Mapping[str, str]) -> None:
        self.path = path
        self.env = dict(env)

    def run(self, *args: str, input: str | None = None, timeout: float = DEFAULT_TIMEOUT,
            check: bool = True) -> Result:
        """Run to completion; with ``check`` (default) assert exit code 0."""
        argv = [str(self.path), *args]
        try:
            done = subprocess.run(argv, input=input, capture_output=True, text=True, env=self.env,
                                  timeout=timeout, stdin=None if input is not None else subprocess.DEVNULL)
        except subprocess.TimeoutExpired as exc:
            out = _text(exc.stdout)
            err = _text(exc.stderr)
            raise AssertionError(f"timed out after {timeout}s\n"
                                 + Result(argv, -1, out, err).describe()) from None
        result = Result(argv, done.returncode, done.stdout, done.stderr)
        if check:
            assert result.returncode == 0, f"command failed\n{result.describe()}"
        return result

    def fail(self, *args: str, input: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> Result:
        """Run and assert a non-zero exit code."""
        result = self.run(*args, input=input, timeout=timeout, check=False)
        assert result.returncode != 0, f"command should have failed\n{result.describe()}"
        return result

    def json(self, *args: str, timeout: float = DEFAULT_TIMEOUT) -> Any:
        """Run with ``-o json`` and parse stdout."""
        result = self.run(*args, "-o", "json", timeout=timeout)
        try:
            return json.loads(result.stdout)
        except ValueError as exc:
            raise AssertionError(f"stdout is not JSON ({exc})\n{result.describe()}") from None

    def stream(self, *args: str) -> Stream:
        """Start a long-running command; read its lines with ``Stream.wait_for``."""
        return Stream([str(self.path), *args], self.env)


class Kubectl(Runner):
    """kubectl with ``KUBECONFIG`` set and a private discovery cache."""

    def __init__(self, kubeconfig: Path, cache_dir: Path) -> None:
        super().__init__(binary("kubectl"), _env(KUBECONFIG=str(kubeconfig), KUBECACHEDIR=str(cache_dir)))
        self.kubeconfig = kubeconfig


class Helm(Runner):
    """helm with ``KUBECONFIG`` set and its cache, config and data under ``home``."""

    def __init__(self, kubeconfig: Path, home: Path) -> None:
        super().__init__(binary("helm"), _env(
            KUBECONFIG=str(kubeconfig), HELM_CACHE_HOME=str(home / "cache"),
            HELM_CONFIG_HOME=str(home / "config"), HELM_DATA_HOME=str(home / "data")))
        self.kubeconfig = kubeconfig


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.upper().endswith("_PROXY")}
    env["NO_PROXY"] = "127.0.0.1,localhost"
    env.update(extra)
    return env


def _ended(text: str) -> str:
    return text if not text or text.endswith("\n") else text + "\n"


def _text(data: str | bytes | None) -> str:
    if data is None:
        return ""
    return data.decode(errors="replace") if isinstance(data, bytes) else data


class Stream:
    """A running command whose stdout and stderr lines are collected by reader threads."""

    def __init__(self, argv: list[str], env: Mapping[str, str]) -> None:
        self.argv = argv
        self._lines: dict[str, list[str]] = {"stdout": [], "stderr": []}
        self._cursor = {"stdout": 0, "stderr": 0}
        self._cond = threading.Condition()
        self.proc = subprocess.Popen(argv, env=dict(env), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, bufsize=1)
        self._readers = [
            threading.Thread(target=self._pump, args=(self.proc.stdout, self._lines["stdout"]), daemon=True),
            threading.Thread(target=self._pump, args=(self.proc.stderr, self._lines["stderr"]), daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    def _pump(self, pipe: Any, sink: list[str]) -> None:
        for line in pipe:
            with self._cond:
                sink.append(line.rstrip("\n"))
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def describe(self) -> str:
        with self._cond:
            out, err = "\n".join(self._lines["stdout"]), "\n".join(self._lines["stderr"])
        code = self.proc.poll()
        return (f"$ {shlex.join(self.argv)}\nexit code: {'(running)' if code is None else code}\n"
                f"--- stdout:\n{out}\n--- stderr:\n{err}\n---")

    def wait_for(self, match: LineMatcher, timeout: float = 30.0, source: str = "stdout") -> str:
        """The next line of ``source`` (stdout or stderr), after the previous match there,
        that matches; fails at the deadline or when the command has ended without one."""
        test = _matcher(match)
        lines = self._lines[source]
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for index in range(self._cursor[source], len(lines)):
                    if test(lines[index]):
                        self._cursor[source] = index + 1
                        return lines[index]
                remaining = deadline - time.monotonic()
                finished = self.proc.poll() is not None and not any(r.is_alive() for r in self._readers)
                if remaining <= 0 or finished:
                    break
                self._cond.wait(min(remaining, 0.5))
        why = "exited" if finished else f"nothing within {timeout}s"
        raise AssertionError(f"no {source} line matched {match!r} ({why})\n{self.describe()}")

    def wait_exit(self, timeout: float = 30.0) -> int:
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"still running after {timeout}s\n{self.describe()}") from None
        for reader in self._readers:
            reader.join(timeout)
        return code

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        for reader in self._readers:
            reader.join(10)

    def __enter__(self) -> Stream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _matcher(match: LineMatcher) -> Callable[[str], bool]:
    if isinstance(match, str):
        return lambda line: match in line
    if isinstance(match, re.Pattern):
        pattern = match
        return lambda line: pattern.search(line) is not None
    return match
