"""The hubml REST API inside a real Jupyter server (pytest-jupyter's jp_fetch)."""

import json
import subprocess
import sys

import pytest
from tornado.httpclient import HTTPClientError


async def test_status_reports_version_profile_frameworks_roots(jp_fetch, monkeypatch, tmp_path):
    monkeypatch.setenv("HUBML_PROFILE", "torch")
    monkeypatch.setenv("HUBML_PROFILE_DISPLAY_NAME", "PyTorch")
    monkeypatch.setenv("HUBML_FRAMEWORKS", "sklearn,torch")
    monkeypatch.setenv("HUBML_PROJECT_ROOTS", f"{tmp_path / 'a'}:{tmp_path / 'b'}")
    response = await jp_fetch("hubml", "api", "status")
    assert response.code == 200
    body = json.loads(response.body)
    import hubml

    assert body["version"] == hubml.__version__
    assert body["profile"] == {"name": "torch", "display_name": "PyTorch", "description": "",
                               "frameworks": ["sklearn", "torch"]}
    frameworks = {f["name"]: f for f in body["frameworks"]}
    assert set(frameworks) == {"sklearn", "tensorflow", "torch", "h2o"}
    import sklearn

    assert frameworks["sklearn"] == {"name": "sklearn", "label": "scikit-learn",
                                     "module": "sklearn", "importable": True,
                                     "version": sklearn.__version__}
    assert body["project_roots"] == [str(tmp_path / "a"), str(tmp_path / "b")]


async def test_status_gives_the_name_rule_that_the_server_checks(jp_fetch):
    """Forms check names as one types with this pattern: it agrees with the server's own check
    and is a valid JavaScript pattern in every mode browsers use (u, and v for <input pattern>)."""
    import re
    import shutil

    from hubml.workspace.names import is_name

    names = json.loads((await jp_fetch("hubml", "api", "status")).body)["names"]
    assert "lower-case" in names["rule"]
    samples = ["churn", "a", "x-1_b", "9lives", "a" * 63, "a" * 64, "Churn", "-x", "_x", "a b",
               "a.b", "é", "x\n", ""]
    assert [re.fullmatch(names["pattern"], s) is not None for s in samples] == \
        [is_name(s) for s in samples]
    script = ("const [p, ...samples] = JSON.parse(process.argv[1]);"
              "const out = ['u', 'v'].map(f => samples.map(s => new RegExp(`^(?:${p})$`, f)"
              ".test(s)));console.log(JSON.stringify(out));")
    node = shutil.which("node")
    assert node, "node is needed (it builds the frontend)"
    run = subprocess.run([node, "-e", script, json.dumps([names["pattern"], *samples])],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == [[is_name(s) for s in samples]] * 2


async def test_status_without_hub_has_no_profile(jp_fetch, monkeypatch):
    monkeypatch.delenv("HUBML_PROFILE", raising=False)
    body = json.loads((await jp_fetch("hubml", "api", "status")).body)
    assert body["profile"] is None


async def test_unauthenticated_request_is_refused(jp_fetch):
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch("hubml", "api", "status", headers={"Authorization": ""})
    assert info.value.code == 403


async def test_unknown_endpoint_is_json_404(jp_fetch):
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch("hubml", "api", "no-such-thing")
    assert info.value.code == 404
    error = json.loads(info.value.response.body)["error"]
    assert error["code"] == "http_404"
    assert "openapi.json" in error["message"]


def test_import_hubml_loads_no_heavy_module():
    code = ("import sys, hubml, hubml.server, hubml.environment; "
            "hubml.environment.status(); "
            "heavy = [m for m in ('pandas', 'mlflow', 'sklearn', 'tensorflow', 'torch', 'h2o') "
            "if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
