"""The runs of a project's MLflow experiment as plain JSON, for the Jobs panel and ``p.runs()``.

Runs come from two places: training jobs (their runs carry the tag ``hubml.job``; tuning trials
are child runs of a job's run, tag ``mlflow.parentRunId``) and the user's own code
(``with p.start_run(...)``). Both are listed the same way::

    {"id", "name", "experiment", "status", "start_time", "end_time" (ISO 8601 UTC or null),
     "params": {name: text}, "metrics": {name: latest value}, "source": "job" | "code",
     "job_id": str | null, "parent_id": str | null}

newest first; child runs only when asked for.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from ..errors import InvalidInput, NotFound
from .store import experiment_id, store_errors, tracking_uri

__all__ = ["MAX_LIMIT", "RUN_ID", "check_run_id", "get_run", "list_runs", "metric_history",
           "run_json"]

MAX_LIMIT = 1000
RUN_ID = re.compile(r"[0-9a-f]{32}")
_PAGE = 5000          # MLflow's page size while reading every run of the experiment


def _time(ms) -> str | None:
    if ms is None:
        return None
    return datetime.fromtimestamp(ms / 1000, timezone.utc).isoformat(timespec="milliseconds")


def check_run_id(run_id) -> str:
    if not isinstance(run_id, str) or not RUN_ID.fullmatch(run_id):
        raise InvalidInput(f"{str(run_id)[:40]!r} is not an MLflow run id (32 hexadecimal "
                           "digits, as GET projects/{project}/runs lists them)",
                           details={"field": "run_id"})
    return run_id


def run_json(run, experiment_name: str) -> dict:
    tags = run.data.tags
    job = tags.get("hubml.job")
    return {"id": run.info.run_id, "name": run.info.run_name, "experiment": experiment_name,
            "status": run.info.status, "start_time": _time(run.info.start_time),
            "end_time": _time(run.info.end_time), "params": dict(run.data.params),
            "metrics": dict(run.data.metrics), "source": "job" if job else "code",
            "job_id": job or None, "parent_id": tags.get("mlflow.parentRunId") or None}


def _client(project):
    import mlflow

    return mlflow.MlflowClient(tracking_uri=tracking_uri(project))


def list_runs(project, limit: int = 50, offset: int = 0, children: bool = False) -> dict:
    """``{"runs": [...], "total": n}``: the project's runs, newest first, ``limit`` of them
    from ``offset``; tuning trials (child runs) only with ``children``."""
    for name, value, low, high in (("limit", limit, 0, MAX_LIMIT), ("offset", offset, 0, 10**9)):
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidInput(f"{name} must be a whole number from {low} to {high}",
                               details={"field": name})
    experiment = experiment_id(project, create=False)
    if experiment is None:
        return {"runs": [], "total": 0}
    client = _client(project)
    with store_errors("runs"):
        name = client.get_experiment(experiment).name
        runs, token = [], None
        while True:
            page = client.search_runs([experiment], max_results=_PAGE, page_token=token,
                                      order_by=["attributes.start_time DESC"])
            runs.extend(page)
            token = page.token
            if not token:
                break
    if not children:
        runs = [r for r in runs if not r.data.tags.get("mlflow.parentRunId")]
    runs.sort(key=lambda r: (r.info.start_time or 0, r.info.run_id), reverse=True)
    return {"runs": [run_json(r, name) for r in runs[offset:offset + limit]],
            "total": len(runs)}


def _run_of(project, client, run_id: str):
    experiment = experiment_id(project, create=False)
    with store_errors(f"run {run_id}"):
        try:
            run = client.get_run(run_id)
        except Exception as exc:
            if getattr(exc, "error_code", "") == "RESOURCE_DOES_NOT_EXIST":
                run = None
            else:
                raise
    if run is None or experiment is None or run.info.experiment_id != experiment:
        raise NotFound(f"no run {run_id} in project {project.name!r}; GET "
                       f"projects/{project.name}/runs lists its runs")
    return run


def get_run(project, run_id: str) -> dict:
    client = _client(project)
    run = _run_of(project, client, check_run_id(run_id))
    with store_errors("runs"):
        return run_json(run, client.get_experiment(run.info.experiment_id).name)


def metric_history(project, run_id: str) -> dict:
    """``{name: [{"step", "value", "timestamp"}]}`` of one run of the project, by step."""
    client = _client(project)
    run = _run_of(project, client, check_run_id(run_id))
    out = {}
    with store_errors(f"run {run_id}"):
        for key in sorted(run.data.metrics):
            history = client.get_metric_history(run_id, key)
            out[key] = [{"step": m.step, "value": m.value, "timestamp": _time(m.timestamp)}
                        for m in sorted(history, key=lambda m: (m.step, m.timestamp))]
    return out
