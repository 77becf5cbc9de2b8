"""Models: registered models, their versions (with the training run's metrics and params and
the framework's export formats), and aliases."""

from __future__ import annotations

from tornado import web

from ..workspace.names import check_name
from .base import HubMLHandler, open_project
from .parse import Field, json_object

__all__ = ["AliasHandler", "ModelHandler", "ModelVersionHandler", "ModelsHandler"]


def _model(project, name: str):
    """The model, or 404 naming the known ones; never creates a tracking store to find out."""
    model = project.model(name)
    model.registered()
    return model


def _formats(framework_name: str, algorithm: str | None) -> list[str]:
    from .. import frameworks

    try:
        framework = frameworks.get(framework_name)
    except Exception:  # a model from a framework this server does not know
        return []
    formats_for = getattr(framework, "formats_for", None)
    if algorithm and formats_for is not None:
        try:
            return list(formats_for(algorithm))
        except Exception:
            pass
    return list(framework.export_formats)


def _listing(project: str) -> dict:
    from ..workspace.models import model_listing

    return {"models": model_listing(open_project(project))}


def _detail(project: str, name: str) -> dict:
    model = _model(open_project(project), name)
    return {"name": name, "aliases": model.aliases(),
            "versions": [v.to_json() for v in model.versions()]}


def _version_detail(project: str, name: str, version: str) -> dict:
    from ..workspace.runs import Run

    p = open_project(project)
    mv = _model(p, name).version(version)
    body = mv.to_json()
    metrics, params = {}, {}
    if body.get("run_id"):
        run = Run(p, body["run_id"])
        metrics, params = run.metrics(), run.params()
    return {**body, "metrics": metrics, "params": params,
            "formats": _formats(body["framework"], body.get("algorithm"))}


def _set_alias(project: str, name: str, alias: str, raw: bytes) -> dict:
    model = _model(open_project(project), name)
    check_name("alias", alias)
    body = json_object(raw, [Field("version", "integer", required=True)])
    model.set_alias(alias, body["version"])
    return {"aliases": model.aliases()}


def _delete_alias(project: str, name: str, alias: str) -> dict:
    model = _model(open_project(project), name)
    model.delete_alias(alias)
    return {"aliases": model.aliases()}


class ModelsHandler(HubMLHandler):
    @web.authenticated
    async def get(self, project):
        await self.reply(_listing, project)


class ModelHandler(HubMLHandler):
    @web.authenticated
    async def get(self, project, name):
        await self.reply(_detail, project, name)


class ModelVersionHandler(HubMLHandler):
    @web.authenticated
    async def get(self, project, name, version):
        await self.reply(_version_detail, project, name, version)


class AliasHandler(HubMLHandler):
    @web.authenticated
    async def put(self, project, name, alias):
        await self.reply(_set_alias, project, name, alias, self.request.body)

    @web.authenticated
    async def delete(self, project, name, alias):
        await self.reply(_delete_alias, project, name, alias)
