"""Projects over REST: list, create, show, rename/describe/tag, delete; each error class."""

import pytest

import hubml
from tests.server.helpers import error_of


async def test_list_and_show_projects(api, project):
    code, body = await api("GET", "projects")
    assert code == 200
    assert [p["name"] for p in body["projects"]] == ["sales"]
    assert body["projects"][0]["tags"] == ["q1"]
    code, body = await api("GET", "projects/sales")
    assert code == 200
    assert body["name"] == "sales" and body["description"] == "sales data"
    assert body["datasets"] == 2 and body["models"] == 0
    assert body["path"] == str(project.path)


async def test_create_project(api, roots):
    code, body = await api("POST", "projects", {"name": "churn", "description": "d",
                                                "tags": ["a", "b"]})
    assert code == 201
    assert body["name"] == "churn" and body["tags"] == ["a", "b"]
    p = hubml.project("churn")
    assert p.description == "d" and (p.path / "data").is_dir()
    code, body = await api("POST", "projects", {"name": "churn"})
    assert code == 409 and error_of(body)["code"] == "conflict"


@pytest.mark.parametrize("body, field", [
    ({}, "name"),
    ({"name": 5}, "name"),
    ({"name": "Bad Name"}, "project"),
    ({"name": "ok", "tags": "x"}, "tags"),
    ({"name": "ok", "tags": ["UPPER"]}, "tag"),
    ({"name": "ok", "description": ["x"]}, "description"),
    ({"name": "ok", "colour": "red"}, "colour"),
])
async def test_create_project_bad_input(api, roots, body, field):
    code, answer = await api("POST", "projects", body)
    assert code == 400
    error = error_of(answer)
    assert error["code"] == "invalid_input" and error["details"]["field"] == field
    assert list(roots.iterdir()) == [] or not (roots / "ok").exists()


async def test_patch_renames_describes_tags(api, project):
    code, body = await api("PATCH", "projects/sales", {"description": "new", "tags": ["x"]})
    assert code == 200 and body["description"] == "new" and body["tags"] == ["x"]
    code, body = await api("PATCH", "projects/sales", {"name": "revenue"})
    assert code == 200 and body["name"] == "revenue"
    assert hubml.project("revenue").description == "new"
    assert (await api("GET", "projects/sales"))[0] == 404
    assert (await api("GET", "projects/revenue/datasets/orders"))[0] == 200


async def test_patch_conflict_changes_nothing(api, project):
    hubml.create_project("other")
    code, body = await api("PATCH", "projects/sales", {"name": "other", "description": "zzz"})
    assert code == 409 and error_of(body)["code"] == "conflict"
    assert hubml.project("sales").description == "sales data"
    code, body = await api("PATCH", "projects/sales", {"description": "ok", "tags": ["Bad!"]})
    assert code == 400 and hubml.project("sales").description == "sales data"


async def test_delete_moves_to_trash(api, project, roots):
    code, body = await api("DELETE", "projects/sales")
    assert code == 200
    trashed = body["trashed_to"]
    assert trashed.startswith(str(roots / ".trash"))
    assert (await api("GET", "projects/sales"))[0] == 404
    assert (await api("GET", "projects"))[1] == {"projects": []}


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
async def test_unknown_project_is_404_and_bad_name_400(api, project, method):
    body = {"description": "x"} if method == "PATCH" else None
    code, answer = await api(method, "projects/nope", body)
    assert code == 404 and "sales" in error_of(answer)["message"]
    code, answer = await api(method, "projects/NOPE", body)
    assert code == 400 and error_of(answer)["details"]["field"] == "project"


async def test_malformed_json_is_400(api, roots):
    code, body = await api("POST", "projects", b"{not json")
    assert code == 400 and "JSON" in error_of(body)["message"]
    code, body = await api("POST", "projects", b"[1, 2]")
    assert code == 400 and "object" in error_of(body)["message"]
