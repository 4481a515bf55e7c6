"""Kubernetes 1.33 schemas: the type definitions (:mod:`.definitions`), the OpenAPI v2 and
v3 documents built from them for the served resources (:mod:`.openapi`), and unknown-field
detection for ``fieldValidation`` (:mod:`.fields`)."""
