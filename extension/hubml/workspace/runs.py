"""Runs: MLflow runs in the project's own tracking store.

The store is ``<project>/.hubml/mlflow.db`` with artifacts in ``.hubml/artifacts`` (or
``HUBML_TRACKING_URI``), so ``mlflow ui --backend-store-uri sqlite:///<project>/.hubml/mlflow.db``
shows the same runs, and the project folder stays self-contained.
"""

from __future__ import annotations

import contextlib
import os

from ..errors import InvalidInput
from .storage import file_lock

__all__ = ["Run", "start_run", "tracking", "tracking_uri"]


def tracking_uri(project) -> str:
    return os.environ.get("HUBML_TRACKING_URI") or f"sqlite:///{project.hubml_dir / 'mlflow.db'}"


def _experiment_id(project) -> str:
    import mlflow

    client = mlflow.MlflowClient()
    experiment = client.get_experiment_by_name(project.name)
    if experiment is not None:
        return experiment.experiment_id
    artifacts = project.hubml_dir / "artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    try:
        return client.create_experiment(project.name, artifact_location=artifacts.as_uri())
    except mlflow.exceptions.MlflowException:  # made by a concurrent writer
        return client.get_experiment_by_name(project.name).experiment_id


@contextlib.contextmanager
def tracking(project):
    """Point MLflow (tracking and registry) at the project's store for the duration."""
    import mlflow

    tracking_before, registry_before = mlflow.get_tracking_uri(), mlflow.get_registry_uri()
    registry_follows = registry_before == tracking_before  # the default: keep it that way
    uri = tracking_uri(project)
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    try:
        # the first use creates the SQLite store; a job and a script may start together
        project.hubml_dir.mkdir(parents=True, exist_ok=True)
        with file_lock(project.hubml_dir / "mlflow.lock", timeout=300):
            experiment_id = _experiment_id(project)
        yield experiment_id
    finally:
        mlflow.set_tracking_uri(tracking_before)
        mlflow.set_registry_uri(None if registry_follows else registry_before)


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

    with tracking(project) as experiment_id:
        with mlflow.start_run(experiment_id=experiment_id, run_name=name,
                              tags=tags) as active:
            yield Run(project, active.info.run_id, active.info.run_name)
