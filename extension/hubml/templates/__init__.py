"""Script and notebook templates for "New script" (``POST projects/{project}/scripts``).

Each template is a file beside this module with placeholders that :func:`render` fills in
for a project and one of its datasets: ``{project}``, ``{dataset}``, ``{target}`` (escaped
for a double-quoted string), ``{task}``, ``{model}`` (the model a training template
registers, the one the prediction template loads), ``{output}`` (the dataset the prediction
and preparation templates save), ``{version}`` (the dataset version a widget notebook opens) and
``{command}`` (how to run the file from any folder). The widget notebooks (``data_studio``,
``training_form``) are what "Open in Data Studio" and "Open Training Form" create and run. A
script finds its project from its own path, so it runs from any current folder; it uses the
public SDK, so the datasets and models it makes show up in the hubml panels.
"""

from __future__ import annotations

import json
import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from ..errors import Conflict, InvalidInput
from ..messages import msg
from ..workspace.names import check_name, inside
from .context import script_context

__all__ = ["PLACEHOLDER", "WIDGET_TEMPLATES", "Template", "create_from_template", "model_name",
           "render", "run_command", "template", "templates"]

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
             "Load the dataset, clean and transform it with a recipe made from its column "
             "types, look at it, and save the result as a new dataset version."),
    Template("train-sklearn", "Train with scikit-learn", "script", "train_sklearn.py",
             "A pipeline that encodes numbers, text and categories (a ColumnTransformer) and "
             "a random forest: fit, evaluate, log the metrics and register the model."),
    Template("train-keras", "Train with Keras", "script", "train_keras.py",
             "Encode the table with a recipe, fit a dense Keras (TensorFlow) network with "
             "per-epoch metrics, evaluate it and register the model."),
    Template("train-pytorch", "Train with PyTorch", "script", "train_pytorch.py",
             "Encode the table with a recipe, fit a dense PyTorch network with per-epoch "
             "metrics, evaluate it and register the model."),
    Template("train-h2o", "Train with H2O", "script", "train_h2o.py",
             "Encode the table with a recipe, fit an H2O gradient boosting machine on a local "
             "H2O cluster, evaluate it and register the model."),
    Template("predict", "Batch prediction", "script", "predict.py",
             "Load the model the scikit-learn template registers for the dataset, predict "
             "the dataset and save the predictions as a dataset."),
    Template("data_studio", "Data Studio notebook", "notebook", "data_studio.ipynb",
             "A notebook that opens the Data Studio widget on a dataset version: process the "
             "data with forms and save the result as a new version with its recipe."),
    Template("training_form", "Training form notebook", "notebook", "training_form.ipynb",
             "A notebook that opens the training form widget for a dataset: choose the "
             "framework, algorithm, split and hyperparameters and start a training job."),
)

# notebooks that open a widget: they make no model of their own
WIDGET_TEMPLATES = ("data_studio", "training_form")
MAX_UNIQUE = 1000  # name, name-2, ... name-1000

# what a template's model or dataset is called: <dataset>-<suffix>
_MADE = {"data-preparation": "prepared", "train-sklearn": "sklearn", "train-keras": "keras",
         "train-pytorch": "torch", "train-h2o": "h2o", "predict": "predictions",
         "data_studio": "prepared", "training_form": "model"}


def templates() -> list[Template]:
    return list(_TEMPLATES)


def template(template_id) -> Template:
    for t in _TEMPLATES:
        if t.id == template_id:
            return t
    raise InvalidInput(msg("template.unknown", template=str(template_id)[:60],
                           known=", ".join(t.id for t in _TEMPLATES)),
                       details={"field": "template"})


def _named(dataset: str, suffix: str) -> str:
    """``<dataset>-<suffix>``, the dataset part cut so the whole stays a valid name."""
    return f"{dataset[:62 - len(suffix)].rstrip('-_')}-{suffix}"


def model_name(template_id: str, dataset: str) -> str:
    """The model a training template registers for ``dataset`` (predict loads sklearn's)."""
    made = _MADE[template(template_id).id]
    return _named(dataset, "sklearn" if made in ("predictions", "prepared") else made)


def run_command(path: Path) -> str:
    """``python`` arguments that run ``path`` from any folder: ``~/...`` under the home
    folder (the terminal's usual start), else the absolute path; quoted for a shell."""
    path = Path(path)
    try:
        relative = path.relative_to(Path.home())
    except ValueError:
        return shlex.quote(str(path))
    return "~/" + shlex.quote(relative.as_posix())


def render(template_id: str, project_name: str, dataset: str = "dataset",
           target: str = "target", task: str = "binary", command: str | None = None,
           version: int = 1) -> str:
    """The template's text with its placeholders filled in (names are slugs, so they need no
    quoting; the target column is escaped for the double-quoted string it stands in)."""
    chosen = template(template_id)
    check_name("project", project_name)
    check_name("dataset", dataset)
    # inside "...": JSON's escapes (\" \\ \n \uXXXX) are Python's too
    escaped = json.dumps(target, ensure_ascii=False)[1:-1]
    values = {"{project}": project_name, "{dataset}": dataset, "{target}": escaped,
              "{task}": task, "{model}": model_name(chosen.id, dataset),
              "{output}": _named(dataset, _MADE[chosen.id]),
              # a quoted "{version}" (valid Python in the template) becomes a number
              '"{version}"': str(int(version)), "{version}": str(int(version)),
              "{command}": command or f"{chosen.folder}/{dataset}{chosen.suffix}"}
    text = (HERE / chosen.file).read_text("utf-8")
    if chosen.suffix == ".ipynb":   # fill in each cell's text, then write valid JSON again
        notebook = json.loads(text)
        for cell in notebook["cells"]:
            cell["source"] = _fill("".join(cell["source"]), values).splitlines(keepends=True)
        return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
    return _fill(text, values)


def _fill(text: str, values: dict[str, str]) -> str:
    """One pass, so a value that looks like a placeholder stays as it is."""
    pattern = "|".join(re.escape(placeholder) for placeholder in values)
    return re.sub(pattern, lambda found: values[found.group(0)], text)


def create_from_template(project, template_id: str, name: str, dataset: str | None = None,
                         target: str | None = None, version: int | None = None,
                         unique: bool = False) -> dict:
    """Write ``scripts/<name>.py`` or ``notebooks/<name>.ipynb`` for ``dataset`` (default: the
    project's latest; ``version``: one of its versions, default the latest) and its column
    ``target`` (default: one named like a target, else the last). Returns ``{"path"}``
    (relative to the project) with the dataset, target and task filled in. Never overwrites:
    409 if the file exists, unless ``unique``, which takes the first free name of
    ``<name>``, ``<name>-2``, ``<name>-3``, ..."""
    chosen = template(template_id)
    check_name("script", name)
    context = script_context(project, dataset, target, version)
    candidates = [name]
    if unique:
        candidates += [f"{name[:63 - len(str(n)) - 1].rstrip('-_')}-{n}"
                       for n in range(2, MAX_UNIQUE + 1)]
    for candidate in candidates:
        relative = f"{chosen.folder}/{candidate}{chosen.suffix}"
        target_path = inside(project.path, chosen.folder, f"{candidate}{chosen.suffix}")
        text = render(chosen.id, project.name, context["dataset"], context["target"],
                      context["task"], run_command(target_path), context["version"])
        target_path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(target_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        model = None if chosen.id in WIDGET_TEMPLATES else model_name(chosen.id,
                                                                        context["dataset"])
        return {"path": relative, "dataset": context["dataset"],
                "version": context["version"], "target": context["target"],
                "task": context["task"], "model": model}
    raise Conflict(msg("script.exists", path=f"{chosen.folder}/{name}{chosen.suffix}",
                       project=project.name), details={"field": "name"})
