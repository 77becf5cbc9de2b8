"""Uploads over REST: multipart and raw bodies, format/encoding/delimiter detection and
overrides, unique raw names, the size limit (413, nothing left behind), unreadable files."""

import io
import json

import pandas as pd
import pytest
from tornado.httpclient import HTTPClientError

import hubml
from tests.server.conftest import UPLOAD_LIMIT
from tests.server.helpers import error_of, multipart, tree_hash

CSV = b"id,amount,region\n" + b"".join(f"{i},{i * 1.5},r{i % 3}\n".encode() for i in range(50))
UPLOADS = "projects/sales/datasets"


async def upload(api, files, fields=None, params=None):
    body, headers = multipart(files, fields)
    return await api("POST", UPLOADS, body, params=params, headers=headers)


async def test_multipart_csv_upload_saves_raw_file_and_dataset(api, project):
    code, body = await upload(api, {"file": ("Orders 2026.csv", CSV)},
                              {"description": "from the shop"})
    assert code == 201, body
    assert body["raw"] == "data/Orders 2026.csv"
    assert (project.path / body["raw"]).read_bytes() == CSV
    dataset = body["dataset"]
    assert dataset["name"] == "orders-2026" and dataset["version"] == 1
    assert dataset["description"] == "from the shop"
    assert dataset["source"]["path"] == "data/Orders 2026.csv"
    assert dataset["source"]["delimiter"] == ","
    preview = body["preview"]
    assert preview["columns"] == ["id", "amount", "region"] and preview["total"] == 50
    assert preview["rows"][:2] == [[0, 0.0, "r0"], [1, 1.5, "r1"]] and len(preview["rows"]) == 20
    df = hubml.project("sales").dataset("orders-2026").load()
    pd.testing.assert_frame_equal(df, pd.read_csv(io.BytesIO(CSV)))
    assert list((project.path / "data").iterdir()) == [project.path / body["raw"]]


async def test_same_file_name_twice_gets_a_unique_raw_name_and_a_new_version(api, project):
    changed = CSV + b"50,75.0,r2\n"
    first = (await upload(api, {"file": ("o.csv", CSV)}, {"name": "orders-2"}))[1]
    second = (await upload(api, {"file": ("o.csv", changed)}, {"name": "orders-2"}))[1]
    assert (first["raw"], second["raw"]) == ("data/o.csv", "data/o-1.csv")
    assert (first["dataset"]["version"], second["dataset"]["version"]) == (1, 2)


async def test_save_false_keeps_only_the_raw_file(api, project):
    code, body = await upload(api, {"file": ("x.csv", CSV)}, {"save": "false"})
    assert code == 201 and body["dataset"] is None and body["preview"]["total"] == 50
    assert not (project.path / "datasets" / "x").exists()
    assert (project.path / "data" / "x.csv").exists()


async def test_raw_body_with_overrides(api, project):
    text = "a;b\n1;привет\n2;мир\n".encode("cp1251")
    code, body = await api("POST", UPLOADS, text, params={
        "filename": "ru.txt", "name": "greetings", "delimiter": ";", "encoding": "cp1251"},
        headers={"Content-Type": "text/csv"})
    assert code == 201, body
    assert body["preview"]["rows"] == [[1, "привет"], [2, "мир"]]
    assert body["dataset"]["source"]["encoding"] == "cp1251"


@pytest.mark.parametrize("filename, make", [
    ("t.tsv", lambda df: df.to_csv(sep="\t", index=False).encode()),
    ("t.parquet", lambda df: df.to_parquet()),
    ("t.jsonl", lambda df: df.to_json(orient="records", lines=True).encode()),
    ("t.xlsx", lambda df: _excel(df)),
    ("semicolons.csv", lambda df: df.to_csv(sep=";", index=False).encode()),
])
async def test_formats_are_detected(api, project, filename, make):
    df = pd.DataFrame({"k": [1, 2, 3], "v": ["x", "y", "z"]})
    code, body = await upload(api, {"file": (filename, make(df))}, {"name": "t"})
    assert code == 201, body
    assert body["preview"]["rows"] == [[1, "x"], [2, "y"], [3, "z"]]


def _excel(df) -> bytes:
    out = io.BytesIO()
    df.to_excel(out, index=False)
    return out.getvalue()


@pytest.mark.parametrize("files, fields, params, field, words", [
    ({"file": ("r.csv", b"a,b\n1,2\n3,4,5\n")}, None, None, "file", "line 3"),
    ({"file": ("e.csv", b"")}, None, None, "file", "empty"),
    ({"file": ("c.parquet", b"PAR1 not really parquet")}, None, None, "file", "parquet"),
    ({"file": ("c.xlsx", b"PK\x03\x04garbage")}, None, None, "file", "excel"),
    ({"file": ("blob.bin", b"\x00\x01\x02")}, None, None, "format", "format"),
    ({"file": ("a.csv", CSV)}, {"format": "xml"}, None, "format", "format"),
    ({"file": ("a.csv", CSV)}, {"encoding": "klingon"}, None, "encoding", "encoding"),
    ({"file": ("a.csv", CSV)}, {"delimiter": ";;"}, None, "delimiter", "one character"),
    ({"file": ("a.csv", CSV)}, {"save": "maybe"}, None, "save", "true or false"),
    ({"file": ("a.csv", CSV)}, {"name": "../x"}, None, "dataset", "not allowed"),
    ({"file": ("../../evil.csv", CSV)}, None, None, "file", "file name"),
    ({"file": (".hidden.csv", CSV)}, None, None, "file", "file name"),
    ({"file": ("x" * 300 + ".csv", CSV)}, None, None, "file", "file name"),
    ({"data": ("a.csv", CSV)}, None, None, "data", "unknown form field"),
    ({}, {"name": "x"}, None, "file", "no file"),
    ({"file": ("!!!.csv", CSV)}, None, None, "name", "dataset name"),
])
async def test_unreadable_uploads_are_400_and_leave_nothing(api, project, files, fields, params,
                                                           field, words):
    before = tree_hash(project.path)
    code, body = await upload(api, files, fields, params)
    assert code == 400, body
    error = error_of(body)
    assert error["details"]["field"] == field
    assert words in error["message"], error["message"]
    assert tree_hash(project.path) == before


async def test_raw_upload_needs_a_filename(api, project):
    code, body = await api("POST", UPLOADS, CSV, headers={"Content-Type": "text/csv"})
    assert code == 400 and error_of(body)["details"]["field"] == "filename"


@pytest.mark.parametrize("kind", ["raw", "multipart-early", "multipart-streamed", "chunked"])
async def test_over_the_limit_is_413_and_leaves_nothing(api, jp_fetch, project, kind):
    before = tree_hash(project.path)
    big = b"a,b\n" + b"1,2\n" * (UPLOAD_LIMIT // 4 + 10)
    if kind == "raw":
        code, body = await api("POST", UPLOADS, big, params={"filename": "big.csv"})
    elif kind == "multipart-early":
        code, body = await upload(api, {"file": ("big.csv", big * 3)})
    elif kind == "multipart-streamed":  # body within the allowance, the file part over the limit
        code, body = await upload(api, {"file": ("big.csv", big)})
    else:
        async def producer(write):
            for start in range(0, len(big), 8192):
                await write(big[start:start + 8192])
        try:
            response = await jp_fetch("hubml", "api", "projects", "sales", "datasets",
                                      method="POST", body_producer=producer,
                                      params={"filename": "big.csv"})
        except HTTPClientError as exc:
            response = exc.response
        code, body = response.code, json.loads(response.body)
    assert code == 413, body
    assert error_of(body)["code"] == "too_large" and "max_upload_bytes" in body["error"]["message"]
    assert tree_hash(project.path) == before


async def test_upload_to_unknown_project_is_404(api, project):
    code, body = await api("POST", "projects/nope/datasets", CSV, params={"filename": "a.csv"})
    assert code == 404


async def test_unauthenticated_upload_is_refused_and_writes_nothing(jp_fetch, project):
    before = tree_hash(project.path)
    body, headers = multipart({"file": ("a.csv", CSV)})
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch("hubml", "api", "projects", "sales", "datasets", method="POST", body=body,
                       headers={**headers, "Authorization": ""})
    assert info.value.code == 403
    assert tree_hash(project.path) == before


async def test_client_gone_mid_upload_leaves_nothing(project, jp_fetch, jp_http_port, jp_base_url,
                                                     jp_auth_header):
    import asyncio

    before = tree_hash(project.path)
    reader, writer = await asyncio.open_connection("127.0.0.1", jp_http_port)
    path = f"{jp_base_url}hubml/api/projects/sales/datasets?filename=gone.csv"
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 60000\r\n"
            f"Authorization: {jp_auth_header['Authorization']}\r\n\r\n").encode()
    writer.write(head + b"a,b\n" + b"1,2\n" * 2000)
    await writer.drain()
    data = project.path / "data"
    for _ in range(100):  # the server is streaming it to a temporary file
        if any(data.iterdir()):
            break
        await asyncio.sleep(0.02)
    assert [p.name.startswith(".tmp-upload-") for p in data.iterdir()] == [True]
    writer.close()
    for _ in range(100):
        if tree_hash(project.path) == before:
            break
        await asyncio.sleep(0.02)
    assert tree_hash(project.path) == before
