"""Projects: list, create, show, rename / describe / tag, delete (to the trash)."""

from __future__ import annotations

from tornado import web

from ..workspace.names import check_name
from .base import HubMLHandler, open_project
from .listing import dataset_summaries
from .parse import Field, json_object

__all__ = ["ProjectHandler", "ProjectsHandler"]

_FIELDS = [Field("name", "string", max_length=63), Field("description", "string"),
           Field("tags", "array", items="string", max_length=63)]


def _list() -> dict:
    from ..workspace.projects import projects

    return {"projects": [p.to_json() for p in projects()]}


def _create(body: dict) -> dict:
    from ..workspace.projects import create_project

    check_name("project", body["name"])
    tags = [check_name("tag", t) for t in body.get("tags", [])]
    return create_project(body["name"], body.get("description", ""), tags=tags).to_json()


def _show(project: str) -> dict:
    p = open_project(project)
    return {**p.to_json(), "datasets": len(dataset_summaries(p)), "models": len(p.models())}


def _change(project: str, raw: bytes) -> dict:
    p = open_project(project)  # 404 before a bad body's 400, as the contract has it
    body = json_object(raw, _FIELDS)
    # check everything first, so a refused change leaves the project as it was
    new_name = body.get("name")
    if new_name is not None:
        check_name("project", new_name)
    tags = [check_name("tag", t) for t in body["tags"]] if "tags" in body else None
    if new_name is not None and new_name != p.name:
        p.rename(new_name)
    if "description" in body or tags is not None:
        p.update(description=body.get("description"), tags=tags)
    return p.to_json()


def _trash(project: str) -> dict:
    return {"trashed_to": str(open_project(project).delete())}


class ProjectsHandler(HubMLHandler):
    @web.authenticated
    async def get(self):
        await self.reply(_list)

    @web.authenticated
    async def post(self):
        body = self.json_body([Field("name", "string", required=True, max_length=63),
                               *_FIELDS[1:]])
        await self.reply(_create, body, status=201)


class ProjectHandler(HubMLHandler):
    @web.authenticated
    async def get(self, project):
        await self.reply(_show, project)

    @web.authenticated
    async def patch(self, project):
        await self.reply(_change, project, self.request.body)

    @web.authenticated
    async def delete(self, project):
        await self.reply(_trash, project)
