"""Models: registered models, their versions (with the training run's metrics and params and
the framework's export formats), and aliases."""

from __future__ import annotations

from tornado import web

from ..errors import NotFound
from ..workspace.names import check_name
from .base import HubMLHandler
from .parse import Field

__all__ = ["AliasHandler", "ModelHandler", "ModelVersionHandler", "ModelsHandler"]


def _model(project, name: str):
    """The model, or 404 naming the known ones; never creates a tracking store to find out."""
    check_name("model", name)
    known = [m.name for m in project.models()]
    if name not in known:
        raise NotFound(f"no model named {name!r} in project {project.name!r}; models: "
                       f"{', '.join(known) or 'none yet'}")
    return project.model(name)


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


class ModelsHandler(HubMLHandler):
    @web.authenticated
    def get(self, project):
        p = self.open_project(project)
        out = []
        for model in p.models():
            latest = model.latest
            tags = latest.info.tags
            out.append({"name": model.name, "latest_version": latest.version,
                        "framework": tags.get("hubml.framework"),
                        "task": tags.get("hubml.task") or None, "aliases": model.aliases()})
        self.write_json({"models": out})


class ModelHandler(HubMLHandler):
    @web.authenticated
    def get(self, project, name):
        model = _model(self.open_project(project), name)
        self.write_json({"name": name, "aliases": model.aliases(),
                         "versions": [v.to_json() for v in model.versions()]})


class ModelVersionHandler(HubMLHandler):
    @web.authenticated
    def get(self, project, name, version):
        from ..workspace.runs import Run

        p = self.open_project(project)
        mv = _model(p, name).version(version)
        body = mv.to_json()
        metrics, params = {}, {}
        if body.get("run_id"):
            run = Run(p, body["run_id"])
            metrics, params = run.metrics(), run.params()
        self.write_json({**body, "metrics": metrics, "params": params,
                         "formats": _formats(body["framework"], body.get("algorithm"))})


class AliasHandler(HubMLHandler):
    @web.authenticated
    def put(self, project, name, alias):
        model = _model(self.open_project(project), name)
        check_name("alias", alias)
        body = self.json_body([Field("version", "integer", required=True)])
        model.set_alias(alias, body["version"])
        self.write_json({"aliases": model.aliases()})

    @web.authenticated
    def delete(self, project, name, alias):
        model = _model(self.open_project(project), name)
        model.delete_alias(alias)
        self.write_json({"aliases": model.aliases()})
