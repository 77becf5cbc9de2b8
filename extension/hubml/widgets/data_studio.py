"""DataStudio: load, clean, transform, explore and save data in a notebook or Voila, as a
fitted recipe that exports to code.

    studio = hubml.widgets.DataStudio(p, df)            # or p.dataset("x"), .version(2),
    studio                                              # a dataset name, a file, a query
    studio.add_step({"step": "impute", "columns": ["age"], "strategy": "median"})
    studio.save("customers-clean", description="...")  # a version with source and recipe

Every control calls one of the public methods below, so code and tests drive the same paths
as the buttons. Bad input raises a hubml error from a method; from a control it shows in the
error banner and changes nothing. The work is in the kernel: the browser gets one table page,
aggregated charts and the code (each widget message well under 1 MiB).
"""

from __future__ import annotations

import html

import ipywidgets as W

from ..errors import HubMLError, InvalidInput
from ._messages import msg
from ._table import PagedTable, banner_html
from .studio import sources
from .studio.diff import page_diff
from .studio.explore_ui import ExploreSection
from .studio.load_ui import LoadSection
from .studio.recipe_ui import CodeSection, RecipeSection, SaveSection
from .studio.session import Session
from .studio.transform_ui import TransformSection

__all__ = ["DataStudio"]

TABS = ("load", "table", "transform", "explore", "recipe", "code", "save")


class DataStudio(W.VBox):
    """A form over a project's data: see the module docstring."""

    def __init__(self, project, source=None, *, namespace: dict | None = None, **kwargs):
        super().__init__(**kwargs)
        self.project = project
        self.session = Session(project)
        self.namespace = namespace if namespace is not None else sources.user_namespace()
        self.last_error = ""
        self._quiet = False
        self.title = W.HTML()
        self.banner = W.HTML()
        self.banner.add_class("hubml-studio-banner")
        self.outside_text = W.HTML()
        self.adopt_button = W.Button(description=msg("studio.adopt"), button_style="warning")
        self.keep_button = W.Button(description=msg("studio.keep"))
        self.outside = W.HBox([self.outside_text, self.adopt_button, self.keep_button],
                              layout=W.Layout(display="none", align_items="center"))
        self.check_button = W.Button(description=msg("studio.check_source"), icon="search",
                                     tooltip="Compare with the DataFrame variable now")
        self.adopt_button.on_click(lambda _: self._guard(self.adopt))
        self.keep_button.on_click(lambda _: self._guard(self.keep))
        self.check_button.on_click(lambda _: self._guard(self.check_source, True))
        self.table = PagedTable(on_error=self.show_error, on_change=self._table_changed)
        self.load_section = LoadSection(self)
        self.transform = TransformSection(self)
        self.explore = ExploreSection(self)
        self.recipe_section = RecipeSection(self)
        self.code_section = CodeSection(self)
        self.save_section = SaveSection(self)
        self.tabs = W.Tab(children=[self.load_section, self.table, self.transform, self.explore,
                                    self.recipe_section, self.code_section, self.save_section],
                          titles=[msg(f"studio.tab.{t}") for t in TABS])
        self.tabs.observe(self._tab_changed, "selected_index")
        self.children = [W.HBox([self.title, self.check_button],
                                layout=W.Layout(justify_content="space-between",
                                                align_items="center")),
                         self.banner, self.outside, self.tabs]
        self.add_class("hubml-data-studio")
        self._hook = sources.watch_cells(self._after_cell)
        if source is not None:
            self._guard(self.load, source)
            self.tabs.selected_index = 1 if self.session.loaded else 0
        self._refresh()

    # -- errors and state ---------------------------------------------------------
    def show_error(self, text: str) -> None:
        self.last_error = text
        self.banner.value = banner_html(text, "error")

    def show_info(self, text: str, level: str = "info") -> None:
        self.last_error = ""
        self.banner.value = banner_html(text, level)

    def _guard(self, fn, *args, clear: bool = True):
        """Run an action for a control: hubml errors go to the banner, nothing else leaks a
        traceback; the state stays what it was before the action. Passive checks (a tab
        shown, a cell run) pass ``clear=False`` and leave the banner as it is."""
        try:
            if clear:
                self.last_error = ""
                self.banner.value = ""
            return fn(*args)
        except HubMLError as exc:
            self.show_error(exc.message)
        except MemoryError:
            self.show_error(msg("studio.unexpected", kind="MemoryError",
                                problem="not enough memory for this frame"))
        except Exception as exc:  # a widget must stay usable whatever a step or file does
            problem = (str(exc).strip().splitlines() or [""])[0][:200]
            self.show_error(msg("studio.unexpected", kind=type(exc).__name__, problem=problem))
        return None

    def _refresh(self) -> None:
        session = self.session
        frame = session.current
        if frame is None:
            self.title.value = (f"<b>{msg('studio.title')}</b> — "
                                f"{html.escape(msg('studio.no_data'))}")
        else:
            self.title.value = f"<b>{msg('studio.title')}</b> — " + html.escape(msg(
                "studio.status", source=session.label, rows=f"{len(frame):,}",
                columns=f"{len(frame.columns):,}", steps=len(session.recipe)))
        self.check_button.layout.display = "" if session.tracker else "none"
        self._show_outside()
        if frame is not None and self.table.view.df is not frame:
            self.table.set_frame(frame)
        self.transform.refresh()
        self.recipe_section.refresh()
        self.code_section.refresh()
        if self.tabs.selected_index == TABS.index("explore"):
            self.explore.refresh()

    def _show_outside(self) -> None:
        what = self.session.outside
        name = self.session.tracker.name if self.session.tracker else None
        self.outside.layout.display = "" if what else "none"
        if what:
            self.outside_text.value = banner_html(msg(
                "studio.changed_outside", name=f"'{name}'" if name else "", what=what), "warn")

    def _tab_changed(self, change) -> None:
        self._guard(self.check_source, clear=False)
        if change["new"] == TABS.index("explore"):
            self._guard(self.explore.refresh, clear=False)

    def _table_changed(self) -> None:
        self.transform.clear_preview() if hasattr(self, "transform") else None

    def _after_cell(self, *_args) -> None:
        self._guard(self.check_source, clear=False)

    def close(self) -> None:
        sources.unwatch_cells(self._hook)
        super().close()

    # -- loading --------------------------------------------------------------------
    def load(self, source) -> None:
        """Load a DataFrame, a Dataset (latest version), a DatasetVersion, a dataset name,
        a file path in the project or a SQL query (on the default connection)."""
        frame, info, label, parents, tracker = sources.resolve(self.project, source,
                                                               self.namespace)
        self._loaded(frame, info, label, parents, tracker)

    def load_bytes(self, content: bytes, name: str, encoding=None, delimiter=None,
                   progress=None) -> None:
        """Parse an uploaded file's bytes with the workspace import code."""
        frame, info = sources.parse_upload(content, name, encoding, delimiter)
        if progress:
            progress(2, "statistics ...")
        self._loaded(frame, info, name, (), None)

    def load_file(self, path) -> None:
        frame, info, label = sources.read_project_file(self.project, path)
        self._loaded(frame, info, label, (), None)

    def load_query(self, sql: str, connection: str = "default") -> None:
        frame, info, label = sources.run_query(self.project, sql, connection)
        self._loaded(frame, info, label, (), None)

    def _loaded(self, frame, info, label, parents, tracker) -> None:
        self.session.load(frame, info, label, parents, tracker)
        self.table.set_frame(self.session.current, keep_view=False)
        self._refresh()
        note = msg("studio.loaded", source=label, rows=f"{len(frame):,}",
                   columns=f"{len(frame.columns):,}")
        if len(frame.columns) > 40:
            note += " " + msg("studio.too_many_columns", columns=f"{len(frame.columns):,}",
                              shown=40)
        self.show_info(note)

    # -- the source variable --------------------------------------------------------
    def check_source(self, full: bool = False) -> str | None:
        """Compare with the DataFrame variable; a change shows the "changed outside" bar."""
        what = self.session.check_source(full)
        self._show_outside()
        if full and not what and self.session.tracker:
            self.show_info(msg("studio.source_same"))
        return what

    def adopt(self) -> None:
        self.session.adopt()
        self.table.set_frame(self.session.current)
        self._refresh()
        self.show_info(msg("studio.adopted", steps=len(self.session.recipe)))

    def keep(self) -> None:
        self.session.keep()
        self._refresh()

    # -- the table ------------------------------------------------------------------
    @property
    def frame(self):
        """The data as the recipe so far leaves it."""
        return self.session.current

    def page(self, number: int) -> None:
        self.table.page(number)

    def sort(self, column=None, ascending: bool = True) -> None:
        self.table.sort(column, ascending)

    def filter(self, column, op: str, value=None) -> None:
        self.table.add_filter(column, op, value)

    def clear_filters(self) -> None:
        self.table.clear_filters()

    # -- steps ----------------------------------------------------------------------
    def preview_step(self, step) -> tuple[str, str]:
        """(summary, HTML) of what step does to the page shown in the Table."""
        _fitted, after = self.session.preview(step)
        before = self.table.page_frame()
        return page_diff(before, self.session.current, after, self.table.view.first_row())

    def add_step(self, step) -> None:
        """Fit step on the current frame and apply it (a Step or its JSON dict)."""
        self.session.add_step(step)
        self._after_change()
        recipe = self.session.recipe
        self.show_info(msg("studio.step_added", index=len(recipe), type=recipe.steps[-1].type,
                           rows=f"{len(self.frame):,}", columns=f"{len(self.frame.columns):,}"))

    def _after_change(self) -> None:
        self.table.set_frame(self.session.current)
        self.transform.clear_preview()
        self._refresh()

    def undo(self) -> None:
        self.session.undo()
        self._after_change()

    def redo(self) -> None:
        self.session.redo()
        self._after_change()

    def remove_step(self, index: int) -> None:
        self.session.remove(index)
        self._after_change()

    def move_step(self, index: int, to: int) -> None:
        self.session.move(index, to)
        self._after_change()

    def edit_step(self, index: int, step) -> None:
        self.session.replace(index, step)
        self._after_change()

    def start_edit(self, index: int) -> None:
        """Open step ``index`` in the Clean and Transform form (Apply replaces it)."""
        step = self.session.recipe.steps[self.session._index(index)]
        self.transform.start_editing(index, step)
        self.tabs.selected_index = TABS.index("transform")

    @property
    def recipe(self):
        """The fitted recipe (learned values frozen)."""
        return self.session.recipe

    # -- explore --------------------------------------------------------------------
    def heatmap(self, method: str = "pearson") -> dict:
        self.explore.refresh()
        self.explore.method.value = method
        return self.explore.show_heatmap(method)

    def chart(self, kind: str, x=None, y=None, color=None, facet=None, agg: str = "none"):
        self.explore.refresh()
        return self.explore.show_chart(kind, x, y, color, facet, agg)

    # -- code and save --------------------------------------------------------------
    def code(self) -> str:
        """Plain pandas code: the source read by the SDK, then the fitted recipe."""
        return sources.code_for(self.session)

    def insert_code(self) -> str:
        """Put the code into a new cell (IPython's set_next_input); returns what happened."""
        return sources.insert_cell(self.code())

    def save(self, name: str, description: str = "", store: str = "file",
             allow_schema_change: bool = False):
        """Save the current frame as the next version of dataset ``name``, recording the
        source and the fitted recipe; returns the DatasetVersion."""
        from ..errors import SchemaChanged

        if not self.session.loaded:
            raise InvalidInput(msg("studio.no_data"), details={"field": "source"})
        if not name:
            raise InvalidInput(msg("studio.save_name"), details={"field": "name"})
        self.check_source()
        try:
            version = sources.save(self.session, name, description, store, allow_schema_change)
        except SchemaChanged as exc:
            raise SchemaChanged(msg("studio.schema_changed", message=exc.message),
                                exc.details) from None
        key = "studio.unchanged" if version.unchanged else "studio.saved"
        text = msg(key, name=name, version=version.version, rows=f"{version.rows:,}",
                   store=store)
        self.save_section.result.value = banner_html(text, "info")
        self.show_info(text)
        self.load_section.refresh()
        return version
