"""Where a spec's training, validation and test rows come from, the same for jobs and scripts.

Three ways, one per spec:

- one dataset version split by fractions (``validation``, ``test``): the default;
- separate dataset versions: ``datasets={"validation": "holdout@2", "test": "later"}``
  (``"name"`` is the latest version, ``"name@N"`` version N; ``"train"`` may stand for
  ``dataset``/``dataset_version``). A part not given there is split off the training dataset
  by its fraction;
- a split column in the dataset (``split_column="__split__"``, what the Data Studio's split
  step writes) whose values are ``train``, ``validation`` and ``test``; the fractions are
  not used and the column is never a feature.

Errors are :class:`~hubml.errors.InvalidInput` naming ``datasets.<part>`` or ``split_column``.
"""

from __future__ import annotations

import re

from ..errors import HubMLError, InvalidInput
from ..workspace.names import check_name

__all__ = ["PARTS", "check_datasets", "load_parts", "parse_ref", "split_counts"]

PARTS = ("train", "validation", "test")
_REF = re.compile(r"^(?P<name>[^@]+)(?:@(?P<version>[1-9][0-9]{0,8}))?$")


def _bad(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, details={"field": field})


def parse_ref(field: str, text) -> tuple[str, int | None]:
    """``"name"`` -> (name, None); ``"name@2"`` -> (name, 2)."""
    match = _REF.match(text) if isinstance(text, str) else None
    if match is None:
        raise _bad(field, f"{field} must be a dataset of the project, 'name' or 'name@version' "
                          f"(e.g. 'holdout@2'), not {str(text)[:60]!r}")
    try:
        check_name("dataset", match["name"])
    except InvalidInput as exc:
        raise _bad(field, exc.message) from None
    return match["name"], int(match["version"]) if match["version"] else None


def check_datasets(datasets) -> dict[str, tuple[str, int | None]]:
    """The parsed ``datasets`` field: part -> (name, version or None)."""
    if datasets is None:
        return {}
    if not isinstance(datasets, dict) or not datasets:
        raise _bad("datasets", "datasets must be an object of part -> dataset, parts being "
                               f"{', '.join(PARTS)}; or null")
    out = {}
    for part, ref in datasets.items():
        if part not in PARTS:
            raise _bad(f"datasets.{part}", f"unknown part {str(part)[:40]!r}; parts are "
                                           f"{', '.join(PARTS)}")
        out[part] = parse_ref(f"datasets.{part}", ref)
    return out


def version_of(project, field: str, name: str, version: int | None):
    try:
        return project.dataset(name).version(version)
    except HubMLError as exc:
        raise _bad(field, exc.message) from None


def split_counts(version, column: str) -> dict[str, int]:
    """Rows per value of the split column; InvalidInput for any other value."""
    values = version.load(columns=[column])[column]
    counts = {str(k): int(v) for k, v in values.astype("string").value_counts(
        dropna=False).items()}
    odd = sorted(k for k in counts if k not in PARTS)
    if odd or values.isna().any():
        shown = ", ".join(repr(v) for v in (odd or ["<missing>"])[:5])
        raise _bad("split_column", f"split column {column!r} has values other than train, "
                                   f"validation and test: {shown}")
    return {part: counts.get(part, 0) for part in PARTS}


def load_parts(spec, resolved):
    """(train, valid, test) DataFrames of the resolved spec's features and target."""
    from .data import split

    columns = resolved.features + ([spec.target] if spec.target is not None else [])
    if spec.split_column:
        frame = resolved.version.load(columns=[*columns, spec.split_column])
        marks = frame.pop(spec.split_column).astype("string")
        return tuple(frame[(marks == part).to_numpy()] for part in PARTS)
    given = resolved.parts
    frame = resolved.version.load(columns=columns)
    train, valid, test = split(frame, spec.task, spec.target,
                               0 if "validation" in given else spec.validation,
                               0 if "test" in given else spec.test, spec.random_state)
    if "validation" in given:
        valid = given["validation"].load(columns=columns)
    if "test" in given:
        test = given["test"].load(columns=columns)
    return train, valid, test
