"""The OpenAPI 3.1 document of the hubml REST API, built from this one module.

Every path here is a path of the route table (routes.py) with the same methods; a test
checks both ways. Request bodies and query arguments are generated from what the handlers
check (their ``bodies`` and ``queries``: lists of parse.Field, or the TrainingSpec), so the
document says what the server accepts. Served at ``GET {base_url}hubml/api/openapi.json``.
"""

from __future__ import annotations

import copy
import functools

from .. import __version__
from ..training.spec import TrainingSpec
from .handlers import CHANGES_QUERY, NEW_SCRIPT
from .handlers_dashboards import NEW_DASHBOARD
from .handlers_datasets import PREVIEW_QUERY
from .handlers_deployments import NEW_DEPLOYMENT, RESPONSE_SCHEMAS, SHARES
from .handlers_models import ALIAS_TARGET
from .handlers_projects import CHANGE_PROJECT, NEW_PROJECT
from .handlers_runs import RUNS_QUERY
from .openapi_schemas import SCHEMAS, SLUG, ref
from .parse import Field, body_schema, field_schema, query_parameters
from .uploads import FIELDS as UPLOAD_FIELDS

__all__ = ["PATHS", "REQUEST_SCHEMAS", "UPLOAD_FORM", "openapi_document"]

# request bodies, generated from the handlers' own validators
REQUEST_SCHEMAS: dict[str, dict] = {
    "ProjectNew": body_schema(NEW_PROJECT),
    "ProjectChange": body_schema(CHANGE_PROJECT),
    "AliasTarget": body_schema(ALIAS_TARGET),
    "ScriptNew": body_schema(NEW_SCRIPT),
    "DashboardNew": body_schema(NEW_DASHBOARD),
    "TrainingSpec": TrainingSpec.json_schema(),
    "DeploymentNew": body_schema(NEW_DEPLOYMENT),
    "DeploymentShares": body_schema(SHARES),
}
_TRAINING_EXAMPLE = {"framework": "sklearn", "algorithm": "sklearn.random_forest",
                     "task": "multiclass", "dataset": "iris", "target": "target",
                     "params": {"n_estimators": 50}, "model_name": "iris-forest"}

_ERRORS = {
    "400": "Bad input: the message names the field and says what to change",
    "403": "Not authenticated (no token or session)",
    "404": "No such project, dataset, version, model, alias, job or route",
    "409": "Conflicts with what exists (a name already taken), or deployments asked of a "
           "server the hub did not start (hub_unavailable)",
    "413": "Upload larger than c.HubML.max_upload_bytes",
}


def _param(name: str, description: str, pattern: str, example: str) -> dict:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": {"type": "string", "pattern": pattern}, "example": example}


def _body(schema: str, required: bool = True, example=None) -> dict:
    media = {"schema": ref(schema)}
    if example is not None:
        media["example"] = example
    return {"required": required, "content": {"application/json": media}}


def _op(summary: str, schema: str, status: str = "200", errors: str = "", params=(),
        body: dict | None = None) -> dict:
    responses = {status: {"description": summary,
                          "content": {"application/json": {"schema": ref(schema)}}}}
    for code in ("403", *errors.split()):
        responses[code] = {"$ref": f"#/components/responses/E{code}"}
    op = {"summary": summary, "responses": responses}
    if params:
        op["parameters"] = list(params)
    if body is not None:
        op["requestBody"] = body
    return op


def _download_op(summary: str, errors: str, params) -> dict:
    """A file download: the bytes, named by Content-Disposition."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    op = _op(summary, "Error", errors=errors, params=params)
    op["responses"]["200"] = {
        "description": summary,
        "headers": {"Content-Disposition": {"description": "attachment; filename=...",
                                            "schema": {"type": "string"}}},
        "content": {"application/octet-stream": binary, "application/zip": binary}}
    return op


PROJECT = _param("project", "project name", SLUG, "demo")
# rename and delete get their own example, so example-based tests do not remove "demo"
SCRATCH = _param("project", "project name", SLUG, "scratch")
NAME = _param("name", "dataset or model name", SLUG, "iris")
VERSION = _param("version", "version number, from 1", "^[1-9][0-9]{0,8}$", "1")
ALIAS = _param("alias", "alias name", SLUG, "production")
DEPLOYMENT = _param("deployment", "deployment name, its named server: serve-<name> or "
                    "dash-<name>", "^(serve|dash)-[a-z0-9_-]{1,62}$", "serve-iris-forest")
JOB = _param("job_id", "job id, as listed by GET projects/{project}/jobs",
             "^[0-9]{8}-[0-9]{6}-[0-9a-f]{6}$", "20260101-120000-0a1b2c")
RUN = _param("run_id", "MLflow run id, as listed by GET projects/{project}/runs",
             "^[0-9a-f]{32}$", "0123456789abcdef0123456789abcdef")
FORMAT = _param("format", "export format, one of the version's formats (GET the version)",
               "^[a-z0-9_]{1,40}$", "joblib")
_P = "projects/{project}"
_DS = f"{_P}/datasets/{{name}}"
_MODEL = f"{_P}/models/{{name}}"
_JOB = f"{_P}/jobs/{{job_id}}"

# an upload's options: form fields of a multipart body, or query arguments of a raw one
# (uploads.py checks them; every name in its FIELDS is documented here, a test checks that)
_BOOL = ("true", "false")
UPLOAD_FORM: dict[str, Field] = {f.name: f for f in [
    Field("name", "string", max_length=63, pattern=SLUG, description="the dataset's name "
          "(default: made from the file name)"),
    Field("format", "string", enum=("csv", "tsv", "json", "jsonl", "parquet", "excel"),
          description="the file's format (default: detected from its name and content)"),
    Field("encoding", "string", max_length=40,
          description="the text encoding, e.g. utf-8, cp1251 (default: detected)"),
    Field("delimiter", "string", max_length=3,
          description="the column delimiter: one character, or 'tab' (default: detected)"),
    Field("save", "string", enum=_BOOL, default="true",
          description="save a dataset version; 'false' only stores and previews the file"),
    Field("description", "string", description="description of the new dataset version"),
    Field("confirm_schema_change", "string", enum=_BOOL, default="false",
          description="'true' to save a new version whose columns differ from the latest "
                      "version's; without it such an upload answers 409 with the differences"),
]}


def _upload_fields() -> list[Field]:
    # a name uploads.py accepts but nobody described gets an empty description (a test fails)
    return [UPLOAD_FORM.get(name, Field(name, "string")) for name in UPLOAD_FIELDS]


_FILENAME = Field("filename", "string", max_length=200, example="upload.csv",
                  description="raw body only: the file's name (its extension tells the format)")
_UPLOAD_QUERY = query_parameters([_FILENAME, *_upload_fields()])
_UPLOAD_BODY = {"required": True, "content": {
    "multipart/form-data": {"schema": ref("Upload")},
    "application/octet-stream": {"schema": {"type": "string", "format": "binary",
                                            "description": "the file's bytes"}},
    "text/csv": {"schema": {"type": "string", "description": "the file's text"},
                 "example": "x,y\n1,2\n3,4\n"},
}}
REQUEST_SCHEMAS["Upload"] = {
    "type": "object", "description": "a file; the other fields override detection",
    "properties": {"file": {"type": "string", "contentMediaType": "application/octet-stream",
                            "description": "the file (its filename tells the format)"},
                   **{f.name: field_schema(f) for f in _upload_fields()}},
    "required": ["file"]}

PATHS: dict[str, dict] = {
    "openapi.json": {"get": _op("This document", "OpenAPI")},
    "status": {"get": _op("Version, hub profile, importable frameworks, project roots",
                          "Status")},
    "frameworks": {"get": _op("Installed frameworks and their algorithms (hyperparameters as "
                              "JSON Schema)", "FrameworkList")},
    "templates": {"get": _op("Script and notebook templates", "TemplateList")},
    "changes": {"get": _op(
        "Fingerprints (from stat() calls only) of the project list and of the named projects' "
        "datasets, models and jobs: fetch a listing only when its fingerprint changed. With "
        "since=<token> the answer waits up to wait= seconds (at most "
        "c.HubML.changes_max_wait_seconds) until the token differs", "Changes", errors="400",
        params=query_parameters(CHANGES_QUERY))},
    "projects": {
        "get": _op("All projects", "ProjectList"),
        "post": _op("Create a project", "Project", "201", "400 409",
                    body=_body("ProjectNew")),
    },
    _P: {
        "get": _op("A project with its dataset and model counts", "ProjectDetail", errors="400 404",
                   params=[PROJECT]),
        "patch": _op("Rename (name), describe or tag a project", "Project", errors="400 404 409",
                     params=[SCRATCH], body=_body("ProjectChange")),
        "delete": _op("Move a project to the trash", "Trashed", errors="400 404",
                      params=[SCRATCH]),
    },
    f"{_P}/datasets": {
        "get": _op("Datasets with their latest version", "DatasetList", errors="400 404",
                   params=[PROJECT]),
        "post": _op("Upload a file (multipart/form-data field 'file', or a raw body with "
                    "?filename=): stored under data/, parsed, saved as a dataset version",
                    "Uploaded", "201", "400 404 413", params=[PROJECT, *_UPLOAD_QUERY],
                    body=_UPLOAD_BODY),
    },
    _DS: {"get": _op("A dataset's versions", "Dataset", errors="400 404",
                     params=[PROJECT, NAME])},
    f"{_DS}/versions/{{version}}": {
        "get": _op("One version: schema, statistics, lineage", "DatasetVersionDetail",
                   errors="400 404", params=[PROJECT, NAME, VERSION])},
    f"{_DS}/versions/{{version}}/preview": {
        "get": _op("A page of rows", "Preview", errors="400 404", params=[
            PROJECT, NAME, VERSION, *query_parameters(PREVIEW_QUERY)])},
    f"{_P}/models": {"get": _op("Registered models", "ModelList", errors="400 404",
                                params=[PROJECT])},
    _MODEL: {"get": _op("A model's aliases and versions", "Model", errors="400 404",
                        params=[PROJECT, NAME])},
    f"{_MODEL}/versions/{{version}}": {
        "get": _op("One model version with its run's metrics and params and its export "
                   "formats", "ModelVersionDetail", errors="400 404",
                   params=[PROJECT, NAME, VERSION])},
    f"{_MODEL}/versions/{{version}}/export/{{format}}": {"get": _download_op(
        "Download the version in an export format (one of its formats): a file, or a zip for "
        "a folder format (MLflow model directory, SavedModel, a file with its hubml.json); "
        "built once and kept in the project's .hubml/exports", errors="400 404",
        params=[PROJECT, NAME, VERSION, FORMAT])},
    f"{_MODEL}/aliases/{{alias}}": {
        "put": _op("Point an alias at a version (set or move)", "Aliases", errors="400 404",
                   params=[PROJECT, NAME, ALIAS], body=_body("AliasTarget")),
        "delete": _op("Remove an alias", "Aliases", errors="400 404",
                      params=[PROJECT, NAME, ALIAS]),
    },
    f"{_P}/jobs": {
        "get": _op("Training jobs", "JobList", errors="400 404", params=[PROJECT]),
        "post": _op("Start a training job", "Job", "201", "400 404", params=[PROJECT],
                    body=_body("TrainingSpec", example=_TRAINING_EXAMPLE)),
    },
    _JOB: {"get": _op("A job's status", "Job", errors="400 404", params=[PROJECT, JOB])},
    f"{_JOB}/metrics": {"get": _op("A job's metrics by step", "JobMetrics", errors="400 404",
                                   params=[PROJECT, JOB])},
    f"{_JOB}/trials": {"get": _op(
        "A job's tuning trials so far, in the order they ended (empty without tuning)",
        "JobTrials", errors="400 404", params=[PROJECT, JOB])},
    f"{_P}/runs": {"get": _op(
        "MLflow runs of the project, newest first: jobs' runs (source job) and those the "
        "user's own code logged with p.start_run (source code); tuning trials only with "
        "children=true", "RunList", errors="400 404",
        params=[PROJECT, *query_parameters(RUNS_QUERY)])},
    f"{_P}/runs/{{run_id}}/metrics": {"get": _op(
        "Every metric of a run by step (for curves)", "RunMetrics", errors="400 404",
        params=[PROJECT, RUN])},
    f"{_JOB}/cancel": {"post": _op("Cancel a job", "Job", errors="400 404",
                                   params=[PROJECT, JOB])},
    f"{_P}/scripts": {"post": _op("Create a script or notebook from a template", "ScriptMade",
                                  "201", "400 404 409", params=[PROJECT],
                                  body=_body("ScriptNew"))},
    f"{_P}/dashboards": {"post": _op(
        "Open a dashboard: make a Voila page of a model card, dataset explorer, run comparison "
        "or a notebook of the project renderable on this server and answer its URL (open it "
        "in a new tab); packaged ones are copied into hubml-dashboards/ under the server's "
        "root", "Dashboard", errors="400 404 409", params=[PROJECT],
        body=_body("DashboardNew", example={"kind": "model_card", "model": "iris"}))},
    f"{_P}/deployments": {
        "get": _op("The project's deployments (served models, published dashboards: named "
                   "servers the hub runs) with URL, status and shares", "DeploymentList",
                   errors="400 404 409", params=[PROJECT]),
        "post": _op("Deploy: serve a model (an alias or version) or publish a dashboard "
                    "notebook, as a named server of the user", "Deployment", "201",
                    "400 404 409", params=[PROJECT],
                    body=_body("DeploymentNew", example={"kind": "model",
                                                         "model": "iris-forest",
                                                         "alias": "production"})),
    },
    f"{_P}/deployments/{{deployment}}": {
        "get": _op("One deployment", "Deployment", errors="400 404 409",
                   params=[PROJECT, DEPLOYMENT]),
        "delete": _op("Stop a deployment and remove it with its shares", "Deployment",
                      errors="400 404 409", params=[PROJECT, DEPLOYMENT]),
    },
    f"{_P}/deployments/{{deployment}}/shares": {
        "put": _op("Share with exactly these hub users and groups (others revoked)",
                   "Deployment", errors="400 404 409", params=[PROJECT, DEPLOYMENT],
                   body=_body("DeploymentShares")),
    },
}

# an upload of the data the latest version holds saves nothing and answers 200 (unchanged);
# one whose columns differ answers 409 schema_changed until it is repeated with
# confirm_schema_change=true
_UPLOAD_OP = PATHS[f"{_P}/datasets"]["post"]
_UPLOAD_OP["responses"]["200"] = {
    "description": "Unchanged: the latest version holds this data already; nothing was saved "
                   "(unchanged is true, dataset is that version, message says so)",
    "content": {"application/json": {"schema": ref("Uploaded")}}}
_UPLOAD_OP["responses"]["409"] = {
    "description": "schema_changed: the columns differ from the latest version's; nothing was "
                   "saved. details has dataset, version, added and removed ({name, dtype}), "
                   "changed ({name, old, new}) and confirm (the field to set to true to save it)",
    "content": {"application/json": {"schema": ref("Error")}}}


@functools.lru_cache(maxsize=8)
def _document(server_url: str) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "hubml REST API", "version": __version__,
                 "description": "Projects, datasets, models, training jobs and templates of "
                                "hubml, served by its Jupyter server extension. Errors are "
                                "{\"error\": {\"code\", \"message\", \"details\"}}."},
        "servers": [{"url": server_url}],
        "security": [{"token": []}],
        "paths": {f"/{path}": item for path, item in PATHS.items()},
        "components": {
            "schemas": {**SCHEMAS, **RESPONSE_SCHEMAS, **REQUEST_SCHEMAS},
            "responses": {f"E{code}": {"description": text, "content": {
                "application/json": {"schema": ref("Error")}}} for code, text in _ERRORS.items()},
            "securitySchemes": {"token": {"type": "apiKey", "in": "header",
                                          "name": "Authorization",
                                          "description": "'token <Jupyter server token>'"}},
        },
    }


def openapi_document(server_url: str = "/hubml/api") -> dict:
    return copy.deepcopy(_document(server_url))
