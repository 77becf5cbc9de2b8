import os

import pytest


@pytest.fixture(scope="module")
def mlflow_store(tmp_path_factory):
    """An MLflow tracking store (sqlite) with artifacts in a temporary folder, one per module:
    creating the sqlite schema costs seconds."""
    import mlflow
    import mlflow.tracking.fluent as fluent

    from hubml.workspace.runs import _mlflow_uris, _restore_mlflow_uris

    folder = tmp_path_factory.mktemp("mlflow")
    previous = _mlflow_uris()
    mlflow.set_tracking_uri(f"sqlite:///{folder}/mlflow.db")
    experiment = mlflow.create_experiment("frameworks", artifact_location=str(folder / "artifacts"))
    mlflow.set_experiment(experiment_id=experiment)
    yield folder
    # leave MLflow as the next module found it: its active experiment is a global that a
    # later plain mlflow.start_run() in another store would look for ("No Experiment with id")
    fluent._active_experiment_id = None
    os.environ.pop("MLFLOW_EXPERIMENT_ID", None)
    _restore_mlflow_uris(previous)


@pytest.fixture(scope="module", autouse=True)
def one_thread_pools():
    """Tiny data on a shared 2-core machine: OpenMP/BLAS thread pools only add contention
    (HistGradientBoosting on 90 rows: 0.1 s with one thread, seconds with two under load)."""
    import sklearn.ensemble  # noqa: F401  loads the OpenMP runtime, so the limit reaches it
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        yield
