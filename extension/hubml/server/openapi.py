"""The OpenAPI 3.1 document of the hubml REST API, built from this one module.

Every path here is a path of the route table (routes.py) with the same methods; a test
checks both ways. Served at ``GET {base_url}hubml/api/openapi.json``.
"""

from __future__ import annotations

import copy
import functools

from .. import __version__
from .openapi_schemas import SCHEMAS, SLUG, ref

__all__ = ["PATHS", "openapi_document"]

_ERRORS = {
    "400": "Bad input: the message names the field and says what to change",
    "403": "Not authenticated (no token or session)",
    "404": "No such project, dataset, version, model, alias, job or route",
    "409": "Conflicts with what exists (a name already taken)",
    "413": "Upload larger than c.HubML.max_upload_bytes",
}


def _param(name: str, description: str, pattern: str, example: str) -> dict:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": {"type": "string", "pattern": pattern}, "example": example}


def _query(name: str, description: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema}


def _body(schema: str, required: bool = True) -> dict:
    return {"required": required, "content": {"application/json": {"schema": ref(schema)}}}


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
JOB = _param("job_id", "job id, as listed by GET projects/{project}/jobs",
             "^[0-9]{8}-[0-9]{6}-[0-9a-f]{6}$", "20260101-120000-0a1b2c")
FORMAT = _param("format", "export format, one of the version's formats (GET the version)",
               "^[a-z0-9_]{1,40}$", "joblib")
_P = "projects/{project}"
_DS = f"{_P}/datasets/{{name}}"
_MODEL = f"{_P}/models/{{name}}"
_JOB = f"{_P}/jobs/{{job_id}}"

_UPLOAD_QUERY = [
    _query("filename", "raw body only: the file's name (its extension tells the format)",
           {"type": "string"}),
    _query("name", "dataset name (default: from the file name)", {"type": "string"}),
    _query("format", "csv, tsv, json, jsonl, parquet or excel (default: detected)",
           {"type": "string"}),
    _query("encoding", "text encoding (default: detected)", {"type": "string"}),
    _query("delimiter", "one character, or 'tab' (default: detected)", {"type": "string"}),
    _query("save", "save a dataset version (default true)", {"type": "string"}),
    _query("description", "description of the dataset version", {"type": "string"}),
]
_UPLOAD_BODY = {"required": True, "content": {
    "multipart/form-data": {"schema": ref("Upload")},
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
    "text/csv": {"schema": {"type": "string"}},
}}

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
        params=[
            {"name": "project", "in": "query", "required": False, "style": "form",
             "explode": True, "description": "a project to watch (repeat for more, at most 20)",
             "schema": {"type": "array", "maxItems": 20,
                        "items": {"type": "string", "pattern": SLUG}}, "example": ["demo"]},
            _query("since", "the token of the last answer: wait until it changes",
                   {"type": "string", "maxLength": 64}),
            _query("wait", "seconds to wait for a change (default 0: answer at once)",
                   {"type": "integer", "minimum": 0, "maximum": 60, "default": 0}),
        ])},
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
            PROJECT, NAME, VERSION,
            _query("offset", "first row (from 0)", {"type": "integer", "minimum": 0,
                                                    "default": 0}),
            _query("limit", "rows (at most 1000)", {"type": "integer", "minimum": 0,
                                                    "maximum": 1000, "default": 100})])},
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
                    body=_body("TrainingSpec")),
    },
    _JOB: {"get": _op("A job's status", "Job", errors="400 404", params=[PROJECT, JOB])},
    f"{_JOB}/metrics": {"get": _op("A job's metrics by step", "JobMetrics", errors="400 404",
                                   params=[PROJECT, JOB])},
    f"{_JOB}/cancel": {"post": _op("Cancel a job", "Job", errors="400 404",
                                   params=[PROJECT, JOB])},
    f"{_P}/scripts": {"post": _op("Create a script or notebook from a template", "ScriptMade",
                                  "201", "400 404 409", params=[PROJECT],
                                  body=_body("ScriptNew"))},
}


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
            "schemas": SCHEMAS,
            "responses": {f"E{code}": {"description": text, "content": {
                "application/json": {"schema": ref("Error")}}} for code, text in _ERRORS.items()},
            "securitySchemes": {"token": {"type": "apiKey", "in": "header",
                                          "name": "Authorization",
                                          "description": "'token <Jupyter server token>'"}},
        },
    }


def openapi_document(server_url: str = "/hubml/api") -> dict:
    return copy.deepcopy(_document(server_url))
