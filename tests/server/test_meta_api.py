"""The route table against the OpenAPI document, every route refusing unauthenticated
requests, frameworks, templates, and scripts made from templates."""

import json

import pytest
from tornado.httpclient import HTTPClientError

from hubml.server.openapi import PATHS, openapi_document
from hubml.server.routes import METHODS, ROUTES, route_methods
from tests.server.helpers import error_of, tree_hash

EXAMPLE = {"project": "sales", "name": "orders", "version": "1", "alias": "production",
           "job_id": "20260101-000000-abcdef", "format": "joblib",
           "run_id": "0123456789abcdef0123456789abcdef", "deployment": "serve-orders"}


def test_route_table_and_openapi_document_agree():
    routes = {path: route_methods(handler) for path, handler in ROUTES}
    documented = {path: {m for m in item if m in METHODS} for path, item in PATHS.items()}
    assert routes == documented
    for path, item in PATHS.items():
        params = {p["name"] for op in item.values() for p in op.get("parameters", [])
                  if p["in"] == "path"}
        assert params == set(path.replace("}", "{").split("{")[1::2]), path


def test_openapi_document_is_valid_openapi_3_1():
    import jsonschema
    from schemathesis.specs.openapi import definitions

    doc = openapi_document("/hubml/api")
    assert doc["openapi"] == "3.1.0"
    jsonschema.Draft202012Validator(definitions.OPENAPI_31).validate(doc)
    for name, schema in doc["components"]["schemas"].items():
        jsonschema.Draft202012Validator.check_schema(schema), name


async def test_openapi_json_is_served_with_the_server_url(api, jp_base_url):
    code, body = await api("GET", "openapi.json")
    assert code == 200
    assert body["servers"] == [{"url": f"{jp_base_url.rstrip('/')}/hubml/api"}]
    assert set(body["paths"]) == {f"/{p}" for p, _ in ROUTES}


@pytest.mark.parametrize("path, method", [(p, m) for p, h in ROUTES for m in sorted(route_methods(h))])
async def test_every_route_refuses_unauthenticated_requests(jp_fetch, roots, path, method):
    before = tree_hash(roots)
    parts = path.format(**EXAMPLE).split("/")
    body = b"{}" if method in ("post", "put", "patch") else None
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch("hubml", "api", *parts, method=method.upper(), body=body,
                       headers={"Authorization": ""})
    assert info.value.code == 403
    assert tree_hash(roots) == before


async def test_frameworks(api):
    import hubml

    code, body = await api("GET", "frameworks")
    assert code == 200
    assert body == json.loads(json.dumps({"frameworks": hubml.frameworks.available()}))
    sklearn = next(f for f in body["frameworks"] if f["name"] == "sklearn")
    assert "sklearn.random_forest" in {a["id"] for a in sklearn["algorithms"]}


async def test_templates_listing(api):
    code, body = await api("GET", "templates")
    assert code == 200
    ids = {t["id"]: t["kind"] for t in body["templates"]}
    assert ids == {"data-preparation": "notebook", "train-sklearn": "script",
                   "train-keras": "script", "train-pytorch": "script", "train-h2o": "script",
                   "predict": "script", "data_studio": "notebook",
                   "training_form": "notebook"}
    assert all(t["label"] and t["description"] for t in body["templates"])


async def test_new_script_and_notebook_from_templates(api, project):
    code, body = await api("POST", "projects/sales/scripts",
                           {"template": "train-sklearn", "name": "my-train"})
    # no dataset named: the one made last ("customers") and its last column as the target
    assert code == 201 and body == {"path": "scripts/my-train.py", "dataset": "customers",
                                    "version": 1, "target": "name", "task": "binary",
                                    "model": "customers-sklearn"}
    text = (project.path / body["path"]).read_text()
    assert 'DATASET = "customers"' in text and 'TARGET = "name"' in text
    assert "{dataset}" not in text and 'project "sales"' in text
    compile(text, "my-train.py", "exec")
    code, body = await api("POST", "projects/sales/scripts",
                           {"template": "data-preparation", "name": "prep",
                            "dataset": "orders"})
    assert code == 201 and body["path"] == "notebooks/prep.ipynb"
    assert body["dataset"] == "orders"
    notebook = json.loads((project.path / body["path"]).read_text())
    assert notebook["nbformat"] == 4
    assert any('"orders"' in "".join(c["source"]) for c in notebook["cells"])


@pytest.mark.parametrize("body, code, field", [
    ({"template": "train-sklearn", "name": "taken"}, 409, "name"),
    ({"template": "nope", "name": "x"}, 400, "template"),
    ({"template": "predict", "name": "../x"}, 400, "script"),
    ({"template": "predict", "name": "x" * 300}, 400, "name"),
    ({"template": "predict"}, 400, "name"),
    ({"template": 3, "name": "x"}, 400, "template"),
])
async def test_new_script_errors(api, project, body, code, field):
    (project.path / "scripts" / "taken.py").write_text("# mine\n")
    before = tree_hash(project.path)
    status, answer = await api("POST", "projects/sales/scripts", body)
    assert status == code
    assert error_of(answer)["details"]["field"] == field
    assert tree_hash(project.path) == before
    assert (project.path / "scripts" / "taken.py").read_text() == "# mine\n"
