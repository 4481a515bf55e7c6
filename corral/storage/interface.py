"""The storage contract every datastore backend and the watch cache implement.

Corral keeps API objects in a revisioned key-value log, the way kine keeps them for
k3s: one global revision (an integer that only grows) for the whole store; every write
is a new revision; a delete leaves a tombstone; reads can be asked "as of" a past
revision until compaction throws that history away. The API layer turns revisions into
``resourceVersion`` strings.

Values are opaque bytes here (the API layer stores compact JSON). Keys are strings like
``/registry/<group>/<resource>/<namespace>/<name>``; a prefix list or watch uses a
prefix that ends in ``/``.

The SQLite backend is the first implementation; PostgreSQL and etcd come later and must
pass the same contract suite (``tests/unit/storage``), which is written against this
module only.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Literal, Protocol


@dataclass(frozen=True, slots=True)
class KeyValue:
    """One version of one key."""

    key: str
    value: bytes
    create_revision: int
    mod_revision: int


EventType = Literal["ADDED", "MODIFIED", "DELETED"]


@dataclass(frozen=True, slots=True)
class Event:
    """A change to one key. For DELETED, ``kv`` is the last live value and
    ``revision`` is the revision of the delete; otherwise ``revision == kv.mod_revision``.
    ``prev`` is the value before the change (None for ADDED)."""

    type: EventType
    kv: KeyValue
    prev: KeyValue | None
    revision: int


@dataclass(frozen=True, slots=True)
class ListResult:
    items: list[KeyValue]
    revision: int  # the revision the list was read at
    more: bool  # True when ``limit`` cut the list short
    remaining: int | None = None  # items left after the last returned one, when known


class StorageError(Exception):
    """Base class for storage failures the API maps to Status codes."""


class KeyExistsError(StorageError):
    """create() on a key that has a live value (409 AlreadyExists)."""


class KeyNotFoundError(StorageError):
    """update()/delete()/get() on a key with no live value (404 NotFound)."""


class ConflictError(StorageError):
    """update()/delete() whose expected revision is not the key's current one (409 Conflict)."""


class CompactedError(StorageError):
    """A read or watch asked for a revision older than the compacted window (410 Gone)."""

    def __init__(self, requested: int, compacted: int) -> None:
        super().__init__(f"required revision {requested} has been compacted "
                         f"(oldest available {compacted + 1})")
        self.requested = requested
        self.compacted = compacted


class FutureRevisionError(StorageError):
    """A read asked for a revision newer than the store has (504/timeout in kube; 'Too large')."""


class Storage(Protocol):
    """The revisioned key-value store.

    All methods are coroutines except ``watch``, which returns an async iterator at once
    and raises ``CompactedError`` on first iteration when ``from_revision`` is too old.
    """

    async def start(self) -> None:
        """Open the store (create tables, load state). Must be called once before use."""

    async def close(self) -> None:
        """Flush and release everything; pending watches end. Safe to call twice."""

    @property
    def revision(self) -> int:
        """The newest revision written (0 for an empty store)."""

    @property
    def compacted_revision(self) -> int:
        """History before this revision is gone (0 when nothing was compacted): reads
        at a lower revision and watches from a lower one raise CompactedError, while the
        state at this revision and every change after it remain (etcd's rule)."""

    async def create(self, key: str, value: bytes) -> int:
        """Write a new key; return its revision. KeyExistsError if it is live."""

    async def update(self, key: str, value: bytes, expected_revision: int) -> int:
        """Replace a live key whose mod_revision is ``expected_revision``; return the new
        revision. KeyNotFoundError if absent, ConflictError if it moved."""

    async def delete(self, key: str, expected_revision: int | None = None) -> tuple[int, KeyValue]:
        """Delete a live key (optionally only at ``expected_revision``); return the
        delete's revision and the value deleted."""

    async def get(self, key: str, revision: int = 0) -> KeyValue | None:
        """The live value of ``key`` at ``revision`` (0 = newest), or None.
        CompactedError if ``revision`` is compacted, FutureRevisionError if it is ahead."""

    async def list(
        self, prefix: str, revision: int = 0, start_after: str = "", limit: int = 0
    ) -> ListResult:
        """Live keys under ``prefix`` in key order, at ``revision`` (0 = newest), strictly
        after ``start_after``, at most ``limit`` (0 = all)."""

    async def count(self, prefix: str) -> int:
        """How many live keys are under ``prefix`` now."""

    def watch(self, prefix: str, from_revision: int) -> AsyncIterator[Event]:
        """Events for keys under ``prefix`` with revision > ``from_revision``, in revision
        order, then live events as they happen. Ends when the store closes."""

    async def compact(self, revision: int) -> None:
        """Forget the history before ``revision``: superseded values and tombstones at
        or below it go; the state at ``revision`` and the live values stay.
        FutureRevisionError if ``revision`` is ahead; an older one is a no-op."""
