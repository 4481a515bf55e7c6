"""The controllers ``corral server`` runs, as kube-controller-manager runs its own: each
one a client of the API over the in-process transport, under its own identity. Adding a
controller means adding one entry to :data:`CONTROLLERS`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from corral.api.app import ApiServer
from corral.api.inprocess import InProcessTransport
from corral.auth.user import UserInfo
from corral.client import Client, Controller
from corral.controllers import namespace


@dataclass(frozen=True, slots=True)
class ControllerSpec:
    name: str
    identity: UserInfo
    build: Callable[[Client], Controller]


CONTROLLERS: tuple[ControllerSpec, ...] = (
    ControllerSpec("namespace", namespace.IDENTITY, namespace.NamespaceController),
)


class ControllerManager:
    def __init__(self, api: ApiServer, specs: tuple[ControllerSpec, ...] = CONTROLLERS) -> None:
        self.controllers = [spec.build(Client(InProcessTransport(api, spec.identity))) for spec in specs]

    def start(self) -> None:
        for controller in self.controllers:
            controller.start()

    async def stop(self) -> None:
        for controller in self.controllers:
            await controller.stop()
