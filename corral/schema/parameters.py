"""The query and path parameters of Kubernetes REST operations, as the OpenAPI documents
list them. Clients look at them: kubectl, for one, sends ``fieldValidation`` only when the
group-version's PATCH operations declare it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    where: str  # "query" or "path"
    type: str  # "string", "integer" or "boolean"
    description: str
    required: bool = False

    def v2(self) -> dict[str, Any]:
        out: dict[str, Any] = {"description": self.description, "in": self.where, "name": self.name,
                               "type": self.type, "uniqueItems": True}
        if self.required:
            out["required"] = True
        return out

    def v3(self) -> dict[str, Any]:
        out: dict[str, Any] = {"description": self.description, "in": self.where, "name": self.name,
                               "schema": {"type": self.type, "uniqueItems": True}}
        if self.required:
            out["required"] = True
        return out


def name_param(kind: str) -> Param:
    return Param("name", "path", "string", f"name of the {kind}", required=True)


PRETTY = Param("pretty", "query", "string",
               "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent "
               "indicates a browser or command-line HTTP tool (curl and wget).")
NAMESPACE = Param("namespace", "path", "string",
                  "object name and auth scope, such as for teams and projects", required=True)

DRY_RUN = Param("dryRun", "query", "string",
                "When present, indicates that modifications should not be persisted. An invalid or "
                "unrecognized dryRun directive will result in an error response and no further processing "
                "of the request. Valid values are: - All: all dry run stages will be processed")
FIELD_MANAGER = Param("fieldManager", "query", "string",
                      "fieldManager is a name associated with the actor or entity that is making these "
                      "changes. The value must be less than or 128 characters long, and only contain "
                      "printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.")
FIELD_MANAGER_PATCH = Param("fieldManager", "query", "string",
                            FIELD_MANAGER.description + " This field is required for apply requests "
                            "(application/apply-patch) but optional for non-apply patch types (JsonPatch, "
                            "MergePatch, StrategicMergePatch).")
FIELD_VALIDATION = Param(
    "fieldValidation", "query", "string",
    "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) "
    "containing unknown or duplicate fields. Valid values are: - Ignore: unknown fields are silently "
    "dropped and all but the last duplicate field are ignored. - Warn: a warning is sent for each unknown "
    "or duplicate field, and the request succeeds if there is no other error (the default). - Strict: the "
    "request fails with a BadRequest error naming every unknown or duplicate field.")
FORCE = Param("force", "query", "boolean",
              "Force is going to \"force\" Apply requests. It means user will re-acquire conflicting fields "
              "owned by other people. Force flag must be unset for non-apply patch requests.")

ALLOW_WATCH_BOOKMARKS = Param(
    "allowWatchBookmarks", "query", "boolean",
    "allowWatchBookmarks requests watch events with type \"BOOKMARK\". Servers that do not implement "
    "bookmarks may ignore this flag and bookmarks are sent at the server's discretion. If this is not a "
    "watch, this field is ignored.")
CONTINUE = Param("continue", "query", "string",
                 "The continue option should be set when retrieving more results from the server. Since "
                 "this value is server defined, clients may only use the continue value from a previous "
                 "query result with identical query parameters (except for the value of continue). An "
                 "expired continue token is answered with 410 ResourceExpired.")
FIELD_SELECTOR = Param("fieldSelector", "query", "string",
                       "A selector to restrict the list of returned objects by their fields. Defaults to "
                       "everything.")
LABEL_SELECTOR = Param("labelSelector", "query", "string",
                       "A selector to restrict the list of returned objects by their labels. Defaults to "
                       "everything.")
LIMIT = Param("limit", "query", "integer",
              "limit is a maximum number of responses to return for a list call. If more items exist, the "
              "server will set the `continue` field on the list metadata to a value that can be used with "
              "the same initial query to retrieve the next set of results.")
RESOURCE_VERSION = Param("resourceVersion", "query", "string",
                         "resourceVersion sets a constraint on what resource versions a request may be "
                         "served from. See https://kubernetes.io/docs/reference/using-api/api-concepts/"
                         "#resource-versions for details.\n\nDefaults to unset")
RESOURCE_VERSION_MATCH = Param("resourceVersionMatch", "query", "string",
                               "resourceVersionMatch determines how resourceVersion is applied to list "
                               "calls. See https://kubernetes.io/docs/reference/using-api/api-concepts/"
                               "#resource-versions for details.\n\nDefaults to unset")
SEND_INITIAL_EVENTS = Param("sendInitialEvents", "query", "boolean",
                            "`sendInitialEvents=true` may be set together with `watch=true`. In that case, "
                            "the watch stream will begin with synthetic events to produce the current state "
                            "of objects in the collection, followed by a bookmark event.")
TIMEOUT_SECONDS = Param("timeoutSeconds", "query", "integer",
                        "Timeout for the list/watch call. This limits the duration of the call, regardless "
                        "of any activity or inactivity.")
WATCH = Param("watch", "query", "boolean",
              "Watch for changes to the described resources and return them as a stream of add, update, "
              "and remove notifications. Specify resourceVersion.")

GRACE_PERIOD_SECONDS = Param("gracePeriodSeconds", "query", "integer",
                             "The duration in seconds before the object should be deleted. Value must be "
                             "non-negative integer. The value zero indicates delete immediately.")
IGNORE_STORE_READ_ERROR = Param("ignoreStoreReadErrorWithClusterBreakingPotential", "query", "boolean",
                                "if set to true, it will trigger an unsafe deletion of the resource in case "
                                "the normal deletion flow fails with a corrupt object error.")
ORPHAN_DEPENDENTS = Param("orphanDependents", "query", "boolean",
                          "Deprecated: please use the PropagationPolicy. Should the dependent objects be "
                          "orphaned.")
PROPAGATION_POLICY = Param("propagationPolicy", "query", "string",
                           "Whether and how garbage collection will be performed: 'Orphan', 'Background' "
                           "or 'Foreground'.")

LIST = (ALLOW_WATCH_BOOKMARKS, CONTINUE, FIELD_SELECTOR, LABEL_SELECTOR, LIMIT, RESOURCE_VERSION,
        RESOURCE_VERSION_MATCH, SEND_INITIAL_EVENTS, TIMEOUT_SECONDS, WATCH)
WRITE = (DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION)
PATCH = (DRY_RUN, FIELD_MANAGER_PATCH, FIELD_VALIDATION, FORCE)
DELETE = (DRY_RUN, GRACE_PERIOD_SECONDS, IGNORE_STORE_READ_ERROR, ORPHAN_DEPENDENTS, PROPAGATION_POLICY)
DELETE_COLLECTION = (CONTINUE, DRY_RUN, FIELD_SELECTOR, GRACE_PERIOD_SECONDS, IGNORE_STORE_READ_ERROR,
                     LABEL_SELECTOR, LIMIT, ORPHAN_DEPENDENTS, PROPAGATION_POLICY, RESOURCE_VERSION,
                     RESOURCE_VERSION_MATCH, SEND_INITIAL_EVENTS, TIMEOUT_SECONDS)
LOG = (
    Param("container", "query", "string",
          "The container for which to stream logs. Defaults to only container if there is one container in "
          "the pod."),
    Param("follow", "query", "boolean", "Follow the log stream of the pod. Defaults to false."),
    Param("insecureSkipTLSVerifyBackend", "query", "boolean",
          "insecureSkipTLSVerifyBackend indicates that the apiserver should not confirm the validity of the "
          "serving certificate of the backend it is connecting to."),
    Param("limitBytes", "query", "integer",
          "If set, the number of bytes to read from the server before terminating the log output."),
    Param("previous", "query", "boolean",
          "Return previous terminated container logs. Defaults to false."),
    Param("sinceSeconds", "query", "integer",
          "A relative time in seconds before the current time from which to show logs."),
    Param("stream", "query", "string",
          "Specify which container log stream to return to the client. Acceptable values are \"All\", "
          "\"Stdout\" and \"Stderr\". If not specified, \"All\" is used."),
    Param("tailLines", "query", "integer",
          "If set, the number of lines from the end of the logs to show."),
    Param("timestamps", "query", "boolean",
          "If true, add an RFC3339 or RFC3339Nano timestamp at the beginning of every line of log output. "
          "Defaults to false."),
)
