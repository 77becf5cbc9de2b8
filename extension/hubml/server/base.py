"""The one base handler: authentication, JSON in and out, errors as the contract's error JSON,
and the one way handlers do blocking work: ``await self.blocking(fn, *args)`` runs it in the
bounded thread pool of ``c.HubML.blocking_threads``, off Jupyter's event loop."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import os
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado import web

from ..errors import HubMLError
from ..messages import msg
from .config import HubML, hubml_config
from .jsonsafe import dumps
from .parse import Field, json_object

__all__ = ["HubMLHandler", "NotFoundHandler", "open_project"]

T = TypeVar("T")


class HubMLHandler(APIHandler):
    """Every hubml handler derives from this; errors never show a traceback.

    ``bodies`` and ``queries`` name, per HTTP method, the JSON body fields and the query
    arguments the handler checks (parse.py); the OpenAPI document is generated from them."""

    bodies: ClassVar[dict[str, Any]] = {}    # method -> list[Field] (or a schema source)
    queries: ClassVar[dict[str, list[Field]]] = {}

    @property
    def hubml(self) -> HubML:
        return hubml_config(self.settings)

    async def blocking(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)`` in the hubml thread pool; its result, or its exception
        raised here (a HubMLError then becomes its 4xx error JSON as if raised in the handler).
        Everything that touches MLflow, Parquet, SQL or scans folders goes through this."""
        call = functools.partial(contextvars.copy_context().run, fn, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self.hubml.executor, call)

    async def reply(self, fn: Callable[..., Any], *args: Any, status: int = 200) -> None:
        """Answer ``fn(*args)`` as JSON; both the call and the serialisation run in the pool.
        ``fn`` may return JSON text already (a str), which is sent as it is."""
        text = await self.blocking(_as_json, fn, *args)
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(text)

    def write_json(self, payload, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(dumps(payload))

    def json_body(self, fields: list[Field] | None = None, allow_extra: bool = False) -> dict:
        """The request body as a JSON object, checked against ``fields`` (see parse.py)."""
        return json_object(self.request.body, fields, allow_extra)

    def open_project(self, name: str):
        """The project named in the URL: 400 for a bad name, 404 if there is none. It looks at
        the file-system: call it inside the function given to ``blocking`` or ``reply``."""
        return open_project(name)

    def write_error(self, status_code: int, **kwargs) -> None:
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, HubMLError):
            payload = exc.to_json()
            status_code = exc.status
        elif isinstance(exc, web.HTTPError):
            message = exc.log_message or self._default_message(status_code)
            if exc.log_message and exc.args:
                message = exc.log_message % exc.args
            payload = {"error": {"code": f"http_{status_code}", "message": message, "details": {}}}
        else:
            payload = {"error": {"code": "server_error", "message": msg("server.unexpected"),
                                 "details": {}}}
        self.set_status(status_code)
        self.set_header("Content-Type", "application/json")
        self.finish(dumps(payload))

    def _default_message(self, status_code: int) -> str:
        if status_code in (403, 405):
            key = "http.403_token" if status_code == 403 and self._sent_token() else \
                f"http.{status_code}"
            token_page = url_path_join(os.environ.get("JUPYTERHUB_BASE_URL") or "/",
                                       "hub/token")
            return msg(key, method=self.request.method, path=self.request.path,
                       base=self.base_url, token_page=token_page)
        return self._reason

    def _sent_token(self) -> bool:
        """True if the request carried a token (``Authorization: token|Bearer ...`` or
        ``?token=``): a 403 then means that token is not allowed here, not that one is missing."""
        scheme, _, value = self.request.headers.get("Authorization", "").strip().partition(" ")
        if scheme.lower() in ("token", "bearer") and value.strip():
            return True
        return any(v.strip() for v in self.request.arguments.get("token", []))

    def _handle_request_exception(self, e: BaseException) -> None:
        # HubMLError is the caller's mistake: answer its status, skip the traceback in the log.
        if isinstance(e, HubMLError):
            self.log.info("hubml %s %s: %s", self.request.method, self.request.path, e.message)
            if not self._finished:
                self.send_error(e.status, exc_info=(type(e), e, e.__traceback__))
            return
        super()._handle_request_exception(e)


def open_project(name: str):
    """The project ``name``: 400 for a bad name, 404 if there is none."""
    from ..workspace.projects import project

    return project(name)


def _as_json(fn: Callable[..., Any], *args: Any) -> str:
    payload = fn(*args)
    return payload if isinstance(payload, str) else dumps(payload)


class NotFoundHandler(HubMLHandler):
    """Unknown paths under hubml/api answer JSON 404, not Jupyter's HTML page."""

    @web.authenticated
    def get(self, path=""):
        raise web.HTTPError(404, msg("not_found.route", path=self.request.path,
                                     base=self.base_url))

    post = put = patch = delete = get
