"""Training specs saved in a project: ``<project>/specs/<name>.json`` (``spec.to_json()``).

A saved spec is the same JSON the REST jobs API takes, so a file saved from the form can be
posted as it is, loaded back into the form, or read by a script with
``TrainingSpec.from_json(json.load(open(path)))``.
"""

from __future__ import annotations

import json
from pathlib import Path

from ...errors import InvalidInput, NotFound
from ...workspace.names import check_name
from ...workspace.storage import write_json_atomic

__all__ = ["SPECS", "list_specs", "read_spec", "save_spec"]

SPECS = "specs"


def _folder(project) -> Path:
    return Path(project.path) / SPECS


def save_spec(project, name: str, spec) -> Path:
    """Write ``spec`` (a TrainingSpec) as ``specs/<name>.json``, atomically; returns the path."""
    check_name("spec", name)
    folder = _folder(project)
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.json"
    write_json_atomic(path, spec.to_json())
    return path


def list_specs(project) -> list[str]:
    folder = _folder(project)
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.json") if not p.name.startswith("."))


def read_spec(project, name: str):
    """The TrainingSpec saved as ``name``; NotFound / InvalidInput say what is wrong."""
    from ...training.spec import TrainingSpec

    check_name("spec", name)
    path = _folder(project) / f"{name}.json"
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        known = ", ".join(list_specs(project)) or "none yet"
        raise NotFound(f"no saved spec {name!r} in project {project.name!r}; specs: {known}",
                       details={"field": "spec"}) from None
    except ValueError as exc:
        raise InvalidInput(f"specs/{name}.json is not valid JSON: {exc}",
                           details={"field": "spec"}) from None
    return TrainingSpec.from_json(data)
