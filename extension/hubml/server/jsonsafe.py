"""Values as strict JSON: NaN and infinities become null, dates ISO strings, numpy scalars
plain numbers. Used for every response body, so no handler answers invalid JSON."""

from __future__ import annotations

import base64
import datetime
import decimal
import json
import math

__all__ = ["dumps", "json_value"]


def json_value(value):
    """One value (recursively for lists and dicts) as something ``json.dumps`` writes strictly."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if type(value).__name__ in ("NaTType", "NAType"):  # pandas' missing values
        return None
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return _iso_duration(value)
    if isinstance(value, decimal.Decimal):
        return json_value(float(value))
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if hasattr(value, "isoformat"):  # pandas Timestamp
        try:
            return value.isoformat()
        except ValueError:
            return None
    if hasattr(value, "item"):  # numpy scalars
        try:
            return json_value(value.item())
        except (TypeError, ValueError):
            pass
    if hasattr(value, "tolist"):
        return json_value(value.tolist())
    return str(value)


def _iso_duration(delta: datetime.timedelta) -> str:
    """ISO 8601 duration (``P1DT2H3M4.5S``), what pandas' Timedelta.isoformat writes."""
    sign = "-" if delta < datetime.timedelta(0) else ""
    delta = abs(delta)
    seconds = delta.seconds + delta.microseconds / 1e6
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}P{delta.days}DT{int(hours)}H{int(minutes)}M{secs:g}S"


def dumps(payload) -> str:
    """Strict JSON; tries the fast path first and cleans the payload only when it must."""
    try:
        return json.dumps(payload, allow_nan=False)
    except (TypeError, ValueError):
        return json.dumps(json_value(payload), allow_nan=False)
