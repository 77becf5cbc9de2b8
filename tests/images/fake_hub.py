"""Just enough of JupyterHub's REST API for a user's server started without a hub.

``jupyterhub-singleuser`` asks the hub who a token belongs to (``GET /hub/api/user``), checks
the hub's version at start and reports activity. This answers those three for one user, so
the container test can run the pod's own command with the environment the spawner wrote.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["FakeHub"]


class FakeHub:
    """``with FakeHub("alice", tokens) as hub``: serves on 0.0.0.0:``hub.port``."""

    def __init__(self, user: str, tokens: set[str], version: str):
        self.user, self.tokens, self.version = user, set(tokens), version
        self.requests: list[str] = []  # "GET /hub/api/user 200", in order
        self._server = ThreadingHTTPServer(("0.0.0.0", 0), self._handler())
        self.port = self._server.server_address[1]

    def user_model(self) -> dict:
        name = self.user
        return {"kind": "user", "name": name, "admin": False, "groups": [], "session_id": None,
                "scopes": [f"access:servers!server={name}/", f"access:servers!user={name}",
                           f"users:activity!user={name}"]}

    def _handler(self):
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                hub.requests.append(f"{self.command} {self.path} {status}")

            def _token_ok(self) -> bool:
                scheme, _, token = self.headers.get("Authorization", "").partition(" ")
                return scheme.lower() in ("token", "bearer") and token in hub.tokens

            def do_GET(self):  # noqa: N802 (http.server's naming)
                path = self.path.split("?")[0].rstrip("/")
                if path == "/hub/api":
                    self._answer(200, {"version": hub.version})
                elif path == "/hub/api/user":
                    if self._token_ok():
                        self._answer(200, hub.user_model())
                    else:
                        self._answer(403, {"status": 403, "message": "invalid token"})
                else:
                    self._answer(404, {"status": 404, "message": "not in the fake hub"})

            def do_POST(self):  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path.startswith(f"/hub/api/users/{hub.user}/activity"):
                    self._answer(200 if self._token_ok() else 403, {})
                else:
                    self._answer(404, {"status": 404, "message": "not in the fake hub"})

            def log_message(self, *args):  # quiet
                pass

        return Handler

    def __enter__(self) -> FakeHub:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
