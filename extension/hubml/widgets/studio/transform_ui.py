"""Clean and Transform: pick a step type, fill its generated form, preview the before/after
on the visible page, apply. Editing a recipe step reuses this form (Apply replaces it)."""

from __future__ import annotations

import html

import ipywidgets as W

from .._messages import msg
from .forms import StepForm

__all__ = ["OUTSIDE", "TransformSection"]

OUTSIDE = ("read_csv",)


class TransformSection(W.VBox):
    def __init__(self, studio, **kwargs):
        super().__init__(**kwargs)
        from ...recipes import STEPS

        self.studio = studio
        # reading a file is the Load section's job; a recipe here starts from loaded data
        self.steps = {name: cls for name, cls in STEPS.items() if name not in OUTSIDE}
        self.editing: int | None = None
        self.kind = W.Dropdown(description=msg("studio.step_type"), options=sorted(self.steps),
                               value="impute" if "impute" in self.steps else None,
                               layout=W.Layout(width="420px"),
                               style={"description_width": "140px"})
        self.form_box = W.VBox()
        self.form: StepForm | None = None
        self.preview_button = W.Button(description=msg("studio.preview"), icon="eye")
        self.apply_button = W.Button(description=msg("studio.apply"), icon="check",
                                     button_style="success")
        self.cancel_button = W.Button(description=msg("studio.cancel_edit"),
                                      layout=W.Layout(display="none"))
        self.editing_note = W.HTML()
        self.summary = W.HTML()
        self.diff = W.HTML()
        for widget, name in ((self.kind, "step-type"), (self.preview_button, "preview"),
                             (self.apply_button, "apply"), (self.diff, "diff")):
            widget.add_class(f"hubml-{name}")
        self.kind.observe(lambda _: self.build_form(), "value")
        self.preview_button.on_click(lambda _: studio._guard(self.preview))
        self.apply_button.on_click(lambda _: studio._guard(self.apply))
        self.cancel_button.on_click(lambda _: self.stop_editing())
        self.children = [self.editing_note, self.kind, self.form_box,
                         W.HBox([self.preview_button, self.apply_button, self.cancel_button]),
                         self.summary, self.diff]
        self.build_form()

    def columns(self):
        frame = self.studio.session.current
        return [] if frame is None else list(frame.columns)

    def build_form(self, values: dict | None = None) -> None:
        cls = self.steps[self.kind.value]
        self.form = StepForm(self.kind.value, cls.schema(), self.columns())
        if values:
            self.form.set_values(values)
        self.form_box.children = [self.form]
        self.clear_preview()

    def refresh(self) -> None:
        """The frame changed: new column choices, keeping what was filled in if it fits."""
        keep = None
        if self.form is not None:
            try:
                keep = self.form.values()
            except Exception:  # a half-typed field: start the form afresh
                keep = None
        self.build_form(keep)

    def clear_preview(self) -> None:
        self.summary.value = f'<span class="hubml-note">{msg("studio.no_preview")}</span>'
        self.diff.value = ""

    def step_json(self) -> dict:
        return {"step": self.kind.value, **self.form.values()}

    # -- actions --------------------------------------------------------------------
    def preview(self, step=None) -> dict:
        """Show what the step would do on the page shown in the Table; returns the step."""
        step = step or self.step_json()
        summary, table = self.studio.preview_step(step)
        self.summary.value = f"<b>{html.escape(summary)}</b>"
        self.diff.value = table
        return step

    def apply(self) -> None:
        step = self.step_json()
        if self.editing is not None:
            self.studio.edit_step(self.editing, step)
            self.stop_editing()
        else:
            self.studio.add_step(step)

    def start_editing(self, index: int, step) -> None:
        self.editing = index
        self.kind.value = step.type
        self.build_form(step.get_params())
        text = msg("studio.editing", index=index, type=step.type)
        self.editing_note.value = f"<b>{html.escape(text)}</b>"
        self.cancel_button.layout.display = ""

    def stop_editing(self) -> None:
        self.editing = None
        self.editing_note.value = ""
        self.cancel_button.layout.display = "none"
