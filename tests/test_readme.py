"""Every quick-start snippet of the README runs as written: the SDK one in a fresh Python,
the REST one with curl against a real hub and a real user's server."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.hub import remove_leftover_project, running_hub

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "correct-horse-42"
USER = "rhea"  # a user of her own: other tests' users have projects of their own


def _blocks(section: str, language: str) -> list[str]:
    text = (REPO / "README.md").read_text()
    match = re.search(rf"^## {re.escape(section)}\n(.*?)(?=^## )", text, re.S | re.M)
    assert match, f"README has no section {section!r}"
    blocks = re.findall(rf"^```{language}\n(.*?)^```", match.group(1), re.S | re.M)
    assert blocks, f"README section {section!r} has no {language} block"
    return blocks


def test_sdk_quick_start_runs_as_written(tmp_path):
    code = "\n".join(_blocks("Quick start in code", "python"))
    env = {**os.environ, "HUBML_PROJECT_ROOTS": str(tmp_path / "projects"),
           "HOME": str(tmp_path), "MLFLOW_TRACKING_URI": ""}
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, text=True,
                         capture_output=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    lines = run.stdout.strip().splitlines()
    assert lines[0] == "succeeded", run.stdout
    assert re.fullmatch(r"\[\d \d \d\]", lines[1]), run.stdout  # three predicted classes
    assert sorted(ast.literal_eval(lines[2])) == ["flowers-random-forest", "iris-lr"], run.stdout


@pytest.mark.hub
def test_rest_quick_start_runs_as_written(tmp_path_factory, tmp_path):
    block = _blocks("Quick start over REST", "bash")[0]
    setup, *calls = [line for line in block.splitlines() if line.strip()]
    assert setup.startswith("HUB=") and all(c.startswith(("API=", "curl ")) for c in calls)
    (tmp_path / "flowers.csv").write_text(
        "sepal_length,sepal_width,species\n5.1,3.5,setosa\n7.0,3.2,versicolor\n6.3,3.3,virginica\n")
    remove_leftover_project(USER, "iris-rest")
    with running_hub(tmp_path_factory, "hub-readme") as hub:
        hub.add_user(USER, PASSWORD)
        hub.spawn(USER, {"profile": "sklearn"})
        try:
            r = hub.api("POST", f"users/{USER}/tokens", json={"note": "README quick start"})
            assert r.status_code == 201, r.text
            token = r.json()["token"]
            env_line = f"HUB={hub.url}; ME={USER}; TOKEN={token}"
            prefix = [env_line] + [c for c in calls if c.startswith("API=")]
            answers = []
            for call in (c for c in calls if c.startswith("curl ")):
                script = "\n".join([*prefix, call.split("#")[0] + " -w '\\n%{http_code}'"])
                out = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path,
                                     capture_output=True, text=True, timeout=60)
                assert out.returncode == 0, out.stderr
                body, status = out.stdout.rsplit("\n", 1)
                answers.append((int(status), json.loads(body)))
        finally:
            hub.stop_server(USER)
    listed, created, uploaded, document = answers
    assert listed[0] == 200 and "projects" in listed[1]
    assert created[0] == 201 and created[1]["name"] == "iris-rest"
    assert uploaded[0] == 201, uploaded
    assert json.dumps(uploaded[1]).count("flowers") >= 1
    assert document[0] == 200 and document[1]["openapi"].startswith("3.1")
