"""Script and notebook templates for "New script" (``POST projects/{project}/scripts``).

Each template is a file beside this module that runs as written against the demo project
(``hubml demo``) once ``{project}`` is filled in with the project's name; it uses the public
SDK, so the datasets and models it makes show up in the hubml panels.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import Conflict, InvalidInput
from ..messages import msg
from ..workspace.names import check_name, inside

__all__ = ["PLACEHOLDER", "Template", "create_from_template", "render", "template", "templates"]

HERE = Path(__file__).resolve().parent
PLACEHOLDER = "{project}"


@dataclass(frozen=True)
class Template:
    id: str
    label: str
    kind: str          # "notebook" | "script"
    file: str          # beside this module
    description: str

    @property
    def folder(self) -> str:
        return "notebooks" if self.kind == "notebook" else "scripts"

    @property
    def suffix(self) -> str:
        return Path(self.file).suffix

    def to_json(self) -> dict:
        return {"id": self.id, "label": self.label, "kind": self.kind,
                "description": self.description}


_TEMPLATES = (
    Template("data-preparation", "Data preparation notebook", "notebook",
             "data_preparation.ipynb",
             "Load a dataset, clean and transform it with a recipe, look at it, and save the "
             "result as a new dataset version."),
    Template("train-sklearn", "Train with scikit-learn", "script", "train_sklearn.py",
             "Split a dataset, fit a scikit-learn random forest, evaluate it, log the metrics "
             "and register the model."),
    Template("train-keras", "Train with Keras", "script", "train_keras.py",
             "Fit a dense Keras (TensorFlow) network with per-epoch metrics, evaluate it and "
             "register the model."),
    Template("train-pytorch", "Train with PyTorch", "script", "train_pytorch.py",
             "Fit a dense PyTorch network with per-epoch metrics, evaluate it and register "
             "the model."),
    Template("train-h2o", "Train with H2O", "script", "train_h2o.py",
             "Fit an H2O gradient boosting machine on a local H2O cluster, evaluate it and "
             "register the model."),
    Template("predict", "Batch prediction", "script", "predict.py",
             "Load a registered model by alias, predict a dataset and save the predictions "
             "as a dataset."),
)


def templates() -> list[Template]:
    return list(_TEMPLATES)


def template(template_id) -> Template:
    for t in _TEMPLATES:
        if t.id == template_id:
            return t
    raise InvalidInput(msg("template.unknown", template=str(template_id)[:60],
                           known=", ".join(t.id for t in _TEMPLATES)),
                       details={"field": "template"})


def render(template_id: str, project_name: str) -> str:
    """The template's text with ``{project}`` replaced by the project's name (a slug, so it
    needs no quoting in Python or JSON)."""
    check_name("project", project_name)
    return (HERE / template(template_id).file).read_text("utf-8").replace(PLACEHOLDER,
                                                                            project_name)


def create_from_template(project, template_id: str, name: str) -> str:
    """Write ``scripts/<name>.py`` or ``notebooks/<name>.ipynb``; returns the path relative to
    the project. Never overwrites (409 if the file exists)."""
    chosen = template(template_id)
    check_name("script", name)
    relative = f"{chosen.folder}/{name}{chosen.suffix}"
    target = inside(project.path, chosen.folder, f"{name}{chosen.suffix}")
    text = render(chosen.id, project.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise Conflict(msg("script.exists", path=relative, project=project.name),
                       details={"field": "name"}) from None
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    return relative
