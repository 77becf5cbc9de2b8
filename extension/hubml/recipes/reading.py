"""The read step: ``read_csv`` describes how a CSV/TSV file was read (delimiter, encoding,
decimal mark, date columns), so a recipe can start from the raw file and its exported code is
the whole path from file to frame.

How it composes: as the first step of a recipe it replaces the (empty) frame with the file's
rows: ``Recipe([ReadCSV("data/raw.csv"), ...]).fit(pd.DataFrame())``; its code is
``df = pd.read_csv(...)``. It refuses a frame that has rows or columns, so applying a recipe
with a read step to data you already have (a served model's input, a DataFrame in a notebook)
is an error, never a silent swap for the file's rows. Use ``recipe[1:]`` for the steps after
it. A relative path is relative to the working directory of the process (the notebook's
folder), as in pandas.
"""

from __future__ import annotations

from ._messages import msg
from .base import Param, Step

__all__ = ["ReadCSV"]


class ReadCSV(Step):
    """Read a CSV file (pandas.read_csv) as the start of a recipe: delimiter, encoding,
    decimal mark and date columns. It applies to an empty frame and gives the file's rows.
    """

    type = "read_csv"
    params = (
        Param("path", "string", description="The file, relative to the notebook's folder or "
              "absolute."),
        Param("delimiter", "string", ",", description="Field separator, such as ',' ';' or "
              "'\\t'."),
        Param("encoding", "string", "utf-8", description="Text encoding, such as utf-8, "
              "cp1252 or cp1251."),
        Param("decimal", "enum", ".", choices=(".", ","), description="Decimal mark of "
              "numbers."),
        Param("parse_dates", "columns", None, description="Columns to read as dates; empty "
              "for none."),
        Param("date_format", "string", None, description="strftime format of those dates, "
              "such as '%d.%m.%Y'; empty to infer it."),
    )

    def for_each_row(self):
        return False

    def _check(self):
        p = self._params
        if not p["path"]:
            raise self.error(msg("recipe.param.missing"), "path")
        if len(p["delimiter"]) != 1:
            raise self.error(msg("recipe.read.delimiter", value=p["delimiter"]), "delimiter")
        if p["delimiter"] == p["decimal"]:
            raise self.error(msg("recipe.read.same_mark"), "decimal")
        import codecs

        try:
            codecs.lookup(p["encoding"])
        except LookupError:
            raise self.error(msg("recipe.read.encoding", value=p["encoding"]),
                             "encoding") from None
        if p["date_format"] is not None and p["parse_dates"] is None:
            raise self.error(msg("recipe.read.format_unused"), "date_format")

    def _validate(self, df):
        if len(df) or len(df.columns):
            raise self.error(msg("recipe.read.not_empty", rows=len(df), columns=len(df.columns)))

    def _kwargs(self) -> dict:
        p = self._params
        out = {"sep": p["delimiter"], "encoding": p["encoding"], "decimal": p["decimal"]}
        if p["parse_dates"] is not None:
            out["parse_dates"] = p["parse_dates"]
        if p["date_format"] is not None:
            out["date_format"] = p["date_format"]
        return out

    def _apply(self, df):
        import pandas as pd

        path = self._params["path"]
        try:
            return pd.read_csv(path, **self._kwargs())
        except FileNotFoundError:
            raise self.error(msg("recipe.read.missing", path=path), "path") from None
        except UnicodeDecodeError as exc:
            raise self.error(msg("recipe.read.decode", path=path, problem=exc,
                                 encoding=self._params["encoding"]), "encoding") from None
        except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise self.error(msg("recipe.read.failed", path=path, problem=exc), "path") from None

    def _code(self, var):
        args = ", ".join(f"{k}={v!r}" for k, v in self._kwargs().items())
        return [f"{var} = pd.read_csv({self._params['path']!r}, {args})"]
