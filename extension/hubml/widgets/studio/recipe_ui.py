"""The Recipe (steps with learned values; undo, redo, remove, reorder, edit), Code (the
exported code, copy / insert as a new cell) and Save sections."""

from __future__ import annotations

import html
import json

import ipywidgets as W

from .._messages import msg
from . import fitting

__all__ = ["CodeSection", "RecipeSection", "SaveSection"]

_SMALL = W.Layout(width="36px")


def _short(value, chars: int = 160) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= chars else text[:chars - 1] + "…"


class RecipeSection(W.VBox):
    def __init__(self, studio, **kwargs):
        super().__init__(**kwargs)
        self.studio = studio
        self.undo_button = W.Button(description=msg("studio.undo"), icon="undo")
        self.redo_button = W.Button(description=msg("studio.redo"), icon="repeat")
        self.undo_button.on_click(lambda _: studio._guard(studio.undo))
        self.redo_button.on_click(lambda _: studio._guard(studio.redo))
        self.rows = W.VBox()
        self.row_buttons: list[dict] = []
        self.children = [W.HBox([self.undo_button, self.redo_button]), self.rows]

    def refresh(self) -> None:
        session = self.studio.session
        recipe = session.recipe
        self.undo_button.disabled = session.position == 0
        self.redo_button.disabled = session.position + 1 >= len(session.history)
        learned = fitting.learned(recipe)
        rows, self.row_buttons = [], []
        if not len(recipe):
            rows.append(W.HTML(f'<span class="hubml-note">{msg("studio.no_steps")}</span>'))
        for index, (step, values) in enumerate(zip(recipe.steps, learned, strict=True), 1):
            buttons = {"up": W.Button(icon="arrow-up", layout=_SMALL, tooltip="Move up",
                                      disabled=index == 1),
                       "down": W.Button(icon="arrow-down", layout=_SMALL, tooltip="Move down",
                                        disabled=index == len(recipe)),
                       "edit": W.Button(icon="pencil", layout=_SMALL, tooltip="Edit"),
                       "remove": W.Button(icon="trash", layout=_SMALL, tooltip="Remove",
                                          button_style="danger")}
            buttons["up"].on_click(lambda _, i=index: self.studio._guard(
                self.studio.move_step, i, i - 1))
            buttons["down"].on_click(lambda _, i=index: self.studio._guard(
                self.studio.move_step, i, i + 1))
            buttons["edit"].on_click(lambda _, i=index: self.studio._guard(
                self.studio.start_edit, i))
            buttons["remove"].on_click(lambda _, i=index: self.studio._guard(
                self.studio.remove_step, i))
            text = (f"<b>{index}. {html.escape(step.type)}</b> "
                    f"<code>{html.escape(_short(step.get_params()))}</code>")
            if values:
                text += (f'<br><span class="hubml-note">'
                         f'{html.escape(msg("studio.learned", values=_short(values, 400)))}'
                         "</span>")
            rows.append(W.HBox([*buttons.values(), W.HTML(text)],
                               layout=W.Layout(align_items="center")))
            self.row_buttons.append(buttons)
        self.rows.children = rows


class CodeSection(W.VBox):
    def __init__(self, studio, **kwargs):
        super().__init__(**kwargs)
        self.studio = studio
        self.code = W.Textarea(layout=W.Layout(width="100%", height="260px"),
                               disabled=False)
        self.insert_button = W.Button(description=msg("studio.insert_cell"), icon="plus",
                                      button_style="primary", layout=W.Layout(width="190px"))
        from .._copy import CopyButton

        self.status = W.HTML()
        self.copy = CopyButton(label=msg("studio.copy"))
        self.insert_button.on_click(lambda _: studio._guard(self.insert))
        self.code.add_class("hubml-code")
        self.children = [self.code, W.HBox([self.copy, self.insert_button, self.status],
                                           layout=W.Layout(align_items="center"))]

    def refresh(self) -> None:
        self.code.value = self.copy.text = self.studio.code()

    def insert(self) -> None:
        self.status.value = html.escape(self.studio.insert_code())


class SaveSection(W.VBox):
    def __init__(self, studio, **kwargs):
        super().__init__(**kwargs)
        self.studio = studio
        style = {"description_width": "110px"}
        self.name = W.Text(description=msg("studio.save.name"), placeholder="customers-clean",
                           layout=W.Layout(width="420px"), style=style)
        self.description = W.Textarea(description=msg("studio.save.description"), style=style,
                                      layout=W.Layout(width="600px", height="60px"))
        self.store = W.ToggleButtons(options=[("File (Parquet)", "file"), ("SQL table", "sql")],
                                     value="file", description="Store", style=style)
        self.allow_schema = W.Checkbox(description=msg("studio.save.allow_schema"), indent=False)
        self.save_button = W.Button(description=msg("studio.save"), icon="save",
                                    button_style="success")
        self.result = W.HTML()
        self.save_button.on_click(lambda _: studio._guard(self.save))
        for widget, name in ((self.name, "save-name"), (self.save_button, "save-button"),
                             (self.result, "save-result"), (self.description,
                                                            "save-description")):
            widget.add_class(f"hubml-{name}")
        self.children = [self.name, self.description, self.store, self.allow_schema,
                         self.save_button, self.result]

    def save(self):
        return self.studio.save(self.name.value.strip(), description=self.description.value,
                                store=self.store.value,
                                allow_schema_change=self.allow_schema.value)
