"""PagedTable: a kernel-side paged grid (an ``ipywidgets.HTML`` page plus controls).

Generic over any DataFrame (the Data Studio, the DatasetExplorer, a ModelCard's predictions):
sort, filters and pages are computed in the kernel by a :class:`FrameView`; only the page's
HTML (tens of kB) goes to the browser. Works in JupyterLab and Voila without extensions.

Every control calls a method (``sort``, ``add_filter``, ``page``, ...) that code and tests can
call too. Errors from bad input go to ``on_error`` (a banner in the owner widget).
"""

from __future__ import annotations

import threading

import ipywidgets as W

from ._frameview import MAX_COLUMNS, OPS, FrameView
from ._grid_html import grid_html
from ._messages import msg

__all__ = ["PagedTable", "banner_html"]

PAGE_SIZES = (10, 25, 50, 100)
BACKGROUND_ROWS = 200_000
_UNSORTED = msg("table.unsorted")


def banner_html(text: str, level: str = "error") -> str:
    import html

    from ._grid_html import CSS

    return f'{CSS}<div class="hubml-banner {level}">{html.escape(text)}</div>' if text else ""


class PagedTable(W.VBox):
    """A paged, sortable, filterable table of a DataFrame with exact header statistics."""

    def __init__(self, df=None, page_size: int = 25, stats: bool = True, on_error=None,
                 on_change=None, background_rows: int | None = BACKGROUND_ROWS, **kwargs):
        super().__init__(**kwargs)
        self.view = FrameView(df, page_size)
        # frames this long show their rows first; header statistics follow from a thread
        self.background_rows = background_rows
        self._lock = threading.RLock()
        self._worker = None
        self.show_stats = stats
        self.on_error = on_error or self._own_error
        self.on_change = on_change      # called after each re-render (e.g. a diff preview)
        self.marks: dict = {}
        self._quiet = False
        self.grid = W.HTML(layout=W.Layout(width="100%"))
        self.grid.add_class("hubml-table-grid")
        self.error = W.HTML()
        self.info = W.HTML()
        self.sort_column = W.Dropdown(description=msg("table.sort"), options=[_UNSORTED],
                                      layout=W.Layout(width="260px"))
        self.descending = W.Checkbox(description=msg("table.descending"), indent=False,
                                     layout=W.Layout(width="110px"))
        self.filter_column = W.Dropdown(description=msg("table.filter"), options=[],
                                        layout=W.Layout(width="240px"))
        self.filter_op = W.Dropdown(options=OPS, value="==", layout=W.Layout(width="90px"))
        self.filter_value = W.Text(placeholder="value", layout=W.Layout(width="140px"))
        self.filter_apply = W.Button(description=msg("table.apply_filter"), icon="filter")
        self.filter_clear = W.Button(description=msg("table.clear_filter"))
        pager = W.Layout(width="40px")
        self.first = W.Button(description="«", tooltip="First page", layout=pager)
        self.prev = W.Button(description="‹", tooltip="Previous page", layout=pager)
        self.page_box = W.BoundedIntText(value=1, min=1, max=1, description=msg("table.page"),
                                         layout=W.Layout(width="150px"))
        self.pages_label = W.Label()
        self.next = W.Button(description="›", tooltip="Next page", layout=pager)
        self.last = W.Button(description="»", tooltip="Last page", layout=pager)
        self.size = W.Dropdown(options=PAGE_SIZES, value=page_size if page_size in PAGE_SIZES
                               else 25, description=msg("table.page_size"),
                               layout=W.Layout(width="180px"),
                               style={"description_width": "initial"})
        self.row_box = W.IntText(value=1, description=msg("table.jump_row"),
                                 layout=W.Layout(width="180px"),
                                 style={"description_width": "initial"})
        self.col_prev = W.Button(description="‹", tooltip="Previous columns", layout=pager)
        self.col_next = W.Button(description="›", tooltip="Next columns", layout=pager)
        self.col_label = W.Label()
        self.col_pager = W.HBox([self.col_prev, self.col_label, self.col_next])
        self.sort_column.observe(self._sort_changed, "value")
        self.descending.observe(self._sort_changed, "value")
        self.filter_apply.on_click(lambda _: self._guard(
            self.add_filter, self.filter_column.value, self.filter_op.value,
            self.filter_value.value))
        self.filter_clear.on_click(lambda _: self._guard(self.clear_filters))
        self.first.on_click(lambda _: self._guard(self.page, 1))
        self.prev.on_click(lambda _: self._guard(self.page, max(1, self.view.page_number - 1)))
        self.next.on_click(lambda _: self._guard(
            self.page, min(self.view.pages, self.view.page_number + 1)))
        self.last.on_click(lambda _: self._guard(self.page, self.view.pages))
        self.page_box.observe(lambda c: self._quiet or self._guard(self.page, c["new"]),
                              "value")
        self.size.observe(lambda c: self._guard(self.set_page_size, c["new"]), "value")
        self.row_box.observe(lambda c: self._quiet or self._guard(self.go_to_row, c["new"]),
                             "value")
        self.col_prev.on_click(lambda _: self._guard(self.shift_columns, -1))
        self.col_next.on_click(lambda _: self._guard(self.shift_columns, 1))
        self.children = [
            W.HBox([self.sort_column, self.descending, self.filter_column, self.filter_op,
                    self.filter_value, self.filter_apply, self.filter_clear],
                   layout=W.Layout(flex_flow="row wrap")),
            self.error, self.col_pager, self.grid,
            W.HBox([self.first, self.prev, self.page_box, self.pages_label, self.next,
                    self.last, self.size, self.row_box, self.info],
                   layout=W.Layout(flex_flow="row wrap", align_items="center")),
        ]
        self.set_frame(df)

    # -- errors ---------------------------------------------------------------------
    def _own_error(self, text: str) -> None:
        self.error.value = banner_html(text)

    def _guard(self, fn, *args):
        from ..errors import HubMLError

        try:
            self.error.value = ""
            fn(*args)
        except HubMLError as exc:
            self.on_error(exc.message)
        return True

    # -- the frame ------------------------------------------------------------------
    def set_frame(self, df, keep_view: bool = True) -> None:
        """Show a new frame (or a new version of it), keeping sort and filters if they fit."""
        self.view.set_frame(df, keep_view)
        columns = [str(c) for c in self.view.df.columns]
        self._quiet = True
        try:
            names = list(self.view.df.columns)
            self.sort_column.options = [(_UNSORTED, None)] + [(str(c), c) for c in names]
            self.sort_column.value = self.view.sort_by
            self.filter_column.options = [(str(c), c) for c in names]
        finally:
            self._quiet = False
        self.col_pager.layout.display = "" if len(columns) > MAX_COLUMNS else "none"
        self.render()

    @property
    def df(self):
        return self.view.df

    # -- actions (the controls call these) ------------------------------------------
    def sort(self, column=None, ascending: bool = True) -> None:
        self.view.sort(column, ascending)
        self._quiet = True
        try:
            self.sort_column.value = column
            self.descending.value = not ascending
        finally:
            self._quiet = False
        self.render()

    def _sort_changed(self, _change) -> None:
        if not self._quiet:
            self._guard(self.sort, self.sort_column.value, not self.descending.value)

    def add_filter(self, column, op: str, value=None) -> None:
        self.view.add_filter(column, op, value)
        self.render()

    def clear_filters(self) -> None:
        self.view.clear_filters()
        self.render()

    def page(self, number: int) -> None:
        self.view.page(int(number))
        self.render()

    def go_to_row(self, row: int) -> None:
        self.view.go_to_row(row)
        self.render()

    def set_page_size(self, size: int) -> None:
        self.view.set_page_size(size)
        self.render()

    def shift_columns(self, step: int) -> None:
        self.view.shift_columns(step)
        self.render()

    # -- rendering ------------------------------------------------------------------
    def _stats_later(self, frame, columns) -> None:
        """Compute the statistics in a thread, then show the page again (if the frame is
        still the one shown)."""
        worker = self._worker
        if worker is not None and worker.is_alive() and worker is not threading.current_thread():
            return  # it re-renders when done, and that render asks for what is missing

        def work():
            for column in columns:
                if self.view.df is not frame:
                    return
                self.view.summary(column)
            if self.view.df is frame:  # this render may start the next worker
                self.render(notify=False)  # same rows: a preview of them stays valid

        self._worker = threading.Thread(target=work, name="hubml-table-stats", daemon=True)
        self._worker.start()

    def wait_for_statistics(self, timeout: float | None = None) -> None:
        """Block until statistics computed in the background are shown (tests, benchmarks)."""
        while self._worker is not None and self._worker.is_alive():
            worker = self._worker
            worker.join(timeout)
            if worker.is_alive():
                return  # timed out


    def page_frame(self):
        return self.view.page_frame()

    def render(self, notify: bool = True) -> None:
        """Show the current page; ``notify`` tells on_change (the page may have changed)."""
        with self._lock:
            self._render(notify)

    def _render(self, notify: bool) -> None:
        view = self.view
        page = view.page_frame()
        summaries = {}
        if self.show_stats:
            summaries = {str(c): view.cached_summary(c) for c in page.columns}
            missing = [c for c in page.columns if summaries[str(c)] is None]
            if missing and (self.background_rows is None or len(view.df) < self.background_rows):
                summaries.update({str(c): view.summary(c) for c in missing})
            elif missing:
                self._stats_later(view.df, missing)
        self.grid.value = grid_html(page, summaries, view.first_row(), self.marks)
        self._quiet = True
        try:
            self.page_box.max = view.pages
            self.page_box.value = view.page_number
        finally:
            self._quiet = False
        self.pages_label.value = msg("table.of_pages", pages=f"{view.pages:,}")
        key = "table.rows_filtered" if view.filters else "table.rows"
        self.info.value = msg(key, shown=f"{view.rows:,}", total=f"{len(view.df):,}")
        total = len(view.df.columns)
        self.col_label.value = msg("table.columns", first=view.column_offset + 1,
                                   last=min(view.column_offset + MAX_COLUMNS, total),
                                   total=f"{total:,}")
        if self.on_change and notify:
            self.on_change()
