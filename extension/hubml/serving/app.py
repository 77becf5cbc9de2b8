"""The prediction service as a raw ASGI app: no web framework on the hot path.

A prediction request is: read the body (bounded: 413 past ``max_body``), check the token,
find the model, parse JSON with orjson into a float64 array, call the native predict, write
JSON with orjson, count it in the metrics. Small batches predict on the event loop (a thread
hop costs more than a one-row predict); batches of more than ``inline_rows`` rows go to a
thread. Errors are ``{"error": {"code", "message", "details"}}`` with a 4xx status; an
unexpected failure is logged and answered 500 with a message, never a traceback.

Open routes (no token): ``GET /ping``, ``/health``, ``/v2/health/live``, ``/v2/health/ready``,
``/v2`` and ``/metrics`` (counts only, no data). Everything else needs the token.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time

from ..errors import HubMLError
from ._messages import msg
from .auth import EnvTokenAuth, Headers, token_of
from .metrics import Metrics
from .payload import BadRequest
from .protocols import dumps, predict_mlflow, predict_tf, predict_v2, rows_of
from .registry import Models

__all__ = ["ServingApp"]

log = logging.getLogger("hubml.serving")

_JSON = [(b"content-type", b"application/json")]
_OPEN = {"/ping", "/health", "/v2/health/live", "/v2/health/ready", "/v2", "/metrics"}


class _Answer(Exception):
    """An early answer (an error) with its status and JSON document."""

    def __init__(self, status: int, code: str, message: str, details: dict | None = None):
        super().__init__(message)
        self.status, self.doc = status, {"error": {"code": code, "message": message,
                                                   "details": details or {}}}


def _bad(exc: HubMLError) -> _Answer:
    status = getattr(exc, "status", 400)
    code = {413: "too_large", 415: "unsupported_media_type",
            501: "not_implemented"}.get(status, exc.code)
    return _Answer(status, code, exc.message, exc.details)


class ServingApp:
    def __init__(self, models: Models, authenticate, *, max_body: int = 16 << 20,
                 inline_rows: int = 2048, retrain=None, version: str = ""):
        self.models, self.authenticate = models, authenticate
        self.max_body, self.inline_rows = max_body, inline_rows
        self.metrics = Metrics()
        self.retrain = retrain          # a RetrainRoutes, or None
        self.version = version
        self._fast_token = authenticate.check_raw if isinstance(authenticate,
                                                                EnvTokenAuth) else None
        self._tasks: list[asyncio.Task] = []

    # -- ASGI ------------------------------------------------------------------------
    async def __call__(self, scope, receive, send):
        kind = scope["type"]
        if kind == "http":
            await self._http(scope, receive, send)
        elif kind == "lifespan":
            await self._lifespan(receive, send)

    async def _lifespan(self, receive, send):
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await self.startup()
                except Exception as exc:  # noqa: BLE001 - uvicorn prints the message
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.shutdown()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def startup(self):
        hook = getattr(self.authenticate, "startup", None)
        if hook is not None:
            await hook()
        # the models load before this worker takes connections: with several workers on
        # one socket, a worker still loading would otherwise answer 503 next to ready ones
        await self.models.load_all(compile=False)
        if not self.models.ready:
            raise RuntimeError("; ".join(s.error or str(s.spec) for s in
                                         self.models.slots.values() if s.current is None))
        loop = asyncio.get_running_loop()
        self._tasks.append(loop.create_task(self._compile_then_watch()))
        if self.retrain is not None:
            await self.retrain.startup()

    async def _compile_then_watch(self):
        await self.models.compile_all()   # the native models serve meanwhile
        await self.models.watch()

    async def shutdown(self):
        for task in self._tasks:
            task.cancel()
        if self.retrain is not None:
            await self.retrain.shutdown()
        hook = getattr(self.authenticate, "shutdown", None)
        if hook is not None:
            await hook()

    async def _http(self, scope, receive, send):
        path, method = scope["path"], scope["method"]
        started = time.perf_counter()
        model_label, version_label, protocol = "", "", "other"
        served = None
        try:
            if path in _OPEN:
                await self._open_route(path, method, send)
                return
            headers = scope["headers"]
            await self._check_auth(headers)
            if path == "/invocations":
                protocol = "mlflow"
                self._need(method, "POST", path)
                served = self._pick(headers)
            elif path.startswith("/v1/models/"):
                protocol = "tfserving"
                served, action = self._v1_target(path)
                if action is None:
                    self._need(method, "GET", path)
                    await self._send(send, 200, dumps(_v1_status(served)))
                    return
                self._need(method, "POST", path)
            elif path.startswith("/v2/models/"):
                protocol = "v2"
                served, action = self._v2_target(path)
                if action != "infer":
                    self._need(method, "GET", path)
                    doc = served.metadata() if action is None else {"name": served.name,
                                                                     "ready": True}
                    await self._send(send, 200, dumps(doc))
                    return
                self._need(method, "POST", path)
            elif path in ("/train", "/training"):
                await self._retrain_route(path, method, send)
                return
            else:
                raise _Answer(404, "not_found", msg("serve.route.unknown", method=method,
                                                    path=path))
            model_label, version_label = served.name, str(served.version)
            body = await self._body(scope, receive, headers)
            served.inflight += 1
            try:
                out, answer = await self._predict(served, protocol, body, headers)
            finally:
                served.inflight -= 1
            await self._send(send, 200, answer)
            self.metrics.observe(model_label, version_label, protocol, 200,
                                 time.perf_counter() - started, rows_of(out))
        except _Answer as answer:
            await self._send(send, answer.status, dumps(answer.doc))
            self.metrics.observe(model_label, version_label, protocol, answer.status,
                                 time.perf_counter() - started)
        except Exception:  # noqa: BLE001 - logged with its traceback; the caller gets a message
            log.exception("unexpected error on %s %s", method, path)
            await self._send(send, 500, dumps({"error": {
                "code": "internal", "message": "the prediction service hit an unexpected "
                "error; its log has the details", "details": {}}}))
            self.metrics.observe(model_label, version_label, protocol, 500,
                                 time.perf_counter() - started)

    async def _predict(self, served, protocol, body, headers):
        try:
            if protocol == "mlflow":
                ctype = next((v for k, v in headers if k == b"content-type"), b"")
                run = lambda: predict_mlflow(served, body, ctype)  # noqa: E731
            elif protocol == "tfserving":
                run = lambda: predict_tf(served, body)  # noqa: E731
            else:
                run = lambda: predict_v2(served, body)  # noqa: E731
            # a big body is many rows: predict it in a thread, so others are not held up
            if len(body) > self.inline_rows * 64:
                return await asyncio.to_thread(run)
            return run()
        except BadRequest as exc:
            raise _bad(exc) from None
        except HubMLError as exc:
            raise _bad(exc) from None

    # -- pieces ------------------------------------------------------------------------
    @staticmethod
    def _need(method: str, want: str, path: str) -> None:
        if method != want:
            raise _Answer(405, "method_not_allowed", msg("serve.route.method", method=method,
                                                         path=path, allowed=want))

    async def _check_auth(self, headers) -> None:
        raw = next((v for k, v in headers if k == b"authorization"), None)
        token = token_of(raw)
        if token is None:
            raise _Answer(401, "unauthorized", msg("serve.auth.missing"))
        if self._fast_token is not None:
            ok = self._fast_token(token)
        else:
            try:
                ok = self.authenticate(Headers(headers))
                if inspect.isawaitable(ok):
                    ok = await ok
            except Exception:  # noqa: BLE001 - a failing hook refuses, it never answers 500
                log.exception("the authenticator failed")
                ok = False
        if not ok:
            raise _Answer(403, "forbidden", msg("serve.auth.wrong"))

    async def _body(self, scope, receive, headers) -> bytes:
        length = next((v for k, v in headers if k == b"content-length"), None)
        if length is not None and length.isdigit() and int(length) > self.max_body:
            raise _Answer(413, "too_large", msg("serve.body.too_large", limit=self.max_body))
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _Answer(400, "invalid_input", msg("serve.body.empty",
                                                        expected="the whole body"))
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                raise _Answer(413, "too_large", msg("serve.body.too_large",
                                                    limit=self.max_body))
            chunks.append(chunk)
            more = message.get("more_body", False)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def _slot_model(self, name: str, version: str | None = None):
        slot = self.models.slots.get(name)
        if slot is None:
            raise _Answer(404, "not_found", msg("serve.model.unknown", name=name,
                                                known=self.models.names()))
        served = slot.current
        if served is None:
            raise _Answer(503, "loading", msg("serve.model.loading", name=name))
        if version is not None and version != str(served.version):
            raise _Answer(404, "not_found", msg("serve.model.version", name=name,
                                                served=served.version, version=version))
        return served

    def _pick(self, headers):
        slots = self.models.slots
        if len(slots) == 1:
            return self._slot_model(next(iter(slots)))
        name = next((v for k, v in headers if k == b"x-model-name"), None)
        if name is None:
            raise _Answer(400, "invalid_input", msg("serve.model.which",
                                                    known=self.models.names()))
        version = next((v for k, v in headers if k == b"x-model-version"), None)
        return self._slot_model(name.decode("latin-1"),
                                version.decode("latin-1") if version else None)

    def _v1_target(self, path: str):
        rest = path[len("/v1/models/"):]
        action = None
        if rest.endswith(":predict"):
            rest, action = rest[:-len(":predict")], "predict"
        name, _, version = rest.partition("/versions/")
        return self._slot_model(name, version or None), action

    def _v2_target(self, path: str):
        rest = path[len("/v2/models/"):]
        action = None
        for suffix in ("/infer", "/ready"):
            if rest.endswith(suffix):
                rest, action = rest[:-len(suffix)], suffix[1:]
        name, _, version = rest.partition("/versions/")
        return self._slot_model(name, version or None), action

    async def _open_route(self, path: str, method: str, send) -> None:
        self._need(method, "GET", path)
        if path in ("/ping", "/health", "/v2/health/live"):
            await self._send(send, 200, b'{"live":true}')
        elif path == "/v2/health/ready":
            ready = self.models.ready
            await self._send(send, 200 if ready else 503, dumps({"ready": ready}))
        elif path == "/v2":
            await self._send(send, 200, dumps({"name": "hubml", "version": self.version,
                                               "extensions": []}))
        else:
            body, ctype = self.metrics.render()
            await self._send(send, 200, body, [(b"content-type", ctype.encode())])

    async def _retrain_route(self, path: str, method: str, send) -> None:
        if self.retrain is None:
            raise _Answer(501, "not_implemented", msg("serve.retrain.missing"))
        self._need(method, "POST" if path == "/train" else "GET", path)
        try:
            doc = await (self.retrain.trigger() if path == "/train" else self.retrain.status())
        except HubMLError as exc:
            raise _bad(exc) from None
        await self._send(send, 200, dumps(doc))

    @staticmethod
    async def _send(send, status: int, body: bytes, headers=None) -> None:
        await send({"type": "http.response.start", "status": status,
                    "headers": (headers or _JSON) + [(b"content-length",
                                                      str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def _v1_status(served) -> dict:
    return {"model_version_status": [{"version": str(served.version), "state": "AVAILABLE",
                                      "status": {"error_code": "OK", "error_message": ""}}]}
