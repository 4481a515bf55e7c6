"""decode() against the real kubectl: every body kubectl 1.33 POSTs as protobuf must decode
to the JSON kubectl itself prints for the same command with ``--dry-run=client -o json``.

A wrong field number, type, JSON name or omission rule in the protobuf table makes the two
differ, as does a key out of Go's order. The only normalisation is dropping the ``null``
values Go's JSON prints (unset times, nil slices), which decode() leaves out.
"""

from __future__ import annotations

import datetime
from typing import Any

import orjson
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from corral.api.codec.protobuf import decode
from tests.unit.codec.conftest import Capture
from tests.unit.codec.k8s_openapi import Sampler, definitions

pytestmark = pytest.mark.kubectl


OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
JOB_SPEC = "io.k8s.api.batch.v1.JobSpec"


def without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def dry_run(capture: Capture, args: list[str]) -> Any:
    """kubectl's own JSON for the object ``args`` would create."""
    extra = ["--dry-run=client", "-o", "json", "--show-managed-fields"]
    cut = args.index("--") if "--" in args else len(args)
    out = capture.kubectl.run(*args[:cut], *extra, *args[cut:]).stdout
    return without_nulls(orjson.loads(out))


def assert_same_as_kubectl(capture: Capture, args: list[str]) -> dict[str, Any]:
    decoded, expected = decode(capture.body(*args)), dry_run(capture, args)
    assert decoded == expected
    assert orjson.dumps(decoded) == orjson.dumps(expected), "keys are not in Go's order"
    return decoded


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Input files for ``--from-file``, ``--from-env-file`` and ``secret tls``."""
    root = tmp_path_factory.mktemp("inputs")
    text, binary, env = root / "notes.txt", root / "blob.bin", root / "app.env"
    text.write_text("line one\nline two\n")
    binary.write_bytes(bytes(range(256)))
    env.write_text("MODE=prod\nEMPTY=\n")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "example.test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    crt, pem = root / "tls.crt", root / "tls.key"
    crt.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
    return {"text": str(text), "binary": str(binary), "env": str(env), "crt": str(crt), "key": str(pem)}


CREATE_CASES: dict[str, list[str]] = {
    "configmap": ["create", "configmap", "cm", "--from-literal", "a=b", "--from-literal", "empty=",
                  "--from-file", "{text}", "--from-file", "blob={binary}"],
    "configmap-env": ["create", "configmap", "cm-env", "--from-env-file", "{env}"],
    "secret-generic": ["create", "secret", "generic", "sec", "--from-literal", "user=admin",
                       "--from-literal", "pw=", "--from-file", "{binary}", "--type", "Opaque"],
    "secret-tls": ["create", "secret", "tls", "tls", "--cert", "{crt}", "--key", "{key}"],
    "secret-docker": ["create", "secret", "docker-registry", "reg", "--docker-server", "r.example",
                      "--docker-username", "u", "--docker-password", "p", "--docker-email", "e@x.test"],
    "namespace": ["create", "namespace", "team-a"],
    "serviceaccount": ["create", "serviceaccount", "robot"],
    "deployment": ["create", "deployment", "web", "--image", "nginx:1.27", "--replicas", "0", "--port", "80"],
    "deployment-images": ["create", "deployment", "multi", "--image", "a", "--image", "b", "--replicas", "3"],
    "deployment-command": ["create", "deployment", "cmd", "--image", "busybox", "--", "sh", "-c", "echo hi"],
    "job": ["create", "job", "once", "--image", "busybox", "--", "date", "-u"],
    "cronjob": ["create", "cronjob", "tick", "--image", "busybox", "--schedule", "*/5 * * * *",
                "--restart", "OnFailure", "--", "date"],
    "service-clusterip": ["create", "service", "clusterip", "svc", "--tcp", "80:8080", "--tcp", "443:https"],
    "service-headless": ["create", "service", "clusterip", "headless", "--clusterip", "None"],
    "service-nodeport": ["create", "service", "nodeport", "np", "--tcp", "80:8080", "--node-port", "30080"],
    "service-loadbalancer": ["create", "service", "loadbalancer", "lb", "--tcp", "5678:8080"],
    "service-externalname": ["create", "service", "externalname", "ext", "--external-name", "example.com",
                             "--tcp", "80"],
    "role": ["create", "role", "reader", "--verb", "get,list", "--resource", "pods,deployments.apps",
             "--resource-name", "a", "--resource-name", "b"],
    "rolebinding": ["create", "rolebinding", "rb", "--role", "reader", "--user", "u1", "--group", "g1",
                    "--serviceaccount", "default:robot"],
    "rolebinding-clusterrole": ["create", "rolebinding", "rb2", "--clusterrole", "view", "--user", "u2"],
    "clusterrole": ["create", "clusterrole", "cr", "--verb", "get", "--non-resource-url", "/logs/*",
                    "--resource", "nodes"],
    "clusterrole-aggregated": ["create", "clusterrole", "agg", "--aggregation-rule",
                               "rbac.example.com/aggregate-to-monitoring=true"],
    "clusterrolebinding": ["create", "clusterrolebinding", "crb", "--clusterrole", "cr", "--user", "u",
                           "--group", "g", "--serviceaccount", "kube-system:robot"],
    "quota": ["create", "quota", "q", "--hard", "cpu=1,memory=1Gi,pods=2,requests.storage=10Gi",
              "--scopes", "BestEffort,NotTerminating"],
    "priorityclass": ["create", "priorityclass", "high", "--value", "1000", "--global-default",
                      "--description", "important", "--preemption-policy", "Never"],
    "priorityclass-zero": ["create", "priorityclass", "zero", "--value", "0"],
    "pdb-percent": ["create", "poddisruptionbudget", "pdb1", "--selector", "app=web",
                    "--min-available", "50%"],
    "pdb-count": ["create", "pdb", "pdb2", "--selector", "app=web,tier in (a,b)", "--max-unavailable", "1"],
    "ingress": ["create", "ingress", "ing", "--class", "nginx", "--rule", "foo.com/bar*=svc:8080,tls=cert",
                "--rule", "bar.com/=svc2:http", "--default-backend", "def:80", "--annotation", "a=b"],
    "save-config": ["create", "configmap", "saved", "--from-literal", "x=y", "--save-config"],
}


@pytest.mark.parametrize("case", sorted(CREATE_CASES))
def test_create_bodies_decode_like_kubectl_json(capture: Capture, files: dict[str, str], case: str) -> None:
    args = [arg.format(**files) for arg in CREATE_CASES[case]]
    assert_same_as_kubectl(capture, args)


@pytest.mark.parametrize("zero", [False, True], ids=["distinct", "zero"])
def test_job_from_cronjob_carries_every_pod_field(capture: Capture, zero: bool) -> None:
    """``create job --from cronjob/x`` copies the whole job template that the server gave
    it, so a template with every field set (distinct values, or all zero to exercise
    pointers and omitempty) checks every field of JobSpec, PodSpec, Container, the volume
    sources, probes, affinity, ObjectMeta and the rest."""
    sampler = Sampler(zero)
    cron = "cron-zero" if zero else "cron-full"
    template = {"metadata": sampler.definition(OBJECT_META), "spec": sampler.definition(JOB_SPEC)}
    capture.server.objects[f"/apis/batch/v1/namespaces/default/cronjobs/{cron}"] = {
        "apiVersion": "batch/v1", "kind": "CronJob",
        "metadata": {"name": cron, "namespace": "default", "uid": "c0ffee"},
        "spec": {"schedule": "* * * * *", "jobTemplate": template}}
    decoded = assert_same_as_kubectl(capture, ["create", "job", f"from-{cron}", "--from", f"cronjob/{cron}"])
    if not zero:  # kubectl really carried every field over
        defs = definitions()
        pod = decoded["spec"]["template"]["spec"]
        assert set(decoded["spec"]) == set(defs[JOB_SPEC]["properties"])
        assert set(pod) == set(defs["io.k8s.api.core.v1.PodSpec"]["properties"])
        assert set(pod["containers"][0]) == set(defs["io.k8s.api.core.v1.Container"]["properties"])
        assert set(decoded["spec"]["template"]["metadata"]) == set(defs[OBJECT_META]["properties"])


DEPLOYMENT = {"apiVersion": "apps/v1", "kind": "Deployment",
              "metadata": {"name": "scaled", "namespace": "default", "labels": {"app": "scaled"}},
              "spec": {"selector": {"matchLabels": {"app": "scaled"}}, "template": {
                  "metadata": {"labels": {"app": "scaled"}},
                  "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}


@pytest.mark.parametrize("flags", [["--max", "5"], ["--min", "2", "--max", "5", "--cpu-percent", "80"]],
                         ids=["max", "cpu"])
def test_autoscale_body_decodes_like_kubectl_json(capture: Capture, flags: list[str]) -> None:
    capture.server.objects["/apis/apps/v1/namespaces/default/deployments/scaled"] = DEPLOYMENT
    decoded = assert_same_as_kubectl(capture, ["autoscale", "deployment", "scaled", *flags])
    assert decoded["apiVersion"] == "autoscaling/v2"
    assert decoded["spec"]["maxReplicas"] == 5


def test_create_token_body(capture: Capture) -> None:
    # no --dry-run for tokens; kubectl exits 1 as the echo carries no token
    body = capture.body("create", "token", "robot", "--audience", "a", "--audience", "b", "--duration", "1h",
                        "--bound-object-kind", "Pod", "--bound-object-name", "p", "--bound-object-uid", "u",
                        check=False)
    assert decode(body) == {
        "apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "metadata": {},
        "spec": {"audiences": ["a", "b"], "expirationSeconds": 3600,
                 "boundObjectRef": {"kind": "Pod", "apiVersion": "v1", "name": "p", "uid": "u"}},
        "status": {"token": ""}}


def test_auth_can_i_bodies(capture: Capture) -> None:
    review = {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview", "metadata": {},
              "status": {"allowed": False}}
    resource = capture.body("auth", "can-i", "update", "deployments.apps/web", "--subresource", "scale",
                            "-n", "kube-system", check=False)
    assert decode(resource) == {**review, "spec": {"resourceAttributes": {
        "namespace": "kube-system", "verb": "update", "group": "apps", "resource": "deployments",
        "subresource": "scale", "name": "web"}}}
    url = capture.body("auth", "can-i", "get", "/logs", check=False)
    assert decode(url) == {**review, "spec": {"nonResourceAttributes": {"path": "/logs", "verb": "get"}}}
    listed = capture.body("auth", "can-i", "--list", "-n", "team", check=False)
    assert decode(listed) == {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectRulesReview",
                              "metadata": {}, "spec": {"namespace": "team"}, "status": {"incomplete": False}}


def test_auth_whoami_body(capture: Capture) -> None:
    body = capture.body("auth", "whoami")
    assert decode(body) == {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview",
                            "metadata": {}, "status": {"userInfo": {}}}
