"""Cleaning steps: outliers (bounds learned by fit, then clipped or dropped) and filling gaps
from neighbouring rows (forward, backward, linear interpolation)."""

from __future__ import annotations

import math

from ._messages import msg
from .base import Param, Step
from .learned import literal

__all__ = ["Fill", "Outliers"]


class Outliers(Step):
    """Clip or drop values outside bounds learned from the training data: by IQR (below
    q25 - factor x IQR or above q75 + factor x IQR; factor 1.5 by default) or z-score (more
    than factor standard deviations from the mean; factor 3 by default).

    Learned: ``{column: {"low": ..., "high": ...}}``. clip makes the columns float64 and
    moves values to the nearest bound; drop removes a row when any of the columns is
    outside its bounds (missing values are kept: impute or drop_missing handles them).
    """

    type = "outliers"
    params = (
        Param("columns", "columns", description="Numeric columns to check."),
        Param("method", "enum", "iqr", choices=("iqr", "zscore"),
              description="'iqr': quartiles; 'zscore': mean and standard deviation."),
        Param("factor", "number", None, minimum=0, description="How far out a value must be: "
              "IQRs beyond the quartiles, or standard deviations from the mean (empty: 1.5 "
              "for iqr, 3 for zscore)."),
        Param("action", "enum", "clip", choices=("clip", "drop"),
              description="'clip' to the bounds, or 'drop' the rows."),
    )

    def for_each_row(self):
        return self._params["action"] != "drop"

    def _factor(self) -> float:
        factor = self._params["factor"]
        return (1.5 if self._params["method"] == "iqr" else 3.0) if factor is None else factor

    def _validate(self, df):
        self.need_columns(df, self._params["columns"], "columns")
        self.need_numeric(df, self._params["columns"], "columns")

    def _fit(self, df):
        bounds, factor = {}, self._factor()
        for column in self._params["columns"]:
            s = df[column].astype("float64")
            if s.count() == 0:
                raise self.error(msg("recipe.column.all_missing", name=column,
                                     what="outlier bounds"), "columns")
            low, high = _bounds(s, self._params["method"], factor)
            if not (math.isfinite(low) and math.isfinite(high)):
                raise self.error(msg("recipe.column.not_finite", name=column,
                                     what="outlier bounds"), "columns")
            bounds[column] = {"low": low, "high": high}
        return bounds

    def _apply(self, df):
        columns = self._params["columns"]
        if self._params["action"] == "clip":
            for column in columns:
                df[column] = df[column].astype("float64").clip(self.value(column, "low"),
                                                               self.value(column, "high"))
            return df
        keep = None
        for column in columns:
            s = df[column].astype("float64")
            inside = s.isna() | s.between(self.value(column, "low"), self.value(column, "high"))
            keep = inside if keep is None else keep & inside
        return df[keep]

    def _code(self, var):
        columns, factor = self._params["columns"], self._factor()
        lines = []
        for column in columns:
            col = f"{var}[{column!r}]"
            if self._learned is None:
                if self._params["method"] == "iqr":
                    lines += [f"_q1, _q3 = {col}.astype('float64').quantile(0.25), "
                              f"{col}.astype('float64').quantile(0.75)",
                              f"_low, _high = _q1 - {factor!r} * (_q3 - _q1), "
                              f"_q3 + {factor!r} * (_q3 - _q1)"]
                else:
                    lines += [f"_mean, _std = {col}.astype('float64').mean(), "
                              f"{col}.astype('float64').std(ddof=0)",
                              f"_low, _high = _mean - {factor!r} * _std, "
                              f"_mean + {factor!r} * _std"]
                low, high = "_low", "_high"
            else:
                low = literal(self.value(column, "low"))
                high = literal(self.value(column, "high"))
            if self._params["action"] == "clip":
                lines.append(f"{col} = {col}.astype('float64').clip({low}, {high})")
            else:
                inside = (f"({col}.isna() | {col}.astype('float64').between({low}, {high}))")
                lines.append(f"_keep = {inside}" if column == columns[0]
                             else f"_keep = _keep & {inside}")
        if self._params["action"] == "drop":
            lines.append(f"{var} = {var}[_keep]")
        return lines


def _bounds(s, method: str, factor: float) -> tuple[float, float]:
    if method == "iqr":
        q1, q3 = s.quantile(0.25), s.quantile(0.75)
        return float(q1 - factor * (q3 - q1)), float(q3 + factor * (q3 - q1))
    mean, std = s.mean(), s.std(ddof=0)
    return float(mean - factor * std), float(mean + factor * std)


class Fill(Step):
    """Fill missing values from neighbouring rows: forward (the last value above), backward
    (the next value below) or linear interpolation (numeric columns, made float64).

    Works on the rows in their order within the frame it transforms; nothing is learned, so
    the first rows of a new frame are not filled from the training rows. limit: at most that
    many consecutive missing values are filled.
    """

    type = "fill"
    params = (
        Param("columns", "columns", description="Columns to fill."),
        Param("method", "enum", "ffill", choices=("ffill", "bfill", "linear"),
              description="'ffill': from above; 'bfill': from below; 'linear': interpolate "
              "between the values around the gap."),
        Param("limit", "int", None, minimum=1, description="Fill at most this many "
              "consecutive missing values; empty for no limit."),
    )

    def _validate(self, df):
        self.need_columns(df, self._params["columns"], "columns")
        if self._params["method"] == "linear":
            self.need_numeric(df, self._params["columns"], "columns")

    def _apply(self, df):
        method, limit = self._params["method"], self._params["limit"]
        for column in self._params["columns"]:
            if method == "linear":
                df[column] = df[column].astype("float64").interpolate(
                    method="linear", limit=limit, limit_area="inside")
            else:
                df[column] = getattr(df[column], method)(limit=limit)
        return df

    def _code(self, var):
        method, limit = self._params["method"], self._params["limit"]
        lines = []
        for column in self._params["columns"]:
            col = f"{var}[{column!r}]"
            if method == "linear":
                lines.append(f"{col} = {col}.astype('float64').interpolate(method='linear', "
                             f"limit={limit!r}, limit_area='inside')")
            else:
                lines.append(f"{col} = {col}.{method}(limit={limit!r})")
        return lines
