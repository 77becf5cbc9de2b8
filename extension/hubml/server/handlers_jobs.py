"""Training jobs: list, start (a TrainingSpec as JSON), status, metrics, cancel.

The handlers call the Jobs API of :mod:`hubml.training` (``Project.train``, ``Project.jobs``,
``Project.job``); a job runs in its own process, so nothing here waits for training.
"""

from __future__ import annotations

import asyncio

from tornado import web

from ..errors import HubMLError, InvalidInput
from .base import HubMLHandler
from .parse import check_job_id

__all__ = ["JobCancelHandler", "JobHandler", "JobMetricsHandler", "JobsHandler"]


def _spec(body: dict):
    from ..training.spec import TrainingSpec

    try:
        return TrainingSpec.from_json(body)
    except HubMLError:
        raise
    except (TypeError, ValueError, KeyError) as exc:  # a body that is not a TrainingSpec
        raise InvalidInput(f"the body is not a training spec: {exc}",
                           details={"field": "body"}) from None


LOG_TAIL_CHARS = 20_000

class JobsHandler(HubMLHandler):
    @web.authenticated
    def get(self, project):
        p = self.open_project(project)
        self.write_json({"jobs": [job.to_json() for job in p.jobs()]})

    @web.authenticated
    def post(self, project):
        p = self.open_project(project)
        spec = _spec(self.json_body())
        job = p.train(spec)
        self.write_json(job.to_json(), status=201)


class JobHandler(HubMLHandler):
    @web.authenticated
    def get(self, project, job_id):
        p = self.open_project(project)
        job = p.job(check_job_id(job_id))
        # the log's tail, for the Jobs panel (.hubml/ is hidden from the contents API)
        self.write_json({**job.to_json(), "log": job.log(tail=LOG_TAIL_CHARS)})


class JobMetricsHandler(HubMLHandler):
    @web.authenticated
    def get(self, project, job_id):
        p = self.open_project(project)
        metrics = p.job(check_job_id(job_id)).metrics()
        self.write_json({"metrics": {name: [{"step": step, "value": value}
                                            for step, value in points]
                                     for name, points in metrics.items()}})


class JobCancelHandler(HubMLHandler):
    @web.authenticated
    async def post(self, project, job_id):
        p = self.open_project(project)
        job = p.job(check_job_id(job_id))
        await asyncio.to_thread(job.cancel)  # waits for the process to end (seconds at most)
        self.write_json(job.to_json())
