"""One form field per hyperparameter, generated from the algorithm's JSON Schema.

:class:`ParamField` shows a value editor fitting the schema (a number field with a slider when
the schema bounds it, a dropdown for an enum, a checkbox for a boolean, a text field for lists
and mixed types) and a "search" toggle that swaps it for a range (low / high / log scale) or a
set of choices to tune over, as H2O Flow's grid checkboxes do. ``check()`` pre-validates the
value against the schema's type and bounds here in Python, before anything is sent to a job.
Free text is kept as typed, so a wrong value is shown with its message, never silently clamped.
"""

from __future__ import annotations

import json
import math

import ipywidgets as w
from ipywidgets.widgets.widget_selection import _Selection
from traitlets import observe

from ._messages import t

__all__ = ["Marked", "OptionalDropdown", "ParamField", "parse_number"]

_FULL = w.Layout(width="100%")
_SLIDER_INT_SPAN = 2000     # integer ranges up to this wide get a slider


class OptionalDropdown(w.Dropdown):
    """A Dropdown whose ``None`` option shows its label: ipywidgets shows a None value as no
    selection at all (a blank box), which reads as broken."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._show_none()

    @observe("value")
    def _propagate_value(self, change):
        if change.new is None and None in self._options_values:
            index = self._options_values.index(None)
            if self.index != index:
                self.index = index
            return
        _Selection._propagate_value.func(self, change)     # the handler this one replaces

    @observe("options")
    def _after_options(self, change):
        self._show_none()

    def _show_none(self) -> None:
        if self.value is None and self.index is None and None in self._options_values:
            self.index = self._options_values.index(None)


class Marked(w.VBox):
    """A labelled field whose value can be marked invalid with the validator's message."""

    def __init__(self, label: str, control, field: str, help_text: str = "", extra=()):
        self.field, self.control = field, control
        self.label = w.HTML(f"<b>{_esc(label)}</b>", layout=w.Layout(margin="4px 0 0 0"))
        self.label.add_class("hubml-tf-label")
        self.error = w.HTML("", layout=w.Layout(display="none"))
        self.error.add_class("hubml-tf-error")
        self.hint = w.HTML(f"<span class='hubml-tf-hint'>{_esc(help_text)}</span>"
                           if help_text else "")
        super().__init__([self.label, control, *extra, self.hint, self.error],
                         layout=w.Layout(width="100%", margin="0 0 4px 0"))
        self.add_class("hubml-tf-field")
        self.add_class(f"hubml-tf-field-{_css(field)}")

    def mark(self, message: str | None) -> None:
        self.error.value = f"<span>{_esc(message)}</span>" if message else ""
        self.error.layout.display = None if message else "none"
        if message:
            self.add_class("hubml-tf-invalid")
        else:
            self.remove_class("hubml-tf-invalid")

    @property
    def message(self) -> str | None:
        return None if self.error.layout.display == "none" else _strip(self.error.value)


def parse_number(text, integer: bool):
    """``text`` as an int/float; ValueError with a readable reason."""
    if isinstance(text, bool):
        raise ValueError(t("field.not_number", value=text))
    if isinstance(text, (int, float)):
        value = text
    else:
        text = str(text).strip()
        try:
            value = int(text) if integer else float(text)
        except ValueError:
            try:
                value = float(text)
            except ValueError:
                raise ValueError(t("field.not_number", value=text)) from None
    if integer and float(value) != int(value):
        raise ValueError(t("field.not_whole", value=text))
    if not math.isfinite(float(value)):
        raise ValueError(t("field.not_number", value=text))
    return int(value) if integer else float(value)


def _types(schema: dict) -> list[str]:
    kind = schema.get("type")
    return list(kind) if isinstance(kind, list) else [kind] if kind else []


class ParamField(Marked):
    """The editor of one hyperparameter; ``value`` is the parsed value (or raises
    ValueError), ``search`` the range to tune over or None."""

    def __init__(self, name: str, schema: dict, field: str | None = None):
        self.name, self.schema = name, schema
        types = [k for k in _types(schema) if k != "null"]
        self.nullable = "null" in _types(schema)
        self.kind = ("enum" if "enum" in schema else types[0] if len(types) == 1 else "json")
        self._slider = None
        editor = self._editor()
        self.input.add_class("hubml-tf-value")
        self.toggle = w.ToggleButton(value=False, description=t("field.search"),
                                     tooltip=t("field.search_tip"), icon="search",
                                     layout=w.Layout(width="92px", flex="0 0 auto"))
        self.toggle.add_class("hubml-tf-search")
        self.range_box = self._range()
        self.range_box.layout.display = "none"
        row = w.HBox([editor, self.toggle], layout=w.Layout(width="100%",
                                                           align_items="center"))
        super().__init__(name, row, field or f"params.{name}",
                         help_text=self._help(), extra=[self.range_box])
        self.toggle.observe(self._toggled, "value")

    # -- building ---------------------------------------------------------------------
    def _help(self) -> str:
        s, parts = self.schema, [self.schema.get("description", "")]
        low = s.get("minimum", s.get("exclusiveMinimum"))
        high = s.get("maximum", s.get("exclusiveMaximum"))
        if low is not None or high is not None:
            parts.append(t("field.bounds", low="-inf" if low is None else low,
                           high="inf" if high is None else high))
        return " · ".join(p for p in parts if p)

    def _editor(self):
        s, default = self.schema, self.schema.get("default")
        if self.kind == "boolean":
            self.input = w.Checkbox(value=bool(default), indent=False,
                                    layout=w.Layout(width="auto"))
            return self.input
        if self.kind == "enum":
            self.input = OptionalDropdown(
                options=[("none" if v is None else str(v), v) for v in s["enum"]], value=default
                                    if default in s["enum"] else s["enum"][0],
                                    layout=w.Layout(flex="1 1 auto", width="auto"))
            return self.input
        if self.kind in ("integer", "number"):
            text = "" if default is None else _fmt(default)
            self.input = w.Text(value=text, placeholder=t("field.empty_null")
                                if self.nullable else "", continuous_update=False,
                                layout=w.Layout(width="96px", flex="0 0 auto"))
            self._slider = self._make_slider(default)
            if self._slider is None:
                self.input.layout = w.Layout(flex="1 1 auto", width="auto")
                return self.input
            self.input.observe(self._text_to_slider, "value")
            self._slider.observe(self._slider_to_text, "value")
            return w.HBox([self._slider, self.input], layout=w.Layout(flex="1 1 auto"))
        self.input = w.Text(value="" if default is None else json.dumps(default),
                            continuous_update=False,
                            placeholder=t("field.json"), layout=w.Layout(flex="1 1 auto"))
        return self.input

    def _make_slider(self, default):
        s = self.schema
        low = s.get("minimum", s.get("exclusiveMinimum"))
        high = s.get("maximum", s.get("exclusiveMaximum"))
        if low is None or high is None:
            return None
        layout = w.Layout(flex="1 1 auto", width="auto", min_width="60px")
        start = low if default is None else default
        if self.kind == "integer" and high - low <= _SLIDER_INT_SPAN:
            return w.IntSlider(value=int(start), min=int(low), max=int(high), readout=False,
                               layout=layout, continuous_update=False)
        if self.kind == "number" and 0 < max(low, 1e-12) and high / max(low, 1e-12) > 1e3:
            base_low = math.log10(max(low, high * 1e-9, 1e-12))
            return w.FloatLogSlider(value=max(float(start), 10 ** base_low), base=10,
                                    min=base_low, max=math.log10(high), readout=False,
                                    layout=layout, continuous_update=False)
        if self.kind == "number":
            return w.FloatSlider(value=float(start), min=float(low), max=float(high),
                                 step=(high - low) / 200, readout=False, layout=layout,
                                 continuous_update=False)
        return None

    def _range(self):
        s = self.schema
        if self.kind in ("integer", "number"):
            lo, hi, log = default_range(s, self.kind == "integer")
            self.low = w.Text(value=_fmt(lo), description=t("field.low"),
                              layout=w.Layout(width="48%"), continuous_update=False)
            self.high = w.Text(value=_fmt(hi), description=t("field.high"),
                               layout=w.Layout(width="48%"), continuous_update=False)
            for box in (self.low, self.high):
                box.style.description_width = "34px"
            self.log_scale = w.Checkbox(value=log, description=t("field.log"), indent=False)
            self.low.add_class("hubml-tf-low")
            self.high.add_class("hubml-tf-high")
            return w.VBox([w.HBox([self.low, self.high]), self.log_scale],
                          layout=w.Layout(width="100%"))
        options = ([True, False] if self.kind == "boolean" else list(s.get("enum") or []))
        if options:
            self.choices = w.SelectMultiple(options=[(str(v), v) for v in options],
                                            value=tuple(options), rows=min(5, len(options)),
                                            layout=_FULL)
        else:
            default = s.get("default")
            self.choices = w.Text(value="" if default is None else json.dumps([default]),
                                  placeholder=t("field.choices_json"), layout=_FULL)
        self.choices.add_class("hubml-tf-choices")
        return w.VBox([self.choices], layout=_FULL)

    # -- syncing the slider and the text field -------------------------------------------
    def _text_to_slider(self, change) -> None:
        try:
            value = parse_number(change["new"], self.kind == "integer")
        except ValueError:
            return
        if self._slider.min <= value <= self._slider.max:
            self._slider.value = value

    def _slider_to_text(self, change) -> None:
        current = None
        try:
            current = parse_number(self.input.value, self.kind == "integer")
        except ValueError:
            pass
        if current is None or not math.isclose(current, change["new"], rel_tol=1e-6):
            self.input.value = _fmt(change["new"])

    def _toggled(self, change) -> None:
        self.range_box.layout.display = None if change["new"] else "none"
        self.mark(None)

    # -- values ---------------------------------------------------------------------------
    @property
    def value(self):
        if self.kind in ("boolean", "enum"):
            return self.input.value
        text = self.input.value.strip()
        if self.kind in ("integer", "number"):
            if not text and self.nullable:
                return None
            return parse_number(text, self.kind == "integer")
        if not text:
            if self.nullable:
                return None
            raise ValueError(t("field.required"))
        try:
            return json.loads(text)
        except ValueError:
            if "string" in _types(self.schema) or "anyOf" in self.schema:
                return text     # a bare word for a field that also takes strings
            raise ValueError(t("field.bad_json", value=text[:40])) from None

    @value.setter
    def value(self, value) -> None:
        if self.kind in ("boolean", "enum"):
            self.input.value = value
        elif self.kind in ("integer", "number"):
            self.input.value = "" if value is None else _fmt(value)
        else:
            self.input.value = "" if value is None else (
                value if isinstance(value, str) and "anyOf" in self.schema
                else json.dumps(value))

    @property
    def search(self) -> dict | None:
        """The search range: {"type", "low", "high", "log"} or {"choices": [...]}; ValueError
        with the reason if the range is not usable."""
        if not self.toggle.value:
            return None
        if self.kind in ("integer", "number"):
            integer = self.kind == "integer"
            low, high = (parse_number(b.value, integer) for b in (self.low, self.high))
            for bound in (low, high):
                if (message := self._bound_problem(bound)):
                    raise ValueError(message)
            if low >= high:
                raise ValueError(t("field.low_high", low=low, high=high))
            if self.log_scale.value and low <= 0:
                raise ValueError(t("field.log_positive", low=low))
            return {"type": "int" if integer else "float", "low": low, "high": high,
                    "log": bool(self.log_scale.value)}
        if isinstance(self.choices, w.SelectMultiple):
            choices = list(self.choices.value)
        else:
            try:
                choices = json.loads(self.choices.value or "null")
            except ValueError:
                raise ValueError(t("field.bad_json", value=self.choices.value[:40])) from None
            if not isinstance(choices, list):
                raise ValueError(t("field.choices_json"))
        if len(choices) < 2:
            raise ValueError(t("field.two_choices"))
        return {"choices": choices}

    @search.setter
    def search(self, space: dict | None) -> None:
        self.toggle.value = space is not None
        if space is None:
            return
        if "choices" in space:
            if isinstance(self.choices, w.SelectMultiple):
                self.choices.value = tuple(space["choices"])
            else:
                self.choices.value = json.dumps(space["choices"])
        else:
            self.low.value, self.high.value = _fmt(space["low"]), _fmt(space["high"])
            self.log_scale.value = bool(space.get("log"))

    def _bound_problem(self, value) -> str | None:
        s = self.schema
        if "minimum" in s and value < s["minimum"]:
            return t("field.min", value=value, low=s["minimum"])
        if "exclusiveMinimum" in s and value <= s["exclusiveMinimum"]:
            return t("field.xmin", value=value, low=s["exclusiveMinimum"])
        if "maximum" in s and value > s["maximum"]:
            return t("field.max", value=value, high=s["maximum"])
        if "exclusiveMaximum" in s and value >= s["exclusiveMaximum"]:
            return t("field.xmax", value=value, high=s["exclusiveMaximum"])
        return None

    def check(self) -> str | None:
        """The problem with the value as typed (type, bounds, choices), or None."""
        try:
            if self.toggle.value:
                self.search   # noqa: B018 - parses and checks the range
                return None
            value = self.value
        except ValueError as exc:
            return str(exc)
        if value is None:
            return None if self.nullable else t("field.required")
        if self.kind in ("integer", "number"):
            return self._bound_problem(value)
        if self.kind == "enum" and value not in self.schema["enum"]:
            return t("field.enum", value=value, known=", ".join(map(str, self.schema["enum"])))
        return None


def default_range(schema: dict, integer: bool) -> tuple:
    """(low, high, log) to start a search from: around the default (a tenth to ten times it
    for numbers, half to twice for whole numbers), inside the schema's bounds."""
    default = schema.get("default")
    low = schema.get("minimum")
    high = schema.get("maximum")
    xlow, xhigh = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if not isinstance(default, (int, float)) or isinstance(default, bool):
        default = None
    if integer:
        start = default if default is not None else (low if low is not None else 1)
        lo, hi = max(start // 2, 1), max(start * 2, start + 2)
        lo = max(lo, low if low is not None else lo, (xlow + 1) if xlow is not None else lo)
        hi = min(hi, high if high is not None else hi, (xhigh - 1) if xhigh is not None else hi)
        return int(lo), int(max(hi, lo + 1)), False
    if default is not None and default > 0:
        lo, hi = default / 10, default * 10
    else:
        lo, hi = 0.0, 1.0
    if low is not None:
        lo = max(lo, low)
    if xlow is not None and lo <= xlow:
        lo = xlow + (hi - xlow) / 1000
    if high is not None:
        hi = min(hi, high)
    if xhigh is not None and hi >= xhigh:
        hi = xhigh - (xhigh - lo) / 1000
    return float(lo), float(hi), bool(lo > 0 and hi / lo >= 100)


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.6g}" if value != int(value) or abs(value) >= 1e6 else f"{value:.1f}"
    return str(value)


def _esc(text) -> str:
    import html

    return html.escape(str(text))


def _strip(value: str) -> str:
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", value))


def _css(field: str) -> str:
    import re

    return re.sub(r"[^A-Za-z0-9_-]", "-", field)
