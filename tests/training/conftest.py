"""A project with small datasets, shared by the spec and job tests (MLflow's store is made once).

Jobs and scripts run in child processes; one thread each (the machine has 2 shared cores).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

THREADS = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                                   "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS")}


def iris_frame():
    from sklearn import datasets

    frame = datasets.load_iris(as_frame=True).frame
    frame.columns = [c.replace(" (cm)", "").replace(" ", "_") for c in frame.columns]
    frame["species"] = frame.pop("target").map({0: "setosa", 1: "versicolor", 2: "virginica"})
    return frame.astype({"species": str})


@pytest.fixture(scope="session")
def root(tmp_path_factory):
    folder = tmp_path_factory.mktemp("training") / "projects"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HUBML_PROJECT_ROOTS", str(folder))
        # the user's job queue lives in the Jupyter data dir: one of the tests', not ~'s
        mp.setenv("JUPYTER_DATA_DIR", str(folder.parent / "jupyter-data"))
        for name, value in THREADS.items():
            mp.setenv(name, value)
        mp.setenv("HUBML_WORKER_IDLE", "60")   # the warm job worker does not outlive the tests long
        yield folder


@pytest.fixture
def own_queue(tmp_path, monkeypatch):
    """A fresh job queue for the test (the user's queue is in the Jupyter data dir)."""
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))


@pytest.fixture
def limit_one(monkeypatch):
    from hubml.training.queue import LIMIT_ENV

    monkeypatch.setenv(LIMIT_ENV, "1")


@pytest.fixture(scope="session")
def project(root):
    import hubml

    p = hubml.create_project("training")
    p.save_dataset("iris", iris_frame(), description="iris, species as words")
    with p.start_run("setup"):   # the MLflow store, before jobs and scripts use it at once
        pass
    return p


@pytest.fixture(scope="session")
def start_script(root):
    """Start a generated script in a fresh interpreter; ``finish(process)`` checks it."""
    def start(text: str, *args: str) -> subprocess.Popen:
        path = root.parent / f"script-{os.urandom(4).hex()}.py"
        path.write_text(text, "utf-8")
        return subprocess.Popen([sys.executable, str(path), *args], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, env=dict(os.environ))
    return start


def finish(process: subprocess.Popen, timeout: float = 180) -> str:
    output, _ = process.communicate(timeout=timeout)
    assert process.returncode == 0, output[-4000:]
    return output


@pytest.fixture
def tree_hash():
    """Hash of every file's path and bytes under a folder (to prove nothing changed)."""
    import hashlib

    def digest(folder):
        h = hashlib.sha256()
        for path in sorted(folder.rglob("*")):
            h.update(str(path.relative_to(folder)).encode())
            if path.is_file():
                h.update(path.read_bytes())
        return h.hexdigest()

    return digest
