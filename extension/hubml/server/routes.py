"""The one route table of the hubml REST API."""

from __future__ import annotations

from jupyter_server.utils import url_path_join

from .base import NotFoundHandler
from .handlers import StatusHandler

__all__ = ["API_PREFIX", "ROUTES", "setup_routes"]

API_PREFIX = "hubml/api"

# (path under {base_url}hubml/api/, handler)
ROUTES = [
    (r"status", StatusHandler),
]


def setup_routes(web_app) -> None:
    base_url = web_app.settings["base_url"]
    handlers = [(url_path_join(base_url, API_PREFIX, path), handler) for path, handler in ROUTES]
    handlers.append((url_path_join(base_url, API_PREFIX, r"(.*)"), NotFoundHandler))
    web_app.add_handlers(".*$", handlers)
