"""Runs: MLflow runs in the project's own tracking store.

The store is ``<project>/.hubml/mlflow.db`` with artifacts in ``.hubml/artifacts`` (or
``HUBML_TRACKING_URI``), so ``mlflow ui --backend-store-uri sqlite:///<project>/.hubml/mlflow.db``
shows the same runs, and the project folder stays self-contained.
"""

from __future__ import annotations

import contextlib
import os
import threading

from ..errors import InvalidInput
from .store import experiment_id, tracking_uri

__all__ = ["Run", "active_run", "start_run", "tracking", "tracking_uri"]

# (project folder, run id) of the ``with p.start_run()`` blocks open in this process, innermost
# last: register_model without run= uses the innermost one of its project
# (per thread, as MLflow's own stack of active runs)
_OPEN_RUNS = threading.local()


def _open_runs() -> list[tuple[object, str]]:
    if not hasattr(_OPEN_RUNS, "stack"):
        _OPEN_RUNS.stack = []
    return _OPEN_RUNS.stack


@contextlib.contextmanager
def tracking(project, create: bool = True):
    """Point MLflow (tracking and registry) at the project's store for the duration; yields
    the project's experiment id (None if ``create`` is False and there is none yet).

    Afterwards MLflow's globals are exactly as they were, environment variables included:
    ``set_registry_uri(None)`` leaves ``MLFLOW_REGISTRY_URI`` set, so a user's own
    ``mlflow.set_tracking_uri(other)`` later would still register models in this project."""
    import mlflow

    saved = _mlflow_uris()
    uri = tracking_uri(project)
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    try:
        yield experiment_id(project, create)
    finally:
        _restore_mlflow_uris(saved)


_URI_ENV = ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI")


def _mlflow_uris() -> tuple:
    """What the user set, not what MLflow resolves: the module globals and the variables."""
    import mlflow.tracking._model_registry.utils as registry
    import mlflow.tracking._tracking_service.utils as tracking_service

    return (getattr(tracking_service, "_tracking_uri", None),
            getattr(registry, "_registry_uri", None),
            {name: os.environ.get(name) for name in _URI_ENV})


def _restore_mlflow_uris(saved: tuple) -> None:
    import mlflow

    tracking_set, registry_set, env = saved
    mlflow.set_tracking_uri(tracking_set)
    mlflow.set_registry_uri(registry_set)
    for name, value in env.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


class Run:
    """A view over an MLflow run; use as ``with p.start_run("exp") as run``.

    It talks to the project's store through its own client, so it keeps working after
    the ``with`` block and whatever MLflow's global tracking URI is.
    """

    def __init__(self, project, run_id: str, name: str | None = None):
        import mlflow

        self.project, self.id, self.name = project, run_id, name
        uri = tracking_uri(project)
        self.client = mlflow.MlflowClient(tracking_uri=uri, registry_uri=uri)

    def __repr__(self) -> str:
        return f"<hubml.Run {self.name or self.id!r} in {self.project.name!r}>"

    def log_params(self, params: dict) -> None:
        if not isinstance(params, dict):
            raise InvalidInput("log_params needs a dict of name -> value")
        for key, value in params.items():
            self.client.log_param(self.id, key, value)

    def log_param(self, key: str, value) -> None:
        self.log_params({key: value})

    def log_metric(self, key: str, value: float, step: int | None = None) -> None:
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise InvalidInput(f"metric {key!r} must be a number, not {value!r}") from None
        self.client.log_metric(self.id, key, value, step=step or 0)

    def log_metrics(self, metrics: dict, step: int | None = None) -> None:
        for key, value in metrics.items():
            self.log_metric(key, value, step)

    def set_tags(self, tags: dict) -> None:
        for key, value in tags.items():
            self.client.set_tag(self.id, key, str(value))

    def log_artifact(self, path, artifact_path: str | None = None) -> None:
        self.client.log_artifact(self.id, str(path), artifact_path)

    def metrics(self) -> dict:
        return dict(self.client.get_run(self.id).data.metrics)

    def params(self) -> dict:
        return dict(self.client.get_run(self.id).data.params)


@contextlib.contextmanager
def start_run(project, name: str | None = None, tags: dict | None = None):
    import mlflow

    with tracking(project) as experiment:
        with mlflow.start_run(experiment_id=experiment, run_name=name, tags=tags) as active:
            opened = _open_runs()
            opened.append((project.path, active.info.run_id))
            try:
                yield Run(project, active.info.run_id, active.info.run_name)
            finally:
                opened.remove((project.path, active.info.run_id))


def active_run(project) -> Run | None:
    """The innermost ``with p.start_run()`` of this project still open in this process."""
    for path, run_id in reversed(_open_runs()):
        if path == project.path:
            return Run(project, run_id)
    return None
