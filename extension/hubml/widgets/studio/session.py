"""The Data Studio's state, without widgets: the source frame, the fitted recipe with its undo
history, the current frame, and the watch on a DataFrame variable.

Memory: the history keeps fitted recipes (a few kB each), never frames. The session keeps
the source (a shallow copy: with pandas' copy-on-write it shares the user's columns, and a
later change to the user's frame does not reach it), the current frame (whose untouched
columns are the source's) and at most one previewed frame. Undo and redo replay a fitted
recipe on the source; learned values are reused, never refitted, so they are exact.
"""

from __future__ import annotations

from ...errors import InvalidInput
from .._messages import msg
from . import fitting

__all__ = ["Session", "SourceTracker", "fingerprint"]

_SAMPLED_ROWS = 512


def fingerprint(df) -> tuple:
    """Identity of a frame's content: shape, columns, dtypes, where each column's data lives
    and a hash of sampled rows. The session holds a shallow copy of the frame, so with
    pandas' copy-on-write any write into the user's frame copies the written column first:
    its data moves, and the addresses tell, exactly and without hashing a million rows."""
    import numpy as np
    import pandas as pd

    from .._frameview import _data_key

    rows = len(df)
    picks = np.unique(np.linspace(0, max(rows - 1, 0), min(rows, _SAMPLED_ROWS)).astype(int))
    try:
        sampled = int(pd.util.hash_pandas_object(df.iloc[picks], index=True).sum()) if rows \
            else 0
    except TypeError:  # unhashable cells (lists): fall back to their text
        sampled = hash(df.iloc[picks].to_string()) if rows else 0
    addresses = []
    for position in range(df.shape[1]):
        key = _data_key(df.iloc[:, position])
        addresses.append(None if key is None else key[0])
    return (df.shape, tuple(map(str, df.columns)), tuple(map(str, df.dtypes)),
            tuple(addresses), sampled)


class SourceTracker:
    """Watches the DataFrame a studio was opened on: reassigned (``df = ...``) or changed in
    place (``df["x"] = ...``) by code in another cell."""

    def __init__(self, df, name: str | None = None, namespace: dict | None = None):
        self.frame, self.name, self.namespace = df, name, namespace
        self.print = fingerprint(df)
        self.copy = df.copy(deep=False)  # copy-on-write: keeps what df held now

    def current(self):
        if self.name and self.namespace is not None:
            value = self.namespace.get(self.name)
            import pandas as pd

            if isinstance(value, pd.DataFrame):
                return value
        return self.frame

    def check(self, full: bool = False) -> str | None:
        """What changed, in words, or None (``full`` is accepted for the "Check source"
        button; the check is exact either way)."""
        now = self.current()
        if now is not self.frame:
            return f"the variable now holds another DataFrame, {now.shape[0]:,} x " \
                   f"{now.shape[1]:,}"
        now_print = fingerprint(now)
        if now_print == self.print:
            return None
        if now_print[:3] == self.print[:3] and now_print[4] == self.print[4] \
                and now.equals(self.copy):
            self.print = now_print  # pandas moved the data (consolidated), values the same
            return None
        before = self.print[0]
        if now.shape != before:
            return f"{before[0]:,} x {before[1]:,} -> {now.shape[0]:,} x {now.shape[1]:,}"
        return "values or column types changed in place"


class Session:
    """Source, recipe history and current frame of one Data Studio."""

    def __init__(self, project):
        self.project = project
        self.source = None
        self.info: dict = {}
        self.parents: list = []
        self.label = msg("studio.empty_source")
        self.tracker: SourceTracker | None = None
        self.outside: str | None = None        # what changed outside, until adopted or kept
        self.history = [fitting.empty()]
        self.position = 0
        self.current = None
        self.version = 0                       # bumps whenever current changes
        self._preview = None                   # (key, fitted step recipe, frame)

    # -- source ---------------------------------------------------------------------
    def load(self, df, info: dict, label: str, parents=(), tracker=None) -> None:
        import pandas as pd

        if not isinstance(df, pd.DataFrame):
            raise InvalidInput(msg("studio.not_frame", got=type(df).__name__),
                               details={"field": "source"})
        self.source = df.copy(deep=False)
        self.info, self.label, self.parents = dict(info), label, list(parents)
        self.tracker, self.outside = tracker, None
        self.history, self.position = [fitting.empty()], 0
        self._set_current(self.source)

    def _set_current(self, frame) -> None:
        self.current = frame
        self.version += 1
        self._preview = None

    @property
    def loaded(self) -> bool:
        return self.source is not None

    def check_source(self, full: bool = False) -> str | None:
        if self.tracker is None:
            return None
        what = self.tracker.check(full)
        if what:
            self.outside = what
        return what

    def adopt(self) -> None:
        """Take the changed DataFrame as the new source and fit the recipe on it again."""
        tracker = self.tracker
        frame = tracker.current().copy(deep=False)
        recipe = fitting.refit(self.recipe, frame)       # raises if the steps no longer fit
        out = fitting.transform(recipe, frame)
        self.source = frame
        self.tracker = SourceTracker(tracker.current(), tracker.name, tracker.namespace)
        self.outside = None
        self.history = [fitting.empty(), recipe] if len(recipe) else [recipe]
        self.position = len(self.history) - 1
        self._set_current(out)

    def keep(self) -> None:
        """Keep working on the copy loaded first; stop reporting this change."""
        tracker = self.tracker
        self.tracker = SourceTracker(tracker.current(), tracker.name, tracker.namespace)
        self.outside = None

    # -- the recipe -----------------------------------------------------------------
    @property
    def recipe(self):
        return self.history[self.position]

    def _need_data(self) -> None:
        if not self.loaded:
            raise InvalidInput(msg("studio.no_data"), details={"field": "source"})

    def preview(self, step):
        """(fitted one-step recipe, frame after it) on the current frame; kept for apply."""
        self._need_data()
        step = fitting.step_of(step)
        key = (self.version, repr(step.to_json()))
        if self._preview is None or self._preview[0] != key:
            fitted, out = fitting.fit_step(step, self.current)
            self._preview = (key, fitted, out)
        return self._preview[1], self._preview[2]

    def add_step(self, step) -> None:
        fitted, out = self.preview(step)
        self._commit(fitting.combine(self.recipe, fitted), out)

    def _commit(self, recipe, frame) -> None:
        self.history = self.history[:self.position + 1] + [recipe]
        self.position += 1
        self._set_current(frame)

    def _replay(self, recipe):
        return fitting.transform(recipe, self.source)

    def undo(self) -> None:
        if self.position == 0:
            raise InvalidInput(msg("studio.nothing_undo"), details={"field": "undo"})
        self.position -= 1
        self._set_current(self._replay(self.recipe))

    def redo(self) -> None:
        if self.position + 1 >= len(self.history):
            raise InvalidInput(msg("studio.nothing_redo"), details={"field": "redo"})
        self.position += 1
        self._set_current(self._replay(self.recipe))

    def _index(self, index: int) -> int:
        count = len(self.recipe)
        if isinstance(index, bool) or not isinstance(index, int) or not 1 <= index <= count:
            raise InvalidInput(msg("studio.bad_step_index", index=index, count=count),
                               details={"field": "index"})
        return index - 1

    def _rebuild(self, steps) -> None:
        """A changed list of steps: fitted again on the source (later steps may learn other
        values once an earlier one changed); nothing changes if a step no longer fits."""
        self._need_data()
        recipe = fitting.refit(fitting.recipe_of(steps), self.source)
        self._commit(recipe, fitting.transform(recipe, self.source))

    def remove(self, index: int) -> None:
        steps = list(fitting.unfitted_steps(self.recipe))
        del steps[self._index(index)]
        self._rebuild(steps)

    def move(self, index: int, to: int) -> None:
        steps = list(fitting.unfitted_steps(self.recipe))
        step = steps.pop(self._index(index))
        steps.insert(self._index(to), step)
        self._rebuild(steps)

    def replace(self, index: int, step) -> None:
        steps = list(fitting.unfitted_steps(self.recipe))
        steps[self._index(index)] = fitting.step_of(step)
        self._rebuild(steps)
