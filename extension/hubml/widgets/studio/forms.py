"""A form for one recipe step, generated from the step's JSON Schema (``Step.schema()``).

Fields by schema: ``x-hubml-input: column`` a dropdown of the frame's columns, ``columns`` a
multiple selection, ``enum`` a dropdown, booleans a checkbox, integers and numbers number
fields, strings a text field; anything else (a value of several types, a list of values, a
mapping) a text field read as JSON, or as plain text when it is no JSON. A field that may be
null is left empty for null. ``values()`` gives the parameters; ``set_values`` fills the form
back (editing a step). The step's own checks name the field that is wrong.
"""

from __future__ import annotations

import json

import ipywidgets as W

from ...errors import InvalidInput
from .._messages import msg

__all__ = ["StepForm", "field_kind"]

_NONE = "(none)"
_WIDE = W.Layout(width="420px")
_STYLE = {"description_width": "140px"}


def field_kind(prop: dict) -> tuple[str, bool, dict]:
    """(kind, nullable, the non-null schema) of one property."""
    nullable = False
    base = prop
    if "anyOf" in prop:
        options = [p for p in prop["anyOf"] if p.get("type") != "null"]
        nullable = len(options) < len(prop["anyOf"])
        base = options[0] if len(options) == 1 else {"type": [p.get("type") for p in options]}
    kind_type = base.get("type")
    if kind_type == "array" and base.get("items", {}).get("enum"):
        return "choices", nullable, base
    if base.get("x-hubml-input") in ("column", "columns"):
        return base["x-hubml-input"], nullable, base
    if "enum" in base:
        return "enum", nullable, base
    if isinstance(kind_type, list):
        return "json", nullable or "null" in kind_type, base
    if kind_type in ("boolean", "integer", "number", "string"):
        return kind_type, nullable, base
    return "json", nullable, base


class StepForm(W.VBox):
    """Fields for the parameters of one step type."""

    def __init__(self, step_type: str, schema: dict, columns, **kwargs):
        super().__init__(**kwargs)
        self.step_type, self.schema = step_type, schema
        self.add_class(f"hubml-form-{step_type}")
        self.fields: dict[str, tuple[str, bool, W.Widget]] = {}
        rows = []
        description = schema.get("description")
        if description:
            rows.append(W.HTML(f'<span class="hubml-note">{_escape(description)}</span>'))
        for name, prop in schema.get("properties", {}).items():
            kind, nullable, base = field_kind(prop)
            if kind == "column" and name.startswith("new_"):
                kind = "string"  # a column the step makes: any new name, not a pick
            widget = self._widget(name, kind, nullable, base, prop, list(columns))
            widget.description_tooltip = prop.get("description", "")
            widget.add_class(f"hubml-field-{name}")  # stable hooks for browser tests
            self.fields[name] = (kind, nullable, widget)
            rows.append(widget)
        self.children = rows

    def _widget(self, name, kind, nullable, base, prop, columns):
        default = prop.get("default")
        label = name + ("" if name not in self.schema.get("required", []) else " *")
        common = {"description": label, "layout": _WIDE, "style": _STYLE}
        names = [str(c) for c in columns]
        if kind == "column":
            options = ([_NONE] if nullable else []) + names
            value = default if default in names else (_NONE if nullable else
                                                      (names[0] if names else None))
            return W.Dropdown(options=options, value=value, **common)
        if kind == "columns":
            picked = tuple(c for c in (default or []) if c in names)
            return W.SelectMultiple(options=names, value=picked, rows=min(8, max(len(names), 2)),
                                    **common)
        if kind == "choices":
            choices = list(base["items"]["enum"])
            picked = tuple(c for c in (default or []) if c in choices)
            return W.SelectMultiple(options=choices, value=picked,
                                    rows=min(8, max(len(choices), 2)), **common)
        if kind == "enum":
            choices = list(base["enum"])
            options = ([_NONE] if nullable else []) + choices
            value = default if default in choices else options[0]
            return W.Dropdown(options=options, value=value, **common)
        if kind == "boolean":
            return W.Checkbox(value=bool(default), indent=False, description=label,
                              layout=_WIDE)
        if kind in ("integer", "number") and not nullable:
            cls = W.IntText if kind == "integer" else W.FloatText
            return cls(value=default if isinstance(default, (int, float)) else 0, **common)
        text = "" if default is None else (default if kind == "string" and
                                           isinstance(default, str) else json.dumps(default))
        placeholder = {"json": 'JSON, e.g. 5, "text", [1, 2] or {"old": "new"}',
                       "integer": "a whole number, or empty", "number": "a number, or empty",
                       "string": ""}.get(kind, "")
        return W.Text(value=text, placeholder=placeholder, **common)

    # -- values ---------------------------------------------------------------------
    def values(self) -> dict:
        params = {}
        for name, (kind, nullable, widget) in self.fields.items():
            value = widget.value
            if kind == "column" or kind == "enum":
                value = None if value == _NONE else value
            elif kind in ("columns", "choices"):
                value = list(value) or None
            elif kind in ("integer", "number", "string", "json") and isinstance(value, str):
                value = self._parse(name, kind, nullable, value)
            if value is None and name not in self.schema.get("required", []):
                continue  # the step's default
            params[name] = value
        return params

    @staticmethod
    def _parse(name, kind, nullable, text):
        stripped = text.strip()
        if stripped == "" and (nullable or kind != "string"):
            return None
        if kind == "string":
            return text
        if kind in ("integer", "number"):
            try:
                number = float(stripped)
            except ValueError:
                raise InvalidInput(msg("studio.field_json", field=name, text=text,
                                       problem="not a number"), details={"field": name}) \
                    from None
            return int(number) if kind == "integer" and number.is_integer() else number
        try:
            return json.loads(stripped)
        except ValueError:
            if "," in stripped:  # a, b, c: a list of words or numbers
                return [_scalar(part) for part in stripped.split(",") if part.strip()]
            return _scalar(stripped)

    def set_values(self, params: dict) -> None:
        for name, value in params.items():
            if name not in self.fields:
                continue
            kind, nullable, widget = self.fields[name]
            if kind in ("column", "enum"):
                widget.value = _NONE if value is None and nullable else value
            elif kind in ("columns", "choices"):
                widget.value = tuple(v for v in (value or []) if v in widget.options)
            elif kind == "boolean":
                widget.value = bool(value)
            elif isinstance(widget, W.Text):
                widget.value = "" if value is None else (
                    value if kind == "string" else json.dumps(value))
            else:
                widget.value = value


def _scalar(text: str):
    text = text.strip()
    try:
        return json.loads(text)
    except ValueError:
        return text


def _escape(text: str) -> str:
    import html

    return html.escape(text)
