"""The Kubernetes API client of every Corral component: one async :class:`Client` over
two transports (HTTP to any cluster, in-process inside ``corral server``), informers
with their indexed caches, the rate-limited work queue, and the controller loop built
from them. It imports nothing of the server, so agents can use it on their own."""

from corral.client.backoff import Backoff
from corral.client.cache import NAMESPACE_INDEX, Indexer, by_field, by_label, by_namespace, object_key, split_key
from corral.client.client import Client, DeleteOptions, PatchType, Watch, WatchEvent
from corral.client.controller import Controller
from corral.client.discovery import APIResource, NoKindMatchError
from corral.client.errors import TransportError
from corral.client.factory import InformerFactory
from corral.client.http import HttpTransport
from corral.client.informer import EventHandler, Informer
from corral.client.kubeconfig import KubeConfig, KubeconfigError, load_kubeconfig
from corral.client.ratelimit import ItemBackoff, MaxOf, RateLimiter, TokenBucket
from corral.client.resource import NAMESPACES, Resource
from corral.client.transport import Request, Transport
from corral.client.workqueue import ShutDown, WorkQueue

__all__ = [
    "NAMESPACES",
    "NAMESPACE_INDEX",
    "APIResource",
    "Backoff",
    "Client",
    "Controller",
    "DeleteOptions",
    "EventHandler",
    "HttpTransport",
    "Indexer",
    "Informer",
    "InformerFactory",
    "ItemBackoff",
    "KubeConfig",
    "KubeconfigError",
    "MaxOf",
    "NoKindMatchError",
    "PatchType",
    "RateLimiter",
    "Request",
    "Resource",
    "ShutDown",
    "TokenBucket",
    "Transport",
    "TransportError",
    "Watch",
    "WatchEvent",
    "WorkQueue",
    "by_field",
    "by_label",
    "by_namespace",
    "load_kubeconfig",
    "object_key",
    "split_key",
]
