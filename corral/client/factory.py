"""Sharing informers between controllers (client-go's SharedInformerFactory): one list
and one watch per (resource, namespace, selectors) however many controllers ask, one
cache they all read, each with its own handlers."""

from __future__ import annotations

import asyncio

from corral.client.backoff import Backoff
from corral.client.client import Client
from corral.client.informer import Informer
from corral.client.resource import Resource

_Key = tuple[str, str, str, str, str, str]


class InformerFactory:
    def __init__(self, client: Client, *, namespace: str = "", page_size: int = 500, watch_timeout: float = 300.0,
                 backoff_initial: float = 0.8, backoff_cap: float = 30.0) -> None:
        """Informers watch ``namespace`` ("" = all) unless asked otherwise; the other
        settings apply to each (see :class:`~corral.client.reflector.Reflector`)."""
        self.client = client
        self.namespace = namespace
        self._page_size = page_size
        self._watch_timeout = watch_timeout
        self._backoff = (backoff_initial, backoff_cap)
        self._informers: dict[_Key, Informer] = {}
        self._started = False

    def informer(self, resource: Resource, *, namespace: str | None = None, label_selector: str = "",
                 field_selector: str = "") -> Informer:
        """The shared informer for this collection; started at once if the factory is."""
        ns = self.namespace if namespace is None else namespace
        key = (resource.group, resource.version, resource.resource, ns, label_selector, field_selector)
        informer = self._informers.get(key)
        if informer is None:
            informer = self._informers[key] = Informer(
                self.client, resource, namespace=ns, label_selector=label_selector, field_selector=field_selector,
                page_size=self._page_size, watch_timeout=self._watch_timeout, backoff=Backoff(*self._backoff))
            if self._started:
                informer.start()
        return informer

    def start(self) -> None:
        self._started = True
        for informer in self._informers.values():
            informer.start()

    async def wait_for_sync(self) -> bool:
        """Wait until every informer has synced; False if one stopped first."""
        results = await asyncio.gather(*(i.wait_for_sync() for i in self._informers.values()))
        return all(results)

    async def stop(self) -> None:
        await asyncio.gather(*(i.stop() for i in self._informers.values()))
