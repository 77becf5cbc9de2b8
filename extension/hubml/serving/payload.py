"""Request bodies of the three protocols -> the model's input, validated against its signature.

``parse_*`` turn a body into an :class:`Input` (rows with or without column names, or named
columns) without pandas; :func:`to_array` makes the float64 (n, width) array in the model's
column order that the hot path predicts on, :func:`to_columns` the {column: values} a
DataFrame-taking model gets. Every problem is a :class:`BadRequest` (400) naming the columns,
the types or the shape to change.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

import numpy as np
import orjson

from ..errors import InvalidInput
from ._messages import msg

__all__ = ["MLFLOW_KEYS", "BadRequest", "Input", "parse_csv", "parse_json", "parse_mlflow",
           "parse_tf", "parse_v2", "to_array", "to_columns"]

MLFLOW_KEYS = ("dataframe_split", "dataframe_records", "instances", "inputs")
_NUMBER = (int, float, bool)


class BadRequest(InvalidInput):
    """A request the caller must change (400, or ``status``)."""

    def __init__(self, message: str, details: dict | None = None, status: int = 400):
        super().__init__(message, details)
        self.status = status


@dataclass
class Input:
    names: list | None = None      # column names of ``rows`` (None: in the model's order)
    rows: list | None = None       # list of rows (lists of values)
    columns: dict | None = None    # {name: list of values}


def parse_json(body: bytes):
    if not body.strip():
        raise BadRequest(msg("serve.body.empty", expected="a JSON object"))
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise BadRequest(msg("serve.body.json", problem=str(exc))) from None


def _records(records: list, field: str) -> Input:
    if not all(isinstance(r, dict) for r in records):
        raise BadRequest(msg("serve.body.shape", field=field, expected="a list of objects "
                             "{column: value}", got="a list with other items"))
    names = list(records[0]) if records else []
    if all(len(r) == len(names) and r.keys() == records[0].keys() for r in records):
        return Input(names=names, rows=[list(r.values()) for r in records])
    known = {k for r in records for k in r}
    return Input(columns={k: [r.get(k) for r in records] for k in known})


def _tensor(value, field: str) -> Input:
    """``instances`` / ``inputs``: rows (lists), records (objects), scalars (one column) or a
    {column: values} object."""
    if isinstance(value, dict):
        if not all(isinstance(v, list) for v in value.values()):
            raise BadRequest(msg("serve.body.shape", field=field, expected="{column: [values]}",
                                 got="an object with other values"))
        return Input(columns=value)
    if not isinstance(value, list):
        raise BadRequest(msg("serve.body.shape", field=field, expected="a list of rows",
                             got=type(value).__name__))
    if value and isinstance(value[0], dict):
        return _records(value, field)
    if value and not isinstance(value[0], list):
        return Input(rows=[[v] for v in value])   # one value per row
    return Input(rows=value)


def parse_mlflow(doc) -> Input:
    if not isinstance(doc, dict):
        raise BadRequest(msg("serve.body.not_object", keys=", ".join(MLFLOW_KEYS),
                             got=type(doc).__name__))
    found = [k for k in MLFLOW_KEYS if k in doc]
    if len(found) != 1:
        raise BadRequest(msg("serve.body.keys", keys=", ".join(MLFLOW_KEYS),
                             found=", ".join(map(str, doc)) or "none"))
    key = found[0]
    value = doc[key]
    if key == "dataframe_split":
        if not isinstance(value, dict) or not isinstance(value.get("data"), list):
            raise BadRequest(msg("serve.body.shape", field="dataframe_split",
                                 expected='{"columns": [...], "data": [[...], ...]}',
                                 got=type(value).__name__))
        names = value.get("columns")
        if names is not None and not isinstance(names, list):
            raise BadRequest(msg("serve.body.shape", field="dataframe_split.columns",
                                 expected="a list of names", got=type(names).__name__))
        return Input(names=names, rows=value["data"])
    if key == "dataframe_records":
        if not isinstance(value, list):
            raise BadRequest(msg("serve.body.shape", field=key, expected="a list of objects",
                                 got=type(value).__name__))
        return _records(value, key)
    return _tensor(value, key)


def parse_tf(doc) -> tuple[Input, str]:
    """TensorFlow Serving REST: ``instances`` (row format) or ``inputs`` (columnar); returns
    the input and the answer's key (predictions / outputs)."""
    if not isinstance(doc, dict) or ("instances" in doc) == ("inputs" in doc):
        raise BadRequest(msg("serve.body.keys", keys="instances, inputs",
                             found=", ".join(map(str, doc)) if isinstance(doc, dict)
                             else type(doc).__name__))
    if "instances" in doc:
        return _tensor(doc["instances"], "instances"), "predictions"
    return _tensor(doc["inputs"], "inputs"), "outputs"


def parse_v2(doc, width: int | None) -> tuple[Input, str | None]:
    """Open Inference Protocol: one (n, width) tensor, or one tensor per column."""
    tensors = doc.get("inputs") if isinstance(doc, dict) else None
    if not isinstance(tensors, list) or not tensors or not all(
            isinstance(t, dict) and isinstance(t.get("data"), list) for t in tensors):
        raise BadRequest(msg("serve.v2.inputs", width=width or "k"))
    request_id = doc.get("id")
    arrays = {}
    for t in tensors:
        name, shape = str(t.get("name", "input-0")), t.get("shape")
        data = np.asarray(t["data"], dtype=object if t.get("datatype") == "BYTES" else None)
        if isinstance(shape, list) and all(isinstance(s, int) for s in shape):
            if math.prod(shape) != data.size:
                raise BadRequest(msg("serve.v2.shape", name=name, shape=shape,
                                     count=data.size))
            data = data.reshape(shape)
        arrays[name] = data
    if len(arrays) == 1:
        data = next(iter(arrays.values()))
        if data.ndim == 2 or (data.ndim == 1 and (width or 0) > 1 and data.size == width):
            return Input(rows=data.reshape(-1, data.shape[-1]).tolist()), request_id
    return Input(columns={k: v.reshape(-1).tolist() for k, v in arrays.items()}), request_id


def parse_csv(body: bytes) -> Input:
    if not body.strip():
        raise BadRequest(msg("serve.body.empty", expected="CSV with a header row"))
    try:
        text = body.decode("utf-8-sig")
        lines = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise BadRequest(msg("serve.body.csv", problem=str(exc))) from None
    lines = [line for line in lines if line]
    header, rows = lines[0], lines[1:]
    for i, row in enumerate(rows):
        if len(row) != len(header):
            raise BadRequest(msg("serve.body.ragged", row=i, got=len(row), want=len(header),
                                 columns=", ".join(header)))
    # CSV values are text; numbers are read for the numeric columns in to_array/to_columns
    return Input(names=header, rows=[[v if v != "" else None for v in r] for r in rows])


def _missing(names, columns) -> None:
    missing = [c for c in columns if c not in names]
    if missing:
        raise BadRequest(msg("serve.columns.missing", missing=", ".join(map(repr, missing)),
                             expected=", ".join(columns)),
                         details={"missing": missing, "expected": list(columns)})


def _ordered(inp: Input, columns: list | None, width: int | None) -> list:
    """The input as a list of columns (lists) in the model's order."""
    if inp.columns is not None:
        if columns is None:
            return list(inp.columns.values())
        _missing(inp.columns, columns)
        cols = [inp.columns[c] for c in columns]
        if len({len(c) for c in cols}) > 1:
            raise BadRequest(msg("serve.body.shape", field="the columns",
                                 expected="lists of one length", got="lists of other lengths"))
        return cols
    rows = inp.rows
    if inp.names is None or columns is None:
        want = width or (len(rows[0]) if rows and isinstance(rows[0], list) else 0)
        for i, row in enumerate(rows):
            if not isinstance(row, list) or len(row) != want:
                got = len(row) if isinstance(row, list) else 1
                raise BadRequest(msg("serve.columns.count", got=got, want=want,
                                     expected=", ".join(columns or [])) + f" (row {i})")
        return [list(c) for c in zip(*rows, strict=False)] if rows else [[] for _ in range(want)]
    _missing(inp.names, columns)
    index = {n: i for i, n in enumerate(inp.names)}
    for i, row in enumerate(rows):
        if not isinstance(row, list) or len(row) != len(inp.names):
            raise BadRequest(msg("serve.body.ragged", row=i,
                                 got=len(row) if isinstance(row, list) else 1,
                                 want=len(inp.names), columns=", ".join(map(str, inp.names))))
    return [[row[index[c]] for row in rows] for c in columns]


def _number(v):
    if v is None or isinstance(v, _NUMBER):
        return v
    if isinstance(v, str):   # CSV text
        return float(v)
    raise TypeError(v)


def _type_error(columns, types, cols, text_ok=False):
    """The first value that does not fit its column's type, as a BadRequest."""
    for c, (name, kind) in enumerate(zip(columns or range(len(cols)), types or [], strict=False)):
        numeric = kind != "string"
        for row, v in enumerate(cols[c]):
            ok = (v is None or isinstance(v, _NUMBER)) if numeric else \
                (v is None or isinstance(v, str))
            if numeric and isinstance(v, str) and text_ok:
                try:
                    float(v)
                    ok = True
                except ValueError:
                    ok = False
            if not ok:
                want = f"a number ({kind})" if numeric else "text (string)"
                return BadRequest(msg("serve.columns.type", column=str(name), want=want,
                                      value=v, row=row),
                                  details={"column": str(name), "row": row})
    return BadRequest(msg("serve.columns.type", column="?", want="numbers", value="?", row=0))


def to_array(inp: Input, columns, types, width, text=False):
    """A float64 (n, width) array in the model's column order; ``text`` for CSV input."""
    if inp.columns is None and not inp.rows:
        raise BadRequest(msg("serve.body.no_rows"))
    in_order = inp.names is None or (columns is not None and inp.names == columns)
    if inp.rows is not None and in_order and not text:
        # the fast path: rows already in the model's order
        try:
            arr = np.asarray(inp.rows)
        except ValueError:
            arr = None
        if arr is not None and arr.ndim == 2 and arr.dtype.kind in "fiub" \
                and (width is None or arr.shape[1] == width):
            return arr.astype(np.float64, copy=False)
    cols = _ordered(inp, columns, width)
    if not cols or not cols[0]:
        raise BadRequest(msg("serve.body.no_rows"))
    try:
        if text:
            cols = [[_number(v) for v in c] for c in cols]
        arr = np.array(cols, dtype=np.float64).T
        for c in cols:  # text that numpy would read as a number is still not a number
            for v in c:
                if isinstance(v, str):
                    raise TypeError(v)
    except (TypeError, ValueError):
        raise _type_error(columns, types or ["double"] * len(cols), cols, text_ok=text) \
            from None
    return arr


def to_columns(inp: Input, columns, types, width, text=False) -> dict:
    """{column: values} in the model's order, numbers checked (and read, for CSV)."""
    if inp.columns is None and not inp.rows:
        raise BadRequest(msg("serve.body.no_rows"))
    cols = _ordered(inp, columns, width)
    out = {}
    for name, kind, values in zip(columns, types, cols, strict=False):
        try:
            if kind != "string":
                values = [_number(v) if text else v for v in values]
                if not all(v is None or isinstance(v, _NUMBER) for v in values):
                    raise TypeError
                values = [np.nan if v is None else v for v in values]
            elif not all(v is None or isinstance(v, str) for v in values):
                raise TypeError
        except (TypeError, ValueError):
            raise _type_error([name], [kind], [values], text_ok=text) from None
        out[name] = values
    return out
