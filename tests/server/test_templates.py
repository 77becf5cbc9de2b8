"""Every template runs as written against the demo project, and what it makes shows up in
the REST API listings (so in the panels).

The demo project is made once per session (``hubml.demo.create_demo``); each script is
created through ``POST projects/demo/scripts`` and run as a subprocess, the notebook is
executed with nbclient.
"""

import os
import subprocess
import sys

import nbclient
import nbformat
import pytest

from hubml.demo import create_demo
from hubml.templates import templates

# template -> (what it makes: "models" or "datasets", its name)
MAKES = {
    "train-sklearn": ("models", "breast-cancer-forest"),
    "train-keras": ("models", "iris-keras"),
    "train-pytorch": ("models", "diabetes-torch"),
    "train-h2o": ("models", "breast-cancer-h2o-gbm"),
    "predict": ("datasets", "breast-cancer-predictions"),
    "data-preparation": ("datasets", "diabetes-prepared"),
}


@pytest.fixture(scope="session")
def demo_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo-root")
    create_demo(root=root, progress=False)
    return root


@pytest.fixture
def demo(demo_root, monkeypatch):
    monkeypatch.setenv("HUBML_PROJECT_ROOTS", str(demo_root))
    monkeypatch.delenv("HUBML_TRACKING_URI", raising=False)
    return demo_root / "demo"


def test_every_template_is_covered():
    assert {t.id for t in templates()} == set(MAKES)


@pytest.mark.parametrize("template_id", list(MAKES))
async def test_template_runs_against_the_demo_project(api, demo, template_id):
    kind, made = MAKES[template_id]
    names = [item["name"] for item in (await api("GET", f"projects/demo/{kind}"))[1][kind]]
    assert made not in names
    code, body = await api("POST", "projects/demo/scripts",
                           {"template": template_id, "name": f"my-{template_id}"})
    assert code == 201, body
    path = demo / body["path"]
    if path.suffix == ".ipynb":
        notebook = nbformat.read(path, as_version=4)
        nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                                resources={"metadata": {"path": str(demo)}}).execute()
    else:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        run = subprocess.run([sys.executable, str(path)], cwd=demo, env=env, timeout=300,
                             capture_output=True, text=True, stdin=subprocess.DEVNULL)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    listing = (await api("GET", f"projects/demo/{kind}"))[1][kind]
    entry = next((item for item in listing if item["name"] == made), None)
    assert entry is not None, [item["name"] for item in listing]
    if kind == "models":
        assert entry["latest_version"] == 1
        detail = (await api("GET", f"projects/demo/models/{made}/versions/1"))[1]
        assert detail["metrics"] and detail["lineage"]["datasets"]
    else:
        version = (await api("GET", f"projects/demo/datasets/{made}/versions/1"))[1]
        assert version["lineage"]["parents"]
