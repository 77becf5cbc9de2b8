"""Training jobs: list, start (a TrainingSpec as JSON), status, metrics, tuning trials, cancel.

The handlers call the Jobs API of :mod:`hubml.training` (``Project.train``, ``Project.jobs``,
``Project.job``); a job runs in its own process, so nothing here waits for training.
"""

from __future__ import annotations

import asyncio

from tornado import web

from ..errors import HubMLError, InvalidInput
from ..training.spec import TrainingSpec
from .base import HubMLHandler, open_project
from .parse import check_job_id, json_object

__all__ = ["JobCancelHandler", "JobHandler", "JobMetricsHandler", "JobTrialsHandler",
           "JobsHandler"]


def _spec(body: dict):
    try:
        return TrainingSpec.from_json(body)
    except HubMLError:
        raise
    except (TypeError, ValueError, KeyError) as exc:  # a body that is not a TrainingSpec
        raise InvalidInput(f"the body is not a training spec: {exc}",
                           details={"field": "body"}) from None


LOG_TAIL_CHARS = 20_000

def _list(project: str) -> dict:
    from ..training.warm import ensure_started

    ensure_started()     # the Jobs panel lists jobs first: have a warm worker for the next one
    return {"jobs": [job.to_json() for job in open_project(project).jobs()]}


def _start(project: str, raw: bytes) -> dict:
    p = open_project(project)  # 404 before a bad body's 400
    return p.train(_spec(json_object(raw))).to_json()


def _show(project: str, job_id: str) -> dict:
    job = open_project(project).job(check_job_id(job_id))
    # the log's tail, for the Jobs panel (.hubml/ is hidden from the contents API)
    return {**job.to_json(), "log": job.log(tail=LOG_TAIL_CHARS)}


def _metrics(project: str, job_id: str) -> dict:
    metrics = open_project(project).job(check_job_id(job_id)).metrics()
    return {"metrics": {name: [{"step": step, "value": value} for step, value in points]
                        for name, points in metrics.items()}}


class JobsHandler(HubMLHandler):
    bodies = {"post": TrainingSpec}  # its json_schema() is the document's request body

    @web.authenticated
    async def get(self, project):
        await self.reply(_list, project)

    @web.authenticated
    async def post(self, project):
        await self.reply(_start, project, self.request.body, status=201)


class JobHandler(HubMLHandler):
    @web.authenticated
    async def get(self, project, job_id):
        await self.reply(_show, project, job_id)


class JobMetricsHandler(HubMLHandler):
    @web.authenticated
    async def get(self, project, job_id):
        await self.reply(_metrics, project, job_id)


def _trials(project: str, job_id: str) -> dict:
    return {"trials": open_project(project).job(check_job_id(job_id)).trials()}


class JobTrialsHandler(HubMLHandler):
    @web.authenticated
    async def get(self, project, job_id):
        await self.reply(_trials, project, job_id)


class JobCancelHandler(HubMLHandler):
    @web.authenticated
    async def post(self, project, job_id):
        p = self.open_project(project)
        job = p.job(check_job_id(job_id))
        await asyncio.to_thread(job.cancel)  # waits for the process to end (seconds at most)
        self.write_json(job.to_json())
