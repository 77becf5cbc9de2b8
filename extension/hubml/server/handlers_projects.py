"""Projects: list, create, show, rename / describe / tag, delete (to the trash)."""

from __future__ import annotations

from tornado import web

from ..workspace.names import check_name
from .base import HubMLHandler
from .listing import dataset_summaries
from .parse import Field

__all__ = ["ProjectHandler", "ProjectsHandler"]

_FIELDS = [Field("name", "string", max_length=63), Field("description", "string"),
           Field("tags", "array", items="string", max_length=63)]


class ProjectsHandler(HubMLHandler):
    @web.authenticated
    def get(self):
        from ..workspace.projects import projects

        self.write_json({"projects": [p.to_json() for p in projects()]})

    @web.authenticated
    def post(self):
        from ..workspace.projects import create_project

        body = self.json_body([Field("name", "string", required=True, max_length=63),
                               *_FIELDS[1:]])
        check_name("project", body["name"])
        tags = [check_name("tag", t) for t in body.get("tags", [])]
        p = create_project(body["name"], body.get("description", ""), tags=tags)
        self.write_json(p.to_json(), status=201)


class ProjectHandler(HubMLHandler):
    @web.authenticated
    def get(self, project):
        p = self.open_project(project)
        self.write_json({**p.to_json(), "datasets": len(dataset_summaries(p)),
                         "models": len(p.models())})

    @web.authenticated
    def patch(self, project):
        p = self.open_project(project)
        body = self.json_body(_FIELDS)
        # check everything first, so a refused change leaves the project as it was
        new_name = body.get("name")
        if new_name is not None:
            check_name("project", new_name)
        tags = [check_name("tag", t) for t in body["tags"]] if "tags" in body else None
        if new_name is not None and new_name != p.name:
            p.rename(new_name)
        if "description" in body or tags is not None:
            p.update(description=body.get("description"), tags=tags)
        self.write_json(p.to_json())

    @web.authenticated
    def delete(self, project):
        p = self.open_project(project)
        self.write_json({"trashed_to": str(p.delete())})
