"""Server-wide resources: status, the OpenAPI document, frameworks, templates, and new
scripts from templates."""

from __future__ import annotations

import os

from jupyter_server.utils import url_path_join
from tornado import web

from .. import environment
from .base import HubMLHandler
from .parse import Field

__all__ = ["FrameworksHandler", "OpenAPIHandler", "ScriptsHandler", "StatusHandler",
           "TemplatesHandler"]


class StatusHandler(HubMLHandler):
    @web.authenticated
    def get(self):
        # the server's owner (set by JupyterHub), not whoever asks, e.g. an admin's service
        owner = os.environ.get("JUPYTERHUB_USER") or getattr(self.current_user, "username", None)
        self.write_json(environment.status(user=owner, base_url=self.base_url))


class OpenAPIHandler(HubMLHandler):
    @web.authenticated
    def get(self):
        from .openapi import openapi_document
        from .routes import API_PREFIX

        self.write_json(openapi_document(url_path_join(self.base_url, API_PREFIX)))


class FrameworksHandler(HubMLHandler):
    @web.authenticated
    def get(self):
        from .. import frameworks

        self.write_json({"frameworks": frameworks.available()})


class TemplatesHandler(HubMLHandler):
    @web.authenticated
    def get(self):
        from ..templates import templates

        self.write_json({"templates": [t.to_json() for t in templates()]})


class ScriptsHandler(HubMLHandler):
    @web.authenticated
    def post(self, project):
        from ..templates import create_from_template

        p = self.open_project(project)
        body = self.json_body([Field("template", "string", required=True, max_length=100),
                               Field("name", "string", required=True, max_length=63)])
        path = create_from_template(p, body["template"], body["name"])
        self.write_json({"path": path}, status=201)
