"""Thin handlers: parse, call the workspace, serialise."""

from __future__ import annotations

import os

from tornado import web

from .. import environment
from .base import HubMLHandler

__all__ = ["StatusHandler"]


class StatusHandler(HubMLHandler):
    @web.authenticated
    def get(self):
        # the server's owner (set by JupyterHub), not whoever asks, e.g. an admin's service
        owner = os.environ.get("JUPYTERHUB_USER") or getattr(self.current_user, "username", None)
        self.write_json(environment.status(user=owner, base_url=self.base_url))
