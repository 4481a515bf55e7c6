"""Test doubles for the client's unit tests: a transport that answers from a script and
records every request, a back-off that records instead of sleeping, and a deadline wait."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncGenerator, Callable
from typing import Any

from corral.client.backoff import Backoff
from corral.client.transport import RawEvent, Request

DEADLINE = 5.0
END = ("END", {})  # in a watch script: the server ends the watch here


async def eventually(condition: Callable[[], bool], timeout: float = DEADLINE) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.001)


class ScriptedTransport:
    """Plain requests take the next answer of ``answers``, watches the next script of
    ``watches`` (events, exceptions to raise once the watch is read, END); with nothing
    (more) scripted, they wait until cancelled, so a test can look at the state reached."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.answers: deque[Any] = deque()
        self.watches: deque[list[RawEvent | Exception]] = deque()

    def params(self, index: int) -> dict[str, str]:
        return dict(self.requests[index].params)

    @property
    def kinds(self) -> list[str]:
        """"list" or "watch" for each request so far."""
        return ["watch" if ("watch", "true") in r.params else "list" for r in self.requests]

    async def request(self, request: Request) -> Any:
        self.requests.append(request)
        if not self.answers:
            await asyncio.Future()
        answer = self.answers.popleft()
        if isinstance(answer, Exception):
            raise answer
        return answer

    async def watch(self, request: Request) -> AsyncGenerator[RawEvent, None]:
        self.requests.append(request)
        return self._events(self.watches.popleft() if self.watches else [])

    @staticmethod
    async def _events(script: list[RawEvent | Exception]) -> AsyncGenerator[RawEvent, None]:
        for item in script:
            if isinstance(item, Exception):
                raise item
            if item == END:
                return
            yield item
        await asyncio.Future()

    async def close(self) -> None:
        """Nothing to release."""


class RecordingBackoff(Backoff):
    """Counts the waits it is asked for and returns at once."""

    def __init__(self) -> None:
        super().__init__(0.001, 0.001)
        self.waits = 0

    async def wait(self) -> None:
        self.waits += 1
        await asyncio.sleep(0)


def obj(name: str, rv: int, namespace: str = "ns", **labels: str) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "namespace": namespace, "resourceVersion": str(rv)}
    if labels:
        meta["labels"] = labels
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta}


def page(items: list[dict[str, Any]], rv: int, cont: str = "") -> dict[str, Any]:
    meta: dict[str, Any] = {"resourceVersion": str(rv)}
    if cont:
        meta["continue"] = cont
    return {"kind": "ConfigMapList", "apiVersion": "v1", "metadata": meta, "items": items}


def gone() -> RawEvent:
    return "ERROR", {"kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 410, "reason": "Expired",
                     "message": "too old resource version: 1 (5)"}
