"""One Corral server process: certificates, the datastore with its watch cache, the API
application on HTTPS, and the built-in controllers, started and stopped in order.

Stop order matters for "no lost writes": the listener closes first (no new requests),
in-flight requests finish, controllers stop, then the store flushes and closes.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from corral.api.app import ApiServer
from corral.api.discovery import Discovery
from corral.api.inprocess import InProcessTransport
from corral.auth.authenticator import Authenticator
from corral.auth.tokens import TokenFile
from corral.client import Client
from corral.controller_manager import ControllerManager
from corral.controllers import crd
from corral.pki.certs import ensure_pki
from corral.pki.files import write_atomic
from corral.pki.kubeconfig import admin_kubeconfig
from corral.pki.tls import server_ssl_context
from corral.registry.builtins import BUILTINS, GROUP_ORDER
from corral.registry.custom.catalog import SchemaCatalog
from corral.registry.resources import ResourceDef
from corral.registry.serviceips import KUBERNETES_SERVICE_IP, ServiceHooks, ServiceIPAllocator
from corral.registry.store import ObjectStore
from corral.schema.openapi import OpenAPI
from corral.storage.cache import WatchCache
from corral.storage.compactor import Compactor
from corral.storage.sqlite import SqliteStorage

log = logging.getLogger("corral.server")

SYSTEM_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "corral"


@dataclass
class ServerConfig:
    data_dir: Path = field(default_factory=default_data_dir)
    bind: str = "0.0.0.0"
    port: int = 6443
    tls_sans: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.bind in ("0.0.0.0", "::", "") else self.bind
        if ":" in host:
            host = f"[{host}]"
        return f"https://{host}:{self.port}"


class Server:
    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self._stopping = asyncio.Event()

    async def run(self) -> None:
        """Serve until SIGINT/SIGTERM."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self._stopping.set)
        await self.start()
        try:
            await self._stopping.wait()
        finally:
            await self.stop()

    async def start(self) -> None:
        cfg = self.config
        data = cfg.data_dir
        data.mkdir(parents=True, exist_ok=True, mode=0o700)
        (data / "db").mkdir(exist_ok=True, mode=0o700)
        bind_san = [cfg.bind] if cfg.bind not in ("0.0.0.0", "::") else []
        pki = ensure_pki(data / "tls", [*cfg.tls_sans, *bind_san, KUBERNETES_SERVICE_IP])
        self.storage = WatchCache(SqliteStorage(data / "db" / "state.db"))
        await self.storage.start()
        self.compactor = Compactor(self.storage)
        self.compactor.start()
        self.store = ObjectStore(self.storage, {("", "services"): ServiceHooks(ServiceIPAllocator(self.storage))})
        await self._bootstrap()
        discovery = Discovery(BUILTINS, GROUP_ORDER, f"{socket.gethostname()}:{cfg.port}")
        tokens = TokenFile(data / "tokens" / "tokens.csv")
        self.api = ApiServer(self.store, discovery, OpenAPI(BUILTINS), Authenticator(tokens))
        self.controllers = ControllerManager(self.api)
        self.controllers.start()
        self.schemas = SchemaCatalog()
        self.crds = crd.CRDController(Client(InProcessTransport(self.api, crd.IDENTITY)), self._serve_custom)
        self.crds.start()
        await self.crds.wait_for_sync()
        # handler_cancellation: a client that goes away ends its handler (and its watch)
        self._runner = web.AppRunner(self.api.app(), access_log=None, handle_signals=False,
                                     shutdown_timeout=5.0, handler_cancellation=True)
        await self._runner.setup()
        site = web.TCPSite(self._runner, cfg.bind, cfg.port, ssl_context=server_ssl_context(pki),
                           backlog=1024, reuse_address=True)
        await site.start()
        write_atomic(data / "kubeconfig.yaml", admin_kubeconfig(pki, cfg.url).encode())
        self.api.ready = True
        log.info("corral serving on %s (data dir %s)", cfg.url, data)

    async def stop(self) -> None:
        self.api.ready = False
        await self._runner.cleanup()  # stops listening, ends watches, waits for other requests
        await self.controllers.stop()
        await self.crds.stop()
        await self.compactor.stop()
        await self.storage.close()
        log.info("corral stopped")

    def _serve_custom(self, custom: list[ResourceDef]) -> None:
        """Serve the custom resources of the established CRDs beside the built-in ones."""
        schemas = self.schemas.serve(custom)
        resources = [*BUILTINS, *custom]
        self.api.discovery.reset(resources, GROUP_ORDER)
        self.api.openapi.reset(resources, schemas)

    async def _bootstrap(self) -> None:
        """The objects every cluster starts with: system namespaces and the
        ``kubernetes`` Service."""
        by_resource = {rd.resource: rd for rd in BUILTINS if not rd.group}
        for name in SYSTEM_NAMESPACES:
            await self._ensure(by_resource["namespaces"], "", {"metadata": {"name": name}})
        await self._ensure(by_resource["services"], "default", {
            "metadata": {"name": "kubernetes", "labels": {"component": "apiserver", "provider": "kubernetes"}},
            "spec": {"clusterIP": KUBERNETES_SERVICE_IP,
                     "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": self.config.port}]}})

    async def _ensure(self, rd: ResourceDef, namespace: str, obj: dict[str, Any]) -> None:
        if await self.storage.get(rd.key(namespace, obj["metadata"]["name"])) is None:
            await self.store.create(rd, namespace, {"apiVersion": rd.group_version, "kind": rd.kind, **obj},
                                    manager="kube-apiserver")
