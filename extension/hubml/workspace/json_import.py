"""JSON into an Arrow table: JSON lines with pyarrow's block reader, a JSON array of records
(``[{"a": 1}, ...]``, pretty-printed or not) decoded record by record into batches.

Neither holds the file's text: JSON lines stream through pyarrow; an array is read 1 MiB at a
time, and only one batch of records is ever Python objects.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path

from ..errors import InvalidInput
from ..messages import msg
from .arrow_tables import pandas_like
from .text_sniff import Source, arrow_encoding, detect_encoding

__all__ = ["is_json_array", "read_json"]

BLOCK_BYTES = 4 * 1024 * 1024
READ_CHARS = 1024 * 1024
BATCH_RECORDS = 20_000
_WHITESPACE = " \t\r\n"


def is_json_array(source: Source) -> bool:
    return source.prefix.lstrip(b" \t\r\n\xef\xbb\xbf")[:1] == b"["


def _unreadable(file: str, fmt: str, problem: str) -> InvalidInput:
    return InvalidInput(msg("import.unreadable", file=file, format=fmt, problem=problem),
                        details={"field": "file"})


def _read_lines(source: Source, encoding: str, file: str):
    import pyarrow as pa
    import pyarrow.json as pjson

    stream = source.arrow_input()
    if arrow_encoding(encoding) != "utf8":  # pyarrow's JSON reader knows only UTF-8
        stream = pa.transcoding_input_stream(pa.input_stream(stream), encoding, "utf8")
    try:
        return pjson.read_json(stream, read_options=pjson.ReadOptions(block_size=BLOCK_BYTES))
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        text = str(exc).strip()
        raise _unreadable(file, "jsonl", text.splitlines()[0] if text else "invalid JSON") \
            from None


def _records(source: Source, encoding: str, file: str):
    """Yield the objects of a top-level JSON array one by one, reading the file in pieces."""
    decoder = json.JSONDecoder()
    text_decoder = codecs.getincrementaldecoder(encoding)()
    buffer, at, index, started, finished = "", 0, 0, False, False
    with source.binary() as f:
        while True:
            chunk = f.read(READ_CHARS)
            buffer = buffer[at:] + text_decoder.decode(chunk, final=not chunk)
            at = 0
            while True:
                while at < len(buffer) and buffer[at] in _WHITESPACE + "\ufeff":
                    at += 1
                if at >= len(buffer):
                    break
                if not started:
                    started, at = True, at + 1  # the opening '[' (is_json_array checked it)
                    continue
                if finished:
                    raise _unreadable(file, "json", "text after the closing ']'")
                if buffer[at] == "]":
                    finished, at = True, at + 1
                    continue
                if index and buffer[at] == ",":
                    at += 1
                    continue
                try:
                    value, end = decoder.raw_decode(buffer, at)
                except json.JSONDecodeError as exc:
                    if chunk:  # perhaps cut at the end of the piece: read more
                        break
                    raise _unreadable(file, "json", str(exc)) from None
                if end == len(buffer) and chunk:  # a number may go on in the next piece
                    break
                if not isinstance(value, dict):
                    raise InvalidInput(msg("import.json_not_records", file=file, index=index),
                                       details={"field": "file"})
                yield value
                index, at = index + 1, end
            if not chunk:
                if not finished:
                    raise _unreadable(file, "json", "the array is not closed with ']'")
                return


def _batch(records: list[dict]):
    import pyarrow as pa

    names: dict[str, None] = {}
    for record in records:
        names.update(dict.fromkeys(record))
    return pa.table({name: pa.array([r.get(name) for r in records]) for name in names})


def _read_array(source: Source, encoding: str, file: str):
    import pyarrow as pa

    batches, records = [], []
    try:
        for record in _records(source, encoding, file):
            records.append(record)
            if len(records) == BATCH_RECORDS:
                batches.append(_batch(records))
                records = []
        if records or not batches:
            batches.append(_batch(records))
        # a later batch may add columns or widen a type (int then float): promote
        return pa.concat_tables(batches, promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        text = str(exc).strip()
        raise _unreadable(file, "json", text.splitlines()[0] if text else "mixed types") \
            from None


def read_json(source: Source, file: str, encoding: str | None = None):
    """(table, details) for JSON lines or a JSON array of records."""
    used = detect_encoding(source, encoding)
    array = is_json_array(source)
    table = _read_array(source, used, file) if array else _read_lines(source, used, file)
    details = {"format": "json" if array else "jsonl", "file": Path(file).name,
               "bytes": source.size, "encoding": used}
    return pandas_like(table, rename=False), details
