"""Validation of object metadata, labels, annotations and label selectors, shared by every
kind (k8s.io/apimachinery/pkg/api/validation/objectmeta.go, .../apis/meta/v1/validation
and the finalizer rules of pkg/apis/core/validation)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from corral.machinery import labels as selectors
from corral.machinery.errors import Cause
from corral.machinery.labels import go_quote
from corral.machinery.names import NameCheck, dns1123_label_name, is_qualified_name, is_valid_label_value
from corral.registry.validation.fielderrors import (
    GoRepr,
    child,
    each_invalid,
    forbidden,
    go_label_selector,
    go_slice,
    index,
    invalid,
    nonnegative,
    required,
    too_long,
)

TOTAL_ANNOTATION_SIZE = 256 * 1024
STANDARD_FINALIZERS = frozenset({"kubernetes", "orphan", "foregroundDeletion"})


def validate_labels(labels: Any, path: str) -> list[Cause]:
    if not isinstance(labels, Mapping):
        return []
    causes: list[Cause] = []
    for k in sorted(labels):
        causes += each_invalid(path, k, is_qualified_name(k))
        causes += each_invalid(path, labels[k], is_valid_label_value(str(labels[k])))
    return causes


def validate_annotations(annotations: Any, path: str) -> list[Cause]:
    if not isinstance(annotations, Mapping):
        return []
    causes: list[Cause] = []
    for k in sorted(annotations):
        # case does not matter in annotation keys
        causes += each_invalid(path, k, is_qualified_name(k.lower()))
    size = sum(len(k.encode()) + len(str(v).encode()) for k, v in annotations.items())
    if size > TOTAL_ANNOTATION_SIZE:
        causes.append(too_long(path, TOTAL_ANNOTATION_SIZE))
    return causes


def validate_template_meta(meta: Any, path: str) -> list[Cause]:
    """The labels and annotations of an embedded template's metadata."""
    if not isinstance(meta, Mapping):
        return []
    return validate_labels(meta.get("labels"), child(path, "labels")) + validate_annotations(
        meta.get("annotations"), child(path, "annotations")
    )


def validate_label_selector(selector: Any, path: str) -> list[Cause]:
    """ValidateLabelSelector: keys, values and operators of a metav1.LabelSelector."""
    if not isinstance(selector, Mapping):
        return []
    causes = validate_labels(selector.get("matchLabels"), child(path, "matchLabels"))
    for i, expr in enumerate(selector.get("matchExpressions") or []):
        expr_path = index(child(path, "matchExpressions"), i)
        operator, values = expr.get("operator", ""), expr.get("values") or []
        if operator in ("In", "NotIn"):
            if not values:
                causes.append(
                    required(child(expr_path, "values"), "must be specified when `operator` is 'In' or 'NotIn'")
                )
        elif operator in ("Exists", "DoesNotExist"):
            if values:
                causes.append(
                    forbidden(
                        child(expr_path, "values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    )
                )
        else:
            causes.append(invalid(child(expr_path, "operator"), operator, "not a valid selector operator"))
        key = str(expr.get("key", ""))
        causes += each_invalid(child(expr_path, "key"), key, is_qualified_name(key))
        for j, value in enumerate(values):
            causes += each_invalid(index(child(expr_path, "values"), j), value, is_valid_label_value(str(value)))
    return causes


def selector_matches(selector: Any, labels: Any) -> bool | None:
    """Whether a metav1.LabelSelector (None selects nothing) matches ``labels``; None
    when the selector cannot be turned into one."""
    try:
        compiled = selectors.selector_from_label_selector(selector if isinstance(selector, Mapping) else None)
    except ValueError:
        return None
    return compiled.matches(labels if isinstance(labels, Mapping) else {})


def selector_is_empty(selector: Mapping[str, Any]) -> bool:
    return not selector.get("matchLabels") and not selector.get("matchExpressions")


def show_selector(selector: Any) -> Any:
    return go_label_selector(selector if isinstance(selector, Mapping) else None)


def validate_finalizer_name(name: str, path: str, kube_path: str) -> list[Cause]:
    """A finalizer is a qualified name; without a domain prefix it must be one of kube's
    own. apimachinery and kube report the two at different paths."""
    causes = each_invalid(path, name, is_qualified_name(name))
    if "/" not in name and name not in STANDARD_FINALIZERS:
        causes.append(invalid(kube_path, name, "name is neither a standard finalizer name nor is it fully qualified"))
    return causes


def _validate_finalizers(finalizers: Any, path: str) -> list[Cause]:
    if not isinstance(finalizers, list):
        return []
    causes: list[Cause] = []
    for i, finalizer in enumerate(finalizers):
        causes += validate_finalizer_name(str(finalizer), path, index(path, i))
    if "orphan" in finalizers and "foregroundDeletion" in finalizers:
        causes.append(invalid(path, go_slice(finalizers), "finalizer orphan and foregroundDeletion cannot be both set"))
    return causes


def _go_pointer(value: Any, kind: str) -> str:
    return f"({kind})(nil)" if value is None else f"&{str(value).lower()}"


def _go_owner_reference(ref: Mapping[str, Any]) -> GoRepr:
    """``%#v`` of a v1.OwnerReference (pointers shown by value: Go would print addresses)."""
    fields = ", ".join(
        f"{go}:{go_quote(str(ref.get(js) or ''))}"
        for go, js in (("APIVersion", "apiVersion"), ("Kind", "kind"), ("Name", "name"), ("UID", "uid"))
    )
    return GoRepr(
        f"v1.OwnerReference{{{fields}, Controller:{_go_pointer(ref.get('controller'), '*bool')}, "
        f"BlockOwnerDeletion:{_go_pointer(ref.get('blockOwnerDeletion'), '*bool')}}}"
    )


def _validate_owner_references(refs: Any, path: str) -> list[Cause]:
    if not isinstance(refs, list):
        return []
    causes: list[Cause] = []
    controller = ""
    for ref in refs:
        if not isinstance(ref, Mapping):
            continue
        api_version = str(ref.get("apiVersion") or "")
        if not api_version.rsplit("/", 1)[-1]:
            causes.append(invalid(child(path, "apiVersion"), api_version, "version must not be empty"))
        for field in ("kind", "name", "uid"):
            if not ref.get(field):
                causes.append(invalid(child(path, field), str(ref.get(field) or ""), f"{field} must not be empty"))
        if api_version == "v1" and ref.get("kind") == "Event":
            causes.append(invalid(path, _go_owner_reference(ref), "/v1, Kind=Event is disallowed from being an owner"))
        if ref.get("controller") is True:
            current = f"{ref.get('kind')}/{ref.get('name')}"
            if controller:
                shown = GoRepr(
                    "[]v1.OwnerReference{"
                    + ", ".join(_go_owner_reference(r).text for r in refs if isinstance(r, Mapping))
                    + "}"
                )
                causes.append(
                    invalid(
                        path,
                        shown,
                        'Only one reference can have Controller set to true. Found "true" in '
                        f"references for {controller} and {current}",
                    )
                )
            else:
                controller = current
    return causes


def _validate_common(meta: Mapping[str, Any]) -> list[Cause]:
    return (
        validate_labels(meta.get("labels"), "metadata.labels")
        + validate_annotations(meta.get("annotations"), "metadata.annotations")
        + _validate_owner_references(meta.get("ownerReferences"), "metadata.ownerReferences")
        + _validate_finalizers(meta.get("finalizers"), "metadata.finalizers")
    )


def validate_object_meta(obj: Mapping[str, Any], namespaced: bool, name_check: NameCheck) -> list[Cause]:
    """ValidateObjectMeta on create: names, namespace, labels, annotations, owners,
    finalizers."""
    meta = obj.get("metadata")
    if not isinstance(meta, Mapping):
        meta = {}
    causes: list[Cause] = []
    generate_name = meta.get("generateName")
    if generate_name:
        causes += each_invalid("metadata.generateName", generate_name, name_check(str(generate_name), True))
    name = meta.get("name")
    if not name:
        causes.append(required("metadata.name", "name or generateName is required"))
    else:
        causes += each_invalid("metadata.name", name, name_check(str(name), False))
    namespace = meta.get("namespace")
    if namespaced:
        if not namespace:
            causes.append(required("metadata.namespace"))
        else:
            causes += each_invalid("metadata.namespace", namespace, dns1123_label_name(str(namespace), False))
    elif namespace:
        causes.append(forbidden("metadata.namespace", "not allowed on this type"))
    causes += nonnegative("metadata.generation", meta.get("generation"))
    return causes + _validate_common(meta)


def validate_object_meta_update(obj: Mapping[str, Any], old: Mapping[str, Any]) -> list[Cause]:
    """ValidateObjectMetaUpdate, leaving the fields the store owns to the store."""
    meta = obj.get("metadata") or {}
    old_meta = old.get("metadata") or {}
    causes: list[Cause] = []
    if old_meta.get("deletionTimestamp"):
        added = sorted(set(meta.get("finalizers") or []) - set(old_meta.get("finalizers") or []))
        if added:
            causes.append(
                forbidden(
                    "metadata.finalizers",
                    "no new finalizers can be added if the object is being deleted, "
                    f"found new finalizers {go_slice(added).text}",
                )
            )
    return causes + _validate_common(meta)


def validate_meta(
    obj: Mapping[str, Any], old: Mapping[str, Any] | None, namespaced: bool, name_check: NameCheck
) -> list[Cause]:
    """The metadata rules of a create (``old`` is None) or of an update."""
    if old is None:
        return validate_object_meta(obj, namespaced, name_check)
    return validate_object_meta_update(obj, old)
