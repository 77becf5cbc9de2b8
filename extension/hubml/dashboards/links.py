"""Where a dashboard is rendered from, and its URL: what ``POST projects/{project}/dashboards``
answers (``{"url", "path", "kind"}``).

Voila renders only notebooks under the Jupyter server's root folder, and hubml's packaged
notebooks live in the installed package. So a packaged dashboard is copied into the root's
``hubml-dashboards/`` folder (not hidden: Jupyter refuses hidden files), refreshed whenever the
package's copy differs, by an atomic replace so a page being opened never reads half a file.
A user's own notebook of a project (kind ``notebook``) is rendered where it is; a path that
leaves the project (``..``, absolute, hidden folders) is refused, and nothing is written.
The objects the address names are checked first: an unknown one is a 404 naming it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path, PurePosixPath
from urllib.parse import quote, urlencode

from ..errors import Conflict, InvalidInput, NotFound
from . import KINDS, notebook_path
from ._messages import msg

__all__ = ["FIELDS_BY_KIND", "FOLDER_NAME", "prepare"]

FOLDER_NAME = "hubml-dashboards"
FIELDS_BY_KIND = {
    "model_card": ("model", "version", "alias"),
    "dataset_explorer": ("dataset", "version"),
    "run_compare": ("runs",),
    "notebook": ("path",),
}


def _check_fields(kind: str, body: dict) -> None:
    known = FIELDS_BY_KIND[kind]
    for name in ("model", "version", "alias", "dataset", "path", "runs"):
        if body.get(name) is not None and name not in known:
            raise InvalidInput(msg("dashboard.field_for", field=name, kind=kind,
                                   known=", ".join(("kind", *known))), details={"field": name})


def _check_objects(project, kind: str, body: dict) -> None:
    """NotFound for the model, version, alias or dataset the dashboard would show."""
    if kind == "model_card":
        if not body.get("model"):
            raise InvalidInput(msg("dashboard.needs", needs="model",
                                   example='{"kind": "model_card", "model": "churn"}'),
                               details={"field": "model"})
        if body.get("version") is not None and body.get("alias"):
            raise InvalidInput(msg("dashboard.both"), details={"field": "alias"})
        project.model(body["model"]).version(body.get("version"), body.get("alias"))
    elif kind == "dataset_explorer":
        if not body.get("dataset"):
            raise InvalidInput(msg("dashboard.needs", needs="dataset",
                                   example='{"kind": "dataset_explorer", "dataset": "iris"}'),
                               details={"field": "dataset"})
        project.dataset(body["dataset"]).version(body.get("version"))


def _write_if_changed(source: Path, target: Path) -> None:
    data = source.read_bytes()
    try:
        if target.read_bytes() == data:
            return
    except OSError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _own_notebook(project, root: Path, raw) -> Path:
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidInput(msg("dashboard.path_needed"), details={"field": "path"})
    rel = PurePosixPath(raw.strip())
    if rel.is_absolute() or "\\" in raw or any(part in ("..", "") or part.startswith(".")
                                               for part in rel.parts):
        raise InvalidInput(msg("dashboard.bad_path", path=raw[:200]), details={"field": "path"})
    if rel.suffix != ".ipynb":
        raise InvalidInput(msg("dashboard.not_notebook", path=raw[:200]),
                           details={"field": "path"})
    base = project.path.resolve()
    target = (base / rel).resolve()
    if base not in target.parents:          # a symlink out of the project
        raise InvalidInput(msg("dashboard.bad_path", path=raw[:200]), details={"field": "path"})
    if not target.is_file():
        raise NotFound(msg("dashboard.no_notebook", project=project.name, path=raw[:200]),
                       details={"field": "path"})
    if root not in target.parents:
        raise Conflict(msg("dashboard.outside_root", project=project.name),
                       details={"field": "path"})
    return target


def prepare(project, body: dict, root_dir, base_url: str) -> dict:
    """The dashboard ``body`` asks for (kind, model/version/alias, dataset/version, runs, or
    path): ready to render under ``root_dir``; ``{"url", "path", "kind"}``."""
    kind = body["kind"]
    if kind not in FIELDS_BY_KIND:
        raise InvalidInput(msg("dashboard.unknown_kind", kind=str(kind)[:40],
                               known=", ".join(FIELDS_BY_KIND)), details={"field": "kind"})
    _check_fields(kind, body)
    root = Path(root_dir).resolve()
    query = {"project": project.name}
    if kind == "notebook":
        target = _own_notebook(project, root, body.get("path"))
    else:
        _check_objects(project, kind, body)
        for name in FIELDS_BY_KIND[kind]:
            if body.get(name) is not None:
                query[name] = str(body[name])
        assert kind in KINDS
        target = root / FOLDER_NAME / f"{kind}.ipynb"
        _write_if_changed(notebook_path(kind), target)
    rel = target.relative_to(root).as_posix()
    base = base_url if base_url.endswith("/") else base_url + "/"
    url = f"{base}voila/render/{quote(rel)}?{urlencode(query)}"
    return {"url": url, "path": rel, "kind": kind}
