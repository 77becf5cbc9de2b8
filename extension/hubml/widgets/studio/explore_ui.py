"""Explore: a column's distribution, missing values, correlation heatmap (Pearson or
Spearman), a scatter matrix on a labelled sample, and the custom chart builder. Computed in
the kernel when the section is shown (or asked for from code), once per frame version."""

from __future__ import annotations

import ipywidgets as W

from .._charts import ChartView, heatmap_figure, missing_figure, splom_figure, summary_figure
from .._messages import msg
from .._stats import column_kind, correlation, missing_overview, sample_rows
from .chart_builder import AGGS, KINDS, build_chart

__all__ = ["ExploreSection"]

SPLOM_ROWS = 2000
SPLOM_COLUMNS = 5
HEATMAP_COLUMNS = 30
_NONE = ("(none)", None)


class ExploreSection(W.VBox):
    def __init__(self, studio, **kwargs):
        super().__init__(**kwargs)
        self.studio = studio
        self._version = None
        self._corr: dict = {}
        style = {"description_width": "80px"}
        narrow = W.Layout(width="240px")
        self.column = W.Dropdown(description="Column", options=[], layout=narrow, style=style)
        self.distribution = ChartView()
        self.missing = ChartView()
        self.method = W.ToggleButtons(options=["pearson", "spearman"], value="pearson")
        self.heatmap = ChartView()
        self.splom_columns = W.SelectMultiple(description="Columns", options=[], rows=5,
                                              layout=narrow, style=style)
        self.splom_color = W.Dropdown(description="Colour", options=[_NONE], layout=narrow,
                                      style=style)
        self.splom_button = W.Button(description=msg("studio.explore.draw_splom"), icon="th",
                                     layout=W.Layout(width="200px"))
        self.splom = ChartView()
        self.kind = W.Dropdown(description="Chart", options=KINDS, value="histogram",
                               layout=narrow, style=style)
        self.x = W.Dropdown(description="x", options=[_NONE], layout=narrow, style=style)
        self.y = W.Dropdown(description="y", options=[_NONE], layout=narrow, style=style)
        self.color = W.Dropdown(description="Colour", options=[_NONE], layout=narrow,
                                style=style)
        self.facet = W.Dropdown(description="Facet", options=[_NONE], layout=narrow,
                                style=style)
        self.agg = W.Dropdown(description="Aggregate", options=AGGS, value="none",
                              layout=narrow, style=style)
        self.chart_button = W.Button(description=msg("studio.explore.draw_chart"), icon="bar-chart",
                                     button_style="primary")
        self.chart = ChartView()
        for widget, name in ((self.heatmap, "heatmap"), (self.distribution, "distribution"),
                             (self.missing, "missing"), (self.chart, "chart")):
            widget.add_class(f"hubml-{name}")
        self.column.observe(lambda _: studio._guard(self.show_distribution), "value")
        self.method.observe(lambda _: studio._guard(self.show_heatmap), "value")
        self.splom_button.on_click(lambda _: studio._guard(self.show_splom))
        self.chart_button.on_click(lambda _: studio._guard(self.show_chart))
        head = lambda text: W.HTML(f"<h4 style='margin:8px 0 2px'>{text}</h4>")  # noqa: E731
        self.children = [
            head(msg("studio.explore.distribution")), self.column, self.distribution,
            head(msg("studio.explore.missing")), self.missing,
            head(msg("studio.explore.correlation")), self.method, self.heatmap,
            head(msg("studio.explore.splom")),
            W.HBox([self.splom_columns, W.VBox([self.splom_color, self.splom_button])]),
            self.splom,
            head(msg("studio.explore.builder")),
            W.HBox([W.VBox([self.kind, self.agg]), W.VBox([self.x, self.y]),
                    W.VBox([self.color, self.facet])]),
            self.chart_button, self.chart,
        ]

    def _frame(self):
        return self.studio.session.current

    def refresh(self, force: bool = False) -> None:
        """Recompute for a new frame version (only when shown, or when forced)."""
        session = self.studio.session
        if session.current is None or (self._version == session.version and not force):
            return
        self._version, self._corr = session.version, {}
        df = session.current
        names = [(str(c), c) for c in df.columns]
        numeric = [c for c in df.columns if column_kind(df[c].dtype) == "number"]
        keep = self.column.value
        self.studio._quiet = True
        try:
            self.column.options = names
            self.column.value = keep if keep in df.columns else (names[0][1] if names else None)
            for box in (self.x, self.y, self.color, self.facet, self.splom_color):
                old = box.value
                box.options = [_NONE, *names]
                box.value = old if old in df.columns else None
            self.splom_columns.options = [(str(c), c) for c in numeric]
            self.splom_columns.value = tuple(numeric[:4])
        finally:
            self.studio._quiet = False
        self.show_distribution()
        figure = missing_figure(missing_overview(df))
        self.missing.show(figure, msg("studio.exact", total=f"{len(df):,}") if figure else
                          msg("studio.no_missing", columns=f"{len(df.columns):,}",
                              total=f"{len(df):,}"))
        self.show_heatmap()
        self.splom.clear()
        self.chart.clear()

    # -- charts ---------------------------------------------------------------------
    def show_distribution(self, column=None) -> None:
        if self.studio._quiet or self._frame() is None:
            return
        column = self.column.value if column is None else column
        if column is None:
            return
        summary = self.studio.table.view.summary(column)
        fig = summary_figure(summary)
        self.distribution.show(fig, msg("studio.exact", total=f"{len(self._frame()):,}"))

    def correlation(self, method: str | None = None) -> dict:
        method = method or self.method.value
        if method not in self._corr:
            df = self._frame()
            numeric = [c for c in df.columns if column_kind(df[c].dtype) == "number"]
            self._corr[method] = correlation(df, method, numeric[:HEATMAP_COLUMNS])
            self._corr[method]["more"] = max(0, len(numeric) - HEATMAP_COLUMNS)
        return self._corr[method]

    def show_heatmap(self, method: str | None = None) -> dict:
        if self.studio._quiet or self._frame() is None:
            return {}
        result = self.correlation(method)
        if not result["columns"]:
            self.heatmap.show(None, msg("studio.no_numeric"))
            return result
        total = f"{len(self._frame()):,}"
        note = msg("studio.sampled", n=f"{result['rows']:,}", total=total) \
            if result["sampled"] else msg("studio.exact", total=total)
        if result["more"]:
            note += f"; the first {HEATMAP_COLUMNS} numeric columns ({result['more']} more)"
        title = f"{result['method'].title()} correlation"
        self.heatmap.show(heatmap_figure(result["matrix"], result["columns"], title), note)
        return result

    def show_splom(self, columns=None, color=None) -> None:
        df = self._frame()
        columns = list(columns or self.splom_columns.value)[:SPLOM_COLUMNS]
        color = color if color is not None else self.splom_color.value
        if not columns:
            self.splom.show(None, msg("studio.no_numeric"))
            return
        picked = columns + ([color] if color is not None and color not in columns else [])
        sample, sampled = sample_rows(df[picked], SPLOM_ROWS)
        note = msg("studio.sampled", n=f"{len(sample):,}", total=f"{len(df):,}") if sampled \
            else msg("studio.exact", total=f"{len(df):,}")
        title = "Scatter matrix" + (" (sample)" if sampled else "")
        self.splom.show(splom_figure(sample, columns, color, title), note)

    def show_chart(self, kind=None, x=None, y=None, color=None, facet=None, agg=None) -> str:
        fig, note = build_chart(
            self._frame(), kind or self.kind.value, x if x is not None else self.x.value,
            y if y is not None else self.y.value,
            color if color is not None else self.color.value,
            facet if facet is not None else self.facet.value, agg or self.agg.value)
        self.chart.show(fig, note)
        return note
