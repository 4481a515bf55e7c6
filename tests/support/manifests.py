"""Manifests the kubectl tests apply: a small web app (Deployment, Service, ConfigMap) in
one multi-document file, written without namespaces so it can go anywhere with ``-n``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.support.kubectl import Result

WEB_APP = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
  labels:
    app: web
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  labels:
    app: web
data:
  greeting: hello
"""

# What ``kubectl apply`` names the three objects, in file order.
WEB_APP_OBJECTS = ("deployment.apps/web", "service/web", "configmap/web-config")


@dataclass(frozen=True)
class AppliedApp:
    """WEB_APP as applied once by the ``web_app`` fixture."""

    namespace: str
    manifest: Path
    first_apply: Result
