"""The model card's live prediction form: a field per input column of the model's signature,
with its type and the training data's range or categories, and the answer with class
probabilities.

A value that does not fit its column's type is refused at the field (the message next to it)
and nothing is predicted. The prediction goes to the serving service when ``hubml.deployments``
knows a running deployment of this model version, else to the model loaded in this kernel
(once, on the first prediction) through the same ``load().predict`` as code uses.
"""

from __future__ import annotations

import html
import math

import ipywidgets as W
from traitlets import Dict, Unicode

from ._card_messages import msg

__all__ = ["PredictForm", "parse_value"]

_DTYPES = {"double": "float64", "float": "float32", "long": "int64", "integer": "int32",
           "boolean": "bool"}


def parse_value(column, text):
    """``text`` as a value of ``column``'s signature type; ValueError(message) if it is not."""
    kind = column.type
    if isinstance(text, bool) or text is None:
        if kind == "boolean" and text is not None:
            return text
        if text is None and column.required:
            raise ValueError(msg("predict.required"))
        return text
    text = str(text).strip()
    if not text:
        if column.required:
            raise ValueError(msg("predict.required"))
        return None
    if kind in ("double", "float"):
        try:
            value = float(text)
        except ValueError:
            raise ValueError(msg("predict.need_number")) from None
        if not math.isfinite(value):
            raise ValueError(msg("predict.need_number"))
        return value
    if kind in ("long", "integer"):
        try:
            return int(text)
        except ValueError:
            try:
                value = float(text)
            except ValueError:
                value = math.nan
            if math.isfinite(value) and value.is_integer():
                return int(value)
            raise ValueError(msg("predict.need_integer")) from None
    if kind == "boolean":
        lowered = text.lower()
        if lowered in ("true", "1", "yes"):
            return True
        if lowered in ("false", "0", "no"):
            return False
        raise ValueError(msg("predict.need_bool"))
    if kind == "datetime":
        import pandas as pd

        try:
            return pd.Timestamp(text)
        except (ValueError, TypeError):
            raise ValueError(msg("predict.need_date")) from None
    return text


def _number(value) -> str:
    if value is None:
        return "?"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.4g}"
    return str(int(value)) if isinstance(value, float) else str(value)


def _default(column):
    if column.categories:
        return column.categories[0]
    if column.numeric and column.mean is not None:
        mean = column.mean
        return str(int(round(mean))) if column.type in ("long", "integer") else f"{mean:.4g}"
    return ""


class PredictForm(W.VBox):
    """Fields of ``columns`` (``_card_facts.Column``), a Predict button and the answer."""

    result = Dict(help="The last answer: prediction, probabilities ({class: p} or None), "
                       "source ('service' or 'kernel'); empty before the first.")
    error = Unicode("", help="Why the last Predict did not predict (bad fields, model error).")

    def __init__(self, model_version, columns, **kwargs):
        super().__init__(**kwargs)
        self.add_class("hubml-predict")
        self.model_version, self.columns = model_version, list(columns)
        self._loaded = None
        self.fields, self.notes = {}, {}
        rows = [self._row(c) for c in self.columns]
        self.button = W.Button(description=msg("predict.button"), button_style="primary",
                               icon="play")
        self.button.add_class("hubml-predict-button")
        self.button.on_click(lambda _: self.predict())
        self.status = W.HTML()
        self.status.add_class("hubml-predict-status")
        self.output = W.HTML()
        self.output.add_class("hubml-predict-result")
        grid = W.GridBox(rows, layout=W.Layout(
            width="100%", grid_gap="6px 16px",
            grid_template_columns="repeat(auto-fill, minmax(min(100%, 230px), 1fr))"))
        grid.add_class("hubml-predict-grid")
        self.children = [grid,
                         W.HBox([self.button, self.status],
                                layout=W.Layout(flex_flow="row wrap", align_items="center")),
                         self.output]

    def _row(self, column):
        if column.type == "boolean":
            field = W.Dropdown(options=[("true", True), ("false", False)], value=True)
        elif column.categories:
            field = W.Combobox(options=[str(c) for c in column.categories],
                               value=str(_default(column)), ensure_option=False)
        else:
            field = W.Text(value=_default(column))
        field.layout = W.Layout(width="100%", max_width="16em", min_width="0")
        field.add_class("hubml-predict-field")
        field.add_class(f"hubml-field-{column.name}")
        note = W.HTML(layout=W.Layout(min_width="0"))
        note.add_class("hubml-predict-note")
        self.fields[column.name], self.notes[column.name] = field, note
        field.observe(lambda change, c=column: self._note(c), names="value")
        hint = self._hint(column)
        label = W.HTML(f"<span class='hubml-predict-name'>{html.escape(column.name)}</span>"
                       f"<span class='hubml-predict-type'>{html.escape(column.type)}"
                       f"{' · ' + html.escape(hint) if hint else ''}</span>",
                       layout=W.Layout(width="100%", min_width="0"))
        row = W.VBox([label, field, note], layout=W.Layout(min_width="0"))
        row.add_class("hubml-predict-row")
        return row

    @staticmethod
    def _hint(column) -> str:
        if column.numeric and column.minimum is not None:
            return msg("predict.range", low=_number(column.minimum), high=_number(column.maximum))
        if column.categories and column.type != "boolean":
            return msg("predict.choices", count=len(column.categories))
        return ""

    def _note(self, column) -> None:
        """As a value is typed: the field's note, nothing raised into the widget."""
        try:
            self._check(column)
        except ValueError:
            pass

    def _check(self, column):
        """The field's value, its note set: the refusal, a range warning, or nothing."""
        note = self.notes[column.name]
        try:
            value = parse_value(column, self.fields[column.name].value)
        except ValueError as exc:
            note.value = f"<span class='hubml-field-error'>{html.escape(str(exc))}</span>"
            self.fields[column.name].add_class("hubml-invalid")
            raise
        self.fields[column.name].remove_class("hubml-invalid")
        low, high = column.minimum, column.maximum
        if column.numeric and value is not None and low is not None and high is not None \
                and not low <= value <= high:
            text = msg("predict.outside", low=_number(low), high=_number(high))
            note.value = f"<span class='hubml-field-warning'>{html.escape(text)}</span>"
        else:
            note.value = ""
        return value

    def values(self) -> dict | None:
        """Every field parsed, or None (and the refused fields marked) if one does not fit."""
        out, bad = {}, False
        for column in self.columns:
            try:
                out[column.name] = self._check(column)
            except ValueError:
                bad = True
        return None if bad else out

    def frame(self, values: dict | None = None):
        """One row, with the dtypes of the signature's types."""
        import pandas as pd

        values = self.values() if values is None else values
        df = pd.DataFrame({c.name: [values[c.name]] for c in self.columns})
        for c in self.columns:
            dtype = _DTYPES.get(c.type)
            if dtype and values[c.name] is not None:
                df[c.name] = df[c.name].astype(dtype)
        return df

    def predict(self) -> dict | None:
        values = self.values()
        if values is None:
            self.error = msg("predict.fix_fields")
            self.status.value = f"<span class='hubml-field-error'>{html.escape(self.error)}</span>"
            return None
        self.status.value = html.escape(msg("predict.running"))
        self.button.disabled = True
        try:
            answer = self._answer(self.frame(values))
        except Exception as exc:  # the model's own error, for these values: shown, not raised
            self.error = msg("predict.failed", error=str(exc)[:300] or type(exc).__name__)
            self.status.value = f"<span class='hubml-field-error'>{html.escape(self.error)}</span>"
            return None
        finally:
            self.button.disabled = False
        self.error, self.result = "", answer
        self.status.value = html.escape(msg("predict.via_service", where=answer["where"])
                                        if answer["source"] == "service"
                                        else msg("predict.in_process"))
        self.output.value = _render(answer)
        return answer

    def _answer(self, df) -> dict:
        from ._serving import service_predict

        served = service_predict(self.model_version, df)
        if served is not None:
            return served
        if self._loaded is None:
            from ._card_facts import quiet_downloads

            with quiet_downloads():
                self._loaded = self.model_version.load()
        prediction = _plain(self._loaded.predict(df)[0])
        probabilities = None
        proba = self._loaded.predict_proba(df)
        classes = self._loaded.classes
        if proba is not None and classes is not None:
            row = proba[0] if getattr(proba, "ndim", 2) > 1 else [1 - proba[0], proba[0]]
            probabilities = {str(_plain(c)): float(p) for c, p in zip(classes, row, strict=True)}
        return {"prediction": prediction, "probabilities": probabilities, "source": "kernel",
                "where": ""}


def _plain(value):
    return value.item() if hasattr(value, "item") else value


def _render(answer: dict) -> str:
    prediction = answer["prediction"]
    text = f"{prediction:.6g}" if isinstance(prediction, float) else str(prediction)
    out = [f"<div class='hubml-predict-answer'><span class='hubml-predict-label'>"
           f"{html.escape(msg('predict.result'))}</span> "
           f"<strong class='hubml-predict-value'>{html.escape(text)}</strong></div>"]
    if answer.get("probabilities"):
        out.append(f"<div class='hubml-proba'><div class='hubml-predict-label'>"
                   f"{html.escape(msg('predict.probabilities'))}</div>")
        for label, p in sorted(answer["probabilities"].items(), key=lambda kv: -kv[1]):
            out.append(f"<div class='hubml-proba-row'><span class='hubml-proba-class'>"
                       f"{html.escape(label)}</span><span class='hubml-proba-bar'>"
                       f"<span style='width:{p * 100:.1f}%'></span></span>"
                       f"<span class='hubml-proba-value'>{p:.3f}</span></div>")
        out.append("</div>")
    return "".join(out)
