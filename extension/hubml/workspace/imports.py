"""Read uploaded files: CSV, TSV, JSON (lines or an array of records), Parquet, Excel.

Formats come from the extension or the first bytes (or are given); the delimiter and the
encoding of text files are detected from the first 64 KiB, with overrides. Text formats are
parsed by pyarrow straight from the file into an Arrow table (text_import, json_import), which
``save_dataset`` writes as it is. Every failure is an InvalidInput that says what to change
(which line is ragged, which encoding to try), and running out of memory is an OutOfMemory.
A file without rows or columns is refused; a leading unnamed row-number column (R's and
pandas' exports) is dropped, with a note in ``details["notes"]`` (index_column).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InvalidInput, OutOfMemory
from ..messages import msg
from .index_column import drop_row_index
from .text_sniff import Source

__all__ = ["FORMATS", "detect_format", "out_of_memory", "read_data", "read_table"]

FORMATS = ("csv", "tsv", "json", "jsonl", "parquet", "excel")
_SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".txt": "csv", ".parquet": "parquet",
             ".pq": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
             ".xlsx": "excel", ".xls": "excel"}


def detect_format(name: str, head: bytes = b"") -> str:
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PK\x03\x04"):
        return "excel"
    fmt = _SUFFIXES.get(Path(name).suffix.lower())
    if fmt:
        return fmt
    if head.lstrip()[:1] in (b"{", b"["):
        return "json"
    raise InvalidInput(msg("import.unknown_format", file=name), details={"field": "format"})


def _size_text(size: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


def out_of_memory(file: str, size: int, step: str) -> OutOfMemory:
    return OutOfMemory(msg("import.out_of_memory", file=Path(file).name, size=_size_text(size),
                           step=step), details={"field": "file", "bytes": size})


def read_data(source, name: str | None = None, format: str | None = None,
              encoding: str | None = None, delimiter: str | None = None):
    """(data, details) from a path (read in blocks) or bytes. ``data`` is a pyarrow Table for
    text formats and a pandas DataFrame for Parquet and Excel (their own dtypes and index kept);
    ``details`` has the format, encoding and delimiter used, for the dataset's source."""
    source = Source.of(source)
    file = Path(name or (str(source.path) if source.path else "upload")).name
    if not source.prefix.strip() and source.complete:
        raise InvalidInput(msg("import.empty", file=file), details={"field": "file"})
    fmt = format or detect_format(file, source.prefix[:8])
    if fmt not in FORMATS:
        raise InvalidInput(msg("import.bad_format", known=", ".join(FORMATS), format=fmt),
                           details={"field": "format"})
    try:
        data, details = _parse(source, file, fmt, encoding, delimiter)
    except (InvalidInput, OutOfMemory):
        raise
    except MemoryError:  # also pyarrow's ArrowMemoryError
        raise out_of_memory(file, source.size, "parsed") from None
    except Exception as exc:  # parsers raise many types (BadZipFile, ArrowInvalid, ...)
        text = str(exc).strip()
        problem = text.splitlines()[0] if text else type(exc).__name__
        raise InvalidInput(msg("import.unreadable", file=file, format=fmt, problem=problem),
                           details={"field": "file"}) from None
    if not len(data.columns):
        raise InvalidInput(msg("import.empty", file=file), details={"field": "file"})
    if not len(data):
        names = [str(c) for c in (data.columns if hasattr(data, "iloc") else data.column_names)]
        columns = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
        raise InvalidInput(msg("import.no_rows", file=file, columns=columns),
                           details={"field": "file"})
    data, notes = drop_row_index(data)
    if notes:
        details["notes"] = notes
    return data, details


def _parse(source: Source, file: str, fmt: str, encoding, delimiter):
    import pandas as pd

    if fmt in ("csv", "tsv"):
        from .text_import import read_delimited

        return read_delimited(source, file, fmt, encoding, delimiter)
    if fmt in ("json", "jsonl"):
        from .json_import import read_json

        return read_json(source, file, encoding)
    details = {"format": fmt, "file": file, "bytes": source.size}
    data = source.path if source.path is not None else source.binary()
    if fmt == "parquet":
        return pd.read_parquet(data), details
    return pd.read_excel(data), details


def read_table(source, name: str | None = None, format: str | None = None,
               encoding: str | None = None, delimiter: str | None = None):
    """(DataFrame, details): :func:`read_data` as pandas, for code that wants a DataFrame."""
    data, details = read_data(source, name, format, encoding, delimiter)
    return (data if hasattr(data, "iloc") else data.to_pandas()), details
