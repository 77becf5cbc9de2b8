"""The train/validation/test split as a step: it adds a column (``__split__`` by default)
whose values are "train", "validation" and "test", which training reads to pick its sets.

- random: a seeded permutation of the rows; the first round(train x rows) are "train", the
  next round(validation x rows) "validation" (as many as are left), the rest "test".
- stratified: the same within each value of ``column`` (missing values are a group of
  their own), so each set has the classes in the same proportions.
- time: rows up to the train fraction's quantile of the datetime ``column`` are "train", up
  to the next cut "validation", later rows "test". The cut timestamps are learned by fit
  (``{"train_end": ..., "validation_end": ...}``), so new rows fall into the set of their
  time; a missing time gets a missing split, which training refuses (drop_missing on the
  time column first, or impute it).

random and stratified learn nothing: they split the rows of the frame they transform.
"""

from __future__ import annotations

from ._messages import msg
from .base import Param, Step
from .learned import literal

__all__ = ["SPLIT_COLUMN", "SPLIT_NAMES", "Split"]

SPLIT_COLUMN = "__split__"
SPLIT_NAMES = ("train", "validation", "test")


def _labels(n: int, train: float, validation: float, rng):
    """Split labels for n rows in a seeded random order."""
    import numpy as np

    labels = np.full(n, "test", dtype=object)
    order = rng.permutation(n)
    n_train = min(round(n * train), n)
    n_valid = min(round(n * validation), n - n_train)
    labels[order[:n_train]] = "train"
    labels[order[n_train:n_train + n_valid]] = "validation"
    return labels


class Split(Step):
    """Mark each row as train, validation or test in a new column (random, stratified by a
    column, or by time on a datetime column); training uses the marked sets."""

    type = "split"
    imports = ("pandas", "numpy")
    params = (
        Param("method", "enum", "random", choices=("random", "stratified", "time"),
              description="'random'; 'stratified' keeps the proportions of column's values; "
              "'time' puts the earliest rows of a datetime column in train."),
        Param("column", "column", None, description="stratified: the column (usually the "
              "target); time: the datetime column."),
        Param("train", "number", 0.7, minimum=0, description="Share of rows for training."),
        Param("validation", "number", 0.15, minimum=0, description="Share for validation."),
        Param("test", "number", 0.15, minimum=0, description="Share for the final test."),
        Param("seed", "int", 0, minimum=0, description="Seed of the random order (random "
              "and stratified): the same seed gives the same split."),
        Param("new_column", "column", SPLIT_COLUMN, description="Name of the column that "
              "holds train / validation / test."),
    )

    def for_each_row(self):
        return False

    def _check(self):
        p = self._params
        if p["method"] != "random" and p["column"] is None:
            raise self.error(msg("recipe.split.column", method=p["method"]), "column")
        if p["method"] == "random" and p["column"] is not None:
            raise self.error(msg("recipe.split.column_unused"), "column")
        total = p["train"] + p["validation"] + p["test"]
        if abs(total - 1) > 1e-9:
            raise self.error(msg("recipe.split.sum", total=total), "train")
        if p["train"] <= 0:
            raise self.error(msg("recipe.split.train"), "train")

    def learns(self):
        return self._params["method"] == "time"

    def _validate(self, df):
        from pandas.api import types

        p = self._params
        if p["column"] is not None:
            self.need_columns(df, p["column"], "column")
            if p["method"] == "time" and not types.is_datetime64_any_dtype(df[p["column"]]):
                raise self.error(msg("recipe.split.not_time", name=p["column"],
                                     dtype=df[p["column"]].dtype), "column")
        if p["new_column"] in df.columns and p["new_column"] != p["column"]:
            raise self.error(msg("recipe.split.exists", name=p["new_column"]), "new_column")

    def _fit(self, df):
        if not self.learns():
            return {}
        p = self._params
        times = df[p["column"]]
        if times.count() == 0:
            raise self.error(msg("recipe.column.all_missing", name=p["column"],
                                 what="time cuts"), "column")
        return {"train_end": times.quantile(p["train"]),
                "validation_end": times.quantile(min(p["train"] + p["validation"], 1.0))}

    def _apply(self, df):
        import numpy as np
        import pandas as pd

        p = self._params
        if p["method"] == "time":
            times = df[p["column"]]
            labels = pd.Series("test", index=df.index, dtype="str")
            labels = labels.mask(times <= self.value("validation_end"), "validation")
            labels = labels.mask(times <= self.value("train_end"), "train").where(times.notna())
        elif p["method"] == "random":
            rng = np.random.default_rng(p["seed"])
            labels = pd.Series(_labels(len(df), p["train"], p["validation"], rng),
                               index=df.index, dtype="str")
        else:
            rng = np.random.default_rng(p["seed"])
            values = np.full(len(df), "test", dtype=object)
            groups = df.groupby(p["column"], dropna=False, sort=True, observed=True).indices
            for positions in groups.values():
                values[positions] = _labels(len(positions), p["train"], p["validation"], rng)
            labels = pd.Series(values, index=df.index, dtype="str")
        df[p["new_column"]] = labels
        return df

    def _code(self, var):
        p = self._params
        new = f"{var}[{p['new_column']!r}]"
        if p["method"] == "time":
            col = f"{var}[{p['column']!r}]"
            if self._learned is None:
                train_end = f"{col}.quantile({p['train']!r})"
                valid_end = f"{col}.quantile({min(p['train'] + p['validation'], 1.0)!r})"
            else:
                train_end = literal(self.value("train_end"))
                valid_end = literal(self.value("validation_end"))
            return [f"_times = {col}",
                    f"_split = pd.Series('test', index={var}.index, dtype='str')",
                    f"_split = _split.mask(_times <= {valid_end}, 'validation')",
                    f"_split = _split.mask(_times <= {train_end}, 'train')"
                    ".where(_times.notna())",
                    f"{new} = _split"]
        shares = f"{p['train']!r}, {p['validation']!r}"
        lines = ["def _labels(n, train, validation, rng):",
                 "    labels = np.full(n, 'test', dtype=object)",
                 "    order = rng.permutation(n)",
                 "    n_train = min(round(n * train), n)",
                 "    n_valid = min(round(n * validation), n - n_train)",
                 "    labels[order[:n_train]] = 'train'",
                 "    labels[order[n_train:n_train + n_valid]] = 'validation'",
                 "    return labels",
                 f"_rng = np.random.default_rng({p['seed']!r})"]
        if p["method"] == "random":
            lines.append(f"{new} = pd.Series(_labels(len({var}), {shares}, _rng), "
                         f"index={var}.index, dtype='str')")
        else:
            lines += [f"_values = np.full(len({var}), 'test', dtype=object)",
                      f"for _positions in {var}.groupby({p['column']!r}, dropna=False, "
                      "sort=True, observed=True).indices.values():",
                      f"    _values[_positions] = _labels(len(_positions), {shares}, _rng)",
                      f"{new} = pd.Series(_values, index={var}.index, dtype='str')"]
        return lines
