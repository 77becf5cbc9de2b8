"""Dashboards: ``POST projects/{project}/dashboards`` makes a Voila page renderable on this
server and answers its URL (``{"url", "path", "kind"}``); the frontend opens it in a new tab.

Packaged dashboards (model card, dataset explorer, run comparison) are copied into the root's
``hubml-dashboards/`` folder; a project's own notebook is rendered in place (dashboards/links.py).
"""

from __future__ import annotations

from tornado import web

from ..workspace.names import check_name
from .base import HubMLHandler, open_project
from .parse import SLUG, Field, json_object

__all__ = ["DashboardsHandler", "NEW_DASHBOARD"]

NEW_DASHBOARD = [
    Field("kind", "string", required=True, max_length=40,
          enum=("model_card", "dataset_explorer", "run_compare", "notebook"),
          example="run_compare",
          description="model_card (needs model), dataset_explorer (needs dataset), "
                      "run_compare, or notebook (a notebook of the project, needs path)"),
    Field("model", "string", max_length=63, pattern=SLUG, example="iris-random-forest",
          check=lambda name: check_name("model", name),
          description="model_card: the registered model"),
    Field("version", "integer", minimum=1, example=1,
          description="model_card: the model version; dataset_explorer: the dataset version "
                      "(default: the latest)"),
    Field("alias", "string", max_length=63, pattern=SLUG, example="production",
          check=lambda name: check_name("alias", name),
          description="model_card: the alias of the version to show (not with version)"),
    Field("dataset", "string", max_length=63, pattern=SLUG, example="iris",
          check=lambda name: check_name("dataset", name),
          description="dataset_explorer: the dataset"),
    Field("runs", "string", max_length=2000, example="demo-iris",
          description="run_compare: run ids or names, comma-separated (default: all runs)"),
    Field("path", "string", max_length=1000, example="notebooks/report.ipynb",
          description="notebook: the notebook's path inside the project ('..', absolute "
                      "paths and hidden folders are refused)"),
]


def _prepare(project: str, raw: bytes, root_dir: str, base_url: str) -> dict:
    from ..dashboards.links import prepare

    p = open_project(project)  # 404 before a bad body's 400
    body = json_object(raw, NEW_DASHBOARD)
    return prepare(p, body, root_dir, base_url)


class DashboardsHandler(HubMLHandler):
    bodies = {"post": NEW_DASHBOARD}

    @web.authenticated
    async def post(self, project):
        root = self.settings.get("server_root_dir") or self.contents_manager.root_dir
        await self.reply(_prepare, project, self.request.body, root, self.base_url)
