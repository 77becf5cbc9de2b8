"""Projects: create, open, list, rename, delete to trash; names and roots."""

import pytest
import yaml

import hubml
from hubml.errors import Conflict, InvalidInput, NotFound


def test_create_writes_project_file_and_folders(root):
    p = hubml.create_project("churn", description="customer churn", tags=["demo"])
    info = yaml.safe_load((root / "churn" / "hubml-project.yaml").read_text())
    assert info["name"] == "churn" and info["description"] == "customer churn"
    assert info["tags"] == ["demo"] and info["owner"] and info["created"]
    for sub in ("data", "datasets", "notebooks", "scripts", ".hubml"):
        assert (root / "churn" / sub).is_dir()
    assert hubml.project("churn") == p


def test_list_open_and_duplicate(root):
    hubml.create_project("b-proj")
    hubml.create_project("a-proj")
    assert [p.name for p in hubml.projects()] == ["a-proj", "b-proj"]
    with pytest.raises(Conflict, match="already exists"):
        hubml.create_project("a-proj")
    with pytest.raises(NotFound, match="no project named 'zzz'; projects: a-proj, b-proj"):
        hubml.project("zzz")


def test_rename_and_delete_to_trash(project, root):
    project.rename("churn-2024")
    assert (root / "churn-2024" / "hubml-project.yaml").exists()
    assert hubml.project("churn-2024").info["name"] == "churn-2024"
    hubml.create_project("other")
    with pytest.raises(Conflict):
        hubml.project("other").rename("churn-2024")
    trashed = hubml.project("churn-2024").delete()
    assert trashed.parent == root / ".trash" and (trashed / "hubml-project.yaml").exists()
    assert [p.name for p in hubml.projects()] == ["other"]


def test_several_roots_group_share(tmp_path, monkeypatch):
    mine, shared = tmp_path / "mine", tmp_path / "shared"
    monkeypatch.setenv("HUBML_PROJECT_ROOTS", f"{mine}:{shared}")
    hubml.create_project("team", root=shared)
    hubml.create_project("solo")
    assert [p.name for p in hubml.projects()] == ["solo", "team"]
    assert hubml.project("team").path == shared / "team"


@pytest.mark.parametrize("bad", ["../evil", "/etc", "Caps", "", "a" * 300, "x\x00y", "sp ace",
                                 ".hidden", "a/b"])
def test_bad_project_names_refused_and_nothing_written(root, bad):
    with pytest.raises(InvalidInput, match="project name .* is not allowed"):
        hubml.create_project(bad)
    assert not root.exists() or list(root.iterdir()) == []


def test_wrong_types(root):
    with pytest.raises(InvalidInput, match="must be a string"):
        hubml.create_project(42)
    with pytest.raises(InvalidInput, match="description must be a string"):
        hubml.create_project("ok", description=3)


def test_corrupt_project_file_is_named_and_does_not_hide_others(root):
    hubml.create_project("good")
    broken = hubml.create_project("broken")
    (broken.path / "hubml-project.yaml").write_text("name: [unclosed\n")
    listed = {p["name"]: p for p in (p.to_json() for p in hubml.projects())}
    assert listed["good"].get("error") is None
    assert "is not valid YAML" in listed["broken"]["error"]
    with pytest.raises(InvalidInput, match="fix it or restore it from a backup"):
        _ = hubml.project("broken").info
