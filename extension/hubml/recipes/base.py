"""The step base class, its declared parameters, the step registry and RecipeError.

A step subclass declares ``type`` (its JSON name) and ``params`` (a tuple of ``Param``).
From that one declaration come the constructor (``Impute(columns=["age"], strategy="mean")``,
positional in declared order too), the static checks, ``to_json()`` and ``schema()``.
Subclasses add ``_check()`` (cross-field, no data), ``_validate(df)`` (against the data),
``_apply(df)`` and ``_code(var)``. Nothing here imports pandas.
"""

from __future__ import annotations

import copy
import difflib
import keyword
from typing import ClassVar

from ..errors import InvalidInput
from ._messages import msg
from .params import REQUIRED, Param, is_numeric, value_fits, value_kind

__all__ = ["REQUIRED", "STEPS", "Param", "RecipeError", "Step", "check_var"]

STEPS: dict[str, type[Step]] = {}
_LISTED = 30  # columns named in a "not found" message


class RecipeError(InvalidInput):
    """A recipe or step the caller can fix; says which step, which field and what to change.

    ``details`` holds ``step`` (1-based position, when inside a recipe), ``type`` (the step
    type) and ``field`` (the parameter), so a form can point at the field.
    """

    code = "invalid_recipe"

    def __init__(self, text: str, *, type: str | None = None, field: str | None = None,
                 index: int | None = None):
        self.text, self.type, self.field, self.index = text, type, field, index
        if index is not None and type is None:
            where = msg("recipe.where.index", index=index)
        elif index is not None:
            where = msg("recipe.where.step", index=index, type=type)
        elif type is not None:
            where = msg("recipe.where.type", type=type)
        else:
            where = None
        if where is None:
            message = text
        elif field is not None:
            message = msg("recipe.where.field", where=where, field=field, text=text)
        else:
            message = msg("recipe.where.plain", where=where, text=text)
        details = {k: v for k, v in (("step", index), ("type", type), ("field", field))
                   if v is not None}
        super().__init__(message, details)

    def at(self, index: int) -> RecipeError:
        """The same error, placed at a position in a recipe."""
        return RecipeError(self.text, type=self.type, field=self.field, index=index)


class Step:
    """One data-processing step; parameters are plain JSON values (see module docstring)."""

    type: ClassVar[str] = ""
    params: ClassVar[tuple[Param, ...]] = ()
    imports: ClassVar[tuple[str, ...]] = ("pandas",)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("type"):
            STEPS[cls.type] = cls

    def __init__(self, *args, **kwargs):
        names = [p.name for p in self.params]
        if len(args) > len(names):
            raise self.error(msg("recipe.param.too_many", count=len(names),
                                 known=", ".join(names)))
        given = dict(zip(names[:len(args)], args, strict=True))
        for name, value in kwargs.items():
            if name not in names:
                raise self.error(msg("recipe.param.unknown", name=name,
                                     known=", ".join(names) or "(none)"), name)
            if name in given:
                raise self.error(msg("recipe.param.twice", name=name), name)
            given[name] = value
        values = {}
        for param in self.params:
            value = given.get(param.name, param.default)
            if value is REQUIRED:
                raise self.error(msg("recipe.param.missing"), param.name)
            try:
                values[param.name] = param.check(value)
            except ValueError as exc:
                raise self.error(str(exc), param.name) from None
        self.__dict__["_params"] = values
        self._check()

    # -- parameters -------------------------------------------------------------------
    def __getattr__(self, name):
        params = self.__dict__.get("_params", {})
        if name in params:
            return copy.deepcopy(params[name])
        raise AttributeError(f"{type(self).__name__!s} has no attribute {name!r}")

    def __setattr__(self, name, value):
        raise AttributeError("steps are immutable; make a new one with changed parameters")

    def get_params(self) -> dict:
        return copy.deepcopy(self._params)

    def to_json(self) -> dict:
        return {"step": self.type, **self.get_params()}

    @classmethod
    def schema(cls) -> dict:
        """JSON Schema of the parameters (what a form needs), with defaults."""
        doc = " ".join((cls.__doc__ or "").strip().split("\n\n")[0].split())
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": cls.type, "description": doc, "type": "object",
            "properties": {p.name: p.json_schema() for p in cls.params},
            "required": [p.name for p in cls.params if p.default is REQUIRED],
            "additionalProperties": False,
        }

    def __eq__(self, other):
        return type(self) is type(other) and self._params == other._params

    __hash__ = None  # mutable-looking params; compare, do not hash

    def __repr__(self) -> str:
        shown = [f"{p.name}={self._params[p.name]!r}" for p in self.params
                 if p.default is REQUIRED or self._params[p.name] != p.default]
        return f"{type(self).__name__}({', '.join(shown)})"

    # -- errors and data checks -------------------------------------------------------
    def error(self, text: str, field: str | None = None) -> RecipeError:
        return RecipeError(text, type=self.type or type(self).__name__, field=field)

    def need_columns(self, df, names, field: str) -> None:
        """Refuse names that are not columns of df, listing the columns there are."""
        existing = [str(c) for c in df.columns]
        present = set(df.columns)
        for name in [names] if isinstance(names, str) else names:
            if name not in present:
                guess = difflib.get_close_matches(name, existing, n=1)
                hint = msg("recipe.column.hint", guess=guess[0]) if guess else ""
                listed = ", ".join(repr(c) for c in existing[:_LISTED])
                if len(existing) > _LISTED:
                    listed += f", ... ({len(existing)} in all)"
                raise self.error(msg("recipe.column.missing", name=name, hint=hint,
                                     columns=listed or "(none)"), field)

    def need_numeric(self, df, names, field: str) -> None:
        for name in [names] if isinstance(names, str) else names:
            dtype = df[name].dtype
            if not is_numeric(dtype):
                raise self.error(msg("recipe.column.not_numeric", name=name, dtype=dtype), field)

    def need_value_fits(self, df, name: str, values: list, field: str) -> None:
        """Refuse constants that a column of this dtype cannot hold or compare with."""
        kind = value_kind(df[name].dtype)
        for value in values:
            if not value_fits(kind, value):
                raise self.error(msg("recipe.value.kind", name=name, dtype=df[name].dtype,
                                     kind=msg(f"recipe.value.{kind}"), value=value), field)

    # -- the contract ---------------------------------------------------------------
    def validate(self, df) -> None:
        """Raise RecipeError (naming the field and what to change) if df does not fit."""
        import pandas as pd

        if not isinstance(df, pd.DataFrame):
            raise self.error(msg("recipe.not_frame", got=type(df).__name__))
        duplicated = df.columns[df.columns.duplicated()]
        if len(duplicated):
            raise self.error(msg("recipe.duplicate_columns",
                                 names=", ".join(map(repr, dict.fromkeys(duplicated)))))
        self._validate(df)

    def apply(self, df):
        """A new DataFrame; the input is never changed."""
        self.validate(df)
        try:
            return self._apply(_shallow_copy(df))
        except RecipeError:
            raise
        except (TypeError, ValueError, KeyError, OverflowError, IndexError) as exc:
            raise self.error(msg("recipe.pandas_failed", problem=exc)) from exc

    def to_code(self, var: str = "df") -> str:
        """Plain pandas/numpy lines that do what apply does to the frame named var."""
        check_var(var)
        return "\n".join(self._code(var))

    # -- for subclasses ---------------------------------------------------------------
    def _check(self) -> None:
        """Cross-field checks that need no data."""

    def _validate(self, df) -> None:
        """Checks against the data (columns exist, dtypes fit)."""

    def _apply(self, df):
        raise NotImplementedError

    def _code(self, var: str) -> list[str]:
        raise NotImplementedError


def check_var(var) -> None:
    """The name of the frame in exported code must be a plain identifier."""
    if not isinstance(var, str) or not var.isidentifier() or keyword.iskeyword(var):
        raise RecipeError(msg("recipe.bad_var", var=var), field="var")


def _shallow_copy(df):
    """A frame whose column assignments do not reach df (copy-on-write from pandas 3)."""
    import pandas as pd

    return df.copy(deep=int(pd.__version__.split(".")[0]) < 3)
