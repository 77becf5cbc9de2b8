"""The step base class, its declared parameters, the step registry and RecipeError.

A step subclass declares ``type`` (its JSON name) and ``params`` (a tuple of ``Param``).
From that one declaration come the constructor (``Impute(columns=["age"], strategy="mean")``,
positional in declared order too), the static checks, ``to_json()`` and ``schema()``.
Subclasses add ``_check()`` (cross-field, no data), ``_validate(df)`` (against the data),
``_apply(df)`` and ``_code(var)``. Nothing here imports pandas.

Learning once (scikit-learn's convention): ``step.fit(df)`` returns a copy of the step with
its learned values (``_fit(df) -> dict``, plain JSON, see ``learned.py``) frozen in
``_learned``; ``transform(df)`` applies it with them and never refits. A step that learns
nothing has ``{}`` and counts as fitted without fit (a recipe of such steps, e.g. one stored
before fitting existed, transforms as it is). ``apply(df)`` is ``transform`` for a fitted
step, else fit-then-transform on df. ``_apply`` and ``_code`` read ``self._learned`` (None:
not fitted, the exported code computes the statistics itself, as before).
"""

from __future__ import annotations

import copy
import difflib
import keyword
from typing import ClassVar

from ..errors import InvalidInput
from ._messages import msg
from .learned import decode, normalise
from .params import REQUIRED, Param, is_numeric, value_fits, value_kind

__all__ = ["REQUIRED", "STEPS", "Param", "RecipeError", "Step", "check_var", "put_columns"]

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
    _learned: dict | None = None  # set only through fit or from_json (steps are immutable)

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
        """``{"step": type, **params}``, plus ``"learned": {...}`` once fitted."""
        out = {"step": self.type, **self.get_params()}
        if self._learned is not None:
            out["learned"] = copy.deepcopy(self._learned)
        return out

    # -- learned values ---------------------------------------------------------------
    @property
    def is_fitted(self) -> bool:
        """True once fit has run, and always for a step that learns nothing from data (such
        as impute with a constant): it transforms as it is."""
        return self._learned is not None or not self.learns()

    @property
    def learned(self) -> dict | None:
        """What fit learned (plain JSON; {} for a step that learns nothing; None before fit)."""
        if self._learned is None:
            return None if self.learns() else {}
        return copy.deepcopy(self._learned)

    def for_each_row(self) -> bool:
        """False for steps that drop, reorder or add rows, or mark them for training (the
        ones ``Recipe.for_prediction`` leaves out)."""
        return True

    def learns(self) -> bool:
        """True if fit takes values from the data (this step's parameters decide)."""
        return type(self)._fit is not Step._fit

    def with_learned(self, learned: dict) -> Step:
        """A fitted copy holding ``learned`` (as stored by ``to_json``)."""
        if not isinstance(learned, dict):
            raise self.error(msg("recipe.learned.not_object", got=type(learned).__name__),
                             "learned")
        try:
            learned = normalise(learned)
        except (TypeError, ValueError) as exc:
            raise self.error(str(exc), "learned") from None
        self._check_learned(learned)
        new = object.__new__(type(self))
        new.__dict__.update(copy.deepcopy(self.__dict__))
        new.__dict__["_learned"] = learned
        return new

    def unfitted(self) -> Step:
        """The same parameters, nothing learned."""
        return type(self)(**self._params)

    def value(self, *keys):
        """A learned value, decoded (tagged floats and timestamps become Python values)."""
        value = self._learned
        for key in keys:
            value = value[key]
        return decode(value)

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
        return (type(self) is type(other) and self._params == other._params
                and self.learned == other.learned)  # nothing learned: {} or not fitted

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
        dtypes = dict(zip(df.columns, df.dtypes, strict=True))  # df[name] is slow on wide frames
        for name in [names] if isinstance(names, str) else names:
            dtype = dtypes[name]
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

    def fit(self, df) -> Step:
        """A fitted copy of this step, its values learned from df (this step is unchanged)."""
        self.validate(df)
        if self.learns() and len(df) == 0:
            raise self.error(msg("recipe.fit.no_rows"))
        try:
            learned = self._fit(df)
        except RecipeError:
            raise
        except (TypeError, ValueError, KeyError, OverflowError, IndexError) as exc:
            raise self.error(msg("recipe.pandas_failed", problem=exc)) from exc
        return self.with_learned(learned)

    def transform(self, df):
        """A new DataFrame, made with the learned values; the input is never changed."""
        if not self.is_fitted:
            raise self.error(msg("recipe.not_fitted"))
        self.validate(df)
        try:
            return self._apply(_shallow_copy(df))
        except RecipeError:
            raise
        except KeyError as exc:  # columns are checked above: a learned value is missing
            if not self.learns():
                raise self.error(msg("recipe.pandas_failed", problem=exc)) from exc
            raise self.error(msg("recipe.learned.bad", problem=f"no value for {exc}"),
                             "learned") from exc
        except (TypeError, ValueError, OverflowError, IndexError) as exc:
            raise self.error(msg("recipe.pandas_failed", problem=exc)) from exc

    def apply(self, df):
        """transform(df) once fitted, else fit(df).transform(df); df is never changed."""
        return (self if self.is_fitted else self.fit(df)).transform(df)

    def fit_transform(self, df):
        return self.fit(df).transform(df)

    def to_code(self, var: str = "df") -> str:
        """Plain pandas/numpy lines that do what apply does to the frame named var (with
        the learned values written in once fitted)."""
        check_var(var)
        return "\n".join(self._code(var))

    # -- for subclasses ---------------------------------------------------------------
    def _check(self) -> None:
        """Cross-field checks that need no data."""

    def _validate(self, df) -> None:
        """Checks against the data (columns exist, dtypes fit)."""

    def _fit(self, df) -> dict:
        """What this step learns from df (plain values; numpy and pandas scalars are fine)."""
        return {}

    def _check_learned(self, learned: dict) -> None:
        """Refuse stored learned values that this step cannot use."""

    def _apply(self, df):
        raise NotImplementedError

    def _code(self, var: str) -> list[str]:
        raise NotImplementedError


def check_var(var) -> None:
    """The name of the frame in exported code must be a plain identifier."""
    if not isinstance(var, str) or not var.isidentifier() or keyword.iskeyword(var):
        raise RecipeError(msg("recipe.bad_var", var=var), field="var")


def put_columns(df, sub):
    """df with the columns of sub replaced by sub's (same index). Column by column for a few;
    for many, one concat: each ``df[c] = ...`` on a wide frame copies its block manager, so
    10,000 of them take minutes."""
    import pandas as pd

    if len(sub.columns) <= 32:
        for column in sub.columns:
            df[column] = sub[column]
        return df
    rest = df.drop(columns=list(sub.columns))
    return pd.concat([rest, sub], axis=1)[df.columns]


def _shallow_copy(df):
    """A frame whose column assignments do not reach df (copy-on-write from pandas 3)."""
    import pandas as pd

    return df.copy(deep=int(pd.__version__.split(".")[0]) < 3)
