"""Corral: a lightweight Kubernetes-compatible cluster and fleet manager in one process."""

__version__ = "0.1.0"
