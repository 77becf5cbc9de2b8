"""Deployments of a project: served models and published dashboards (named servers of the user
that the hub runs, see hubml.deployments). Thin: check the body and the project, then ask the
hub through the SDK (in the thread pool; each is an HTTP call to the hub).

Outside a hub (no JUPYTERHUB_API_URL) every call answers 409 ``hub_unavailable``.
"""

from __future__ import annotations

import posixpath

from tornado import web

from .. import deployments
from ..errors import InvalidInput, NotFound
from .base import HubMLHandler, open_project
from .parse import SLUG, Field, json_object

__all__ = ["NEW_DEPLOYMENT", "RESPONSE_SCHEMAS", "SHARES", "DeploymentHandler",
           "DeploymentSharesHandler", "DeploymentsHandler"]

NEW_DEPLOYMENT = [
    Field("kind", "string", required=True, enum=("model", "dashboard"), example="model",
          description="'model': serve a registered model over REST; 'dashboard': publish a "
                      "notebook of the project through Voila"),
    Field("model", "string", pattern=SLUG, example="iris-forest",
          description="model: the registered model's name"),
    Field("alias", "string", pattern=SLUG, example="production",
          description="model: the alias to serve (default production); or give version"),
    Field("version", "integer", minimum=1, description="model: a version number to serve"),
    Field("path", "string", max_length=500, example="dashboards/card.ipynb",
          description="dashboard: the notebook, relative to the project folder"),
    Field("query", "object", description="dashboard: URL query given to the notebook (Voila "
                                         "passes it on), e.g. {\"model\": \"churn\"}"),
    Field("name", "string", pattern=SLUG, description="the deployment's name (default: the "
          "model's, or the project's and notebook's); its server is serve-<name>/dash-<name>"),
    Field("retrain", "object", description="model: retraining held by the deployment: "
          "schedule (cron), interval (seconds), min_new_rows, metric"),
]
SHARES = [
    Field("users", "array", items="string", default=[], example=["bob"],
          description="hub user names to share with (exactly these: others are revoked)"),
    Field("groups", "array", items="string", default=[], example=["analysts"],
          description="hub group names to share with (exactly these: others are revoked)"),
]

_NAMES = {"type": "array", "items": {"type": "string"}}
_DEPLOYMENT = {
    "type": "object", "additionalProperties": True,
    "required": ["name", "kind", "url", "status", "shared_with"],
    "properties": {
        "name": {"type": "string", "description": "the named server: serve-<name>, dash-<name>"},
        "kind": {"type": "string", "enum": ["model", "dashboard"]},
        "project": {"type": "string"},
        "url": {"type": "string", "description": "where it answers (through the hub's proxy)"},
        "status": {"type": "string", "enum": ["starting", "running", "stopped"]},
        "model": {"type": "object", "properties": {
            "name": {"type": "string"}, "alias": {"type": ["string", "null"]},
            "version": {"type": ["integer", "null"]}}},
        "path": {"type": "string"}, "query": {"type": "object"},
        "shared_with": {"type": "object", "required": ["users", "groups"],
                        "properties": {"users": _NAMES, "groups": _NAMES}},
    }}
# component schemas of the answers (openapi.py adds them to the document)
RESPONSE_SCHEMAS = {
    "Deployment": _DEPLOYMENT,
    "DeploymentList": {"type": "object", "required": ["deployments"], "properties": {
        "deployments": {"type": "array", "items": {"$ref": "#/components/schemas/Deployment"}}}},
}


def _in_project(project: str, name: str) -> dict:
    found = deployments.get(name)
    if found["project"] != project:
        raise NotFound(f"no deployment {name!r} in project {project!r}; it belongs to "
                       f"{found['project']!r}", details={"name": name})
    return found


def _list(project: str) -> dict:
    open_project(project)
    return {"deployments": deployments.list(project)}


def _create(project: str, raw: bytes) -> dict:
    p = open_project(project)  # 404 before the body's 400
    body = json_object(raw, NEW_DEPLOYMENT)
    deployments.require_hub()  # 409 outside a hub, whatever else the body holds
    kind = body["kind"]
    allowed = {"model": {"kind", "model", "alias", "version", "name", "retrain"},
               "dashboard": {"kind", "path", "query", "name"}}[kind]
    extra = sorted(set(body) - allowed)
    if extra:
        raise InvalidInput(f"{extra[0]!r} does not apply to a {kind} deployment; its fields "
                           f"are {sorted(allowed)}", details={"field": extra[0]})
    if kind == "model":
        if not body.get("model"):
            raise InvalidInput("a model deployment needs 'model', the registered model's name",
                               details={"field": "model"})
        version = p.model(body["model"]).version(body.get("version"), body.get("alias")
                                                 or (None if body.get("version") else
                                                     "production"))  # 404 names what exists
        return deployments.deploy_model(project, body["model"], alias=body.get("alias"),
                                        version=body.get("version"), name=body.get("name"),
                                        retrain=body.get("retrain")) | {
            "model": {"name": body["model"], "alias": body.get("alias") or
                      (None if body.get("version") else "production"),
                      "version": version.version}}
    path = body.get("path")
    if not path:
        raise InvalidInput("a dashboard deployment needs 'path', a notebook in the project",
                           details={"field": "path"})
    norm = posixpath.normpath(path)
    if norm.startswith(("/", "..")) or not (p.path / norm).is_file():
        raise NotFound(f"no notebook {path!r} in project {project!r}; give a path relative "
                       "to the project folder", details={"field": "path"})
    return deployments.deploy_dashboard(project, norm, query=body.get("query"),
                                        name=body.get("name"))


def _show(project: str, name: str) -> dict:
    open_project(project)
    return _in_project(project, name)


def _delete(project: str, name: str) -> dict:
    open_project(project)
    _in_project(project, name)
    return deployments.delete(name)


def _share(project: str, name: str, raw: bytes) -> dict:
    open_project(project)
    body = json_object(raw, SHARES)
    _in_project(project, name)
    return deployments.share(name, users=body.get("users") or [],
                             groups=body.get("groups") or [])


class DeploymentsHandler(HubMLHandler):
    bodies = {"post": NEW_DEPLOYMENT}

    @web.authenticated
    async def get(self, project):
        await self.reply(_list, project)

    @web.authenticated
    async def post(self, project):
        await self.reply(_create, project, self.request.body, status=201)


class DeploymentHandler(HubMLHandler):
    @web.authenticated
    async def get(self, project, deployment):
        await self.reply(_show, project, deployment)

    @web.authenticated
    async def delete(self, project, deployment):
        await self.reply(_delete, project, deployment)


class DeploymentSharesHandler(HubMLHandler):
    bodies = {"put": SHARES}

    @web.authenticated
    async def put(self, project, deployment):
        await self.reply(_share, project, deployment, self.request.body)
