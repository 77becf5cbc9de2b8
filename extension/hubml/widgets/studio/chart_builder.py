"""The custom chart builder: scatter, line, bar, box, violin, histogram and heatmap with
x, y, colour, facet and an aggregation, computed in the kernel.

Exact where it can be (bar and line aggregates, histogram counts, box quartiles, heatmap
cells); points (scatter without aggregation, violin) come from a fixed random sample, and the
note under the chart says so.
"""

from __future__ import annotations

from ...errors import InvalidInput
from .._messages import msg
from .._stats import column_kind, sample_rows

__all__ = ["AGGS", "KINDS", "build_chart"]

KINDS = ("scatter", "line", "bar", "box", "violin", "histogram", "heatmap")
AGGS = ("none", "count", "sum", "mean", "median", "min", "max")
POINTS = 5000
FACETS = 4
GROUPS = 12     # colour groups drawn
BARS = 50       # categories on the x axis of a bar chart
BINS = 30


def _need(df, kind, **fields):
    missing = [name for name, value in fields.items() if value is None]
    if missing:
        raise InvalidInput(msg("studio.chart.need", kind=kind, fields=", ".join(missing)),
                           details={"field": missing[0]})
    for name, value in fields.items():
        if value not in df.columns:
            raise InvalidInput(msg("table.no_column", name=value, columns=", ".join(
                map(repr, map(str, list(df.columns)[:20])))), details={"field": name})


def _numeric(df, field, name, what):
    if column_kind(df[name].dtype) != "number":
        raise InvalidInput(msg("studio.chart.numeric", field=field, name=name, what=what),
                           details={"field": field})


def _top(series, n):
    return list(series.value_counts(dropna=True).index[:n])


def _binned(series, bins=BINS):
    """A numeric column cut into equal-width bins (labels are the bin centres)."""
    import numpy as np
    import pandas as pd

    if column_kind(series.dtype) != "number" or series.nunique() <= bins:
        return series
    values = series.to_numpy(dtype="float64", na_value=np.nan)
    lo, hi = np.nanmin(values), np.nanmax(values)
    edges = np.linspace(lo, hi, bins + 1)
    index = np.clip(np.searchsorted(edges, values, side="right") - 1, 0, bins - 1)
    centres = (edges[:-1] + edges[1:]) / 2
    out = pd.Series(np.where(np.isnan(values), np.nan, centres[index]), index=series.index)
    return out.round(6)


def _traces(df, kind, x, y, color, agg, notes):
    import numpy as np
    import plotly.graph_objects as go

    groups = [(None, df)]
    if color is not None:
        keep = _top(df[color], GROUPS)
        groups = [(str(v), df[df[color] == v]) for v in keep]
        if df[color].nunique() > GROUPS:
            notes.add(f"colour: the {GROUPS} most frequent values of {color}")
    traces = []
    for name, part in groups:
        if kind == "histogram":
            values = part[x].dropna().to_numpy(dtype="float64")
            lo, hi = np.nanmin(df[x].to_numpy(dtype="float64", na_value=np.nan)), \
                np.nanmax(df[x].to_numpy(dtype="float64", na_value=np.nan))
            counts, edges = np.histogram(values, BINS, range=(lo, hi if hi > lo else lo + 1))
            traces.append(go.Bar(x=(edges[:-1] + edges[1:]) / 2, y=counts, name=name,
                                 width=np.diff(edges), opacity=0.75 if color else 1))
        elif kind == "bar" or (kind in ("line", "scatter") and agg != "none"):
            how = "count" if y is None else agg
            grouped = part.groupby(x, observed=True, dropna=True)
            series = grouped.size() if how == "count" else getattr(grouped[y], how)()
            if kind == "bar":
                series = series.sort_values(ascending=False).iloc[:BARS] \
                    if column_kind(df[x].dtype) not in ("number", "datetime") else series
                traces.append(go.Bar(x=[str(v) for v in series.index] if
                                     column_kind(df[x].dtype) not in ("number", "datetime")
                                     else series.index, y=series.to_numpy(), name=name))
            else:
                mode = "lines+markers" if kind == "line" else "markers"
                traces.append(go.Scatter(x=series.index, y=series.to_numpy(), mode=mode,
                                         name=name))
        elif kind in ("scatter", "line"):
            sample, sampled = sample_rows(part[[x, y]].dropna(), POINTS)
            if sampled:
                notes.add(msg("studio.sampled", n=f"{len(sample):,}", total=f"{len(part):,}"))
            if kind == "line":
                sample = sample.sort_values(x)
            traces.append(go.Scattergl(x=sample[x], y=sample[y], name=name,
                                       mode="lines" if kind == "line" else "markers",
                                       marker={"size": 4, "opacity": 0.6}))
        elif kind == "box":
            traces += _boxes(part, x, y, name)
        elif kind == "violin":
            sample, sampled = sample_rows(part[[c for c in (x, y) if c]].dropna(), POINTS)
            if sampled:
                notes.add(msg("studio.sampled", n=f"{len(sample):,}", total=f"{len(part):,}"))
            traces.append(go.Violin(x=sample[x].astype(str) if x else None, y=sample[y],
                                    name=name, box_visible=True, points=False))
    return traces


def _boxes(part, x, y, name):
    """Exact quartiles per x group; whiskers at the furthest values within 1.5 IQR."""
    import plotly.graph_objects as go

    groups = [(None, part[y])] if x is None else [
        (str(k), g) for k, g in part.groupby(x, observed=True)[y]][:BARS]
    labels, q1s, meds, q3s, lows, highs = [], [], [], [], [], []
    for label, values in groups:
        values = values.dropna().astype("float64")
        if not len(values):
            continue
        q1, med, q3 = values.quantile([0.25, 0.5, 0.75]).tolist()
        iqr = q3 - q1
        lows.append(float(values[values >= q1 - 1.5 * iqr].min()))
        highs.append(float(values[values <= q3 + 1.5 * iqr].max()))
        labels.append(label if label is not None else y)
        q1s.append(q1)
        meds.append(med)
        q3s.append(q3)
    return [go.Box(x=labels, q1=q1s, median=meds, q3=q3s, lowerfence=lows, upperfence=highs,
                   name=name, boxpoints=False)]


def _heatmap(df, x, y, color, agg, notes):
    import plotly.graph_objects as go

    xs, ys = _binned(df[x]), _binned(df[y])
    frame = df.assign(__x=xs, __y=ys)
    how = "count" if color is None or agg in ("none", "count") else agg
    grouped = frame.groupby(["__y", "__x"], observed=True)
    cells = grouped.size() if how == "count" else getattr(grouped[color], how)()
    table = cells.unstack("__x")
    if len(table.index) > 60 or len(table.columns) > 60:
        table = table.iloc[:60, :60]
        notes.add("the first 60 values on each axis")
    z = [[None if v != v else float(v) for v in row] for row in table.to_numpy(dtype="float64")]
    label = "rows" if how == "count" else f"{how} of {color}"
    return go.Heatmap(z=z, x=[str(v) for v in table.columns], y=[str(v) for v in table.index],
                      colorscale="Viridis", colorbar={"title": {"text": label}})


def build_chart(df, kind: str, x=None, y=None, color=None, facet=None, agg: str = "none"):
    """(go.Figure, note) for the chart asked for; InvalidInput names a wrong field."""
    from plotly.subplots import make_subplots

    if kind not in KINDS:
        raise InvalidInput(msg("studio.chart.kind", kinds=", ".join(KINDS), kind=kind),
                           details={"field": "kind"})
    if agg not in AGGS:
        raise InvalidInput(msg("studio.chart.agg", aggs=", ".join(AGGS), agg=agg),
                           details={"field": "agg"})
    need = {"histogram": {"x": x}, "bar": {"x": x}, "box": {"y": y}, "violin": {"y": y},
            "heatmap": {"x": x, "y": y}}.get(kind, {"x": x, "y": y})
    _need(df, kind, **need)
    for field, name in (("y", y), ("colour", color), ("facet", facet), ("x", x)):
        if name is not None and name not in df.columns:
            _need(df, kind, **{field: name})
    if kind == "histogram":
        _numeric(df, "x", x, "a histogram")
    if y is not None and (kind in ("box", "violin") or agg not in ("none", "count")):
        _numeric(df, "y", y, f"a {kind} chart" if kind in ("box", "violin") else agg)
    if kind == "heatmap" and color is not None and agg not in ("none", "count"):
        _numeric(df, "colour", color, agg)
    notes: set[str] = set()
    facets = [(None, df)]
    if facet is not None:
        values = _top(df[facet], FACETS)
        facets = [(f"{facet} = {v}", df[df[facet] == v]) for v in values]
        if df[facet].nunique() > FACETS:
            notes.add(f"facets: the {FACETS} most frequent values of {facet}")
    fig = make_subplots(rows=1, cols=len(facets), subplot_titles=[t for t, _ in facets]
                        if facet is not None else None, shared_yaxes=True)
    for col, (_title, part) in enumerate(facets, 1):
        if kind == "heatmap":
            traces = [_heatmap(part, x, y, color, agg, notes)]
        else:
            traces = _traces(part, kind, x, y, color if kind != "heatmap" else None, agg, notes)
        for trace in traces:
            if col > 1:
                trace.showlegend = False
            fig.add_trace(trace, row=1, col=col)
    if kind == "histogram" and color is not None:
        fig.update_layout(barmode="overlay")
    title = f"{kind}: " + ", ".join(f"{k}={v}" for k, v in (("x", x), ("y", y), ("colour", color),
                                                            ("facet", facet)) if v is not None)
    if agg != "none" and kind not in ("histogram", "box", "violin"):
        title += f", {agg}"
    fig.update_layout(title={"text": title, "font": {"size": 14}}, height=380,
                      template="plotly_white", margin={"l": 50, "r": 20, "t": 60, "b": 40})
    fig.update_xaxes(title_text=x)
    note = "; ".join(sorted(notes)) or msg("studio.exact", total=f"{len(df):,}")
    return fig, note
