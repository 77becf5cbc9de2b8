"""The floor for the serving benchmark: the least an ASGI app can do to answer an MLflow
``dataframe_split`` request with the same model (no auth, validation, metrics or protocols).

``uvicorn tests.bench.serving_floor:app`` with ``FLOOR_MODEL`` = a local MLflow model folder.
"""

from __future__ import annotations

import os

import mlflow.sklearn
import numpy as np
import orjson
from threadpoolctl import threadpool_limits

__all__ = ["app"]

threadpool_limits(limits=1)
_model = mlflow.sklearn.load_model(os.environ["FLOOR_MODEL"])
_HEADERS = [(b"content-type", b"application/json")]


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    body, more = b"", True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    if scope["method"] == "GET":
        out = b"{}"
    else:
        rows = np.asarray(orjson.loads(body)["dataframe_split"]["data"], dtype=np.float64)
        out = orjson.dumps({"predictions": _model.predict(rows).tolist()})
    await send({"type": "http.response.start", "status": 200,
                "headers": _HEADERS + [(b"content-length", str(len(out)).encode())]})
    await send({"type": "http.response.body", "body": out})
