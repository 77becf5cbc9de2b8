"""schemathesis against the live server's openapi.json: at least 1,000 generated requests
(examples, coverage, fuzzing and stateful phases, positive and negative data) and not one 5xx;
every response also has a documented status, content type and body schema.

Run by hand: ``st run http://127.0.0.1:<port>/hubml/api/openapi.json -H "Authorization: token
<token>" --checks not_a_server_error``.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import schemathesis  # noqa: E402,F401  (a missing test dependency fails here, loudly)

import hubml
from tests.support.jupyter import live_jupyter_server

MIN_REQUESTS = 1000
CHECKS = ("not_a_server_error,status_code_conformance,content_type_conformance,"
          "response_schema_conformance")
MAX_EXAMPLES = 25  # per operation and phase; 24 operations give about 1,300 test cases


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Project "demo" with dataset "iris" and model "iris" (the document's examples), and
    "scratch" for the examples of rename and delete."""
    from sklearn.datasets import load_iris

    workdir = tmp_path_factory.mktemp("schemathesis")
    root = workdir / "projects"
    root.mkdir()
    p = hubml.create_project("demo", root=root)
    hubml.create_project("scratch", root=root)
    df = load_iris(as_frame=True).frame
    df.columns = [c.replace(" (cm)", "").replace(" ", "_") for c in df.columns]
    version = p.save_dataset("iris", df)
    p.save_dataset("mixed", pd.DataFrame({"t": pd.to_datetime(["2026-01-01", None]),
                                          "x": [1.5, float("nan")], "s": ["a", None]}))
    model = hubml.frameworks.get("sklearn").fit("sklearn.logistic_regression", "multiclass", {},
                                                df.drop(columns=["target"]), df["target"])
    os.environ["HUBML_PROJECT_ROOTS"] = str(root)
    try:
        p.register_model("iris", model, framework="sklearn", dataset=version, task="multiclass")
        p.model("iris").set_alias("production", 1)
    finally:
        del os.environ["HUBML_PROJECT_ROOTS"]
    with live_jupyter_server(workdir, ("--HubML.max_upload_bytes=65536",)) as live:
        yield live


def test_no_server_errors_in_1000_generated_requests(server, tmp_path):
    st = Path(sys.executable).parent / "st"
    run = subprocess.run(
        [str(st), "run", server.api("openapi.json"), "-H", f"Authorization: token {server.token}",
         "--checks", CHECKS, "--mode", "all", "--max-examples", str(MAX_EXAMPLES),
         "--seed", "20261123", "--workers", "1", "--no-color", "--request-timeout", "60",
         "--generation-database", "none", "--report", "junit",
         "--report-junit-path", str(tmp_path / "junit.xml")],
        capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL, cwd=tmp_path,
        env={**os.environ, "SCHEMATHESIS_HOOKS": ""})
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-8000:]
    generated = re.search(r"(\d+) generated", output)
    assert generated is not None, output[-3000:]
    print(f"schemathesis: {generated.group(1)} generated test cases")
    assert int(generated.group(1)) >= MIN_REQUESTS, output[-3000:]
    log = server.log.read_text(errors="replace")
    errors = re.findall(r"\] 5\d\d (?:GET|POST|PUT|PATCH|DELETE) \S+", log)
    assert not errors, errors[:20]
    assert "Traceback" not in log, log[log.index("Traceback") - 500:][:4000]
