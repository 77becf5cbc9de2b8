"""The OpenAPI document says what the server accepts: every request body and query argument is
generated from the handler's own validator, every field is described, a request built only
from the document is accepted by a real server, one missing a required field is refused with
400 naming it, and the fields the server knows are exactly the documented ones."""

import shutil

import jsonschema
import pytest

import hubml
from hubml.server.openapi import UPLOAD_FORM, openapi_document
from hubml.server.parse import body_schema, query_parameters
from hubml.server.routes import ROUTES, route_methods
from hubml.server.uploads import FIELDS as UPLOAD_FIELDS
from tests.server.helpers import error_of, multipart

DOC = openapi_document("/hubml/api")
COMPONENTS = DOC["components"]
OPS = [(path, method, handler) for path, handler in ROUTES
       for method in sorted(route_methods(handler))]
JSON_BODY_OPS = [(path, method) for path, method, _ in OPS
                 if "application/json" in DOC["paths"][f"/{path}"][method]
                 .get("requestBody", {}).get("content", {})]
UPLOAD = "projects/{project}/datasets"


def resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = COMPONENTS["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def json_schema_of(path: str, method: str) -> dict:
    op = DOC["paths"][f"/{path}"][method]
    return resolve(op["requestBody"]["content"]["application/json"]["schema"])


def value_of(schema: dict):
    """A value for a property, from the document only: its example, default or enum."""
    for key in ("examples", "enum"):
        if schema.get(key):
            return schema[key][0]
    if "default" in schema:
        return schema["default"]
    kind = schema.get("type")
    kind = next(k for k in kind if k != "null") if isinstance(kind, list) else kind
    return {"string": "abc", "integer": schema.get("minimum", 1), "number": 0,
            "boolean": True, "array": [], "object": {}}[kind]


def required_only(schema: dict) -> dict:
    """The body of the required fields only (and those a matching if/then requires)."""
    body = {name: value_of(schema["properties"][name]) for name in schema.get("required", [])}
    if "if" in schema and jsonschema.Draft202012Validator(schema["if"]).is_valid(body):
        for name in schema["then"].get("required", []):
            body[name] = value_of(schema["properties"][name])
    return body


def bodies_of(path: str, method: str) -> list[dict]:
    """Bodies built only from the document: the required fields, and the documented example."""
    op = DOC["paths"][f"/{path}"][method]
    media = op["requestBody"]["content"]["application/json"]
    out = [required_only(json_schema_of(path, method))]
    if "example" in media:
        out.append(media["example"])
    for body in out:  # the document's own examples fit its schema
        jsonschema.validate(body, {**json_schema_of(path, method), "components": COMPONENTS})
    return out


def url_of(path: str, method: str) -> str:
    op = DOC["paths"][f"/{path}"][method]
    examples = {p["name"]: p["example"] for p in op.get("parameters", []) if p["in"] == "path"}
    return path.format(**examples)


def described(schema: dict, where: str) -> list[str]:
    """Where in ``schema`` a property has no description."""
    schema = resolve(schema)
    missing = []
    for name, prop in schema.get("properties", {}).items():
        if not resolve(prop).get("description"):
            missing.append(f"{where}.{name}")
        missing += described(prop, f"{where}.{name}")
    for key in ("allOf", "oneOf", "anyOf"):
        for i, part in enumerate(schema.get(key, [])):
            missing += described(part, f"{where}.{key}[{i}]")
    return missing


# -- the document against the handlers' validators (no server) -----------------------------


def test_every_request_body_is_generated_from_its_handlers_validator():
    from hubml.training.spec import TrainingSpec

    for path, method, handler in OPS:
        op = DOC["paths"][f"/{path}"][method]
        source = handler.bodies.get(method)
        if path == UPLOAD and method == "post":
            continue  # a file: see the upload tests below
        if source is None:
            assert "requestBody" not in op, (path, method, "documents a body nobody checks")
            continue
        expected = source.json_schema() if hasattr(source, "json_schema") else \
            body_schema(source)
        assert json_schema_of(path, method) == expected, (path, method)
    assert any(h.bodies.get(m) is TrainingSpec for _, m, h in OPS)


def test_every_query_argument_is_generated_from_its_handlers_validator():
    for path, method, handler in OPS:
        op = DOC["paths"][f"/{path}"][method]
        documented = [p for p in op.get("parameters", []) if p["in"] == "query"]
        if path == UPLOAD and method == "post":
            assert [p["name"] for p in documented] == ["filename", *UPLOAD_FIELDS]
            continue
        assert documented == query_parameters(handler.queries.get(method, [])), (path, method)


def test_every_field_and_parameter_of_a_request_is_described():
    missing = []
    for path, item in DOC["paths"].items():
        for method, op in item.items():
            for param in op.get("parameters", []):
                if not param.get("description"):
                    missing.append(f"{method} {path} ?{param['name']}")
            for media, content in op.get("requestBody", {}).get("content", {}).items():
                if not resolve(content["schema"]).get("description") and \
                        "properties" not in resolve(content["schema"]):
                    missing.append(f"{method} {path} {media}")
                missing += described(content["schema"], f"{method} {path} {media}")
    assert not missing, missing


def test_every_upload_option_the_server_reads_is_documented():
    upload = resolve(DOC["paths"][f"/{UPLOAD}"]["post"]["requestBody"]["content"]
                     ["multipart/form-data"]["schema"])
    assert set(upload["properties"]) == {"file", *UPLOAD_FIELDS}
    assert set(UPLOAD_FORM) >= set(UPLOAD_FIELDS), set(UPLOAD_FIELDS) - set(UPLOAD_FORM)


def test_starting_a_job_documents_its_required_fields():
    schema = json_schema_of("projects/{project}/jobs", "post")
    assert set(schema["required"]) == {"framework", "algorithm", "task", "dataset"}
    assert schema["properties"]["framework"]["enum"] == list(hubml.frameworks.NAMES)
    assert schema["additionalProperties"] is False


# -- the document against a real server -----------------------------------------------------


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    """What the document's examples name: project "demo" with dataset and model "iris" (alias
    production), and "scratch" for rename and delete; made once, copied for each test."""
    from sklearn.datasets import load_iris

    root = tmp_path_factory.mktemp("openapi-demo")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("HUBML_PROJECT_ROOTS", str(root))
        env.delenv("HUBML_TRACKING_URI", raising=False)
        p = hubml.create_project("demo")
        hubml.create_project("scratch")
        df = load_iris(as_frame=True).frame
        df.columns = [c.replace(" (cm)", "").replace(" ", "_") for c in df.columns]
        version = p.save_dataset("iris", df)
        model = hubml.frameworks.get("sklearn").fit(
            "sklearn.logistic_regression", "multiclass", {}, df.drop(columns=["target"]),
            df["target"])
        p.register_model("iris", model, framework="sklearn", dataset=version, task="multiclass")
        p.model("iris").set_alias("production", 1)
    return root


@pytest.fixture
def demo(roots, demo_template):
    # a project folder is relocatable: each test gets its own copy, changes stay in it
    for name in ("demo", "scratch"):
        shutil.copytree(demo_template / name, roots / name)
    return hubml.project("demo")


def _finish_jobs(project):
    for job in project.jobs():
        job.wait(timeout=300)


@pytest.mark.parametrize("path, method", JSON_BODY_OPS)
async def test_a_request_built_only_from_the_document_is_accepted(api, demo, path, method):
    for body in bodies_of(path, method):
        code, answer = await api(method.upper(), url_of(path, method), body)
        assert code < 300 or code == 409, (path, method, body, code, answer)
        if path == "projects/{project}" and method == "patch" and "name" in body:
            await api("PATCH", f"projects/{body['name']}", {"name": "scratch"})
    _finish_jobs(demo)
    if path.endswith("/jobs"):
        assert {j.state for j in demo.jobs()} == {"succeeded"}, [j.log() for j in demo.jobs()]


@pytest.mark.parametrize("path, method, field", [
    (path, method, field) for path, method in JSON_BODY_OPS
    for field in {f for body in bodies_of(path, method)
                  for f in json_schema_of(path, method).get("required", []) +
                  json_schema_of(path, method).get("then", {}).get("required", [])
                  if f in body}])
async def test_a_body_missing_a_required_field_is_refused(api, demo, path, method, field):
    body = next(b for b in reversed(bodies_of(path, method)) if field in b)
    body = {k: v for k, v in body.items() if k != field}
    code, answer = await api(method.upper(), url_of(path, method), body)
    assert code == 400, (field, code, answer)
    assert error_of(answer)["details"]["field"] == field
    assert not demo.jobs()


@pytest.mark.parametrize("path, method", JSON_BODY_OPS)
async def test_the_server_knows_exactly_the_documented_fields(api, demo, path, method):
    """A field added to a validator without being documented fails here."""
    body = {**bodies_of(path, method)[0], "zz_undocumented": 1}
    code, answer = await api(method.upper(), url_of(path, method), body)
    assert code == 400, answer
    details = error_of(answer)["details"]
    assert details["field"] == "zz_undocumented"
    assert set(details["known"]) == set(json_schema_of(path, method)["properties"])


async def test_an_upload_built_only_from_the_document_is_accepted(api, demo):
    op = DOC["paths"][f"/{UPLOAD}"]["post"]
    text = op["requestBody"]["content"]["text/csv"]["example"]
    query = {p["name"]: p["example"] for p in op["parameters"]
             if p["in"] == "query" and "example" in p}
    code, answer = await api("POST", url_of(UPLOAD, "post"), text, params=query,
                             headers={"Content-Type": "text/csv"})
    assert code == 201, answer
    assert answer["dataset"]["rows"] == 2
    form = resolve(op["requestBody"]["content"]["multipart/form-data"]["schema"])
    assert form["required"] == ["file"]
    body, headers = multipart({"file": (query["filename"], text.encode())},
                              {"zz_undocumented": "1"})
    code, answer = await api("POST", url_of(UPLOAD, "post"), body, headers=headers)
    assert code == 400
    assert set(error_of(answer)["details"]["known"]) == set(form["properties"])


@pytest.mark.parametrize("path, name", [
    (path, p["name"]) for path, item in DOC["paths"].items() for p in item.get("get", {})
    .get("parameters", []) if p["in"] == "query" and "maximum" in p["schema"]])
async def test_query_bounds_are_the_documented_ones(api, demo, path, name):
    op = DOC["paths"][path]["get"]
    top = next(p for p in op["parameters"] if p["name"] == name)["schema"]["maximum"]
    url = url_of(path.lstrip("/"), "get")
    code, answer = await api("GET", url, params={name: str(top)})
    assert code == 200, answer
    code, answer = await api("GET", url, params={name: str(top + 1)})
    assert code == 400 and error_of(answer)["details"]["field"] == name, answer
    if "minimum" in (schema := next(p for p in op["parameters"] if p["name"] == name)["schema"]):
        code, answer = await api("GET", url, params={name: str(schema["minimum"] - 1)})
        assert code == 400, answer
