"""Where a Data Studio's data comes from and goes to, through the SDK: DataFrames (and the
variable that names them), dataset versions, uploads and project files (parsed by the
workspace import code), SQL queries; the exported code; saving a version; the IPython hooks.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from ...errors import InvalidInput, NotFound
from .._messages import msg
from .session import SourceTracker

__all__ = ["code_for", "insert_cell", "parse_upload", "read_project_file", "resolve",
           "run_query", "save", "unwatch_cells", "user_namespace", "watch_cells"]

_SQL_START = ("select", "with", "values", "(")


def _ipython():
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return None
    return get_ipython()


def user_namespace():
    ip = _ipython()
    return getattr(ip, "user_ns", None)


def watch_cells(callback):
    """Call back after every cell the user runs (the moment a variable can have changed)."""
    ip = _ipython()
    if ip is None or not hasattr(ip, "events"):
        return None
    ip.events.register("post_run_cell", callback)
    return ip, callback


def unwatch_cells(hook) -> None:
    if hook:
        ip, callback = hook
        try:
            ip.events.unregister("post_run_cell", callback)
        except ValueError:
            pass


def _variable_name(df, namespace) -> str | None:
    if not namespace:
        return None
    for name, value in list(namespace.items()):
        if value is df and name.isidentifier() and not name.startswith("_"):
            return name
    return None


def resolve(project, source, namespace):
    """(frame, source info, label, parents, tracker) for anything a studio can open."""
    import pandas as pd

    from ...workspace.datasets import Dataset, DatasetVersion

    if isinstance(source, pd.DataFrame):
        name = _variable_name(source, namespace)
        info = {"type": "dataframe", **({"variable": name} if name else {})}
        return source, info, name or "DataFrame", (), SourceTracker(source, name, namespace)
    if isinstance(source, Dataset):
        source = source.latest
    if isinstance(source, DatasetVersion):
        info = {"type": "dataset", "dataset": source.name, "version": source.version}
        if source.project != project:
            info["project"] = source.project.name
        return (source.load(), info, f"{source.name} v{source.version}", (source,), None)
    if isinstance(source, os.PathLike):
        return (*read_project_file(project, source), (), None)
    if isinstance(source, str) and source.strip():
        text = source.strip()
        dataset = _dataset_named(project, text)
        if dataset is not None:
            return resolve(project, dataset, namespace)
        if text.lower().startswith(_SQL_START) and "\n" not in text[:6]:
            return (*run_query(project, text), (), None)
        if (project.path / text).is_file():
            return (*read_project_file(project, text), (), None)
        if text.lower().split(None, 1)[0] in _SQL_START:
            return (*run_query(project, text), (), None)
        known = ", ".join(d.name for d in project.datasets()) or msg("studio.none")
        raise InvalidInput(msg("studio.unknown_string", text=text[:80], project=project.name,
                               datasets=known), details={"field": "source"})
    raise InvalidInput(msg("studio.bad_source", got=type(source).__name__),
                       details={"field": "source"})


def _dataset_named(project, text):
    from ...workspace.names import is_name

    if not is_name(text):
        return None
    dataset = project.dataset(text)
    return dataset if dataset.exists() else None


def parse_upload(content: bytes, name: str, encoding=None, delimiter=None):
    from ...workspace.imports import read_table

    frame, details = read_table(bytes(content), name=name, encoding=encoding,
                                delimiter=delimiter)
    info = {"type": "upload", "file": Path(name).name,
            "sha256": hashlib.sha256(content).hexdigest(), **details}
    return frame, info


def read_project_file(project, path):
    from ...workspace.imports import read_table

    raw = Path(path)
    root = project.path.resolve()
    full = (raw if raw.is_absolute() else project.path / raw).resolve()
    if full != root and root not in full.parents:
        raise InvalidInput(msg("studio.file_outside", path=str(path)), details={"field": "path"})
    if not full.is_file():
        raise NotFound(f"no file {str(path)!r} in project {project.name!r}")
    frame, details = read_table(full)
    relative = full.relative_to(root).as_posix()
    return frame, {"type": "file", "path": relative, **details}, relative


def run_query(project, sql: str, connection: str = "default"):
    if not isinstance(sql, str) or not sql.strip():
        raise InvalidInput(msg("studio.query_empty"), details={"field": "query"})
    frame = project.query(sql, connection)
    label = " ".join(sql.split())
    return frame, {"type": "sql", "connection": connection, "query": sql}, \
        (label if len(label) <= 40 else label[:39] + "…")


def _source_code(session) -> list[str]:
    info = session.info
    kind = info.get("type")
    project = json.dumps(session.project.name)
    lines = ["import hubml", "", f"p = hubml.project({project})"]
    if kind == "dataset":
        where = f"hubml.project({json.dumps(info['project'])})" if "project" in info else "p"
        lines.append(f"df = {where}.dataset({json.dumps(info['dataset'])})"
                     f".load(version={info['version']})")
    elif kind == "file":
        lines += ["from hubml.workspace.imports import read_table", "",
                  f"df, _ = read_table(p.path / {json.dumps(info['path'])})"]
    elif kind == "upload":
        lines += ["from hubml.workspace.imports import read_table", "",
                  f"df, _ = read_table({json.dumps(info['file'])})  # the uploaded file"]
    elif kind == "sql":
        lines.append(f"df = p.query({json.dumps(info['query'])}, "
                     f"connection={json.dumps(info['connection'])})")
    else:
        name = info.get("variable")
        lines.append(f"df = {name}.copy()" if name else "# df: the DataFrame the studio opened")
    return lines


def code_for(session) -> str:
    if not session.loaded:
        return ""
    recipe = session.recipe
    body = recipe.to_code("df") if len(recipe) else "# no steps yet\n"
    return "\n".join(_source_code(session)) + "\n\n" + body


def insert_cell(code: str) -> str:
    ip = _ipython()
    if ip is None or not hasattr(ip, "set_next_input"):
        return msg("studio.no_kernel")
    ip.set_next_input(code, replace=False)
    return msg("studio.inserted")


def save(session, name, description, store, allow_schema_change):
    frame = session.current
    if not len(frame):
        raise InvalidInput(msg("studio.no_rows"), details={"field": "data"})
    recipe = session.recipe
    return session.project.save_dataset(
        name, frame, description=description, recipe=recipe if len(recipe) else None,
        store=store, source=dict(session.info), parents=list(session.parents),
        allow_schema_change=allow_schema_change)
