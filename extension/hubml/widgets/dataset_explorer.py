"""DatasetExplorer: a read-only look at one dataset version: its schema and lineage, exact
column statistics, distributions, missing values, correlations and a paged table.

    hubml.widgets.DatasetExplorer(p, "customers")             # latest version
    hubml.widgets.DatasetExplorer(p, "customers", version=2)

It reuses the Data Studio's paged table and charts; nothing in it changes the dataset.
"""

from __future__ import annotations

import html

import ipywidgets as W

from ..errors import HubMLError
from ._charts import ChartView, heatmap_figure, missing_figure, summary_figure
from ._grid_html import CSS
from ._messages import msg
from ._stats import column_kind, correlation, missing_overview
from ._table import PagedTable, banner_html

__all__ = ["DatasetExplorer"]

HEATMAP_COLUMNS = 30


def _schema_html(version, summaries: dict) -> str:
    rows = []
    for column in version.schema():
        name = str(column.get("name"))
        stats = summaries.get(name, {})
        rows.append("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in (
            name, column.get("dtype", ""), f"{stats.get('nulls', ''):,}" if stats else "",
            f"{stats['distinct']:,}" if stats.get("distinct") is not None else "",
            stats.get("min", ""), stats.get("max", ""))) + "</tr>")
    head = "".join(f"<th>{h}</th>" for h in ("column", "dtype", "missing", "distinct", "min",
                                             "max"))
    meta = version.meta
    lineage = {k: meta.get(k) for k in ("source", "parents", "created", "author") if meta.get(k)}
    steps = len(meta.get("recipe") or [])
    return (f"{CSS}<p><b>{html.escape(version.name)}</b> version {version.version}: "
            f"{version.rows:,} rows, {len(version.schema())} columns, stored as "
            f"{html.escape(meta.get('store', 'file'))}; recipe: {steps} steps. "
            f"{html.escape(meta.get('description') or '')}</p>"
            f'<div class="hubml-grid-wrap"><table class="hubml-grid"><thead><tr>{head}</tr>'
            f'</thead><tbody>{"".join(rows)}</tbody></table></div>'
            f"{_lineage_html(lineage)}")


def _lineage_html(lineage: dict) -> str:
    """Source, parents, created and author as labelled lines (a JSON dump read badly)."""
    def text(value) -> str:
        if isinstance(value, dict):
            return ", ".join(f"{k} {v}" for k, v in value.items())
        if isinstance(value, list):
            return "; ".join(text(v) for v in value)
        return str(value)

    lines = "".join(f"<div><b>{html.escape(key)}</b>: {html.escape(text(value))}</div>"
                    for key, value in lineage.items())
    return f'<div class="hubml-note" style="margin-top:8px;line-height:1.6">{lines}</div>'


class DatasetExplorer(W.VBox):
    """Schema, statistics, distributions and a paged table of one dataset version."""

    def __init__(self, project, name: str, version=None, **kwargs):
        super().__init__(**kwargs)
        self.project = project
        self.banner = W.HTML()
        self.last_error = ""
        self.version = None
        self.frame = None
        self.table = PagedTable(on_error=self._error)
        self.schema = W.HTML()
        self.column = W.Dropdown(description="Column", options=[])
        self.distribution = ChartView()
        self.missing = ChartView()
        self.heatmap = ChartView()
        self.column.observe(lambda _: self._guard(self.show_distribution), "value")
        explore = W.VBox([self.column, self.distribution, W.HTML("<b>Missing values</b>"),
                          self.missing, W.HTML("<b>Correlation (Pearson)</b>"), self.heatmap])
        self.tabs = W.Tab(children=[self.schema, self.table, explore],
                          titles=["Schema", "Table", "Distributions"])
        self._explored = False
        self.tabs.observe(lambda c: c["new"] == 2 and self._guard(self.explore), "selected_index")
        self.children = [self.banner, self.tabs]
        self.add_class("hubml-dataset-explorer")
        self._guard(self.show_version, name, version)

    def _error(self, text: str) -> None:
        self.last_error = text
        self.banner.value = banner_html(text)

    def _guard(self, fn, *args):
        try:
            self.banner.value = ""
            return fn(*args)
        except HubMLError as exc:
            self._error(exc.message)
        except Exception as exc:  # never a traceback in the widget
            problem = (str(exc).strip().splitlines() or [""])[0][:200]
            self._error(msg("studio.unexpected", kind=type(exc).__name__, problem=problem))
        return None

    def show_version(self, name: str, version=None) -> None:
        """Show another dataset version (read-only)."""
        dataset_version = self.project.dataset(name).version(version)
        frame = dataset_version.load()
        self.version, self.frame, self._explored = dataset_version, frame, False
        self.table.set_frame(frame, keep_view=False)
        shown = self.table.view.visible_columns()
        self.schema.value = _schema_html(dataset_version, {str(c): self.table.view.summary(c)
                                                           for c in shown})
        self.column.options = [(str(c), c) for c in frame.columns]
        if self.tabs.selected_index == 2:
            self.explore()

    def explore(self) -> None:
        if self._explored or self.frame is None:
            return
        self._explored = True
        self.show_distribution()
        total = f"{len(self.frame):,}"
        figure = missing_figure(missing_overview(self.frame))
        self.missing.show(figure, msg("studio.exact", total=total) if figure else msg(
            "studio.no_missing", columns=f"{len(self.frame.columns):,}", total=total))
        numeric = [c for c in self.frame.columns if column_kind(self.frame[c].dtype) == "number"]
        if numeric:
            result = correlation(self.frame, "pearson", numeric[:HEATMAP_COLUMNS])
            self.heatmap.show(heatmap_figure(result["matrix"], result["columns"]),
                              msg("studio.exact", total=total))
        else:
            self.heatmap.show(None, msg("studio.no_numeric"))

    def show_distribution(self, column=None) -> None:
        column = self.column.value if column is None else column
        if column is None or self.frame is None:
            return
        summary = self.table.view.summary(column)
        self.distribution.show(summary_figure(summary),
                               msg("studio.exact", total=f"{len(self.frame):,}"))

    # the same calls as the Data Studio's table
    def page(self, number: int) -> None:
        self.table.page(number)

    def sort(self, column=None, ascending: bool = True) -> None:
        self.table.sort(column, ascending)

    def filter(self, column, op: str, value=None) -> None:
        self.table.add_filter(column, op, value)
