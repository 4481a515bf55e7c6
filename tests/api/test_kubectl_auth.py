"""Authentication as clients see it: health endpoints answer anonymously, everything else
answers 401 with a Status object, and kubectl with a wrong token says to log in. (kubectl
with no credentials at all would prompt for a username instead.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from tests.support.kubectl import Kubectl
from tests.support.server import CorralServer

pytestmark = pytest.mark.kubectl

UNAUTHORIZED = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                "message": "Unauthorized", "reason": "Unauthorized", "code": 401}
# kubectl words the reason differently depending on which request (discovery or not) failed.
LOG_IN = re.compile(r"^error: You must be logged in to the server \(.+\)$", re.M)


def kubeconfig_with_user(server: CorralServer, path: Path, user: dict[str, str]) -> Path:
    """The admin kubeconfig with its user's credentials replaced by ``user``."""
    config = yaml.safe_load(server.kubeconfig.read_text())
    for entry in config["users"]:
        entry["user"] = user
    path.write_text(yaml.safe_dump(config))
    return path


@pytest.mark.parametrize("path", ["/readyz", "/livez", "/healthz"])
def test_health_endpoints_answer_anonymously(server: CorralServer, path: str) -> None:
    status, body = server.https_get(path)
    assert (status, body) == (200, b"ok")


@pytest.mark.parametrize("path", ["/api", "/apis", "/api/v1/namespaces", "/openapi/v2"])
def test_other_paths_need_credentials(server: CorralServer, path: str) -> None:
    status, body = server.https_get(path, headers={"Accept": "application/json"})
    assert status == 401
    assert json.loads(body) == UNAUTHORIZED


def test_bad_bearer_token_is_unauthorized(server: CorralServer) -> None:
    status, body = server.https_get("/api/v1/namespaces", headers={"Authorization": "Bearer not-a-token"})
    assert (status, json.loads(body)) == (401, UNAUTHORIZED)


def test_kubectl_with_wrong_token_must_log_in(server: CorralServer, tmp_path: Path) -> None:
    config = kubeconfig_with_user(server, tmp_path / "bad.yaml", {"token": "wrong"})
    result = Kubectl(config, tmp_path / "cache").fail("get", "namespaces")
    assert LOG_IN.search(result.stderr), result.describe()
