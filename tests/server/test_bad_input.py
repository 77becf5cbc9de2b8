"""A corpus of bad requests against a live server: each gets a 4xx JSON error with a useful
message, and the project tree is byte-for-byte the same before and after.

One real ``jupyter server`` (c.HubML.max_upload_bytes = 4096) serves the whole module; the
requests go through http.client so that paths reach the server exactly as written
(``%2F``, ``%00``, ``..``).
"""

import http.client
import json

import pandas as pd
import pytest

import hubml
from tests.server.helpers import multipart, tree_hash
from tests.support.jupyter import live_jupyter_server

LIMIT = 4096
CSV = b"a,b\n1,2\n3,4\n"
BIG = b"a,b\n" + b"1,2\n" * (LIMIT // 4 + 100)
LONG = "x" * 300
SPEC = {"framework": "sklearn", "algorithm": "sklearn.logistic_regression", "task": "binary",
        "dataset": "orders", "target": "label"}


def mp(filename="f.csv", data=CSV, fields=None, field="file"):
    """A multipart upload as (body, headers)."""
    return multipart({field: (filename, data)} if filename is not None else {}, fields)


def raw_multipart(text: bytes, boundary="b0undary"):
    return text, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


J = "application/json"
UP = "projects/sales/datasets"
M = "projects/sales/models"
JOBS = "projects/sales/jobs"
V1 = "projects/sales/datasets/orders/versions/1"

# (id, method, path, body, expected status); body: None, bytes, a JSON value, or
# (bytes, headers) for uploads
CASES = [
    ("json-truncated", "POST", "projects", b"{", 400),
    ("json-array", "POST", "projects", b"[]", 400),
    ("json-null", "POST", "projects", b"null", 400),
    ("json-string", "POST", "projects", b'"sales"', 400),
    ("json-not-utf8", "POST", "projects", b"\xff\xfe{}", 400),
    ("json-nested-deep", "POST", "projects", b"[" * 100_000, 400),
    ("json-empty", "POST", "projects", b"", 400),
    ("name-number", "POST", "projects", {"name": 1}, 400),
    ("name-null", "POST", "projects", {"name": None}, 400),
    ("name-empty", "POST", "projects", {"name": ""}, 400),
    ("name-dotdot", "POST", "projects", {"name": "../evil"}, 400),
    ("name-nul", "POST", "projects", {"name": "a\u0000b"}, 400),
    ("name-300", "POST", "projects", {"name": LONG}, 400),
    ("name-absolute", "POST", "projects", {"name": "/etc"}, 400),
    ("name-upper", "POST", "projects", {"name": "Sales"}, 400),
    ("name-taken", "POST", "projects", {"name": "sales"}, 409),
    ("tags-string", "POST", "projects", {"name": "ok", "tags": "a"}, 400),
    ("tags-number", "POST", "projects", {"name": "ok", "tags": [1]}, 400),
    ("tags-dotdot", "POST", "projects", {"name": "ok", "tags": ["../x"]}, 400),
    ("description-number", "POST", "projects", {"name": "ok", "description": 5}, 400),
    ("unknown-field", "POST", "projects", {"name": "ok", "owner": "me"}, 400),
    ("get-encoded-dotdot", "GET", "projects/..%2F..%2Fetc", None, 400),
    ("get-dotdot", "GET", "projects/%2e%2e", None, 400),
    ("get-nul", "GET", "projects/a%00b", None, 400),
    ("get-300", "GET", f"projects/{LONG}", None, 400),
    ("get-absolute", "GET", "projects/%2Fetc%2Fpasswd", None, 400),
    ("get-unknown", "GET", "projects/nope", None, 404),
    ("get-bad-utf8", "GET", "projects/%ff%fe", None, 400),
    ("patch-truncated", "PATCH", "projects/sales", b"{", 400),
    ("patch-dotdot", "PATCH", "projects/sales", {"name": "../x"}, 400),
    ("patch-name-number", "PATCH", "projects/sales", {"name": 5}, 400),
    ("patch-bad-tag", "PATCH", "projects/sales", {"tags": ["A"]}, 400),
    ("patch-half-bad", "PATCH", "projects/sales", {"description": "x", "tags": ["A"]}, 400),
    ("patch-taken", "PATCH", "projects/sales", {"name": "other", "description": "x"}, 409),
    ("patch-unknown", "PATCH", "projects/nope", {"description": "x"}, 404),
    ("delete-unknown", "DELETE", "projects/nope", None, 404),
    ("delete-dotdot", "DELETE", "projects/..%2Fsales", None, 400),
    ("delete-dots", "DELETE", "projects/%2E%2E", None, 400),
    ("delete-nul", "DELETE", "projects/sales%00", None, 400),
    ("put-projects", "PUT", "projects", {"name": "x"}, 405),
    ("delete-projects", "DELETE", "projects", None, 405),
    ("dataset-unknown", "GET", "projects/sales/datasets/nope", None, 404),
    ("dataset-dotdot", "GET", "projects/sales/datasets/..%2F..%2Fhubml-project.yaml", None, 400),
    ("dataset-nul", "GET", "projects/sales/datasets/a%00", None, 400),
    ("dataset-300", "GET", f"projects/sales/datasets/{LONG}", None, 400),
    ("version-0", "GET", "projects/sales/datasets/orders/versions/0", None, 400),
    ("version-negative", "GET", "projects/sales/datasets/orders/versions/-1", None, 400),
    ("version-word", "GET", "projects/sales/datasets/orders/versions/abc", None, 400),
    ("version-missing", "GET", "projects/sales/datasets/orders/versions/99", None, 404),
    ("version-float", "GET", "projects/sales/datasets/orders/versions/1.5", None, 400),
    ("version-nul", "GET", "projects/sales/datasets/orders/versions/%00", None, 400),
    ("version-huge", "GET", "projects/sales/datasets/orders/versions/" + "9" * 30, None, 404),
    ("version-dotdot", "GET", "projects/sales/datasets/orders/versions/..%2F1", None, 400),
    ("preview-limit-big", "GET", f"{V1}/preview?limit=5000", None, 400),
    ("preview-limit-negative", "GET", f"{V1}/preview?limit=-1", None, 400),
    ("preview-offset-negative", "GET", f"{V1}/preview?offset=-1", None, 400),
    ("preview-offset-word", "GET", f"{V1}/preview?offset=abc", None, 400),
    ("preview-limit-nul", "GET", f"{V1}/preview?limit=1%00", None, 400),
    ("preview-offset-huge", "GET", f"{V1}/preview?offset=" + "9" * 30, None, 400),
    ("preview-limit-float", "GET", f"{V1}/preview?limit=1.5", None, 400),
    ("preview-bad-utf8", "GET", f"{V1}/preview?limit=%ff", None, 400),
    ("preview-unknown-dataset", "GET", "projects/sales/datasets/x/versions/1/preview", None, 404),
    ("preview-unknown-version", "GET", "projects/sales/datasets/orders/versions/9/preview",
     None, 404),
    ("datasets-unknown-project", "GET", "projects/nope/datasets", None, 404),
    ("post-dataset", "POST", "projects/sales/datasets/orders", b"{}", 405),
    ("upload-raw-over-limit", "POST", f"{UP}?filename=big.csv", (BIG, {}), 413),
    ("upload-multipart-over-limit", "POST", UP, mp("big.csv", BIG), 413),
    ("upload-multipart-far-over", "POST", UP, mp("big.csv", BIG * 20), 413),
    ("upload-chunked-over-limit", "POST", f"{UP}?filename=big.csv", ("chunked", {}), 413),
    ("upload-empty", "POST", UP, mp("e.csv", b""), 400),
    ("upload-blank", "POST", UP, mp("e.csv", b"\n\n  \n"), 400),
    ("upload-ragged", "POST", UP, mp("r.csv", b"a,b\n1,2\n3,4,5,6\n"), 400),
    ("upload-corrupt-parquet", "POST", UP, mp("c.parquet", b"PAR1garbage"), 400),
    ("upload-corrupt-xlsx", "POST", UP, mp("c.xlsx", b"PK\x03\x04garbage"), 400),
    ("upload-corrupt-jsonl", "POST", UP, mp("c.jsonl", b'{"a": 1}\n{"a": \n'), 400),
    ("upload-unsupported", "POST", UP, mp("x.bin", b"\x00\x01binary"), 400),
    ("upload-format-xml", "POST", UP, mp(fields={"format": "xml"}), 400),
    ("upload-encoding-bad", "POST", UP, mp(fields={"encoding": "klingon"}), 400),
    ("upload-not-utf8", "POST", UP, mp(data=b"a,b\n\xff,1\n", fields={"encoding": "utf-8"}), 400),
    ("upload-delimiter-long", "POST", UP, mp(fields={"delimiter": ";;"}), 400),
    ("upload-save-maybe", "POST", UP, mp(fields={"save": "maybe"}), 400),
    ("upload-name-dotdot", "POST", UP, mp(fields={"name": "../x"}), 400),
    ("upload-name-upper", "POST", UP, mp(fields={"name": "Bad"}), 400),
    ("upload-name-300", "POST", UP, mp(fields={"name": LONG}), 400),
    ("upload-filename-dotdot", "POST", UP, mp("../../x.csv"), 400),
    ("upload-filename-nul", "POST", UP, mp("a\x00b.csv"), 400),
    ("upload-filename-hidden", "POST", UP, mp(".hidden.csv"), 400),
    ("upload-filename-300", "POST", UP, mp(LONG + ".csv"), 400),
    ("upload-filename-absolute", "POST", UP, mp("/etc/passwd"), 400),
    ("upload-filename-backslash", "POST", UP, mp("..\\..\\x.csv"), 400),
    ("upload-no-dataset-name", "POST", UP, mp("!!!.csv"), 400),
    ("upload-raw-no-filename", "POST", UP, (CSV, {"Content-Type": "text/csv"}), 400),
    ("upload-raw-filename-dotdot", "POST", f"{UP}?filename=..%2Fx.csv", (CSV, {}), 400),
    ("upload-raw-filename-absolute", "POST", f"{UP}?filename=%2Fetc%2Fx.csv", (CSV, {}), 400),
    ("upload-raw-filename-nul", "POST", f"{UP}?filename=x%00.csv", (CSV, {}), 400),
    ("upload-no-closing-boundary", "POST", UP,
     raw_multipart(b'--b0undary\r\nContent-Disposition: form-data; name="file"; '
                   b'filename="a.csv"\r\n\r\na,b\n1,2\n'), 400),
    ("upload-no-boundary-param", "POST", UP, (CSV, {"Content-Type": "multipart/form-data"}), 400),
    ("upload-unknown-field", "POST", UP, mp(fields={"colour": "red"}), 400),
    ("upload-wrong-file-field", "POST", UP, mp(field="upload"), 400),
    ("upload-no-file", "POST", UP, mp(filename=None, fields={"name": "x"}), 400),
    ("upload-two-files", "POST", UP, raw_multipart(
        b'--b0undary\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'
        b'a\n1\r\n--b0undary\r\nContent-Disposition: form-data; name="file"; filename="b.csv"'
        b'\r\n\r\na\n2\r\n--b0undary--\r\n'), 400),
    ("upload-garbage", "POST", UP, raw_multipart(b"no boundary anywhere " * 1000), 400),
    ("upload-bad-header", "POST", UP, raw_multipart(
        b"--b0undary\r\nthis is not a header\r\n\r\nx\r\n--b0undary--\r\n"), 400),
    ("upload-unknown-project", "POST", "projects/nope/datasets?filename=a.csv", (CSV, {}), 404),
    ("upload-dotdot-project", "POST", "projects/..%2Fx/datasets?filename=a.csv", (CSV, {}), 400),
    ("model-unknown", "GET", f"{M}/nope", None, 404),
    ("model-dotdot", "GET", f"{M}/..%2Fx", None, 400),
    ("model-version-0", "GET", f"{M}/m/versions/0", None, 400),
    ("model-version-missing", "GET", f"{M}/m/versions/9", None, 404),
    ("model-version-word", "GET", f"{M}/m/versions/latest", None, 400),
    ("alias-truncated", "PUT", f"{M}/m/aliases/prod", b"{", 400),
    ("alias-version-string", "PUT", f"{M}/m/aliases/prod", {"version": "1"}, 400),
    ("alias-version-float", "PUT", f"{M}/m/aliases/prod", {"version": 1.5}, 400),
    ("alias-version-bool", "PUT", f"{M}/m/aliases/prod", {"version": True}, 400),
    ("alias-version-missing", "PUT", f"{M}/m/aliases/prod", {"version": 99}, 404),
    ("alias-version-zero", "PUT", f"{M}/m/aliases/prod", {"version": 0}, 400),
    ("alias-no-version", "PUT", f"{M}/m/aliases/prod", {}, 400),
    ("alias-upper", "PUT", f"{M}/m/aliases/Bad", {"version": 1}, 400),
    ("alias-nul", "PUT", f"{M}/m/aliases/a%00", {"version": 1}, 400),
    ("alias-unknown-model", "PUT", f"{M}/nope/aliases/prod", {"version": 1}, 404),
    ("alias-delete-unknown", "DELETE", f"{M}/m/aliases/nope", None, 404),
    ("alias-delete-unknown-model", "DELETE", f"{M}/nope/aliases/production", None, 404),
    ("models-unknown-project", "GET", "projects/nope/models", None, 404),
    ("job-truncated", "POST", JOBS, b"{", 400),
    ("job-empty", "POST", JOBS, {}, 400),
    ("job-array", "POST", JOBS, [SPEC], 400),
    ("job-unknown-algorithm", "POST", JOBS, {**SPEC, "algorithm": "sklearn.nope"}, 400),
    ("job-unknown-framework", "POST", JOBS, {**SPEC, "framework": "caffe"}, 400),
    ("job-unknown-dataset", "POST", JOBS, {**SPEC, "dataset": "nope"}, 400),
    ("job-dataset-dotdot", "POST", JOBS, {**SPEC, "dataset": "../x"}, 400),
    ("job-unknown-target", "POST", JOBS, {**SPEC, "target": "nope"}, 400),
    ("job-bad-params", "POST", JOBS, {**SPEC, "params": {"max_iter": "many"}}, 400),
    ("job-bad-fraction", "POST", JOBS, {**SPEC, "test": 2}, 400),
    ("job-unknown-field", "POST", JOBS, {**SPEC, "gpu": True}, 400),
    ("job-id-word", "GET", f"{JOBS}/nope", None, 400),
    ("job-id-dotdot", "GET", f"{JOBS}/..%2F..", None, 400),
    ("job-unknown", "GET", f"{JOBS}/20260101-000000-abcdef", None, 404),
    ("job-metrics-unknown", "GET", f"{JOBS}/20260101-000000-abcdef/metrics", None, 404),
    ("job-cancel-unknown", "POST", f"{JOBS}/20260101-000000-abcdef/cancel", None, 404),
    ("script-unknown-template", "POST", "projects/sales/scripts",
     {"template": "nope", "name": "x"}, 400),
    ("script-name-dotdot", "POST", "projects/sales/scripts",
     {"template": "predict", "name": "../x"}, 400),
    ("script-name-300", "POST", "projects/sales/scripts", {"template": "predict", "name": LONG},
     400),
    ("script-taken", "POST", "projects/sales/scripts", {"template": "predict", "name": "taken"},
     409),
    ("script-no-name", "POST", "projects/sales/scripts", {"template": "predict"}, 400),
    ("script-truncated", "POST", "projects/sales/scripts", b"{", 400),
    ("unknown-route", "GET", "nope", None, 404),
    ("unknown-subroute", "GET", "projects/sales/nope", None, 404),
    ("status-post", "POST", "status", b"{}", 405),
    # a trailing newline (%0A) is not part of any name: 400, never a lookup of "sales\n"
    ("newline-project-new", "POST", "projects", {"name": "x\n"}, 400),
    ("newline-project-tag", "POST", "projects", {"name": "x", "tags": ["t\n"]}, 400),
    ("newline-project-rename", "PATCH", "projects/sales", {"name": "y\n"}, 400),
    ("newline-project-get", "GET", "projects/sales%0A", None, 400),
    ("newline-project-delete", "DELETE", "projects/sales%0A", None, 400),
    ("newline-project-crlf", "GET", "projects/sales%0D%0A", None, 400),
    ("newline-datasets", "GET", "projects/sales%0A/datasets", None, 400),
    ("newline-dataset", "GET", "projects/sales/datasets/orders%0A", None, 400),
    ("newline-version", "GET", "projects/sales/datasets/orders/versions/1%0A", None, 400),
    ("newline-upload-name", "POST", f"{UP}?filename=x.csv&name=a%0A", (CSV, {}), 400),
    ("newline-model", "GET", f"{M}/m%0A", None, 400),
    ("newline-model-version", "GET", f"{M}/m/versions/1%0A", None, 400),
    ("newline-alias-put", "PUT", f"{M}/m/aliases/prod%0A", {"version": 1}, 400),
    ("newline-alias-delete", "DELETE", f"{M}/m/aliases/prod%0A", None, 400),
    ("newline-job", "GET", f"{JOBS}/20260101-000000-abcdef%0A", None, 400),
    ("newline-job-dataset", "POST", JOBS, {**SPEC, "dataset": "orders\n"}, 400),
    ("newline-script", "POST", "projects/sales/scripts",
     {"template": "train_sklearn", "name": "s\n"}, 400),
    ("no-token-projects", "GET", "projects", ("no-token", None), 403),
    ("no-token-upload", "POST", f"{UP}?filename=a.csv", ("no-token", CSV), 403),
    ("no-token-delete", "DELETE", "projects/sales", ("no-token", None), 403),
    ("no-token-alias", "PUT", f"{M}/m/aliases/prod", ("no-token", b'{"version": 1}'), 403),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from sklearn.linear_model import LogisticRegression  # noqa: F401  (warm import)

    workdir = tmp_path_factory.mktemp("bad-input")
    root = workdir / "projects"
    root.mkdir()
    p = hubml.create_project("sales", root=root)
    hubml.create_project("other", root=root)
    df = pd.DataFrame({"x": [0.1, 0.5, 0.9, 0.2, 0.8, 0.3] * 5,
                       "label": ["no", "yes", "yes", "no", "yes", "no"] * 5})
    v = p.save_dataset("orders", df)
    (p.path / "scripts" / "taken.py").write_text("# mine\n")
    model = hubml.frameworks.get("sklearn").fit("sklearn.logistic_regression", "binary", {},
                                                df[["x"]], df["label"])
    import os

    os.environ["HUBML_PROJECT_ROOTS"] = str(root)
    try:
        p.register_model("m", model, framework="sklearn", dataset=v)
    finally:
        del os.environ["HUBML_PROJECT_ROOTS"]
    with live_jupyter_server(workdir, (f"--HubML.max_upload_bytes={LIMIT}",)) as live:
        yield live


def send(server, method, path, body):
    host, port = server.url.split("//")[1].rstrip("/").split(":")
    headers = {"Authorization": f"token {server.token}"}
    if isinstance(body, tuple) and body[0] == "no-token":
        headers, body = {}, body[1]
    elif isinstance(body, tuple) and body[0] == "chunked":
        body = iter([BIG[i:i + 1000] for i in range(0, len(BIG), 1000)])
    elif isinstance(body, tuple):
        body, extra = body
        headers.update(extra)
    elif body is not None and not isinstance(body, bytes):
        body, headers["Content-Type"] = json.dumps(body).encode(), J
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request(method, f"/hubml/api/{path}", body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_corpus_is_large_enough():
    assert len(CASES) >= 100 and len({c[0] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("method, path, body, status",
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_request_is_4xx_with_a_message_and_changes_nothing(server, method, path, body,
                                                               status):
    before = tree_hash(server.root)
    code, raw = send(server, method, path, body)
    assert code == status, raw[:500]
    error = json.loads(raw)
    if code == 403 and "error" not in error:  # jupyter_server refuses before our handler
        assert error["message"]
    else:
        assert set(error["error"]) == {"code", "message", "details"}
        assert len(error["error"]["message"]) >= 15, error
    assert tree_hash(server.root) == before
