"""The streaming multipart parser: the same result however the body is cut into chunks."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hubml.errors import InvalidInput
from hubml.server.multipart import MultipartParser, boundary_of
from tests.server.helpers import multipart

BOUNDARY = "hubml-test-boundary-7f3a"


def parse(body: bytes, cuts=()):
    received = bytearray()
    names = []

    def on_file(filename):
        names.append(filename)
        return received.extend

    parser = MultipartParser(BOUNDARY.encode(), ("name", "save"), on_file)
    points = sorted({min(c, len(body)) for c in cuts})
    for start, end in zip([0, *points], [*points, len(body)], strict=True):
        parser.feed(body[start:end])
    parser.close()
    return bytes(received), parser.fields, names


# file contents that look like parts of the delimiter, CRLFs at the edges, binary bytes
TRICKY = [b"", b"\r\n", b"\r\n--", b"\r\n--hubml-test-boundary-7f3", b"--" + BOUNDARY.encode(),
          b"a\r\n--hubml-test-boundary-7f3b", bytes(range(256)) * 3, b"x" * 70_000]


@pytest.mark.parametrize("data", TRICKY, ids=range(len(TRICKY)))
def test_file_bytes_come_through_unchanged(data):
    body, _ = multipart({"file": ("a.csv", data)}, {"name": "orders", "save": "false"})
    got, fields, names = parse(body)
    assert got == data and fields == {"name": "orders", "save": "false"} and names == ["a.csv"]


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=3000) | st.sampled_from(TRICKY[:6]),
       cuts=st.lists(st.integers(min_value=0, max_value=4000), max_size=12),
       name=st.text(max_size=30))
def test_any_chunking_gives_the_same_result(data, cuts, name):
    body, _ = multipart({"file": ("b.csv", data)}, {"name": name})
    got, fields, _ = parse(body, cuts)
    assert got == data and fields == {"name": name}


def test_one_byte_chunks():
    body, _ = multipart({"file": ("c.csv", b"a,b\r\n1,2\r\n")}, {"save": "true"})
    assert parse(body, range(len(body)))[:2] == (b"a,b\r\n1,2\r\n", {"save": "true"})


def test_rfc2231_and_unicode_file_names():
    body = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename*=UTF-8''%D0%B4%D0%B0%D0%BD%D0%BD%D1%8B%D0%B5.csv\r\n\r\nx\r\n"
            f"--{BOUNDARY}--\r\n").encode()
    assert parse(body)[2] == ["данные.csv"]


@pytest.mark.parametrize("body, words", [
    (b"--" + BOUNDARY.encode() + b"\r\nContent-Disposition: form-data; name=\"file\"; "
     b"filename=\"a\"\r\n\r\ndata", "closing boundary"),
    (b"--" + BOUNDARY.encode() + b"\r\nX: y\r\n\r\n1\r\n--" + BOUNDARY.encode() + b"--",
     "Content-Disposition"),
    (b"--" + BOUNDARY.encode() + b"\r\nContent-Disposition: form-data; name=\"zzz\"\r\n\r\n1\r\n"
     b"--" + BOUNDARY.encode() + b"--", "unknown form field"),
    (b"--" + BOUNDARY.encode() + b"\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n"
     + b"n" * 70_000 + b"\r\n--" + BOUNDARY.encode() + b"--", "too long"),
    (b"--" + BOUNDARY.encode() + b"--\r\n", "no file"),
    (b"x" * 20_000, "no boundary"),
    (b"--" + BOUNDARY.encode() + b"XX", "CRLF"),
])
def test_malformed_bodies(body, words):
    with pytest.raises(InvalidInput) as info:
        parse(body)
    assert words in info.value.message


@pytest.mark.parametrize("content_type", ["multipart/form-data", "multipart/form-data; boundary=",
                                          "multipart/form-data; boundary=" + "b" * 300])
def test_boundary_is_required(content_type):
    with pytest.raises(InvalidInput):
        boundary_of(content_type)
    assert boundary_of('multipart/form-data; boundary="a b"') == b"a b"
