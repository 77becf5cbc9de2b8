"""Models: registered models, their versions (with the training run's metrics and params and
the framework's export formats), their exports as downloads, and aliases."""

from __future__ import annotations

from tornado import web

from ..workspace.model_exports import export_file, formats_of
from ..workspace.names import check_name
from .base import HubMLHandler, open_project
from .parse import Field, json_object

__all__ = ["ALIAS_TARGET", "AliasHandler", "ModelExportHandler", "ModelHandler",
           "ModelVersionHandler", "ModelsHandler"]

_CHUNK = 1 << 20   # bytes per read while streaming an export

ALIAS_TARGET = [Field("version", "integer", required=True, minimum=1, example=1,
                      description="the model version the alias points at (set or moved)")]


def _model(project, name: str):
    """The model, or 404 naming the known ones; never creates a tracking store to find out."""
    model = project.model(name)
    model.registered()
    return model


def _listing(project: str) -> dict:
    from .listing import model_listing  # cached until the project's store files change

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
    return {**body, "metrics": metrics, "params": params, "formats": formats_of(mv, body)}


def _export(project: str, name: str, version: str, fmt: str):
    return export_file(open_project(project), name, version, fmt)


def _read(f, size: int) -> bytes:
    return f.read(size)


def _set_alias(project: str, name: str, alias: str, raw: bytes) -> dict:
    model = _model(open_project(project), name)
    check_name("alias", alias)
    body = json_object(raw, ALIAS_TARGET)
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


class ModelExportHandler(HubMLHandler):
    """The version as ``format``, built once (in the thread pool) and streamed as a download."""

    @web.authenticated
    async def get(self, project, name, version, format):  # noqa: A002 (the route's name)
        export = await self.blocking(_export, project, name, version, format)
        f = await self.blocking(open, export.path, "rb")
        try:
            self.set_header("Content-Type", export.media_type)
            self.set_header("Content-Disposition", f'attachment; filename="{export.filename}"')
            self.set_header("Content-Length", str(await self.blocking(_size, f)))
            while chunk := await self.blocking(_read, f, _CHUNK):
                self.write(chunk)
                await self.flush()
        finally:
            await self.blocking(f.close)
        self.finish()


def _size(f) -> int:
    import os

    return os.fstat(f.fileno()).st_size


class AliasHandler(HubMLHandler):
    bodies = {"put": ALIAS_TARGET}

    @web.authenticated
    async def put(self, project, name, alias):
        await self.reply(_set_alias, project, name, alias, self.request.body)

    @web.authenticated
    async def delete(self, project, name, alias):
        await self.reply(_delete_alias, project, name, alias)
