"""Argument parsing for the REST handlers, in one place.

Every failure is an :class:`~hubml.errors.InvalidInput` (400) whose message names the field and
says what is allowed, and whose ``details.field`` is that field's name. Nothing here touches
the disk.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from ..errors import InvalidInput
from ..messages import msg

__all__ = ["MAX_ITEMS", "SLUG", "Field", "body_schema", "check_job_id", "field_schema",
           "json_object", "parse_bool", "query_field", "query_int", "query_parameters",
           "query_str"]

_TYPES = {"string": str, "integer": int, "boolean": bool, "object": dict, "array": list}
_JOB_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")  # fullmatch: no trailing "\n"
MAX_TEXT = 10_000
MAX_ITEMS = 1000
SLUG = "^[a-z0-9][a-z0-9_-]{0,62}$"  # a name (workspace/names.py), as a JSON Schema pattern


@dataclass(frozen=True)
class Field:
    """One field of a JSON body or one query argument: what :func:`json_object` and
    :func:`query_field` check, and what the OpenAPI document says (:func:`field_schema`), so
    the two cannot drift. ``check`` runs after the type check (e.g. ``check_name`` for a
    better message than the pattern's); ``pattern``, ``enum`` and the bounds are enforced too."""

    name: str
    type: str                 # "string" | "integer" | "boolean" | "object" | "array"
    required: bool = False
    items: str | None = None  # for "array": the type of every item
    max_length: int = MAX_TEXT
    max_items: int = MAX_ITEMS       # of an array
    description: str = ""
    enum: tuple | None = None
    minimum: int | None = None
    maximum: int | None = None
    pattern: str | None = None       # of a string, or of every item of an array of strings
    default: Any = None
    example: Any = None
    check: Callable[[Any], Any] | None = dc_field(default=None, compare=False, repr=False)


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
        if len(value) > field.max_items:
            raise _bad("invalid.too_long", where, limit=field.max_items)
        if field.items:
            item_field = Field(field.name, field.items, max_length=field.max_length,
                               pattern=field.pattern, check=field.check)
            for i, item in enumerate(value):
                _check(item_field, item, f"{where}[{i}]")
        return value
    if field.check is not None:
        field.check(value)
    if field.enum is not None and value not in field.enum:
        raise _bad("invalid.enum", where, value=str(value)[:60],
                   known=", ".join(map(str, field.enum)))
    if field.type == "integer" and not (
            (field.minimum is None or value >= field.minimum)
            and (field.maximum is None or value <= field.maximum)):
        low = field.minimum if field.minimum is not None else -(2**53)
        high = field.maximum if field.maximum is not None else 2**53
        raise _bad("invalid.range", where, value=value, low=low, high=high)
    if field.pattern is not None and isinstance(value, str) and \
            re.fullmatch(field.pattern, value) is None:
        raise _bad("invalid.pattern", where, value=value[:60], pattern=field.pattern)
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
            error = _bad("invalid.unknown_field", extra[0][:60], known=", ".join(known))
            error.details["known"] = list(known)
            raise error
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


def query_field(arguments: dict, field: Field):
    """The query argument ``field`` names, checked as that field says (its default if absent).
    Integers, booleans and strings; an "array" field is every value given (each checked)."""
    if field.type == "array":
        values = arguments.get(field.name) or []
        if len(values) > field.max_items:
            raise _bad("invalid.too_many", field.name, limit=field.max_items)
        item = Field(field.name, field.items or "string", max_length=field.max_length,
                     pattern=field.pattern, check=field.check)
        return [_check(item, query_str({field.name: [raw]}, field.name,
                                       max_length=field.max_length), field.name)
                for raw in values]
    if field.type == "integer":
        low = field.minimum if field.minimum is not None else -(2**53)
        high = field.maximum if field.maximum is not None else 2**53
        return query_int(arguments, field.name, field.default, low, high)
    if field.type == "boolean":
        return parse_bool(query_str(arguments, field.name, max_length=40), field.name,
                          field.default)
    value = query_str(arguments, field.name, None, max_length=field.max_length)
    if value is None or value == "":
        return field.default
    return _check(field, value, field.name)


def field_schema(field: Field) -> dict:
    """The JSON Schema (OpenAPI 3.1) of one field, with its description."""
    schema: dict[str, Any] = {"type": field.type}
    if field.type == "string":
        schema["maxLength"] = field.max_length
    if field.type == "array":
        schema["maxItems"] = field.max_items
        if field.items:
            item = {"type": field.items}
            if field.items == "string":
                item["maxLength"] = field.max_length
                if field.pattern is not None:
                    item["pattern"] = field.pattern
            schema["items"] = item
    elif field.pattern is not None:
        schema["pattern"] = field.pattern
    if field.enum is not None:
        schema["enum"] = list(field.enum)
    if field.minimum is not None:
        schema["minimum"] = field.minimum
    if field.maximum is not None:
        schema["maximum"] = field.maximum
    if field.default is not None:
        schema["default"] = field.default
    if field.example is not None:
        schema["examples"] = [field.example]
    schema["description"] = field.description
    return schema


def body_schema(fields: list[Field], description: str = "") -> dict:
    """The JSON Schema of a body that ``json_object(body, fields)`` accepts."""
    schema: dict[str, Any] = {"type": "object",
                              "properties": {f.name: field_schema(f) for f in fields},
                              "additionalProperties": False}
    required = [f.name for f in fields if f.required]
    if required:
        schema["required"] = required
    if description:
        schema["description"] = description
    return schema


def query_parameters(fields: list[Field]) -> list[dict]:
    """OpenAPI parameter objects of query arguments read with :func:`query_field`."""
    out = []
    for f in fields:
        param = {"name": f.name, "in": "query", "required": f.required,
                 "description": f.description, "schema": field_schema(f)}
        if f.type == "array":
            param.update(style="form", explode=True)
        if f.example is not None:
            param["example"] = f.example
        out.append(param)
    return out


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
