"""What a new dataset version changes against the latest one.

Identity is the sha256 that meta.json records: of the data as Parquet, written the same way
for the same table (Arrow's chunking does not change the bytes), so a re-upload of the same
file, or the same file re-exported with other line endings or quoting, or the same DataFrame
saved again from code, is recognised; the raw upload's hash would miss all but the first and
would not exist for saves from code. A schema change is any column added, removed, or with
another dtype (column order alone is not a change).
"""

from __future__ import annotations

from ..errors import SchemaChanged
from ..messages import msg

__all__ = ["check_schema", "schema_changes", "unchanged"]


def schema_changes(old: list[dict], new: list[dict]) -> dict | None:
    """{"added", "removed", "changed"} between two schemas (meta.json's ``columns``), or None."""
    before = {c["name"]: c["dtype"] for c in old}
    after = {c["name"]: c["dtype"] for c in new}
    added = [{"name": n, "dtype": t} for n, t in after.items() if n not in before]
    removed = [{"name": n, "dtype": t} for n, t in before.items() if n not in after]
    changed = [{"name": n, "old": before[n], "new": t} for n, t in after.items()
               if n in before and before[n] != t]
    if not (added or removed or changed):
        return None
    return {"added": added, "removed": removed, "changed": changed}


def _summary(changes: dict) -> str:
    parts = []
    if changes["added"]:
        parts.append(msg("dataset.added", columns=", ".join(
            f"{c['name']} ({c['dtype']})" for c in changes["added"])))
    if changes["removed"]:
        parts.append(msg("dataset.removed", columns=", ".join(
            f"{c['name']} ({c['dtype']})" for c in changes["removed"])))
    if changes["changed"]:
        parts.append(msg("dataset.changed", columns=", ".join(
            f"{c['name']} {c['old']} -> {c['new']}" for c in changes["changed"])))
    return "; ".join(parts)


def check_schema(latest, columns: list[dict]) -> None:
    """Raise SchemaChanged if ``columns`` differ from the latest version's (None: no version)."""
    if latest is None:
        return
    changes = schema_changes(latest.schema(), columns)
    if changes is None:
        return
    limit = 50  # a wide table's details stay readable; the counts say how many there were
    details = {"dataset": latest.name, "version": latest.version,
               "counts": {k: len(v) for k, v in changes.items()},
               **{k: v[:limit] for k, v in changes.items()},
               "confirm": "confirm_schema_change"}
    raise SchemaChanged(msg("dataset.schema_changed", name=latest.name, version=latest.version,
                            next=latest.version + 1, changes=_summary(changes)[:2000]),
                        details=details)


def unchanged(latest, meta: dict) -> bool:
    """True if ``latest`` already holds the data of ``meta`` (same sha256 and store)."""
    if latest is None or not meta.get("sha256"):
        return False
    old = latest.meta
    return old.get("sha256") == meta["sha256"] and old.get("store") == meta["store"]
