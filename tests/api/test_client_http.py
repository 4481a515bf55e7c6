"""What only the HTTP transport does: credentials from the kubeconfig (client
certificate, bearer token, none), TLS verification, connection failures, and watch
streams whose events arrive split across chunks."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
from pathlib import Path
from typing import Any

import pytest
import yaml

from corral.auth.tokens import TokenFile
from corral.client import NAMESPACES, Client, Request, Resource, TransportError, load_kubeconfig
from corral.client.http import HttpTransport
from corral.machinery.errors import StatusError
from corral.pki.certs import ensure_pki
from tests.support.names import unique
from tests.support.server import CorralServer, free_port

CONFIGMAPS = Resource("", "v1", "configmaps", kind="ConfigMap")


def with_user(server: CorralServer, path: Path, user: dict[str, Any], **cluster: Any) -> Path:
    config = yaml.safe_load(server.kubeconfig.read_text())
    for entry in config["users"]:
        entry["user"] = user
    for entry in config["clusters"]:
        entry["cluster"].update(cluster)
    path.write_text(yaml.safe_dump(config))
    return path


async def test_bearer_token_from_the_kubeconfig(server: CorralServer, tmp_path: Path) -> None:
    token = TokenFile(server.data_dir / "tokens" / "tokens.csv").add(unique("robot"), "uid-1", ["system:masters"])
    async with Client.from_kubeconfig(with_user(server, tmp_path / "token.yaml", {"token": token})) as client:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10  # the server looks at its token file at most once a second
        while True:
            try:
                namespaces = await client.list(NAMESPACES)
                break
            except StatusError as exc:
                assert exc.code == 401
                if loop.time() > deadline:
                    raise
                await asyncio.sleep(0.1)
    assert "default" in {n["metadata"]["name"] for n in namespaces["items"]}


async def test_no_credentials_is_unauthorized(server: CorralServer, tmp_path: Path) -> None:
    async with Client.from_kubeconfig(with_user(server, tmp_path / "anon.yaml", {})) as client:
        with pytest.raises(StatusError) as info:
            await client.get(NAMESPACES, "default")
    assert (info.value.code, info.value.reason, info.value.message) == (401, "Unauthorized", "Unauthorized")


async def test_a_server_with_another_ca_is_not_trusted(server: CorralServer, tmp_path: Path) -> None:
    other = ensure_pki(tmp_path / "other-tls")
    path = with_user(server, tmp_path / "wrong-ca.yaml", {"token": "x"},
                     **{"certificate-authority-data": base64.b64encode(other.ca_pem).decode()})
    async with Client.from_kubeconfig(path) as client:
        with pytest.raises(TransportError, match="certificate"):
            await client.get(NAMESPACES, "default")


async def test_nobody_listening_is_a_transport_error(server: CorralServer) -> None:
    moved = dataclasses.replace(load_kubeconfig(server.kubeconfig), server=f"https://127.0.0.1:{free_port()}")
    async with Client(HttpTransport(moved, connect_timeout=5)) as client:
        with pytest.raises(TransportError):
            await client.get(NAMESPACES, "default")
        with pytest.raises(TransportError):
            await anext(client.watch(NAMESPACES))
    with pytest.raises(TransportError, match="closed"):
        await client.get(NAMESPACES, "default")


@pytest.mark.parametrize(("name", "trusted"), [("kubernetes.default.svc", True), ("elsewhere.example", False)])
async def test_tls_server_name_is_the_name_verified(server: CorralServer, name: str, trusted: bool) -> None:
    config = dataclasses.replace(load_kubeconfig(server.kubeconfig), tls_server_name=name)
    async with Client(HttpTransport(config)) as client:
        if trusted:
            assert (await client.get(NAMESPACES, "default"))["metadata"]["name"] == "default"
        else:
            with pytest.raises(TransportError, match="certificate"):
                await client.get(NAMESPACES, "default")


async def test_requests_time_out(server: CorralServer) -> None:
    async with Client(HttpTransport(load_kubeconfig(server.kubeconfig), timeout=0.3)) as client:
        loop = asyncio.get_running_loop()
        start = loop.time()
        with pytest.raises(TransportError):  # a watch that never ends, asked for as a plain request
            await client.transport.request(Request("GET", "/api/v1/namespaces", (("watch", "true"),)))
        assert loop.time() - start < 5
        assert (await client.get(NAMESPACES, "default"))["metadata"]["name"] == "default"  # still usable


async def test_large_watch_events_arrive_whole(server: CorralServer) -> None:
    async with Client.from_kubeconfig(server.kubeconfig) as client:
        ns = unique("big")
        await client.create(NAMESPACES, {"metadata": {"name": ns}})
        data = {f"k{i}": "x" * 1000 + str(i) for i in range(900)}  # about 900 kB: many chunks
        async with client.watch(CONFIGMAPS, ns) as events:
            created = await client.create(CONFIGMAPS, {"metadata": {"name": "big"}, "data": data}, ns)
            await client.create(CONFIGMAPS, {"metadata": {"name": "small"}}, ns)
            first = await asyncio.wait_for(anext(events), 15)
            second = await asyncio.wait_for(anext(events), 15)
    assert first.object == created and first.object["data"] == data
    assert second.object["metadata"]["name"] == "small"
