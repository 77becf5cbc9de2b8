"""Projects: a folder under a project root with everything about it inside.

``<root>/<name>/hubml-project.yaml`` holds name, description, created, owner and tags. Delete
moves the folder to ``<root>/.trash/`` so nothing is lost by one click.
"""

from __future__ import annotations

import getpass
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

from ..errors import Conflict, InvalidInput, NotFound
from .names import check_name, inside, is_name
from .roots import project_roots
from .storage import file_lock

__all__ = ["PROJECT_FILE", "Project", "create_project", "project", "projects"]

PROJECT_FILE = "hubml-project.yaml"
TRASH = ".trash"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _user() -> str:
    return os.environ.get("JUPYTERHUB_USER") or getpass.getuser()


class Project:
    """One project folder. Open with :func:`project`, make with :func:`create_project`."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._info: dict | None = None

    def __repr__(self) -> str:
        return f"<hubml.Project {self.name!r} at {self.path}>"

    def __eq__(self, other) -> bool:
        return isinstance(other, Project) and other.path == self.path

    def __hash__(self) -> int:
        return hash(self.path)

    # -- metadata ------------------------------------------------------------------
    @property
    def info(self) -> dict:
        if self._info is None:
            import yaml

            try:
                info = yaml.safe_load((self.path / PROJECT_FILE).read_text("utf-8")) or {}
            except FileNotFoundError:
                raise NotFound(f"project folder {self.path} has no {PROJECT_FILE}") from None
            except (yaml.YAMLError, UnicodeDecodeError) as exc:
                raise InvalidInput(f"{self.path / PROJECT_FILE} is not valid YAML ({exc}); "
                                   "fix it or restore it from a backup") from None
            if not isinstance(info, dict):
                raise InvalidInput(f"{self.path / PROJECT_FILE} must be a mapping of fields")
            self._info = info
        return self._info

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def description(self) -> str:
        return self.info.get("description", "")

    @property
    def root(self) -> Path:
        return self.path.parent

    def _write_info(self, info: dict) -> None:
        import yaml

        from .storage import TMP_PREFIX

        tmp = self.path / f"{TMP_PREFIX}{PROJECT_FILE}"
        tmp.write_text(yaml.safe_dump(info, sort_keys=False, allow_unicode=True), "utf-8")
        os.replace(tmp, self.path / PROJECT_FILE)
        self._info = info

    def update(self, description: str | None = None, tags: list[str] | None = None) -> Project:
        info = dict(self.info)
        if description is not None:
            if not isinstance(description, str):
                raise InvalidInput("description must be a string", details={"field": "description"})
            info["description"] = description
        if tags is not None:
            info["tags"] = [check_name("tag", t) for t in tags]
        self._write_info(info)
        return self

    def to_json(self) -> dict:
        try:
            info = self.info
        except InvalidInput as exc:  # one broken project must not hide the others
            return {"name": self.name, "description": "", "created": None, "owner": None,
                    "tags": [], "path": str(self.path), "error": exc.message}
        return {"name": self.name, "description": info.get("description", ""),
                "created": info.get("created"), "owner": info.get("owner"),
                "tags": info.get("tags", []), "path": str(self.path)}

    # -- lifecycle -----------------------------------------------------------------
    def rename(self, new_name: str) -> Project:
        check_name("project", new_name)
        target = inside(self.root, new_name)
        with file_lock(self.root / ".projects.lock"):
            if target.exists():
                raise Conflict(f"a project named {new_name!r} already exists; choose another name")
            os.rename(self.path, target)
        self.path = target
        self._write_info({**self.info, "name": new_name})
        return self

    def delete(self) -> Path:
        """Move the project to the root's trash folder; returns where it went."""
        trash = self.root / TRASH
        trash.mkdir(exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
        target = trash / f"{self.name}-{stamp}"
        shutil.move(str(self.path), str(target))
        return target

    @property
    def hubml_dir(self) -> Path:
        return self.path / ".hubml"

    # -- datasets (datasets.py, sql.py, imports.py) ---------------------------------
    def save_dataset(self, name: str, df, description: str = "", recipe=None,
                     store: str = "file", source: dict | None = None, parents=None, *,
                     allow_schema_change: bool = False, force: bool = False):
        """Save ``df`` as the next version of dataset ``name``; returns the DatasetVersion.

        If the latest version holds the same data (same sha256 of the stored Parquet), no
        version is made and the latest is returned with ``.unchanged`` True (``force=True``
        saves a new version anyway). If the columns differ from the latest version's (added,
        removed, another dtype), it raises ``hubml.errors.SchemaChanged``, a Conflict whose
        ``details`` list the differences, unless ``allow_schema_change=True``."""
        from .datasets import save_dataset

        return save_dataset(self, name, df, description, recipe, store, source, parents,
                            allow_schema_change=allow_schema_change, force=force)

    def dataset(self, name: str):
        from .datasets import Dataset

        return Dataset(self, name)

    def datasets(self) -> list:
        from .datasets import Dataset

        folder = self.path / "datasets"
        if not folder.is_dir():
            return []
        # folders whose names are no dataset name (made by hand) are not datasets
        found = [Dataset(self, p.name) for p in sorted(folder.iterdir())
                 if p.is_dir() and is_name(p.name)]
        return [d for d in found if d.exists()]

    def query(self, sql: str, connection: str = "default", params=None):
        """Run a SQL query on the project database or a named connection; a DataFrame."""
        from . import sql as sql_store

        return sql_store.query(self, sql, connection, params)

    def dataset_from_query(self, name: str, sql: str, connection: str = "default",
                           description: str = "", store: str = "file"):
        """Save the result of a SQL query as the next version of dataset ``name``."""
        df = self.query(sql, connection)
        source = {"type": "sql", "connection": connection, "query": sql}
        return self.save_dataset(name, df, description, store=store, source=source)

    def import_file(self, path, name: str | None = None, description: str = "", *,
                    allow_schema_change: bool = False, force: bool = False, **read_options):
        """Copy a file into ``data/`` as received, parse it, save it as a dataset version
        (unchanged data and schema changes as in :meth:`save_dataset`)."""
        from .imports import read_data

        source_path = Path(path)
        df, details = read_data(source_path, **read_options)  # text formats: an Arrow table
        name = name or check_name("dataset", source_path.stem.lower().replace(" ", "-"))
        check_name("dataset", name)
        raw = inside(self.path / "data", source_path.name)
        if raw != source_path.resolve():
            shutil.copyfile(source_path, raw)
        return self.save_dataset(name, df, description,
                                 source={"type": "file", "path": f"data/{raw.name}", **details},
                                 allow_schema_change=allow_schema_change, force=force)

    # -- runs and models (runs.py, models.py) ----------------------------------------
    def start_run(self, name: str | None = None, tags: dict | None = None):
        """Context manager: an MLflow run in this project's tracking store."""
        from .runs import start_run

        return start_run(self, name, tags)

    def runs(self, limit: int = 50, offset: int = 0, children: bool = False) -> list[dict]:
        """MLflow runs of this project, newest first: jobs' runs and those the user's own code
        logged with ``start_run``; tuning trials (child runs) only with ``children``. Each is
        a dict (see :mod:`hubml.workspace.run_list`)."""
        from .run_list import list_runs

        return list_runs(self, limit, offset, children)["runs"]

    def run_metrics(self, run_id: str) -> dict:
        """``{name: [{"step", "value", "timestamp"}]}``: the metric curves of one run."""
        from .run_list import metric_history

        return metric_history(self, run_id)

    def register_model(self, name: str, model, framework: str, run=None, dataset=None,
                       X_example=None, recipe=None, algorithm=None, task=None, description=""):
        from .models import register_model

        return register_model(self, name, model, framework, run, dataset, X_example, recipe,
                              algorithm, task, description)

    def model(self, name: str):
        from .models import Model

        return Model(self, name)

    def models(self) -> list:
        from .models import list_models

        return list_models(self)

    # -- training jobs (training/jobs.py) ----------------------------------------------
    def train(self, spec):
        """Validate a TrainingSpec (or its JSON) and run it as a background job; the Job."""
        from ..training.jobs import start

        return start(self, spec)

    def jobs(self) -> list:
        """The project's training jobs, newest first."""
        from ..training.jobs import list_jobs

        return list_jobs(self)

    def job(self, job_id: str):
        from ..training.jobs import get_job

        return get_job(self, job_id)


def _roots(root=None) -> list[Path]:
    return [Path(root).expanduser()] if root is not None else project_roots()


def create_project(name: str, description: str = "", root=None, tags=()) -> Project:
    """Make a project folder in the first project root (or ``root``)."""
    check_name("project", name)
    if not isinstance(description, str):
        raise InvalidInput("description must be a string", details={"field": "description"})
    tags = [check_name("tag", t) for t in tags]
    base = _roots(root)[0]
    base.mkdir(parents=True, exist_ok=True)
    path = inside(base, name)
    with file_lock(base / ".projects.lock"):
        if path.exists():
            raise Conflict(f"a project named {name!r} already exists in {base}; "
                           f"open it with hubml.project({name!r}) or choose another name")
        path.mkdir()
        for sub in ("data", "datasets", "notebooks", "scripts", ".hubml"):
            (path / sub).mkdir()
        p = Project(path)
        p._write_info({"name": name, "description": description, "created": _now(),
                       "owner": _user(), "tags": tags})
    return p


def project(name: str, root=None) -> Project:
    """Open an existing project by name, looking through the project roots in order."""
    check_name("project", name)
    for base in _roots(root):
        path = inside(base, name)
        if (path / PROJECT_FILE).is_file():
            return Project(path)
    known = ", ".join(p.name for p in projects(root)) or "none yet"
    raise NotFound(f"no project named {name!r}; projects: {known}. "
                   f"Create it with hubml.create_project({name!r})")


def projects(root=None) -> list[Project]:
    """All projects under the project roots, sorted by name."""
    found = []
    for base in _roots(root):
        if base.is_dir():
            found += [Project(p) for p in base.iterdir()
                      if is_name(p.name) and (p / PROJECT_FILE).is_file()]
    return sorted(found, key=lambda p: p.name)
