"""What a template is filled in with: the project's dataset, its target column and task.

``script_context(project, dataset=None, target=None)`` picks the defaults the "New script"
dialog shows (the most recently created dataset, a column named like a target or else the
last one), checks what the caller chose (404 for an unknown dataset, 400 for an unknown
column, each naming the known ones) and reads the target column to choose the task.
"""

from __future__ import annotations

from ..errors import InvalidInput, NotFound
from ..messages import msg
from ..workspace.names import check_name

__all__ = ["TARGET_NAMES", "default_dataset", "default_target", "guess_task", "script_context"]

# column names (lower case) that usually hold what is predicted, most telling first
TARGET_NAMES = ("target", "label", "y", "class", "outcome")
MAX_CLASSES = 20   # a numeric target with more distinct values is a regression target
MAX_LISTED = 40    # known names an error message lists


def _listed(names: list[str]) -> str:
    shown = ", ".join(names[:MAX_LISTED])
    return shown + (f", ... ({len(names)} in all)" if len(names) > MAX_LISTED else "")


def default_dataset(project):
    """The dataset whose latest version was created last (its name breaks ties)."""
    found = [(d.latest.meta.get("created", ""), d.name, d) for d in project.datasets()]
    if not found:
        raise InvalidInput(msg("script.no_dataset", project=project.name),
                           details={"field": "dataset"})
    return max(found, key=lambda item: item[:2])[2]


def default_target(columns: list[str]) -> str:
    """A column named like a target (target, label, y, class, outcome), else the last one."""
    lower = {c.lower(): c for c in reversed(columns)}
    for name in TARGET_NAMES:
        if name in lower:
            return lower[name]
    return columns[-1]


def guess_task(series) -> str:
    """binary | multiclass | regression, from the target's values (missing ones left out)."""
    import pandas as pd

    values = series.dropna()
    distinct = values.nunique()
    numeric = pd.api.types.is_numeric_dtype(values.dtype) and not \
        pd.api.types.is_bool_dtype(values.dtype)
    if numeric and (distinct > MAX_CLASSES or pd.api.types.is_float_dtype(values.dtype)
                    and not (values == values.round()).all()):
        return "regression"
    return "binary" if distinct <= 2 else "multiclass"


def script_context(project, dataset: str | None = None, target: str | None = None,
                   version: int | None = None) -> dict:
    """``{"dataset", "version", "target", "task", "columns"}`` for rendering a template
    (``version``: one of the dataset's versions, 404 naming them if it has no such one)."""
    if dataset is None:
        chosen = default_dataset(project)
    else:
        check_name("dataset", dataset)
        chosen = project.dataset(dataset)
        if not chosen.exists():
            known = [d.name for d in project.datasets()]
            raise NotFound(f"no dataset named {dataset!r} in project {project.name!r}; "
                           f"datasets: {_listed(known) or 'none yet'}",
                           details={"field": "dataset", "known": known})
    version = chosen.latest if version is None else chosen.version(version)
    columns = [c["name"] for c in version.schema()]
    if target is None:
        target = default_target(columns)
    elif target not in columns:
        raise InvalidInput(msg("script.unknown_target", dataset=chosen.name, target=target,
                               known=_listed(columns)),
                           details={"field": "target", "known": columns})
    task = guess_task(version.load(columns=[target])[target])
    return {"dataset": chosen.name, "version": version.version, "target": target,
            "task": task, "columns": columns}
