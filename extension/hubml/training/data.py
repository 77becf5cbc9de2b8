"""Train / validation / test split of a dataset version, the same for jobs and scripts.

``split(df, task, target, validation, test, random_state)`` returns three DataFrames. The
fractions are of the whole table; classification splits are stratified on the target when
every class has enough rows, plain random otherwise. A fraction of 0 gives an empty part.
"""

from __future__ import annotations

from ..errors import InvalidInput

__all__ = ["split"]

CLASSIFICATION = ("binary", "multiclass")


def _cut(frame, size: float, stratify_on, random_state):
    """(rest, part) with ``size`` (a fraction of ``frame``) of the rows in ``part``."""
    from sklearn.model_selection import train_test_split

    if size <= 0:
        return frame, frame.iloc[:0]
    if stratify_on is not None:
        try:
            return tuple(train_test_split(frame, test_size=size, random_state=random_state,
                                          stratify=frame[stratify_on]))
        except ValueError:   # a class with one row, or fewer rows in the part than classes
            pass
    try:
        return tuple(train_test_split(frame, test_size=size, random_state=random_state))
    except ValueError as exc:
        raise InvalidInput(f"the dataset has too few rows ({len(frame)}) to split off "
                           f"{size:.0%} of them: {exc}", details={"field": "dataset"}) from None


def split(df, task: str, target: str | None = None, validation: float = 0.2, test: float = 0.2,
          random_state: int | None = 0):
    """(train, valid, test) DataFrames; ``validation`` and ``test`` are fractions of ``df``."""
    if not 0 <= validation < 1 or not 0 <= test < 1 or validation + test >= 1:
        raise InvalidInput("validation and test must be fractions from 0 with a sum below 1",
                           details={"field": "validation"})
    stratify_on = target if task in CLASSIFICATION and target is not None else None
    rest, test_part = _cut(df, test, stratify_on, random_state)
    train, valid = _cut(rest, validation / (1 - test), stratify_on, random_state)
    return train, valid, test_part
