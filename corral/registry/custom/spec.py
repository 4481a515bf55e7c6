"""What a :class:`~corral.registry.resources.ResourceDef` of a custom resource carries
beyond names and scope: the facts of its CRD version that storage, validation, defaulting,
Table output, field selectors and the scale subresource need.

Compiled forms (the structural schemas, the printer) are built once, when the CRD is
served, and take no part in comparisons: two versions are the same when their CRD facts
are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from corral.registry.custom.printer import Column
from corral.registry.custom.selectable import FieldValues
from corral.registry.custom.structural import Schema
from corral.registry.printers.cells import Printer


@dataclass(frozen=True, slots=True)
class ScalePaths:
    """The scale subresource of a CRD version: where replicas and the selector live."""

    spec_replicas: str  # ".spec.replicas"
    status_replicas: str  # ".status.replicas"
    label_selector: str = ""  # ".status.selector", a string field; "" when not declared


@dataclass(frozen=True, slots=True)
class CustomVersion:
    crd: str  # the CRD's name, "crontabs.stable.example.com"
    storage_version: str
    schema: Mapping[str, Any] | None  # this version's openAPIV3Schema
    storage_schema: Mapping[str, Any] | None  # the storage version's
    columns: tuple[Column, ...]  # additionalPrinterColumns, Age when none are declared
    scale: ScalePaths | None
    selectable: tuple[str, ...]  # field names of the selectableFields ("spec.color")
    terminating: bool  # the CRD is being deleted: no new objects
    structural: Schema | None = field(compare=False)
    storage_structural: Schema | None = field(compare=False)
    printer: Printer = field(compare=False)
    field_values: FieldValues = field(compare=False)  # the values of the selectable fields
