"""Fixtures for tests that need a running server: ``server`` (one per session, shared by
read-mostly tests that use unique names), ``fresh_server`` (one per test), and runners
for the real kubectl and helm bound to the session server. A failing test's report
carries the tail of each server log it used."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.kubectl import Helm, Kubectl
from tests.support.server import CorralServer


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CorralServer]:
    """One server for the whole session. Tests must use unique namespaces and names."""
    srv = CorralServer(tmp_path_factory.mktemp("corral-session")).start()
    yield srv
    srv.stop()


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[CorralServer]:
    """A server of its own for one test, on a new data directory (stop, kill9, start freely)."""
    srv = CorralServer(tmp_path / "corral").start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def kubectl(server: CorralServer, tmp_path_factory: pytest.TempPathFactory) -> Kubectl:
    """The real kubectl, with KUBECONFIG set to the session server's admin kubeconfig."""
    return Kubectl(server.kubeconfig, tmp_path_factory.mktemp("kube-cache"))


@pytest.fixture(scope="session")
def helm(server: CorralServer, tmp_path_factory: pytest.TempPathFactory) -> Helm:
    """The real helm, with KUBECONFIG set to the session server's admin kubeconfig."""
    return Helm(server.kubeconfig, tmp_path_factory.mktemp("helm-home"))


@pytest.fixture
def kubectl_for(tmp_path: Path) -> Callable[[CorralServer], Kubectl]:
    """Make a kubectl runner for another server (e.g. ``fresh_server``)."""
    return lambda srv: Kubectl(srv.kubeconfig, tmp_path / f"kube-cache-{srv.port}")


def _servers_of(item: pytest.Item) -> list[CorralServer]:
    values: dict[str, Any] = getattr(item, "funcargs", {})
    return [v for v in values.values() if isinstance(v, CorralServer)]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.failed:
        for srv in _servers_of(item):
            report.sections.append((f"corral server log ({srv.url})", srv.log_tail()))
    return report
