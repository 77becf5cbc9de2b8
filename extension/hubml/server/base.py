"""The one base handler: authentication, JSON in and out, errors as the contract's error JSON."""

from __future__ import annotations

import json

from jupyter_server.base.handlers import APIHandler
from tornado import web

from ..errors import HubMLError
from ..messages import msg

__all__ = ["HubMLHandler", "NotFoundHandler"]


class HubMLHandler(APIHandler):
    """Every hubml handler derives from this; errors never show a traceback."""

    def write_json(self, payload, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(payload, default=str))

    def json_body(self):
        try:
            return json.loads(self.request.body or b"null")
        except (ValueError, UnicodeDecodeError) as exc:
            raise HubMLError(msg("invalid.json", problem=exc)) from None

    def write_error(self, status_code: int, **kwargs) -> None:
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, HubMLError):
            payload = exc.to_json()
            status_code = exc.status
        elif isinstance(exc, web.HTTPError):
            message = exc.log_message or self._reason
            if exc.log_message and exc.args:
                message = exc.log_message % exc.args
            payload = {"error": {"code": f"http_{status_code}", "message": message, "details": {}}}
        else:
            payload = {"error": {"code": "server_error", "message": msg("server.unexpected"),
                                 "details": {}}}
        self.set_status(status_code)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(payload))

    def _handle_request_exception(self, e: BaseException) -> None:
        # HubMLError is the caller's mistake: answer its status, skip the traceback in the log.
        if isinstance(e, HubMLError):
            self.log.info("hubml %s %s: %s", self.request.method, self.request.path, e.message)
            if not self._finished:
                self.send_error(e.status, exc_info=(type(e), e, e.__traceback__))
            return
        super()._handle_request_exception(e)


class NotFoundHandler(HubMLHandler):
    """Unknown paths under hubml/api answer JSON 404, not Jupyter's HTML page."""

    @web.authenticated
    def get(self, path=""):
        raise web.HTTPError(404, msg("not_found.route", path=self.request.path,
                                     base=self.base_url))

    post = put = patch = delete = get
