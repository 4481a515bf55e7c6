"""Field errors as kube-apiserver words them (k8s.io/apimachinery/pkg/util/validation/field).

Every validation failure becomes a :class:`~corral.machinery.errors.Cause` whose
``message`` is what ``field.Error.ErrorBody()`` prints: the error type, the offending
value shown the way Go's ``fmt`` shows it, and the detail. Paths are plain strings built
with :func:`child`, :func:`index` and :func:`key` (``spec.containers[0].ports``,
``data[tls.crt]``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from corral.machinery.errors import Cause
from corral.machinery.labels import go_quote

REQUIRED = "FieldValueRequired"
INVALID = "FieldValueInvalid"
NOT_SUPPORTED = "FieldValueNotSupported"
FORBIDDEN = "FieldValueForbidden"
DUPLICATE = "FieldValueDuplicate"
NOT_FOUND = "FieldValueNotFound"
TOO_LONG = "FieldValueTooLong"
TOO_MANY = "FieldValueTooMany"

IMMUTABLE = "field is immutable"


@dataclass(frozen=True, slots=True)
class GoRepr:
    """A value already rendered the way Go's ``%#v`` would print it."""

    text: str


OMIT = GoRepr("")  # field.OmitValueType: the error shows no value at all


def child(path: str, *names: str) -> str:
    for name in names:
        path = f"{path}.{name}" if path else name
    return path


def index(path: str, i: int) -> str:
    return f"{path}[{i}]"


def key(path: str, k: str) -> str:
    return f"{path}[{k}]"


def show(value: Any) -> str:
    """A bad value as ``field.Error`` prints it: scalars plainly, strings quoted."""
    if isinstance(value, GoRepr):
        return value.text
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return go_quote(value)
    if isinstance(value, Mapping):
        return go_string_map(value).text
    if isinstance(value, list):
        return go_slice(value).text
    return go_quote(str(value))


def go_string_map(value: Mapping[str, Any] | None) -> GoRepr:
    """``%#v`` of a Go ``map[string]string`` (fmt prints the keys sorted)."""
    if value is None:
        return GoRepr("map[string]string(nil)")
    items = ", ".join(f"{go_quote(k)}:{go_quote(str(value[k]))}" for k in sorted(value))
    return GoRepr("map[string]string{" + items + "}")


def go_slice(values: Iterable[Any] | None, elem: str = "string") -> GoRepr:
    """``%#v`` of a Go slice of a string-kinded type ``elem``."""
    if values is None:
        return GoRepr(f"[]{elem}(nil)")
    return GoRepr(f"[]{elem}{{" + ", ".join(go_quote(str(v)) for v in values) + "}")


def go_label_selector(selector: Mapping[str, Any] | None) -> GoRepr:
    """``%#v`` of a ``metav1.LabelSelector`` (nil pointers print as ``<nil>``)."""
    if selector is None:
        return GoRepr("<nil>")
    exprs = selector.get("matchExpressions")
    if exprs is None:
        shown_exprs = "[]v1.LabelSelectorRequirement(nil)"
    else:
        shown_exprs = (
            "[]v1.LabelSelectorRequirement{"
            + ", ".join(
                f"v1.LabelSelectorRequirement{{Key:{go_quote(str(e.get('key', '')))}, "
                f"Operator:{go_quote(str(e.get('operator', '')))}, "
                f"Values:{go_slice(e.get('values')).text}}}"
                for e in exprs
            )
            + "}"
        )
    labels = go_string_map(selector.get("matchLabels")).text
    return GoRepr(f"v1.LabelSelector{{MatchLabels:{labels}, MatchExpressions:{shown_exprs}}}")


def _body(kind: str, detail: str, value: Any = OMIT) -> str:
    shown = "" if value is OMIT else f": {show(value)}"
    return f"{kind}{shown}: {detail}" if detail else f"{kind}{shown}"


def required(path: str, detail: str = "") -> Cause:
    return Cause(REQUIRED, _body("Required value", detail), path)


def invalid(path: str, value: Any, detail: str) -> Cause:
    return Cause(INVALID, _body("Invalid value", detail, value), path)


def not_supported(path: str, value: Any, supported: Iterable[str]) -> Cause:
    listed = ", ".join(go_quote(s) for s in supported)
    return Cause(
        NOT_SUPPORTED,
        _body("Unsupported value", f"supported values: {listed}" if listed else "", value),
        path,
    )


def forbidden(path: str, detail: str) -> Cause:
    return Cause(FORBIDDEN, _body("Forbidden", detail), path)


def duplicate(path: str, value: Any, detail: str = "") -> Cause:
    return Cause(DUPLICATE, _body("Duplicate value", detail, value), path)


def not_found(path: str, value: Any) -> Cause:
    return Cause(NOT_FOUND, _body("Not found", "", value), path)


def too_long(path: str, max_bytes: int) -> Cause:
    return Cause(TOO_LONG, _body("Too long", f"may not be more than {max_bytes} bytes"), path)


def too_many(path: str, actual: int, maximum: int) -> Cause:
    return Cause(TOO_MANY, _body("Too many", f"must have at most {maximum} items", actual), path)


def each_invalid(path: str, value: Any, messages: Iterable[str]) -> list[Cause]:
    """One Invalid cause per message of a syntax check (``for _, msg := range ...``)."""
    return [invalid(path, value, m) for m in messages]


def nonnegative(path: str, value: Any) -> list[Cause]:
    """ValidateNonnegativeField for an optional integer field."""
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        return [invalid(path, value, "must be greater than or equal to 0")]
    return []


def immutable(path: str, new: Any, old: Any, shown: Any = None) -> list[Cause]:
    """ValidateImmutableField: ``shown`` is how the new value prints (defaults to ``new``)."""
    if new == old:
        return []
    return [invalid(path, new if shown is None else shown, IMMUTABLE)]
