"""``hubml.widgets.RunCompare(project)``: runs side by side, from the project's MLflow store.

Lists every run of the project's experiment: those training jobs made (tagged ``hubml.job``)
and those a user's own code made with ``p.start_run`` — one store, so both show up. Pick runs
to see their parameters and metrics side by side, each metric's curve per step overlaid, and a
parallel-coordinates chart of parameters and metrics. Callable from Python::

    rc = hubml.widgets.RunCompare(p)
    rc.select([run_a.id, run_b.id]); rc.table()      # a pandas DataFrame, one column per run
"""

from __future__ import annotations

import html

import ipywidgets as w

from ..errors import InvalidInput
from .training._messages import t

__all__ = ["RunCompare", "list_runs", "parallel_figure"]

MAX_RUNS = 1000         # newest first; older runs are not listed (p.runs' own limit)
MAX_CURVES = 12         # metric curve charts drawn for the picked runs


def list_runs(project) -> list[dict]:
    """The project's runs, newest first, as ``p.runs()`` lists them (tuning trials left out)."""
    return project.runs(limit=MAX_RUNS)


def _number(value):
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def parallel_figure(records: list[dict], color: str | None = None):
    """A parallel-coordinates figure of ``records`` (dicts of name -> value): numbers on
    numeric axes, anything else on an axis of its categories; None with fewer than 2 axes."""
    import plotly.graph_objects as go

    names = []
    for record in records:
        names += [k for k in record if k not in names]
    dimensions = []
    for name in names:
        values = [r.get(name) for r in records]
        if all(v is None for v in values):
            continue
        numbers = [_number(v) for v in values]
        if all(n is not None for n, v in zip(numbers, values, strict=True) if v is not None):
            dimensions.append({"label": name, "values": [n if n is not None else float("nan")
                                                         for n in numbers]})
            continue
        categories = sorted({str(v) for v in values}, key=str)
        if len(categories) < 2:
            continue      # one value for every run: no axis worth drawing
        dimensions.append({"label": name, "values": [categories.index(str(v)) for v in values],
                           "tickvals": list(range(len(categories))), "ticktext": categories})
    if len(dimensions) < 2:
        return None
    line = {}
    if color is not None:
        shade = next((d["values"] for d in dimensions if d["label"] == color), None)
        if shade is not None:
            line = {"color": shade, "colorscale": "Viridis", "showscale": True}
    fig = go.Figure(go.Parcoords(dimensions=dimensions, line=line))
    fig.update_layout(height=360, margin={"l": 60, "r": 60, "t": 50, "b": 30},
                      template="plotly_white")
    return fig


def _label(run: dict) -> str:
    origin = t("rc.by_job", job=run["job_id"]) if run.get("job_id") else t("rc.by_code")
    started = (run.get("start_time") or "")[:16].replace("T", " ")
    return f"{run.get('name') or run['id'][:8]} · {origin} · {started}"


def _name(run: dict) -> str:
    return run.get("name") or run["id"]


class RunCompare(w.VBox):
    def __init__(self, project):
        self.project, self._runs = project, {}
        self.picker = w.SelectMultiple(options=[], rows=8, layout=w.Layout(width="100%"))
        self.picker.add_class("hubml-rc-picker")
        self.refresh_button = w.Button(description=t("rc.refresh"), icon="refresh")
        self.refresh_button.on_click(lambda _: self.refresh())
        self.message = w.HTML("")
        self.tables = w.HTML("")
        self.tables.add_class("hubml-rc-table")
        self.curves = w.Box([], layout=w.Layout(flex_flow="row wrap", width="100%"))
        self.parallel = w.Box([], layout=w.Layout(width="100%"))
        self.picker.observe(lambda _: self._draw(), "value")
        super().__init__([w.HTML(f"<b>{t('rc.pick')}</b>"), self.picker, self.refresh_button,
                          self.message, self.tables, self.curves, self.parallel],
                         layout=w.Layout(width="100%"))
        self.add_class("hubml-run-compare")
        self.refresh()

    def refresh(self) -> None:
        runs = list_runs(self.project)
        self._runs = {r["id"]: r for r in runs}
        keep = [r for r in self.picker.value if r in self._runs]
        self.picker.options = [(_label(r), r["id"]) for r in runs]
        self.picker.value = tuple(keep)
        self.message.value = "" if runs else f"<i>{t('rc.none')}</i>"
        self._draw()

    def runs(self) -> list:
        return list(self._runs.values())

    def select(self, run_ids) -> RunCompare:
        ids = [r["id"] if isinstance(r, dict) else getattr(r, "id", r) for r in run_ids]
        missing = [r for r in ids if r not in self._runs]
        if missing:
            self.refresh()
            missing = [r for r in ids if r not in self._runs]
        if missing:
            raise InvalidInput(t("rc.unknown_run", run=missing[0], project=self.project.name),
                               details={"field": "runs"})
        self.picker.value = tuple(ids)
        return self

    @property
    def selected(self) -> list:
        return [self._runs[r] for r in self.picker.value]

    def table(self):
        """Parameters and metrics of the picked runs: one row per name, one column per run."""
        import pandas as pd

        data = {}
        for run in self.selected:
            column = {f"param.{k}": v for k, v in sorted(run["params"].items())}
            column.update({f"metric.{k}": v for k, v in sorted(run["metrics"].items())})
            data[_name(run)] = column
        return pd.DataFrame(data)

    def histories(self) -> dict[str, dict[str, list[tuple[int, float]]]]:
        """{metric: {run label: [(step, value)]}} for metrics logged at more than one step."""
        out: dict = {}
        for run in self.selected:
            for name, points in self.project.run_metrics(run["id"]).items():
                if len(points) > 1:
                    out.setdefault(name, {})[_name(run)] = sorted(
                        (p["step"], p["value"]) for p in points)
        return out

    def _draw(self) -> None:
        import plotly.graph_objects as go

        from ._charts import ChartView

        selected = self.selected
        if not selected:
            self.tables.value = f"<i>{t('rc.pick_two')}</i>" if self._runs else ""
            self.curves.children, self.parallel.children = (), ()
            return
        self.tables.value = _table_html(self.table())
        charts = []
        for name, by_run in sorted(self.histories().items())[:MAX_CURVES]:
            fig = go.Figure(layout={"title": {"text": t("rc.curves", metric=name)},
                                          "height": 300, "width": 460,
                                          "template": "plotly_white",
                                          "xaxis": {"title": "step"},
                                          "margin": {"l": 50, "r": 20, "t": 40, "b": 40}})
            for label, points in by_run.items():
                fig.add_scatter(x=[s for s, _ in points], y=[v for _, v in points],
                                mode="lines", name=label)
            view = ChartView(layout=w.Layout(width="470px", margin="4px"))
            view.show(fig)
            charts.append(view)
        self.curves.children = charts
        records = [{**run["params"], **run["metrics"]} for run in selected]
        metric = next(iter(selected[0]["metrics"]), None)
        fig = parallel_figure(records, color=metric) if len(selected) > 1 else None
        if fig is not None:
            fig.update_layout(title=t("rc.parallel"))
            view = ChartView(layout=w.Layout(width="100%"))
            view.show(fig)
            self.parallel.children = [view]
        else:
            self.parallel.children = []


def _table_html(frame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for name, row in frame.iterrows():
        cells = "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row)
        rows.append(f"<tr><th>{html.escape(str(name))}</th>{cells}</tr>")
    return (f"<table class='hubml-tf-table'><thead><tr><th></th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return f"{value:.4g}" if isinstance(value, float) else str(value)
