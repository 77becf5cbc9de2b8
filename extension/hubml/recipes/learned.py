"""Learned values as plain JSON, and back, and as Python literals in exported code.

A fitted step keeps what it learned (means, edges, categories, ...) as plain JSON: numbers,
strings, booleans, null, lists and objects. Values JSON cannot hold are tagged objects:
``{"$float": "nan" | "inf" | "-inf"}``, ``{"$timestamp": "2024-01-31T00:00:00"}`` and
``{"$timedelta": "1 days 00:00:00"}``. ``decode`` turns them back into Python and pandas
values, ``literal`` writes a decoded value as code that evaluates to it. Steps always use
the decoded JSON, so a fitted step and its ``from_json`` copy compute the same thing.
"""

from __future__ import annotations

import json
import math

__all__ = ["decode", "encode", "literal"]

_TAGS = ("$float", "$timestamp", "$timedelta")


def encode(value):
    """Plain JSON for a learned value (numpy and pandas scalars included)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    import numpy as np
    import pandas as pd

    if value is pd.NaT:
        return None
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return {"$timestamp": pd.Timestamp(value).isoformat()}
    if isinstance(value, (pd.Timedelta, np.timedelta64)):
        return {"$timedelta": str(pd.Timedelta(value))}
    if value is pd.NA:
        return None
    if isinstance(value, np.generic):
        return encode(value.item())
    if isinstance(value, np.ndarray):
        return [encode(v) for v in value.tolist()]
    raise TypeError(f"cannot store {type(value).__name__} as a learned value")


def normalise(value):
    """``encode`` then a JSON round trip: exactly what ``from_json`` will see."""
    return json.loads(json.dumps(encode(value), allow_nan=False))


def _tagged(value) -> bool:
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in _TAGS


def decode(value):
    """The Python value for learned JSON (tagged objects become floats, Timestamps, ...)."""
    if _tagged(value):
        (tag, text), = value.items()
        if tag == "$float":
            return float(text)
        import pandas as pd

        return pd.Timestamp(text) if tag == "$timestamp" else pd.Timedelta(text)
    if isinstance(value, dict):
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def literal(value) -> str:
    """Python source that evaluates to the decoded value (pd and np imported)."""
    if isinstance(value, float) and not math.isfinite(value):
        return f"float({repr(value)!r})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if value is None or isinstance(value, (bool, int, float, str)):
        return repr(value)
    import pandas as pd

    if isinstance(value, pd.Timestamp):
        return f"pd.Timestamp({value.isoformat()!r})"
    if isinstance(value, pd.Timedelta):
        return f"pd.Timedelta({str(value)!r})"
    raise TypeError(f"no literal for {type(value).__name__}")
