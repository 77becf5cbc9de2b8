"""The project's MLflow store: where it is, which experiment is the project's, and keeping the
project folder relocatable.

MLflow stores absolute artifact locations in its database (it resolves relative ones when an
experiment is created, mlflow/mlflow#7670, and has no setting to keep them relative,
mlflow/mlflow#3144). So the project keeps its identity in ``.hubml/store.json`` (a project id
and, per store, the experiment id), and when the project is opened at another path (copied,
renamed, restored) the locations stored in its own SQLite database are rewritten from the old
folder to the new one before MLflow reads them. The copy then writes into itself, never into
the original. A shared store (``HUBML_TRACKING_URI``) is not rewritten: it is not in the folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import uuid
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..errors import NotFound, StoreUnavailable
from .storage import file_lock, write_json_atomic

__all__ = ["IDENTITY_FILE", "PROJECT_TAG", "experiment_id", "open_store", "project_id",
           "shared_store", "store_errors", "store_exists", "tracking_uri"]

IDENTITY_FILE = "store.json"
PROJECT_TAG = "hubml.project"        # on experiments and registered models: the project id
_ARTIFACTS = "artifacts"
_PRIVATE = "project"                  # the key of the project's own store in store.json
# (table, column) pairs where MLflow 3 keeps artifact locations; missing ones are skipped
_LOCATION_COLUMNS = (("experiments", "artifact_location"), ("runs", "artifact_uri"),
                     ("logged_models", "artifact_location"),
                     ("model_versions", "storage_location"), ("model_versions", "source"))


def shared_store() -> str | None:
    """The shared tracking URI, when one store serves every project."""
    return os.environ.get("HUBML_TRACKING_URI") or None


def _db_path(project) -> Path:
    return project.hubml_dir / "mlflow.db"


def tracking_uri(project) -> str:
    return shared_store() or f"sqlite:///{_db_path(project)}"


def store_exists(project) -> bool:
    return shared_store() is not None or _db_path(project).exists()


def _artifacts_uri(project) -> str:
    return (project.path.resolve() / ".hubml" / _ARTIFACTS).as_uri()


@contextlib.contextmanager
def store_errors(what: str):
    """MLflow's "does not exist" as NotFound, every other store failure (a locked database
    while a job writes, an unreadable file) as StoreUnavailable (503, retry)."""
    from mlflow.exceptions import MlflowException

    try:
        yield
    except MlflowException as exc:
        if exc.error_code == "RESOURCE_DOES_NOT_EXIST":
            raise NotFound(f"{what}: {exc.message}") from exc
        raise StoreUnavailable.of(exc) from exc
    except (sqlite3.Error, OSError) as exc:
        raise StoreUnavailable.of(exc) from exc
    except Exception as exc:  # sqlalchemy errors MLflow did not wrap
        if type(exc).__module__.startswith("sqlalchemy"):
            raise StoreUnavailable.of(exc) from exc
        raise


# -- identity ------------------------------------------------------------------------------
def _identity_path(project) -> Path:
    return project.hubml_dir / IDENTITY_FILE


def _read_identity(project) -> dict:
    try:
        data = json.loads(_identity_path(project).read_text("utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def project_id(project) -> str:
    """A random id given to the project on first use; it names the project in a shared store."""
    identity = _read_identity(project)
    if identity.get("project_id"):
        return identity["project_id"]
    project.hubml_dir.mkdir(parents=True, exist_ok=True)
    with file_lock(project.hubml_dir / "store.lock"):
        identity = _read_identity(project)
        if not identity.get("project_id"):
            identity["project_id"] = uuid.uuid4().hex
            write_json_atomic(_identity_path(project), identity)
    return identity["project_id"]


def _store_key() -> str:
    return shared_store() or _PRIVATE


def experiment_id(project, create: bool = True) -> str | None:
    """The project's experiment in its store (made on first use unless ``create`` is False);
    the project's own store is first moved along with the folder if it was copied or moved."""
    import mlflow

    if not open_store(project) and not create:
        return None
    project.hubml_dir.mkdir(parents=True, exist_ok=True)
    key = _store_key()
    fresh = key == _PRIVATE and not _db_path(project).exists()
    known = _read_identity(project).get("experiments", {}).get(key)
    if known is not None and not fresh:
        client = mlflow.MlflowClient(tracking_uri=tracking_uri(project))
        if _experiment_exists(client, known):
            return known
    # the first use creates the SQLite store (MlflowClient() runs its migrations at once);
    # a job and a script may start together, and two migrations at once fail one of them
    with file_lock(project.hubml_dir / "mlflow.lock", timeout=300):
        client = mlflow.MlflowClient(tracking_uri=tracking_uri(project))
        found = _find_experiment(project, client)
        if found is None and not create:
            return None
        if found is None:
            found = _create_experiment(project, client)
        if fresh:
            _default_experiment_inside(project)
        identity = _read_identity(project)
        identity.setdefault("project_id", uuid.uuid4().hex)
        identity.setdefault("experiments", {})[key] = found
        write_json_atomic(_identity_path(project), identity)
    return found


def open_store(project) -> bool:
    """Whether the project has a store; its own store is first moved along with the folder
    if the project was copied, renamed or restored since MLflow last wrote to it."""
    if shared_store():
        return True
    if not _db_path(project).exists():
        return False
    known = _read_identity(project).get("experiments", {}).get(_PRIVATE)
    _relocate_if_moved(project, known)
    return True


def _experiment_exists(client, experiment: str) -> bool:
    with store_errors("experiment"):
        try:
            return client.get_experiment(experiment).lifecycle_stage == "active"
        except Exception as exc:
            if getattr(exc, "error_code", "") == "RESOURCE_DOES_NOT_EXIST":
                return False
            raise


def _experiment_name(project) -> str:
    # one store for all projects: two projects may share a name (a user's and a group's)
    return f"{project.name}-{project_id(project)[:8]}" if shared_store() else project.name


def _find_experiment(project, client) -> str | None:
    """The project's experiment: tagged with its id, else (stores made before the id) the one
    named after the project, else the only experiment of the project's own store."""
    with store_errors("experiment"):
        tagged = client.search_experiments(
            filter_string=f"tags.`{PROJECT_TAG}` = '{project_id(project)}'")
        if tagged:
            return tagged[0].experiment_id
        for name in (_experiment_name(project), project.name):
            found = client.get_experiment_by_name(name)
            if found is not None and found.lifecycle_stage == "active":
                return found.experiment_id
        if shared_store():
            return None
        own = [e for e in client.search_experiments() if e.experiment_id != "0"]
        return own[0].experiment_id if len(own) == 1 else None


def _create_experiment(project, client) -> str:
    artifacts = project.hubml_dir / _ARTIFACTS
    artifacts.mkdir(parents=True, exist_ok=True)
    with store_errors("experiment"):
        return client.create_experiment(_experiment_name(project),
                                        artifact_location=_artifacts_uri(project),
                                        tags={PROJECT_TAG: project_id(project)})


def _connect(project) -> sqlite3.Connection:
    # the same wait MLflow gives a locked database
    return sqlite3.connect(_db_path(project), timeout=20)


def _default_experiment_inside(project) -> None:
    """MLflow makes experiment 0 ("Default") with artifacts under the current directory; plain
    ``mlflow`` code in the project's store then writes outside the project. Point it inside."""
    with store_errors("experiment"), contextlib.closing(_connect(project)) as db, db:
        db.execute("UPDATE experiments SET artifact_location = ? WHERE experiment_id = 0",
                   (f"{_artifacts_uri(project)}/0",))


# -- relocation ----------------------------------------------------------------------------
def _stored_location(project, experiment: str | None) -> str | None:
    with store_errors("experiment"), contextlib.closing(_connect(project)) as db:
        try:
            query = "SELECT artifact_location FROM experiments WHERE experiment_id = ?"
            row = db.execute(query, (int(experiment),)).fetchone() if experiment else None
            if row is None:  # a store made before store.json: any location in the project
                query = ("SELECT artifact_location FROM experiments WHERE artifact_location "
                         "LIKE '%/.hubml/artifacts' ORDER BY experiment_id DESC LIMIT 1")
                row = db.execute(query).fetchone()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return None  # an empty file: MLflow makes the tables
            raise
    return row[0] if row else None


def _relocate_if_moved(project, experiment: str | None) -> None:
    """Rewrite the stored artifact locations if the project's store was made at another path."""
    location = _stored_location(project, experiment)
    here = _artifacts_uri(project)
    if location is None or location == here or not location.endswith(f"/.hubml/{_ARTIFACTS}"):
        return
    with file_lock(project.hubml_dir / "mlflow.lock", timeout=300):
        if _stored_location(project, experiment) != location:
            return  # another process moved it meanwhile
        old_dir = location[: -len(_ARTIFACTS) - 1]        # file:///old/project/.hubml
        new_dir = here[: -len(_ARTIFACTS) - 1]
        pairs = [(old_dir, new_dir)]
        if location.startswith("file:"):  # bare paths too (experiment 0 is one by default)
            pairs.append((unquote(urlparse(old_dir).path), str(project.hubml_dir.resolve())))
        with store_errors("experiment"), contextlib.closing(_connect(project)) as db, db:
            for table, column in _existing_columns(db):
                for old, new in pairs:
                    db.execute(f"UPDATE {table} SET {column} = ? || substr({column}, ?) "
                               f"WHERE substr({column}, 1, ?) = ? AND "
                               f"substr({column}, ?, 1) IN ('', '/')",
                               (new, len(old) + 1, len(old), old, len(old) + 1))


def _existing_columns(db) -> list[tuple[str, str]]:
    present = []
    for table, column in _LOCATION_COLUMNS:
        columns = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        if column in columns:
            present.append((table, column))
    return present
