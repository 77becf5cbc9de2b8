"""Versioned datasets: immutable versions 1, 2, 3, ... of a DataFrame.

``<project>/datasets/<name>/<version>/`` holds ``data.parquet`` (or, for ``store="sql"``, a
table in the project's database) and ``meta.json``: schema, rows, sha256, source, recipe,
parents, created, author, statistics. A version appears by one rename, and its number is
given out under a file lock, so concurrent writers never clash and readers never see half
a version. Saving the data the latest version already holds makes no new version (the latest
is returned, with ``unchanged`` True); a version whose columns differ from the latest's needs
``allow_schema_change=True`` (see dataset_changes).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

from ..errors import InvalidInput, NotFound
from .dataset_changes import check_schema, unchanged
from .names import check_name, check_version, pick_version
from .schema import capture_schema, column_statistics, restore_dtypes
from .storage import atomic_folder, clean_stale_tmp, file_lock, fsync_tree

__all__ = ["STORES", "Dataset", "DatasetVersion", "save_dataset"]

STORES = ("file", "sql")
DATA_FILE = "data.parquet"
META_FILE = "meta.json"


def _follow_and_hash(path: Path, finished: threading.Event) -> str:
    """sha256 of a file that another thread is still writing, read as it grows.

    Hashing overlaps the Parquet encoding instead of following it, and reads come from the
    page cache, so the hash costs little wall time and no extra memory."""
    digest = hashlib.sha256()
    while not path.exists():
        if finished.is_set():
            break
        time.sleep(0.002)
    with open(path, "rb") as f:
        while True:
            block = f.read(1 << 20)
            if block:
                digest.update(block)
            elif finished.is_set():
                rest = f.read()  # the writer closed the file before setting the event
                if not rest:
                    return digest.hexdigest()
                digest.update(rest)
            else:
                time.sleep(0.002)


def _write_parquet(table, path: Path, pool) -> str:
    """Write ``table`` to ``path`` natively and return the file's sha256."""
    import pyarrow.parquet as pq

    finished = threading.Event()
    hashed = pool.submit(_follow_and_hash, path, finished)
    try:
        # pyarrow's default row groups (1Mi rows): 64k-row groups would make deep preview
        # pages ~4x faster but saving ~40% slower and files ~19% larger (measured)
        pq.write_table(table, str(path))
    finally:
        finished.set()
    return hashed.result()


class _HashSink:
    """A writable file that keeps only the sha256 of what is written to it."""

    closed = False

    def __init__(self):
        self.digest = hashlib.sha256()

    def write(self, data) -> int:
        self.digest.update(data)
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True


def _parquet_sha256(table) -> str:
    """The sha256 that data.parquet of ``table`` would have, without writing it (SQL versions)."""
    import pyarrow.parquet as pq

    sink = _HashSink()
    pq.write_table(table, sink)
    return sink.digest.hexdigest()


def _latest(project, name: str):
    versions = Dataset(project, name).versions()
    return versions[-1] if versions else None


def _lineage_json(recipe):
    if recipe is None:
        return None
    if hasattr(recipe, "to_json"):  # a Recipe: fitted ones keep their learned values
        return recipe.to_json()
    try:
        json.dumps(recipe, allow_nan=False)
    except (TypeError, ValueError):
        raise InvalidInput("recipe must be a hubml Recipe or JSON-serialisable steps",
                           details={"field": "recipe"}) from None
    return recipe


def _parents_json(parents) -> list[dict]:
    out = []
    for parent in parents or []:
        if isinstance(parent, DatasetVersion):
            out.append({"dataset": parent.name, "version": parent.version})
        elif isinstance(parent, dict) and {"dataset", "version"} <= set(parent):
            out.append({"dataset": check_name("dataset", parent["dataset"]),
                        "version": check_version(parent["version"])})
        else:
            raise InvalidInput("parents must be dataset versions or {'dataset', 'version'} dicts",
                               details={"field": "parents"})
    return out


def save_dataset(project, name: str, df, description: str = "", recipe=None, store: str = "file",
                 source: dict | None = None, parents=None, *, allow_schema_change: bool = False,
                 force: bool = False) -> DatasetVersion:
    """The next version of dataset ``name``, or the latest one (``unchanged`` True) if it holds
    the same data already, unless ``force``. A version whose columns differ from the latest's
    raises SchemaChanged (a Conflict naming the differences) unless ``allow_schema_change``."""
    import pandas as pd
    import pyarrow as pa

    check_name("dataset", name)
    if isinstance(df, pa.Table) and df.schema.metadata and b"pandas" in df.schema.metadata:
        df = df.to_pandas()  # written from pandas: keep its index and dtypes as pandas does
    # a plain Arrow table (what imports parse) is written as it is: no pandas copy in between
    table = df if isinstance(df, pa.Table) else None
    if table is None and not isinstance(df, pd.DataFrame):
        raise InvalidInput(f"save_dataset needs a pandas DataFrame, not {type(df).__name__} "
                           "(a pyarrow Table works too)", details={"field": "df"})
    if store not in STORES:
        raise InvalidInput(f"store must be one of {', '.join(STORES)}, not {store!r}",
                           details={"field": "store"})
    if not isinstance(description, str):
        raise InvalidInput("description must be a string", details={"field": "description"})
    names = table.column_names if table is not None else df.columns
    if len(set(map(str, names))) != len(names):
        raise InvalidInput("column names must be unique (as strings); rename the duplicates",
                           details={"field": "df"})
    meta = {
        "name": name, "description": description, "store": store,
        "rows": len(df), "columns": capture_schema(df),
        "source": source or {"type": "dataframe"}, "recipe": _lineage_json(recipe),
        "parents": _parents_json(parents),
        "author": os.environ.get("JUPYTERHUB_USER") or getpass.getuser(),
    }
    try:
        table = table if table is not None else pa.Table.from_pandas(df.rename(columns=str))
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as exc:
        raise InvalidInput(f"this DataFrame cannot be stored: {exc}. Give each column a "
                           "single type (e.g. df[col] = df[col].astype(str))",
                           details={"field": "df"}) from None
    if not allow_schema_change:  # refuse before the data is written, and again under the lock
        check_schema(_latest(project, name), meta["columns"])
    folder = project.path / "datasets" / name
    clean_stale_tmp(folder)
    # statistics and the hash run while the file is written: all three release the GIL
    with ThreadPoolExecutor(max_workers=2) as pool, atomic_folder(folder) as tmp:
        statistics = pool.submit(column_statistics, table)
        if store == "file":
            meta["sha256"] = _write_parquet(table, tmp / DATA_FILE, pool)
        else:  # the same identity as a file version's, for "unchanged"
            meta["sha256"] = _parquet_sha256(table)
        meta["statistics"] = statistics.result()
        with file_lock(folder / ".lock"):
            latest = _latest(project, name)
            if not force and unchanged(latest, meta):
                latest.unchanged = True
                return latest
            if not allow_schema_change:
                check_schema(latest, meta["columns"])
            version = (latest.version if latest else 0) + 1
            meta["version"] = version
            meta["created"] = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
            if store == "sql":
                from . import sql

                frame = df if isinstance(df, pd.DataFrame) else table.to_pandas()
                meta["table"] = sql.write_version(project, name, version, frame)
            try:
                (tmp / META_FILE).write_text(json.dumps(meta, indent=2, default=str), "utf-8")
                fsync_tree(tmp)
                os.rename(tmp, folder / str(version))
            except BaseException:
                if store == "sql":   # no version records the table: it must not stay behind
                    sql.drop_table(project, meta["table"])
                raise
    return DatasetVersion(project, name, version)


class DatasetVersion:
    #: True on the version save_dataset returned because it already held the data saved
    unchanged = False

    def __init__(self, project, name: str, version: int, meta: dict | None = None):
        self.project, self.name, self.version = project, name, version
        self._meta = meta

    def __repr__(self) -> str:
        return f"<hubml.DatasetVersion {self.name!r} v{self.version} ({self.meta['rows']} rows)>"

    @property
    def path(self) -> Path:
        return self.project.path / "datasets" / self.name / str(self.version)

    @property
    def meta(self) -> dict:
        if self._meta is None:
            try:
                self._meta = json.loads((self.path / META_FILE).read_text("utf-8"))
            except FileNotFoundError:
                raise NotFound(f"dataset {self.name!r} has no version {self.version}") from None
        return self._meta

    @property
    def rows(self) -> int:
        return self.meta["rows"]

    def schema(self) -> list[dict]:
        return self.meta["columns"]

    @property
    def recipe(self):
        """The recipe recorded at save as a ``hubml.recipes.Recipe`` (fitted, with its learned
        values, if a fitted one was saved), or None."""
        from ..recipes import Recipe

        stored = self.meta.get("recipe")
        return None if stored is None else Recipe.from_json(stored)

    def statistics(self) -> dict:
        return self.meta.get("statistics", {})

    def load(self, columns: list[str] | None = None):
        import pandas as pd

        if self.meta["store"] == "sql":
            from . import sql

            df = sql.read_version(self.project, self.meta["table"], columns)
        else:
            try:
                df = pd.read_parquet(self.path / DATA_FILE, columns=columns)
            except (OSError, ValueError) as exc:
                raise InvalidInput(f"version {self.version} of dataset {self.name!r} cannot be "
                                   f"read ({exc}); restore it from a backup or save a new "
                                   "version", details={"field": "version"}) from None
        return restore_dtypes(df, self.schema())

    def verify(self) -> bool:
        """True if the stored file still has the sha256 recorded at save."""
        if self.meta["store"] != "file":
            return True
        digest = hashlib.sha256()
        with open(self.path / DATA_FILE, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest() == self.meta["sha256"]

    def to_json(self) -> dict:
        return {k: v for k, v in self.meta.items() if k != "statistics"}


class Dataset:
    def __init__(self, project, name: str):
        self.project, self.name = project, check_name("dataset", name)

    def __repr__(self) -> str:
        return f"<hubml.Dataset {self.name!r} in {self.project.name!r}>"

    @property
    def path(self) -> Path:
        return self.project.path / "datasets" / self.name

    def exists(self) -> bool:
        return self.path.is_dir() and any(True for _ in self.versions())

    def versions(self) -> list[DatasetVersion]:
        if not self.path.is_dir():
            return []
        numbers = sorted(int(p.name) for p in self.path.iterdir()
                         if p.name.isascii() and p.name.isdigit()
                         and (p / META_FILE).is_file())
        return [DatasetVersion(self.project, self.name, n) for n in numbers]

    def version(self, version=None) -> DatasetVersion:
        versions = self.versions()
        if not versions:
            known = ", ".join(d.name for d in self.project.datasets()) or "none yet"
            raise NotFound(f"no dataset named {self.name!r} in project {self.project.name!r}; "
                           f"datasets: {known}")
        return pick_version(versions, version, f"dataset {self.name!r}")

    @property
    def latest(self) -> DatasetVersion:
        return self.version()

    def load(self, version=None, columns=None):
        return self.version(version).load(columns)

    def schema(self, version=None) -> list[dict]:
        return self.version(version).schema()
