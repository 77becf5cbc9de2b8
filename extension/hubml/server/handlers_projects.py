"""Projects: list, create, show, rename / describe / tag, delete (to the trash)."""

from __future__ import annotations

from tornado import web

from ..workspace.names import check_name
from .base import HubMLHandler, open_project
from .listing import dataset_summaries
from .parse import SLUG, Field, json_object

__all__ = ["CHANGE_PROJECT", "NEW_PROJECT", "ProjectHandler", "ProjectsHandler"]

_NAME = dict(type="string", max_length=63, pattern=SLUG,
             check=lambda name: check_name("project", name))
_DESCRIPTION = Field("description", "string", description="what the project is for, shown in "
                     "the Projects panel", example="churn models for the sales team")
_TAGS = Field("tags", "array", items="string", max_length=63, pattern=SLUG,
              check=lambda tag: check_name("tag", tag), example=["sales"],
              description="tags, each a name (lower-case letters, digits, '-', '_'); "
                          "PATCH replaces the whole list")
NEW_PROJECT = [Field("name", required=True, example="churn", **_NAME,
                     description="the project's name: its folder under the first project "
                                 "root; 1 to 63 lower-case letters, digits, '-' or '_'"),
               _DESCRIPTION, _TAGS]
CHANGE_PROJECT = [Field("name", example="churn-2026", **_NAME,
                        description="a new name: renames the project and its folder"),
                  _DESCRIPTION, _TAGS]


def _list() -> dict:
    from ..workspace.projects import projects

    return {"projects": [p.to_json() for p in projects()]}


def _create(body: dict) -> dict:
    from ..workspace.projects import create_project

    return create_project(body["name"], body.get("description", ""),
                          tags=body.get("tags", [])).to_json()


def _show(project: str) -> dict:
    p = open_project(project)
    return {**p.to_json(), "datasets": len(dataset_summaries(p)), "models": len(p.models())}


def _change(project: str, raw: bytes) -> dict:
    p = open_project(project)  # 404 before a bad body's 400, as the contract has it
    body = json_object(raw, CHANGE_PROJECT)
    # check everything first, so a refused change leaves the project as it was
    new_name = body.get("name")
    tags = body.get("tags")
    if new_name is not None and new_name != p.name:
        p.rename(new_name)
    if "description" in body or tags is not None:
        p.update(description=body.get("description"), tags=tags)
    return p.to_json()


def _trash(project: str) -> dict:
    return {"trashed_to": str(open_project(project).delete())}


class ProjectsHandler(HubMLHandler):
    bodies = {"post": NEW_PROJECT}

    @web.authenticated
    async def get(self):
        await self.reply(_list)

    @web.authenticated
    async def post(self):
        body = self.json_body(NEW_PROJECT)
        await self.reply(_create, body, status=201)


class ProjectHandler(HubMLHandler):
    bodies = {"patch": CHANGE_PROJECT}

    @web.authenticated
    async def get(self, project):
        await self.reply(_show, project)

    @web.authenticated
    async def patch(self, project):
        await self.reply(_change, project, self.request.body)

    @web.authenticated
    async def delete(self, project):
        await self.reply(_trash, project)
