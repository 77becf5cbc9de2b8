"""Component schemas of the OpenAPI document (openapi.py): what the handlers answer (the
request bodies are generated in openapi.py from the handlers' validators)."""

from __future__ import annotations

from .parse import SLUG

__all__ = ["SCHEMAS", "SLUG", "ref"]


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(properties: dict, required: tuple[str, ...] = (), extra: bool = True) -> dict:
    out = {"type": "object", "properties": properties, "additionalProperties": extra}
    if required:
        out["required"] = list(required)
    return out


_STR = {"type": "string"}
_INT = {"type": "integer"}
_ANY_OBJ = {"type": "object", "additionalProperties": True}
_NULL_STR = {"type": ["string", "null"]}

SCHEMAS: dict[str, dict] = {
    "Error": _obj({"error": _obj({
        "code": {"type": "string", "description": "stable machine-readable code, e.g. "
                 "invalid_input, not_found, conflict, schema_changed, too_large, http_403"},
        "message": {"type": "string", "description": "what went wrong and what to change"},
        "details": {"type": "object", "description": "e.g. {\"field\": \"name\"}",
                    "additionalProperties": True},
    }, ("code", "message", "details"), extra=False)}, ("error",), extra=False),
    "Project": _obj({
        "name": {"type": "string", "pattern": SLUG}, "description": _STR,
        "created": _NULL_STR, "owner": _NULL_STR,
        "tags": {"type": "array", "items": _STR}, "path": _STR,
    }, ("name", "description", "tags", "path")),
    "ProjectList": _obj({"projects": {"type": "array", "items": ref("Project")}}, ("projects",)),
    "ProjectDetail": {"allOf": [ref("Project"), _obj({"datasets": _INT, "models": _INT},
                                                     ("datasets", "models"))]},
    "Trashed": _obj({"trashed_to": _STR}, ("trashed_to",)),
    "Column": _obj({"name": _STR, "dtype": _STR}, ("name", "dtype")),
    "DatasetVersion": _obj({
        "name": _STR, "version": _INT, "description": _STR,
        "store": {"type": "string", "enum": ["file", "sql"]}, "rows": _INT,
        "columns": {"type": "array", "items": ref("Column")},
        "source": _ANY_OBJ, "recipe": {}, "parents": {"type": "array", "items": _ANY_OBJ},
        "author": _STR, "created": _STR, "sha256": _STR, "table": _STR,
    }, ("name", "version", "rows", "columns")),
    "DatasetSummary": _obj({"name": _STR, "versions": _INT, "latest": ref("DatasetVersion")},
                           ("name", "versions", "latest")),
    "DatasetList": _obj({"datasets": {"type": "array", "items": ref("DatasetSummary")}},
                        ("datasets",)),
    "Dataset": _obj({"name": _STR, "versions": {"type": "array",
                                                "items": ref("DatasetVersion")}},
                    ("name", "versions")),
    "DatasetVersionDetail": {"allOf": [ref("DatasetVersion"), _obj({
        "statistics": _ANY_OBJ,
        "lineage": _obj({"source": {}, "recipe": {},
                         "parents": {"type": "array", "items": _ANY_OBJ}},
                        ("source", "recipe", "parents")),
    }, ("statistics", "lineage"))]},
    "Preview": _obj({
        "columns": {"type": "array", "items": _STR}, "dtypes": {"type": "array", "items": _STR},
        "rows": {"type": "array", "items": {"type": "array"}},
        "offset": _INT, "limit": _INT,
        "total": {"type": "integer", "description": "rows in all, or the rows that match "
                  "the filter"},
        "positions": {"type": "array", "items": _INT, "description": "sorted or filtered "
                      "(Parquet): each row's position in the stored order, from 0"},
    }, ("columns", "dtypes", "rows", "offset", "limit", "total")),
    "Uploaded": _obj({
        "raw": {"type": ["string", "null"], "description": "the file as received, under data/ "
                "(unchanged: the latest version's own file, or null if it was saved from code)"},
        "dataset": {"oneOf": [ref("DatasetVersion"), {"type": "null"}],
                    "description": "the version saved (201) or, unchanged, the latest version "
                                   "that holds this data already (200); null when save=false"},
        "unchanged": {"type": "boolean", "description": "true (status 200) when the latest "
                      "version holds the same data (same sha256 of the stored Parquet): no "
                      "version was made and the file was not kept"},
        "message": {"type": "string", "description": "what happened, when unchanged"},
        "notes": {"type": "array", "items": _STR, "description": "what the import did on its "
                  "own, e.g. dropped the unnamed row-number column of an R export"},
        "preview": ref("Preview")}, ("raw", "dataset", "preview")),
    "ModelSummary": _obj({"name": _STR, "latest_version": _INT, "framework": _NULL_STR,
                          "task": _NULL_STR,
                          "aliases": {"type": "object", "additionalProperties": _INT}},
                         ("name", "latest_version", "framework", "task", "aliases")),
    "ModelList": _obj({"models": {"type": "array", "items": ref("ModelSummary")}}, ("models",)),
    "ModelVersion": _obj({
        "name": _STR, "version": _INT, "framework": _STR, "algorithm": _NULL_STR,
        "task": _NULL_STR, "run_id": _NULL_STR, "created": {"type": ["integer", "null"]},
        "aliases": {"type": "array", "items": _STR}, "description": _STR,
        "lineage": _ANY_OBJ,
    }, ("name", "version", "framework")),
    "Model": _obj({"name": _STR, "aliases": {"type": "object", "additionalProperties": _INT},
                   "versions": {"type": "array", "items": ref("ModelVersion")}},
                  ("name", "aliases", "versions")),
    "ModelVersionDetail": {"allOf": [ref("ModelVersion"), _obj({
        "metrics": {"type": "object", "additionalProperties": {"type": ["number", "null"]}},
        "params": {"type": "object", "additionalProperties": _STR},
        "formats": {"type": "array", "items": _STR},
    }, ("metrics", "params", "formats"))]},
    "Aliases": _obj({"aliases": {"type": "object", "additionalProperties": _INT}},
                    ("aliases",)),
    "Job": _obj({
        "id": {"type": "string", "pattern": "^[0-9]{8}-[0-9]{6}-[0-9a-f]{6}$"}, "project": _STR,
        "state": {"type": "string", "enum": ["queued", "running", "succeeded", "failed",
                                             "cancelled"]},
        "queue_position": {"type": ["integer", "null"], "minimum": 1,
                           "description": "For a queued job waiting for a free slot: 1 starts "
                                          "next. Counted over the waiting jobs of all the "
                                          "user's projects (one queue per user's server). "
                                          "Null otherwise."},
        "created": _NULL_STR, "started": _NULL_STR, "finished": _NULL_STR,
        "pid": {"type": ["integer", "null"]}, "error": _NULL_STR, "run_id": _NULL_STR,
        "model": {"type": ["object", "null"]}, "metrics": {"type": ["object", "null"]},
        "tuning": {"type": ["object", "null"], "description": "Tuning progress: n_trials, "
                   "finished, pruned, failed, metric, direction, best_value, best_params, "
                   "best_trial (null without tuning)."},
        "spec": {"oneOf": [ref("TrainingSpec"), {"type": "null"}]},
        "log": {"type": "string", "description": "The end of log.txt (GET of one job only)."},
    }, ("id", "project", "state")),
    "JobList": _obj({"jobs": {"type": "array", "items": ref("Job")}}, ("jobs",)),
    "Trial": _obj({
        "number": _INT, "params": _ANY_OBJ, "value": {"type": ["number", "null"]},
        "state": {"type": "string", "enum": ["complete", "pruned", "failed"]},
        "duration": {"type": "number"}, "run_id": _NULL_STR,
        "intermediate": {"type": "array", "items": {"type": "array"}}, "error": _NULL_STR,
    }, ("number", "params", "value", "state", "duration")),
    "JobTrials": _obj({"trials": {"type": "array", "items": ref("Trial")}}, ("trials",)),
    "Run": _obj({
        "id": _STR, "name": _NULL_STR, "experiment": _STR, "status": _STR,
        "start_time": _NULL_STR, "end_time": _NULL_STR,
        "params": {"type": "object", "additionalProperties": _STR},
        "metrics": {"type": "object", "additionalProperties": {"type": ["number", "null"]}},
        "source": {"type": "string", "enum": ["job", "code"]},
        "job_id": _NULL_STR, "parent_id": _NULL_STR,
    }, ("id", "name", "experiment", "status", "start_time", "end_time", "params", "metrics",
        "source", "job_id", "parent_id")),
    "RunList": _obj({"runs": {"type": "array", "items": ref("Run")}, "total": _INT},
                    ("runs", "total")),
    "RunMetrics": {"type": "object", "additionalProperties": {
        "type": "array", "items": _obj({"step": _INT, "value": {"type": ["number", "null"]},
                                        "timestamp": _NULL_STR}, ("step", "value"))}},
    "JobMetrics": _obj({"metrics": {"type": "object", "additionalProperties": {
        "type": "array", "items": _obj({"step": _INT, "value": {"type": ["number", "null"]}},
                                       ("step", "value"))}}}, ("metrics",)),
    "Template": _obj({"id": _STR, "label": _STR,
                      "kind": {"type": "string", "enum": ["notebook", "script"]},
                      "description": _STR}, ("id", "label", "kind", "description")),
    "TemplateList": _obj({"templates": {"type": "array", "items": ref("Template")}},
                         ("templates",)),
    "ScriptMade": _obj({"path": _STR, "dataset": _STR, "target": _STR,
                        "task": {"type": "string", "enum": ["binary", "multiclass", "regression"]},
                        "model": {"type": "string", "description": "the model a training "
                                  "template registers (the prediction template loads it)"}},
                       ("path", "dataset", "target", "task", "model")),
    "Dashboard": _obj({
        "url": {"type": "string", "description": "the Voila page: {base_url}voila/render/"
                "<path>?project=..&model=.. (open it in a new browser tab)"},
        "path": {"type": "string", "description": "the notebook Voila renders, relative to "
                 "the server's root folder"},
        "kind": {"type": "string", "enum": ["model_card", "dataset_explorer", "run_compare",
                                            "notebook"]}}, ("url", "path", "kind")),
    "FrameworkList": _obj({"frameworks": {"type": "array", "items": _ANY_OBJ}},
                          ("frameworks",)),
    "Status": _ANY_OBJ,
    "OpenAPI": _ANY_OBJ,
    "ProjectChanges": _obj({"datasets": _STR, "models": _STR, "jobs": _STR},
                           ("datasets", "models", "jobs"), extra=False),
    "Changes": _obj({
        "token": {"type": "string", "description": "give it back as since= to wait for a "
                  "change"},
        "projects": {"type": "string", "description": "fingerprint of the project list"},
        "project": {"type": "object", "description": "per project asked for: fingerprints "
                    "of its datasets, models and jobs, or null if there is no such project",
                    "additionalProperties": {"oneOf": [ref("ProjectChanges"),
                                                       {"type": "null"}]}},
    }, ("token", "projects", "project"), extra=False),
}
