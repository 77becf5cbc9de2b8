"""Declared step parameters: one declaration gives the static check and the JSON Schema;
and which constants fit which column dtypes.

pandas is imported only inside the dtype helpers, when they are called.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from typing import Any

from ._messages import msg

__all__ = ["REQUIRED", "Param", "is_number", "is_numeric", "plain_scalar", "value_fits",
           "value_kind"]

REQUIRED: Any = type("Required", (), {"__repr__": lambda self: "REQUIRED"})()


def _kind_name(value) -> str:
    return "null" if value is None else type(value).__name__


def plain_scalar(value) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None or isinstance(value, (str, int, bool))


@dataclass(frozen=True)
class Param:
    """One parameter: its kind decides the static check and the JSON Schema.

    kinds: column, columns, string, enum, bool, int, number, scalar, scalars, mapping, any
    (``any`` is checked by the step's ``_check``; give ``schema`` for it).
    """

    name: str
    kind: str
    default: Any = REQUIRED
    description: str = ""
    choices: tuple = ()
    nullable: bool = False
    minimum: float | None = None
    schema: dict = field(default_factory=dict)

    def check(self, value):
        """The normalised value (tuples become lists, a deep copy), or a RecipeError text."""
        if value is None and (self.nullable or self.default is None):
            return None
        kind = self.kind
        if isinstance(value, tuple):
            value = list(value)
        if kind in ("column", "string"):
            ok = isinstance(value, str) and (value != "" or kind == "string")
            expected = "a column name" if kind == "column" else "a string"
        elif kind == "enum":
            if value not in self.choices or not isinstance(value, str):
                raise ValueError(msg("recipe.param.choice", value=value,
                                     choices=", ".join(self.choices)))
            return value
        elif kind == "bool":
            ok, expected = isinstance(value, bool), "true or false"
        elif kind == "int":
            ok, expected = isinstance(value, int) and not isinstance(value, bool), "an integer"
        elif kind == "number":
            ok = (isinstance(value, (int, float)) and not isinstance(value, bool)
                  and math.isfinite(value))
            expected = "a finite number"
        elif kind == "scalar":
            ok, expected = plain_scalar(value), "a number, string, boolean or null"
        elif kind == "columns":
            ok = isinstance(value, list) and all(isinstance(v, str) and v for v in value)
            expected = "a list of column names"
            if ok and not value:
                raise ValueError(msg("recipe.param.empty"))
        elif kind == "scalars":
            ok = isinstance(value, list) and all(plain_scalar(v) for v in value)
            expected = "a list of numbers, strings or booleans"
        elif kind == "mapping":
            ok = isinstance(value, dict) and all(
                isinstance(k, str) and k and isinstance(v, str) and v for k, v in value.items())
            expected = "an object mapping column names to new names"
        else:
            return copy.deepcopy(value)
        if not ok:
            raise ValueError(msg("recipe.param.type", expected=expected, got=_describe(value)))
        if kind in ("columns", "scalars"):
            seen = set()
            for item in value:
                key = (type(item), item)
                if key in seen:
                    raise ValueError(msg("recipe.param.duplicates", value=item))
                seen.add(key)
        if self.minimum is not None and value < self.minimum:
            raise ValueError(msg("recipe.param.minimum", minimum=self.minimum, value=value))
        return copy.deepcopy(value)

    def json_schema(self) -> dict:
        scalar = {"type": ["number", "string", "boolean", "null"]}
        by_kind = {
            "column": {"type": "string", "minLength": 1, "x-hubml-input": "column"},
            "columns": {"type": "array", "minItems": 1, "uniqueItems": True,
                        "items": {"type": "string", "minLength": 1},
                        "x-hubml-input": "columns"},
            "string": {"type": "string"},
            "enum": {"type": "string", "enum": list(self.choices)},
            "bool": {"type": "boolean"},
            "int": {"type": "integer"},
            "number": {"type": "number"},
            "scalar": scalar,
            "scalars": {"type": "array", "uniqueItems": True, "items": scalar},
            "mapping": {"type": "object", "additionalProperties": {"type": "string",
                                                                   "minLength": 1}},
        }
        out = dict(by_kind.get(self.kind, {}))
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.nullable or self.default is None:
            out = {"anyOf": [out, {"type": "null"}]} if out else out
        out.update(self.schema)
        out["title"] = self.name
        if self.description:
            out["description"] = self.description
        if self.default is not REQUIRED:
            out["default"] = copy.deepcopy(self.default)
        return out


def _describe(value) -> str:
    text = repr(value)
    return f"{_kind_name(value)} {text if len(text) <= 40 else text[:37] + '...'}"


def is_number(value) -> bool:
    """A JSON number (not a boolean)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_numeric(dtype) -> bool:
    """A numeric pandas dtype that is not boolean."""
    from pandas.api import types

    return types.is_numeric_dtype(dtype) and not types.is_bool_dtype(dtype)


def value_kind(dtype) -> str | None:
    """What a constant filled into or compared with a column of dtype must be: "number",
    "boolean", "date", "string", or None (anything: categorical, object)."""
    import pandas as pd
    from pandas.api import types

    if isinstance(dtype, pd.CategoricalDtype) or types.is_object_dtype(dtype):
        return None
    if types.is_bool_dtype(dtype):
        return "boolean"
    if is_numeric(dtype):
        return "number"
    if types.is_datetime64_any_dtype(dtype):
        return "date"
    return "string" if types.is_string_dtype(dtype) else None


def value_fits(kind: str | None, value) -> bool:
    if kind is None or value is None:
        return True
    if kind == "number":
        return is_number(value)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "string":
        return isinstance(value, str)
    import pandas as pd

    try:
        return isinstance(value, str) and pd.Timestamp(value) is not pd.NaT
    except (TypeError, ValueError):
        return False
