"""MLflow runs of a project (jobs' runs and those of the user's own code) and their curves.

``GET projects/{project}/runs?limit=&offset=&children=`` and
``GET projects/{project}/runs/{run_id}/metrics``; see :mod:`hubml.workspace.run_list`.
"""

from __future__ import annotations

from tornado import web

from ..workspace.run_list import MAX_LIMIT, list_runs, metric_history
from .base import HubMLHandler, open_project
from .parse import Field, query_field

__all__ = ["RUNS_QUERY", "RunMetricsHandler", "RunsHandler"]

RUNS_QUERY = [
    Field("limit", "integer", minimum=0, maximum=MAX_LIMIT, default=50,
          description=f"how many runs, at most {MAX_LIMIT}"),
    Field("offset", "integer", minimum=0, maximum=10**9, default=0,
          description="how many of the newest runs to skip"),
    Field("children", "boolean", default=False,
          description="also list child runs (tuning trials, nested under a job's run)"),
]


def _list(project: str, limit: int, offset: int, children: bool) -> dict:
    return list_runs(open_project(project), limit, offset, children)


def _metrics(project: str, run_id: str) -> dict:
    return metric_history(open_project(project), run_id)


class RunsHandler(HubMLHandler):
    queries = {"get": RUNS_QUERY}

    @web.authenticated
    async def get(self, project):
        limit, offset, children = (query_field(self.request.arguments, f) for f in RUNS_QUERY)
        await self.reply(_list, project, limit, offset, children)


class RunMetricsHandler(HubMLHandler):
    @web.authenticated
    async def get(self, project, run_id):
        await self.reply(_metrics, project, run_id)
