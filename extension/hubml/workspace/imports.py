"""Read uploaded files into DataFrames: CSV, TSV, Parquet, JSON lines, Excel.

Formats come from the extension (or are given); the delimiter and the encoding of text
files are detected, with overrides. Every failure is an InvalidInput that says what to
change (which line is ragged, which encoding to try).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import InvalidInput

__all__ = ["FORMATS", "detect_format", "read_table"]

FORMATS = ("csv", "tsv", "parquet", "jsonl", "excel")
_SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".txt": "csv", ".parquet": "parquet",
             ".pq": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
             ".xlsx": "excel", ".xls": "excel"}
_ENCODINGS = ("utf-8-sig", "cp1251", "latin-1")


def detect_format(name: str, head: bytes = b"") -> str:
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PK\x03\x04"):
        return "excel"
    fmt = _SUFFIXES.get(Path(name).suffix.lower())
    if fmt:
        return fmt
    if head.lstrip().startswith(b"{"):
        return "jsonl"
    raise InvalidInput(f"cannot tell the format of {name!r}; name it .csv, .tsv, .parquet, "
                       ".jsonl or .xlsx, or pass format=", details={"field": "format"})


def _decode(data: bytes, encoding: str | None) -> tuple[str, str]:
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise InvalidInput(f"unknown encoding {encoding!r}; use a name like utf-8, cp1251 "
                               "or latin-1", details={"field": "encoding"}) from None
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"the file is not {encoding} (byte {exc.start}); try another "
                               "encoding, e.g. cp1251 or latin-1",
                               details={"field": "encoding"}) from None
    for candidate in _ENCODINGS:
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    raise InvalidInput("cannot detect the encoding; pass encoding=", details={"field": "encoding"})


def _sniff_delimiter(text: str, fmt: str) -> str:
    if fmt == "tsv":
        return "\t"
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def read_table(source, name: str | None = None, format: str | None = None,
               encoding: str | None = None, delimiter: str | None = None):
    """DataFrame from a path or bytes. Returns (df, details) with the format, encoding and
    delimiter that were used, so the caller can record them as the dataset's source."""
    import pandas as pd

    data = Path(source).read_bytes() if isinstance(source, (str, Path)) else bytes(source)
    name = name or (str(source) if isinstance(source, (str, Path)) else "upload")
    if not data.strip():
        raise InvalidInput(f"{Path(name).name} is empty; upload a file with a header row and "
                           "data", details={"field": "file"})
    fmt = format or detect_format(name, data[:8])
    if fmt not in FORMATS:
        raise InvalidInput(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}",
                           details={"field": "format"})
    details = {"format": fmt, "file": Path(name).name, "bytes": len(data)}
    try:
        if fmt == "parquet":
            return pd.read_parquet(io.BytesIO(data)), details
        if fmt == "excel":
            return pd.read_excel(io.BytesIO(data)), details
        text, used = _decode(data, encoding)
        details["encoding"] = used
        if fmt == "jsonl":
            return pd.read_json(io.StringIO(text), lines=True), details
        sep = delimiter or _sniff_delimiter(text, fmt)
        details["delimiter"] = sep
        return pd.read_csv(io.StringIO(text), sep=sep), details
    except InvalidInput:
        raise
    except pd.errors.ParserError as exc:
        problem = str(exc).strip().split("C error: ")[-1]  # drop pandas' parser jargon
        raise InvalidInput(f"{Path(name).name} is not a regular table: {problem}. Fix that "
                           "line or choose the right delimiter",
                           details={"field": "file"}) from None
    except Exception as exc:  # parsers raise many types (BadZipFile, ArrowInvalid, ...)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InvalidInput(f"{Path(name).name} cannot be read as {fmt}: {first}",
                           details={"field": "file"}) from None
