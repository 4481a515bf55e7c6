"""The official ``kubernetes`` Python client, configured from a kubeconfig file, with a
default timeout on every request so a stuck server fails a test instead of hanging it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kubernetes import client, config

REQUEST_TIMEOUT = 60.0


def api_client(kubeconfig: Path) -> client.ApiClient:
    """An API client for the current context of ``kubeconfig``; requests that pass no
    ``_request_timeout`` of their own time out after ``REQUEST_TIMEOUT`` seconds."""
    configuration = client.Configuration()
    config.load_kube_config(config_file=str(kubeconfig), client_configuration=configuration)
    api = client.ApiClient(configuration=configuration)
    # Every client generation sends each request through rest_client.request(..., _request_timeout=).
    send = api.rest_client.request

    def request(*args: Any, **kwargs: Any) -> Any:
        if not kwargs.get("_request_timeout"):
            kwargs["_request_timeout"] = REQUEST_TIMEOUT
        return send(*args, **kwargs)

    api.rest_client.request = request
    return api
