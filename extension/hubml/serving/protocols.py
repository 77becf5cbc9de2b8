"""The three prediction protocols over one served model: body in, JSON answer out.

MLflow scoring (``/invocations``), TensorFlow Serving REST (``/v1/models/{name}:predict``) and
the Open Inference Protocol v2 (``/v2/models/{name}/infer``) differ only in how the input
is wrapped and how the answer is named; the model sees the same array either way.
"""

from __future__ import annotations

import numpy as np
import orjson

from ..errors import HubMLError
from ._messages import msg
from .payload import (
    BadRequest,
    Input,
    parse_csv,
    parse_json,
    parse_mlflow,
    parse_tf,
    parse_v2,
    to_array,
    to_columns,
)

__all__ = ["dumps", "predict_input", "predict_mlflow", "predict_tf", "predict_v2"]

_OPTS = orjson.OPT_SERIALIZE_NUMPY


def dumps(doc) -> bytes:
    return orjson.dumps(doc, option=_OPTS)


def _plain(out):
    """numpy output orjson writes natively; object arrays (labels) as lists."""
    return out.tolist() if out.dtype.kind == "O" or out.ndim > 2 else out


def predict_input(served, inp: Input, text: bool = False):
    """Validate ``inp`` against the model's signature and predict; (n,) or (n, k) array."""
    if served.recipe is not None:
        from .recipe_input import predict_raw

        return predict_raw(served, inp, text)
    if served.kind != "frame":
        X = to_array(inp, served.columns, served.types, served.width, text)
        return _run(served.predict_array, X)
    if served.columns is None:   # a pyfunc model without a signature: rows as given
        X = to_array(inp, None, None, None, text)
        return _run(served.predict_array, X)
    return _run(served.predict_frame, to_columns(inp, served.columns, served.types,
                                                 served.width, text))


def _run(fn, X):
    try:
        return fn(X)
    except HubMLError as exc:
        raise BadRequest(exc.message, exc.details, getattr(exc, "status", 400)) from None
    except (ValueError, TypeError, KeyError) as exc:   # the model refused this input
        raise BadRequest(msg("serve.model.failed", problem=str(exc).splitlines()[0][:300]
                             if str(exc) else type(exc).__name__)) from None


def predict_mlflow(served, body: bytes, content_type: bytes):
    """``POST /invocations``: JSON (the four MLflow keys) or CSV with a header."""
    ctype = content_type.split(b";", 1)[0].strip().lower()
    if ctype in (b"text/csv", b"application/csv"):
        out = predict_input(served, parse_csv(body), text=True)
    elif ctype in (b"application/json", b"", b"*/*"):
        out = predict_input(served, parse_mlflow(parse_json(body)))
    else:
        raise BadRequest(msg("serve.body.content_type",
                             content_type=content_type.decode("latin-1")), status=415)
    return out, dumps({"predictions": _plain(out)})


def predict_tf(served, body: bytes):
    inp, key = parse_tf(parse_json(body))
    out = predict_input(served, inp)
    return out, dumps({key: _plain(out)})


def predict_v2(served, body: bytes):
    inp, request_id = parse_v2(parse_json(body), served.width)
    out = predict_input(served, inp)
    shape = list(out.shape)
    data = out.reshape(-1)
    kind = out.dtype.kind
    datatype = ("FP64" if kind == "f" else "INT64" if kind in "iu" else "BOOL" if kind == "b"
                else "BYTES")
    doc = {"model_name": served.name, "model_version": str(served.version),
           "outputs": [{"name": "predict", "shape": shape, "datatype": datatype,
                        "data": data.tolist() if kind == "O" else data}]}
    if request_id is not None:
        doc["id"] = request_id
    return out, dumps(doc)


def rows_of(out) -> int:
    return int(out.shape[0]) if isinstance(out, np.ndarray) and out.ndim else 0
