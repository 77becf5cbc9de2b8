"""Thin handlers: parse, call the workspace, serialise."""

from __future__ import annotations

from tornado import web

from .. import environment
from .base import HubMLHandler

__all__ = ["StatusHandler"]


class StatusHandler(HubMLHandler):
    @web.authenticated
    def get(self):
        user = self.current_user
        name = getattr(user, "username", None) or getattr(user, "name", None)
        self.write_json(environment.status(user=name, base_url=self.base_url))
