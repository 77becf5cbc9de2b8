"""The one route table of the hubml REST API.

Paths are written as OpenAPI path templates (``projects/{project}``); :func:`route_regex`
turns each ``{param}`` into a named group that matches one URL segment, so the handlers get
the parameters as keyword arguments (percent-decoded by tornado) and the OpenAPI document
names exactly these paths (a test checks that both agree).
"""

from __future__ import annotations

import re

from jupyter_server.utils import url_path_join

from .base import NotFoundHandler
from .handlers import (
    ChangesHandler,
    FrameworksHandler,
    OpenAPIHandler,
    ScriptsHandler,
    StatusHandler,
    TemplatesHandler,
)
from .handlers_dashboards import DashboardsHandler
from .handlers_datasets import DatasetHandler, DatasetsHandler, PreviewHandler, VersionHandler
from .handlers_deployments import (
    DeploymentHandler,
    DeploymentsHandler,
    DeploymentSharesHandler,
)
from .handlers_jobs import (
    JobCancelHandler,
    JobHandler,
    JobMetricsHandler,
    JobsHandler,
    JobTrialsHandler,
)
from .handlers_models import (
    AliasHandler,
    ModelExportHandler,
    ModelHandler,
    ModelsHandler,
    ModelVersionHandler,
)
from .handlers_projects import ProjectHandler, ProjectsHandler
from .handlers_runs import RunMetricsHandler, RunsHandler

__all__ = ["API_PREFIX", "METHODS", "ROUTES", "route_methods", "route_regex", "setup_routes"]

API_PREFIX = "hubml/api"
METHODS = ("get", "post", "put", "patch", "delete")

_P = "projects/{project}"
_DS = f"{_P}/datasets/{{name}}"
_MODEL = f"{_P}/models/{{name}}"
_JOB = f"{_P}/jobs/{{job_id}}"

# (path under {base_url}hubml/api/, handler)
ROUTES = [
    ("openapi.json", OpenAPIHandler),
    ("status", StatusHandler),
    ("frameworks", FrameworksHandler),
    ("templates", TemplatesHandler),
    ("changes", ChangesHandler),
    ("projects", ProjectsHandler),
    (_P, ProjectHandler),
    (f"{_P}/datasets", DatasetsHandler),
    (_DS, DatasetHandler),
    (f"{_DS}/versions/{{version}}", VersionHandler),
    (f"{_DS}/versions/{{version}}/preview", PreviewHandler),
    (f"{_P}/models", ModelsHandler),
    (_MODEL, ModelHandler),
    (f"{_MODEL}/versions/{{version}}", ModelVersionHandler),
    (f"{_MODEL}/versions/{{version}}/export/{{format}}", ModelExportHandler),
    (f"{_MODEL}/aliases/{{alias}}", AliasHandler),
    (f"{_P}/jobs", JobsHandler),
    (_JOB, JobHandler),
    (f"{_JOB}/metrics", JobMetricsHandler),
    (f"{_JOB}/trials", JobTrialsHandler),
    (f"{_JOB}/cancel", JobCancelHandler),
    (f"{_P}/runs", RunsHandler),
    (f"{_P}/runs/{{run_id}}/metrics", RunMetricsHandler),
    (f"{_P}/scripts", ScriptsHandler),
    (f"{_P}/dashboards", DashboardsHandler),
    (f"{_P}/deployments", DeploymentsHandler),
    (f"{_P}/deployments/{{deployment}}", DeploymentHandler),
    (f"{_P}/deployments/{{deployment}}/shares", DeploymentSharesHandler),
]

_PARAM = re.compile(r"\{([a-z_]+)\}")


def route_regex(template: str) -> str:
    """``projects/{project}`` -> ``projects/(?P<project>[^/]+)``."""
    parts = _PARAM.split(template)
    out = []
    for i, part in enumerate(parts):
        out.append(f"(?P<{part}>[^/]+)" if i % 2 else re.escape(part))
    return "".join(out)


def route_methods(handler) -> set[str]:
    """The HTTP methods (lower case) a handler class implements itself."""
    from tornado.web import RequestHandler

    return {m for m in METHODS if getattr(handler, m) is not getattr(RequestHandler, m)}


def setup_routes(web_app) -> None:
    base_url = web_app.settings["base_url"]
    handlers = [(url_path_join(base_url, API_PREFIX, route_regex(path)), handler)
                for path, handler in ROUTES]
    handlers.append((url_path_join(base_url, API_PREFIX, r"(.*)"), NotFoundHandler))
    web_app.add_handlers(".*$", handlers)
