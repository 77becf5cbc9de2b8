"""Server-wide resources: status, the OpenAPI document, frameworks, templates, new scripts
from templates, and the change fingerprints the panels long-poll."""

from __future__ import annotations

import asyncio
import functools
import os

from jupyter_server.utils import url_path_join
from tornado import web

from .. import environment
from ..workspace.names import check_name
from .base import HubMLHandler, open_project
from .changes import changes
from .parse import SLUG, Field, json_object, query_field

__all__ = ["CHANGES_QUERY", "NEW_SCRIPT", "ChangesHandler", "FrameworksHandler",
           "OpenAPIHandler", "ScriptsHandler", "StatusHandler", "TemplatesHandler"]


def _openapi(server_url: str) -> dict:
    from .openapi import openapi_document

    return openapi_document(server_url)


def _frameworks() -> dict:
    from .. import frameworks

    return {"frameworks": frameworks.available()}


def _templates() -> dict:
    from ..templates import templates

    return {"templates": [t.to_json() for t in templates()]}


def _template_ids() -> tuple[str, ...]:
    from ..templates import templates

    return tuple(t.id for t in templates())


NEW_SCRIPT = [
    Field("template", "string", required=True, max_length=100, enum=_template_ids(),
          example="train-sklearn", description="the template's id, as listed by GET templates"),
    Field("name", "string", required=True, max_length=63, pattern=SLUG, example="my-training",
          check=lambda name: check_name("script", name),
          description="the new file's name without extension (a notebook gets .ipynb, a "
                      "script .py); 1 to 63 lower-case letters, digits, '-' or '_'"),
    Field("dataset", "string", max_length=63, pattern=SLUG, example="penguins",
          description="the project's dataset the script works on (its latest version); "
                      "default: the dataset created last"),
    Field("target", "string", max_length=1000, example="species",
          description="the dataset's column to predict; default: a column named target, "
                      "label, y, class or outcome, else the last column"),
    Field("version", "integer", minimum=1, maximum=10**9, example=1,
          description="the dataset's version a widget notebook opens; default: the latest"),
    Field("unique", "boolean", default=False,
          description="if the name is taken, use the first free one of <name>-2, <name>-3, "
                      "... instead of answering 409 (nothing is ever overwritten)"),
]


def _new_script(project: str, raw: bytes) -> dict:
    from ..templates import create_from_template

    p = open_project(project)  # 404 before a bad body's 400
    body = json_object(raw, NEW_SCRIPT)
    return create_from_template(p, body["template"], body["name"], body.get("dataset"),
                                body.get("target"), body.get("version"),
                                bool(body.get("unique")))


class StatusHandler(HubMLHandler):
    @web.authenticated
    async def get(self):
        # the server's owner (set by JupyterHub), not whoever asks, e.g. an admin's service
        owner = os.environ.get("JUPYTERHUB_USER") or getattr(self.current_user, "username", None)
        await self.reply(functools.partial(environment.status, user=owner,
                                           base_url=self.base_url))


class OpenAPIHandler(HubMLHandler):
    @web.authenticated
    async def get(self):
        from .routes import API_PREFIX

        await self.reply(_openapi, url_path_join(self.base_url, API_PREFIX))


class FrameworksHandler(HubMLHandler):
    @web.authenticated
    async def get(self):
        await self.reply(_frameworks)


class TemplatesHandler(HubMLHandler):
    @web.authenticated
    async def get(self):
        await self.reply(_templates)


class ScriptsHandler(HubMLHandler):
    bodies = {"post": NEW_SCRIPT}

    @web.authenticated
    async def post(self, project):
        await self.reply(_new_script, project, self.request.body, status=201)


MAX_WATCHED = 20  # projects per GET changes
MAX_WAIT = 60  # seconds, the wait= argument's range (then capped by the setting)
CHANGES_QUERY = [
    Field("project", "array", items="string", max_length=63, max_items=MAX_WATCHED,
          pattern=SLUG, check=lambda name: check_name("project", name), example=["demo"],
          description=f"a project to watch (repeat for more, at most {MAX_WATCHED})"),
    Field("since", "string", max_length=64, default="",
          description="the token of the last answer: wait until it changes"),
    Field("wait", "integer", minimum=0, maximum=MAX_WAIT, default=0,
          description="seconds to wait for a change (default 0: answer at once), at most "
                      "c.HubML.changes_max_wait_seconds"),
]


class ChangesHandler(HubMLHandler):
    """Fingerprints of the project list and of the named projects' datasets, models and jobs;
    with ``since=<token>`` and ``wait=<s>`` the answer waits (up to that long) for a change."""

    queries = {"get": CHANGES_QUERY}
    _gone = False
    # the panels' background long-poll is not activity: with it counted, JupyterHub's idle
    # culler would never stop a server whose tab was left open
    _track_activity = False

    def on_connection_close(self) -> None:
        self._gone = True
        super().on_connection_close()

    @web.authenticated
    async def get(self):
        names, since, wait = (query_field(self.request.arguments, f) for f in CHANGES_QUERY)
        wait = min(wait, self.hubml.changes_max_wait_seconds)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        answer = await self.blocking(changes, names)
        while answer["token"] == since and not self._gone and loop.time() < deadline:
            await asyncio.sleep(min(self.hubml.changes_check_seconds, deadline - loop.time()))
            answer = await self.blocking(changes, names)
        if not self._gone:
            self.write_json(answer)
