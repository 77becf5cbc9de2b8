"""Plotly charts from data aggregated in the kernel, and ChartView, the widget that shows one.

Why not ``go.FigureWidget``: with plotly 6+ it is an anywidget whose state carries plotly.js
itself (about 5 MB of ESM) in every instance's first message, over the 1 MiB budget per
widget message. ChartView sends the figure as plotly's own MIME bundle
(``application/vnd.plotly.v1+json``) inside an ``ipywidgets.Output``; the jupyterlab-plotly
renderer that ships with plotly draws it in JupyterLab and in Voila, offline. The figure holds
only aggregates (bin counts, a correlation matrix, a sampled set of points), so the message is
a few kB to a few hundred kB.

Builders take summaries from ``_stats`` (or small frames) and return ``go.Figure`` objects,
so the ModelCard and others can reuse them.
"""

from __future__ import annotations

import json

import ipywidgets as W

__all__ = ["ChartView", "bar_figure", "heatmap_figure", "histogram_figure", "message_bytes",
           "missing_figure", "splom_figure", "summary_figure"]

PLOTLY_MIME = "application/vnd.plotly.v1+json"
HEIGHT = 340


def _layout(fig, title: str = "", height: int = HEIGHT):
    fig.update_layout(title={"text": title, "font": {"size": 14}}, height=height,
                      margin={"l": 50, "r": 20, "t": 40 if title else 10, "b": 40},
                      template="plotly_white", bargap=0.05)
    return fig


def histogram_figure(edges, counts, title: str = "", name: str = "rows"):
    """Bars from precomputed histogram bins (exact counts from the kernel)."""
    import plotly.graph_objects as go

    centres = [(a + b) / 2 for a, b in zip(edges[:-1], edges[1:], strict=True)]
    widths = [b - a for a, b in zip(edges[:-1], edges[1:], strict=True)]
    text = [f"{a:.4g} to {b:.4g}" for a, b in zip(edges[:-1], edges[1:], strict=True)]
    fig = go.Figure(go.Bar(x=centres, y=list(counts), width=widths, name=name,
                           hovertext=text, hovertemplate="%{hovertext}: %{y:,}<extra></extra>"))
    return _layout(fig, title)


def bar_figure(labels, values, title: str = "", horizontal: bool = False, name: str = ""):
    import plotly.graph_objects as go

    labels = [str(v) for v in labels]
    bar = go.Bar(y=labels, x=list(values), orientation="h", name=name) if horizontal \
        else go.Bar(x=labels, y=list(values), name=name)
    fig = go.Figure(bar)
    if horizontal:
        fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, max(HEIGHT, 24 * len(labels) + 80) if horizontal else HEIGHT)


def summary_figure(summary: dict, title: str | None = None):
    """The distribution of one column from its ``column_summary``: a histogram for numbers
    (and dates), top values for the rest; None when there is nothing to draw."""
    title = title if title is not None else f"{summary['name']} ({summary['dtype']})"
    if summary.get("histogram") and summary.get("kind") == "number" and not (
            summary.get("top") and len(summary["top"]) <= 12):
        h = summary["histogram"]
        return histogram_figure(h["edges"], h["counts"], title)
    if summary.get("histogram") and summary.get("kind") in ("datetime", "timedelta"):
        h = summary["histogram"]
        fig = histogram_figure(h["edges"], h["counts"], title)
        fig.update_xaxes(title_text=f"{summary['kind']} ({summary['dtype']}), as numbers")
        return fig
    if summary.get("top"):
        labels, counts = zip(*summary["top"], strict=True)
        return bar_figure(labels, counts, title + " — most frequent values", horizontal=True)
    return None


def missing_figure(overview: list[dict], limit: int = 40):
    """Missing values per column (most missing first), as a share of rows; None when no
    column misses anything (an empty chart says less than a sentence)."""
    shown = [m for m in overview[:limit] if m["nulls"]]
    if not shown:
        return None
    fig = bar_figure([m["name"] for m in shown], [round(m["share"] * 100, 2) for m in shown],
                     "Missing values per column (% of rows)", horizontal=True)
    fig.update_traces(hovertemplate="%{y}: %{x}%<extra></extra>")
    fig.update_xaxes(range=[0, 100])
    return fig


def heatmap_figure(matrix, columns, title: str = ""):
    import plotly.graph_objects as go

    text = [["" if v is None else f"{v:.2f}" for v in row] for row in matrix]
    fig = go.Figure(go.Heatmap(z=matrix, x=columns, y=columns, zmin=-1, zmax=1,
                               colorscale="RdBu", reversescale=True, text=text,
                               texttemplate="%{text}" if len(columns) <= 16 else None,
                               hovertemplate="%{y} / %{x}: %{z:.3f}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    size = max(HEIGHT, min(900, 28 * len(columns) + 120))
    return _layout(fig, title, size)


def splom_figure(sample, columns, color=None, title: str = ""):
    """A scatter matrix of a (small, already sampled) frame."""
    import plotly.graph_objects as go

    dims = [{"label": str(c), "values": sample[c].tolist()} for c in columns]
    marker = {"size": 3, "opacity": 0.5}
    if color is not None:
        codes, uniques = _codes(sample[color])
        marker.update(color=codes, colorscale="Viridis", showscale=False)
        title += f" (colour: {color}: " + ", ".join(map(str, uniques[:8])) + \
            (", ..." if len(uniques) > 8 else "") + ")"
    fig = go.Figure(go.Splom(dimensions=dims, marker=marker, diagonal={"visible": False},
                             showupperhalf=False))
    side = min(900, 150 * len(columns) + 80)
    return _layout(fig, title, side)


def _codes(series):
    import pandas as pd

    codes, uniques = pd.factorize(series, sort=True)
    return codes.tolist(), [str(u) for u in uniques]


def figure_json(fig) -> dict:
    """The figure as plain JSON (plotly's encoder: numpy arrays become typed arrays)."""
    return json.loads(fig.to_json())


def message_bytes(widget) -> int:
    """The size of the widget's full state as it would be sent (JSON plus binary buffers)."""
    from ipywidgets.widgets.widget import _remove_buffers

    state, _paths, buffers = _remove_buffers(widget.get_state())
    return len(json.dumps(state, default=str)) + sum(len(memoryview(b)) for b in buffers)


class ChartView(W.VBox):
    """One plotly figure (or none) with a note under it ("exact" / "on a sample of ...")."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.output = W.Output(layout=W.Layout(width="100%"))
        self.note = W.HTML()
        self.figure = None
        self.children = [self.output, self.note]

    def show(self, fig, note: str = "") -> None:
        import html

        self.figure = fig
        self.note.value = f'<span class="hubml-note">{html.escape(note)}</span>' if note else ""
        if fig is None:
            self.output.outputs = ()
            return
        data = figure_json(fig)
        data["config"] = {"displaylogo": False, "responsive": True}
        self.output.outputs = ({"output_type": "display_data",
                                "data": {PLOTLY_MIME: data, "text/plain": f"<Figure: {note}>"},
                                "metadata": {}},)

    def clear(self) -> None:
        self.show(None)
