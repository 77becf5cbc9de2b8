"""Steps on text and dates: text cleanup (trim, case, replace, extract) and date parts (year,
month, day, weekday, hour, ... of a datetime column or of text parsed as dates). Nothing is
learned: they work row by row."""

from __future__ import annotations

import re

from ._messages import msg
from .base import Param, Step

__all__ = ["DATE_PARTS", "TEXT_OPERATIONS", "DateParts", "TextCleanup"]

TEXT_OPERATIONS = ("trim", "lower", "upper", "title", "replace", "extract")
DATE_PARTS = ("year", "quarter", "month", "day", "weekday", "dayofyear", "week", "hour",
              "minute", "second")


def _is_text(dtype) -> bool:
    from pandas.api import types

    return types.is_string_dtype(dtype) or types.is_object_dtype(dtype)


class TextCleanup(Step):
    """Clean text columns: trim surrounding spaces, lower/upper/title case, replace a pattern
    (literal text, or a regular expression with regex), or extract a regular expression's
    group (rows without a match become missing). Missing values stay missing.
    """

    type = "text_cleanup"
    params = (
        Param("columns", "columns", description="Text columns to clean."),
        Param("operation", "enum", choices=TEXT_OPERATIONS, description="What to do."),
        Param("pattern", "string", None, description="replace and extract: the text (or "
              "regular expression) to look for."),
        Param("replacement", "string", "", description="replace: what to put instead."),
        Param("regex", "bool", False, description="replace: pattern is a regular expression "
              "(extract always is)."),
        Param("group", "int", 1, minimum=0, description="extract: the group to keep (0: the "
              "whole match)."),
    )

    def _check(self):
        operation, pattern = self._params["operation"], self._params["pattern"]
        if operation in ("replace", "extract"):
            if not pattern:
                raise self.error(msg("recipe.text.pattern_needed", op=operation), "pattern")
            if operation == "extract" or self._params["regex"]:
                try:
                    compiled = re.compile(pattern)
                except re.error as exc:
                    raise self.error(msg("recipe.text.bad_regex", problem=exc),
                                     "pattern") from None
                if operation == "extract" and self._params["group"] > compiled.groups:
                    raise self.error(msg("recipe.text.group", group=self._params["group"],
                                         groups=compiled.groups), "group")
        elif pattern is not None:
            raise self.error(msg("recipe.text.pattern_unused", op=operation), "pattern")

    def _validate(self, df):
        self.need_columns(df, self._params["columns"], "columns")
        for column in self._params["columns"]:
            if not _is_text(df[column].dtype):
                raise self.error(msg("recipe.column.not_text", name=column,
                                     dtype=df[column].dtype), "columns")

    def _expression(self, col: str) -> str:
        p = self._params
        operation = p["operation"]
        if operation == "trim":
            return f"{col}.str.strip()"
        if operation in ("lower", "upper", "title"):
            return f"{col}.str.{operation}()"
        if operation == "replace":
            return (f"{col}.str.replace({p['pattern']!r}, {p['replacement']!r}, "
                    f"regex={p['regex']!r})")
        if p["group"] == 0:
            return f"{col}.str.extract({'(' + p['pattern'] + ')'!r}, expand=False)"
        return f"{col}.str.extract({p['pattern']!r}, expand=True)[{p['group'] - 1}]"

    def _apply(self, df):
        p = self._params
        for column in p["columns"]:
            s = df[column]
            operation = p["operation"]
            if operation == "trim":
                df[column] = s.str.strip()
            elif operation in ("lower", "upper", "title"):
                df[column] = getattr(s.str, operation)()
            elif operation == "replace":
                df[column] = s.str.replace(p["pattern"], p["replacement"], regex=p["regex"])
            elif p["group"] == 0:
                df[column] = s.str.extract("(" + p["pattern"] + ")", expand=False)
            else:
                df[column] = s.str.extract(p["pattern"], expand=True)[p["group"] - 1]
        return df

    def _code(self, var):
        return [f"{var}[{c!r}] = {self._expression(f'{var}[{c!r}]')}"
                for c in self._params["columns"]]


class DateParts(Step):
    """New columns with parts of a date: ``<column>_<part>`` for each part (Int64; missing
    for a missing or unparseable date). A text column is parsed as dates first (format: a
    strftime format such as '%d/%m/%Y', empty to infer; unparseable text becomes missing).
    weekday: Monday 0 ... Sunday 6; week: the ISO week number.
    """

    type = "date_parts"
    params = (
        Param("column", "column", description="A datetime column, or text holding dates."),
        Param("parts", "any", ["year", "month", "day"], description="Which parts: "
              + ", ".join(DATE_PARTS) + ".",
              schema={"type": "array", "minItems": 1, "uniqueItems": True,
                      "items": {"type": "string", "enum": list(DATE_PARTS)}}),
        Param("format", "string", None, description="For text: a strftime format such as "
              "'%d/%m/%Y'; empty to infer it."),
        Param("drop", "bool", False, description="Remove the original column."),
    )

    def _check(self):
        parts = self._params["parts"]
        if (not isinstance(parts, list) or not parts
                or any(p not in DATE_PARTS for p in parts) or len(set(parts)) != len(parts)):
            raise self.error(msg("recipe.date.parts", parts=", ".join(DATE_PARTS)), "parts")

    def _validate(self, df):
        from pandas.api import types

        column = self._params["column"]
        self.need_columns(df, column, "column")
        dtype = df[column].dtype
        if not (types.is_datetime64_any_dtype(dtype) or _is_text(dtype)):
            raise self.error(msg("recipe.date.not_date", name=column, dtype=dtype), "column")
        kept = set(df.columns) - ({column} if self._params["drop"] else set())
        for part in self._params["parts"]:
            if f"{column}_{part}" in kept:
                raise self.error(msg("recipe.date.clash", new=f"{column}_{part}"), "parts")

    def _apply(self, df):
        import pandas as pd
        from pandas.api import types

        column, fmt = self._params["column"], self._params["format"]
        dates = df[column]
        if not types.is_datetime64_any_dtype(dates.dtype):
            dates = pd.to_datetime(dates, errors="coerce", format=fmt)
        for part in self._params["parts"]:
            value = dates.dt.isocalendar().week if part == "week" else getattr(dates.dt, part)
            df[f"{column}_{part}"] = value.astype("Int64")
        return df.drop(columns=[column]) if self._params["drop"] else df

    def _code(self, var):
        column, fmt = self._params["column"], self._params["format"]
        extra = f", format={fmt!r}" if fmt is not None else ""
        lines = [f"_dates = {var}[{column!r}]",
                 "if not pd.api.types.is_datetime64_any_dtype(_dates.dtype):",
                 f"    _dates = pd.to_datetime(_dates, errors='coerce'{extra})"]
        for part in self._params["parts"]:
            value = "_dates.dt.isocalendar().week" if part == "week" else f"_dates.dt.{part}"
            lines.append(f"{var}[{column + '_' + part!r}] = {value}.astype('Int64')")
        if self._params["drop"]:
            lines.append(f"{var} = {var}.drop(columns=[{column!r}])")
        return lines
