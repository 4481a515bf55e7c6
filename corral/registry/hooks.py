"""Extra steps a resource's registry takes around the generic store's writes (kube's
per-resource REST overrides): Services allocate cluster IPs, for example. The base class
does nothing, so a resource overrides only what it needs."""

from __future__ import annotations

from typing import Any


class StoreHooks:
    async def before_create(self, obj: dict[str, Any]) -> None:
        """After defaulting and validation, just before the object is written."""

    async def create_failed(self, obj: dict[str, Any]) -> None:
        """The write after ``before_create`` did not happen: undo what it reserved."""

    def before_update(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        """Before defaulting the new version of an object (main resource only)."""

    async def after_delete(self, obj: dict[str, Any]) -> None:
        """The object is gone from the store."""
