"""``metadata.managedFields`` as kube-apiserver keeps them: entries per manager and
operation, the fields nobody owns, times that move only with changes, managedFields a
request sets or clears, the status subresource, the cap on update entries, kubectl's
move from client-side apply, and the Status of conflicts and rejected configurations."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from corral.machinery.errors import StatusError
from corral.patch.managed import LAST_APPLIED, FieldManager, decode, describe, encode, manager_id


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def tick(self) -> None:
        self.now += timedelta(minutes=1)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def deployments(clock: Clock) -> FieldManager:
    return FieldManager("apps", "v1", "Deployment", has_status=True, clock=clock)


def deployment(replicas: int = 2, **labels: str) -> dict[str, Any]:
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default", "uid": "u-1", "generation": 1,
                         "creationTimestamp": "2025-01-01T00:00:00Z", **({"labels": labels} if labels else {})},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}}}}


def entries(obj: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = obj["metadata"]["managedFields"]
    return found


def created(fields: FieldManager, obj: dict[str, Any], manager: str) -> dict[str, Any]:
    obj = copy.deepcopy(obj)
    fields.update(None, obj, None, manager)
    return obj


def updated(fields: FieldManager, live: dict[str, Any], new: dict[str, Any], manager: str) -> dict[str, Any]:
    new = copy.deepcopy(new)
    fields.update(live, new, new["metadata"].get("managedFields"), manager)
    return new


def test_a_create_records_an_update_entry_without_the_fields_every_object_has(deployments: FieldManager) -> None:
    obj = created(deployments, deployment(app="web"), "kubectl-create")
    assert entries(obj) == [{
        "manager": "kubectl-create", "operation": "Update", "apiVersion": "apps/v1", "time": "2025-01-01T00:00:00Z",
        "fieldsType": "FieldsV1",
        "fieldsV1": {"f:metadata": {"f:labels": {".": {}, "f:app": {}}},
                     "f:spec": {".": {}, "f:replicas": {}, "f:selector": {}}},
    }]


def test_an_unnamed_updater_is_unknown(deployments: FieldManager) -> None:
    assert entries(created(deployments, deployment(), ""))[0]["manager"] == "unknown"


def test_times_move_only_when_the_manager_changes_something(deployments: FieldManager, clock: Clock) -> None:
    obj = created(deployments, deployment(), "kubectl-create")
    clock.tick()
    same = updated(deployments, obj, obj, "kubectl-edit")
    assert entries(same) == entries(obj)
    edited = updated(deployments, obj, deployment(replicas=5), "kubectl-edit")
    assert [(e["manager"], e["time"]) for e in entries(edited)] == [
        ("kubectl-create", "2025-01-01T00:00:00Z"), ("kubectl-edit", "2025-01-01T00:01:00Z")]
    assert entries(edited)[1]["fieldsV1"] == {"f:spec": {"f:replicas": {}}}
    assert entries(edited)[0]["fieldsV1"] == {"f:spec": {".": {}, "f:selector": {}}}


def test_appliers_come_first_and_reapplying_is_a_no_op(deployments: FieldManager, clock: Clock) -> None:
    obj = created(deployments, deployment(), "kubectl-create")
    clock.tick()
    config = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "labels": {"a": "b"}}}
    applied = deployments.apply(obj, config, "kubectl")
    assert [(e["manager"], e["operation"], e["time"]) for e in entries(applied)] == [
        ("kubectl", "Apply", "2025-01-01T00:01:00Z"), ("kubectl-create", "Update", "2025-01-01T00:00:00Z")]
    assert "subresource" not in entries(applied)[0]
    clock.tick()
    assert deployments.apply(applied, config, "kubectl") == applied


def test_a_request_may_set_or_clear_managed_fields(deployments: FieldManager) -> None:
    obj = created(deployments, deployment(), "kubectl-create")
    for cleared in ([], [{}]):
        new = copy.deepcopy(obj)
        new["metadata"]["managedFields"] = cleared
        deployments.update(obj, new, cleared, "kubectl-edit")
        assert "managedFields" not in new["metadata"]
    mine = [{"manager": "mine", "operation": "Apply", "apiVersion": "apps/v1", "fieldsType": "FieldsV1",
             "fieldsV1": {"f:spec": {"f:replicas": {}}}}]
    new = copy.deepcopy(obj)
    new["metadata"]["managedFields"] = mine
    deployments.update(obj, new, mine, "kubectl-edit")
    assert entries(new) == mine
    broken = [{"manager": "x", "operation": "Delete"}]
    new["metadata"]["managedFields"] = broken
    deployments.update(obj, new, broken, "kubectl-edit")
    assert entries(new) == entries(obj)  # undecodable: the live ones stay


def test_status_writes_are_recorded_with_their_subresource(clock: Clock) -> None:
    live = created(FieldManager("apps", "v1", "Deployment", has_status=True, clock=clock), deployment(), "c")
    new = copy.deepcopy(live)
    new["status"] = {"replicas": 2}
    status = FieldManager("apps", "v1", "Deployment", subresource="status", has_status=True, clock=clock)
    status.update(live, new, None, "kube-controller-manager")
    assert entries(new)[-1] == {
        "manager": "kube-controller-manager", "operation": "Update", "apiVersion": "apps/v1",
        "time": "2025-01-01T00:00:00Z", "fieldsType": "FieldsV1",
        "fieldsV1": {"f:status": {".": {}, "f:replicas": {}}}, "subresource": "status"}


def test_status_is_nobodys_through_the_resource(deployments: FieldManager) -> None:
    config = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
              "spec": {"replicas": 1}, "status": {"replicas": 7}}
    applied = deployments.apply(None, config, "ci")
    assert entries(applied)[0]["fieldsV1"] == {"f:spec": {"f:replicas": {}}}


def test_update_entries_are_capped_at_ten(deployments: FieldManager, clock: Clock) -> None:
    obj = created(deployments, deployment(replicas=0), "m0")
    for n in range(1, 12):
        clock.tick()
        labels = {**obj["metadata"].get("labels", {}), f"l{n}": "x"}
        obj = updated(deployments, obj, {**obj, "metadata": {**obj["metadata"], "labels": labels}}, f"m{n}")
    names = [e["manager"] for e in entries(obj)]
    assert len(names) == 10
    assert names[0] == "ancient-changes"
    assert names[1:] == [f"m{n}" for n in range(3, 12)]


def test_conflicts_name_each_field_and_manager_as_kube_does(deployments: FieldManager) -> None:
    obj = created(deployments, deployment(app="web"), "kubectl-client-side-apply")
    config = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": {"replicas": 3}}
    with pytest.raises(StatusError) as caught:
        deployments.apply(obj, config, "other")
    error = caught.value
    assert (error.code, error.reason) == (409, "Conflict")
    assert error.message == ('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using '
                             "apps/v1: .spec.replicas")
    assert [c.to_dict() for c in error.causes] == [{
        "reason": "FieldManagerConflict", "message": 'conflict with "kubectl-client-side-apply" using apps/v1',
        "field": ".spec.replicas"}]
    shared = deployments.apply(obj, {**config, "spec": {"replicas": 2}}, "ci")  # the same value: no conflict
    config["metadata"]["labels"] = {"app": "api"}
    with pytest.raises(StatusError) as caught:
        deployments.apply(shared, {**config, "spec": {"replicas": 9}}, "other")
    assert caught.value.message == (
        'Apply failed with 3 conflicts: conflicts with "ci":\n- .spec.replicas\n'
        'conflicts with "kubectl-client-side-apply" using apps/v1:\n- .metadata.labels.app\n- .spec.replicas')
    assert len(caught.value.causes) == 3


def test_forcing_takes_the_fields(deployments: FieldManager) -> None:
    obj = created(deployments, deployment(), "kubectl-create")
    config = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": {"replicas": 3}}
    applied = deployments.apply(obj, config, "other", force=True)
    assert applied["spec"]["replicas"] == 3
    by_manager = {e["manager"]: e["fieldsV1"] for e in entries(applied)}
    assert by_manager == {"other": {"f:spec": {"f:replicas": {}}},
                          "kubectl-create": {"f:spec": {".": {}, "f:selector": {}}}}


def client_side_applied(fields: FieldManager, replicas: int) -> dict[str, Any]:
    last = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"replicas": replicas}}
    obj = deployment(replicas=replicas)
    obj["metadata"]["annotations"] = {LAST_APPLIED: json.dumps(last)}
    return created(fields, obj, "kubectl-client-side-apply")


def test_kubectl_takes_over_what_it_applied_client_side(deployments: FieldManager) -> None:
    obj = client_side_applied(deployments, 2)
    config = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": {"replicas": 3}}
    applied = deployments.apply(obj, config, "kubectl")
    assert applied["spec"]["replicas"] == 3
    assert applied["metadata"]["annotations"][LAST_APPLIED] == (
        '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":3}}\n')
    with pytest.raises(StatusError):  # anyone else still conflicts
        deployments.apply(obj, config, "helm")


def test_kubectl_conflicts_on_fields_its_last_configuration_does_not_hold(deployments: FieldManager) -> None:
    obj = client_side_applied(deployments, 2)
    config = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
              "spec": {"selector": {"matchLabels": {"app": "other"}}}}
    with pytest.raises(StatusError) as caught:
        deployments.apply(obj, config, "kubectl")
    assert caught.value.message.endswith(": .spec.selector")


@pytest.mark.parametrize(("config", "code", "message"), [
    ({"apiVersion": "apps/v2", "kind": "Deployment"}, 400,
     "Incorrect version specified in apply patch. Specified patch version: apps/v2, expected: apps/v1"),
    ({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"managedFields": []}}, 400,
     "metadata.managedFields must be nil"),
    ({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "ns"},
      "spec": {"replicaz": 1}}, 500,
     "failed to create typed patch object (ns/web; apps/v1, Kind=Deployment): .spec.replicaz: field not declared "
     "in schema"),
    ({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
      "spec": {"template": {"spec": {"containers": [{"image": "x"}]}}}}, 500,
     "failed to create typed patch object (/web; apps/v1, Kind=Deployment): .spec.template.spec.containers: "
     'element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have '
     "default value)"),
])
def test_configurations_kube_rejects(deployments: FieldManager, config: dict[str, Any], code: int,
                                     message: str) -> None:
    with pytest.raises(StatusError) as caught:
        deployments.apply(None, config, "ci")
    assert (caught.value.code, caught.value.message) == (code, message)


def test_applied_nulls_leave_the_object_but_stay_owned(deployments: FieldManager) -> None:
    obj = created(deployments, deployment(), "c")
    config = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
              "spec": {"minReadySeconds": None}}
    applied = deployments.apply(obj, config, "ci")
    assert "minReadySeconds" not in applied["spec"]
    assert entries(applied)[0]["fieldsV1"] == {"f:spec": {"f:minReadySeconds": {}}}


def test_custom_resources_track_their_fields_without_schema(clock: Clock) -> None:
    widgets = FieldManager("example.com", "v1", "Widget", clock=clock)
    config = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w", "finalizers": ["x/y"]},
              "spec": {"size": 1, "ports": [80], "unknown": {"fields": "fine"}}}
    applied = widgets.apply(None, config, "ci")
    assert entries(applied)[0]["fieldsV1"] == {
        "f:metadata": {"f:finalizers": {'v:"x/y"': {}}},
        "f:spec": {".": {}, "f:ports": {}, "f:size": {}, "f:unknown": {".": {}, "f:fields": {}}}}


def test_manager_identities_and_their_descriptions() -> None:
    update = manager_id("kubectl-edit", "Update", "apps/v1")
    assert update == '{"manager":"kubectl-edit","operation":"Update","apiVersion":"apps/v1"}'
    assert describe(update) == '"kubectl-edit" using apps/v1'
    applier = manager_id("ci", "Apply", "apps/v1", "status")
    assert applier == '{"manager":"ci","operation":"Apply","subresource":"status"}'
    assert describe(applier) == '"ci" with subresource "status"'


def test_entries_round_trip(deployments: FieldManager) -> None:
    obj = created(deployments, deployment(app="web"), "kubectl-create")
    assert encode(*decode(entries(obj))) == entries(obj)
