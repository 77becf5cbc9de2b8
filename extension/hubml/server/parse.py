"""Argument parsing for the REST handlers, in one place.

Every failure is an :class:`~hubml.errors.InvalidInput` (400) whose message names the field and
says what is allowed, and whose ``details.field`` is that field's name. Nothing here touches
the disk.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..errors import InvalidInput
from ..messages import msg

__all__ = ["Field", "check_job_id", "json_object", "parse_bool", "query_int", "query_str"]

_TYPES = {"string": str, "integer": int, "boolean": bool, "object": dict, "array": list}
_JOB_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")  # fullmatch: no trailing "\n"
MAX_TEXT = 10_000


@dataclass(frozen=True)
class Field:
    name: str
    type: str                 # "string" | "integer" | "boolean" | "object" | "array"
    required: bool = False
    items: str | None = None  # for "array": the type of every item
    max_length: int = MAX_TEXT


def _bad(key: str, field: str, **fields) -> InvalidInput:
    return InvalidInput(msg(key, field=field, **fields), details={"field": field})


def _type_name(value) -> str:
    for name, kind in _TYPES.items():
        if isinstance(value, kind) and not (name == "integer" and isinstance(value, bool)):
            return name
    return "null" if value is None else type(value).__name__


def _check(field: Field, value, where: str):
    want = _TYPES[field.type]
    ok = isinstance(value, want) and not (field.type == "integer" and isinstance(value, bool))
    if not ok:
        raise _bad("invalid.type", where, want=field.type, got=_type_name(value))
    if field.type == "string" and len(value) > field.max_length:
        raise _bad("invalid.too_long", where, limit=field.max_length)
    if field.type == "array":
        if len(value) > 1000:
            raise _bad("invalid.too_long", where, limit=1000)
        if field.items:
            for i, item in enumerate(value):
                _check(Field(field.name, field.items, max_length=field.max_length), item,
                       f"{where}[{i}]")
    return value


def json_object(body: bytes, fields: list[Field] | None = None, allow_extra: bool = False) -> dict:
    """Parse a JSON object body; check required fields, types and (unless ``allow_extra``)
    refuse fields that are not listed."""
    try:
        data = json.loads(body.decode("utf-8") if body else "null")
    except UnicodeDecodeError as exc:
        raise InvalidInput(msg("invalid.json", problem=f"not UTF-8 ({exc.reason})"),
                           details={"field": "body"}) from None
    except ValueError as exc:
        raise InvalidInput(msg("invalid.json", problem=exc), details={"field": "body"}) from None
    except RecursionError:
        raise InvalidInput(msg("invalid.json", problem="nested too deeply"),
                           details={"field": "body"}) from None
    if not isinstance(data, dict):
        raise InvalidInput(msg("invalid.body_object", got=_type_name(data)),
                           details={"field": "body"})
    if fields is None:
        return data
    known = {f.name: f for f in fields}
    if not allow_extra:
        extra = sorted(k for k in data if k not in known)
        if extra:
            raise _bad("invalid.unknown_field", extra[0][:60], known=", ".join(known))
    for field in fields:
        if field.name not in data or data[field.name] is None:
            if field.required:
                raise _bad("invalid.required", field.name)
            data.pop(field.name, None)
            continue
        _check(field, data[field.name], field.name)
    return data


def _text(value: str | None) -> str | None:
    if value is not None and "\x00" in value:
        raise ValueError("NUL")
    return value


def query_str(arguments: dict, name: str, default: str | None = None,
              max_length: int = 255) -> str | None:
    """One query argument as text (the last if repeated), or ``default``."""
    values = arguments.get(name) or []
    if not values:
        return default
    try:
        value = _text(values[-1].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _bad("invalid.query_text", name) from None
    if len(value) > max_length:
        raise _bad("invalid.too_long", name, limit=max_length)
    return value


def query_int(arguments: dict, name: str, default: int, minimum: int = 0,
              maximum: int = 2**53) -> int:
    """A whole-number query argument within [minimum, maximum]."""
    text = query_str(arguments, name, max_length=40)
    if text is None or text == "":
        return default
    stripped = text.strip()
    if not (stripped.isascii() and stripped.lstrip("-").isdigit()):
        raise _bad("invalid.query_int", name, value=text[:40], low=minimum, high=maximum)
    value = int(stripped)
    if not minimum <= value <= maximum:
        raise _bad("invalid.query_int", name, value=text[:40], low=minimum, high=maximum)
    return value


def parse_bool(text: str | None, name: str, default: bool) -> bool:
    if text is None or text == "":
        return default
    lowered = text.strip().lower()
    if lowered in ("true", "1", "yes", "on"):
        return True
    if lowered in ("false", "0", "no", "off"):
        return False
    raise _bad("invalid.bool", name, value=text[:40])


def check_job_id(job_id: str) -> str:
    if not isinstance(job_id, str) or not _JOB_ID.fullmatch(job_id) or ".." in job_id:
        raise _bad("invalid.job_id", "id")
    return job_id
