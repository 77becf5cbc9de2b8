"""The live view of a running job: progress bar, metric charts per step, tuning trials.

:class:`JobMonitor` polls a :class:`hubml.training.jobs.Job` from a daemon thread (the
kernel's main thread stays free; ipykernel sends widget updates from any thread) and calls
``on_end(job)`` once the job reaches a final state. Charts are plotly figures in
:class:`~hubml.widgets._charts.ChartView` (plotly's MIME bundle in an Output widget: a
``go.FigureWidget`` would carry plotly.js in every widget's first message). ``refresh()``
does one poll, so tests and Voila without threads can drive it too.
"""

from __future__ import annotations

import html
import threading

import ipywidgets as w

from .._charts import ChartView
from .._results import learning_figure
from ._messages import t

__all__ = ["JobMonitor", "total_steps"]

POLL = 0.5          # seconds between polls
_STEP_PARAMS = ("epochs", "max_iter", "n_estimators", "ntrees")


def total_steps(params: dict) -> int | None:
    """How many fit callbacks a job of these hyperparameters makes, when the schema says."""
    for name in _STEP_PARAMS:
        value = params.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 1:
            return int(value)
    return None


class JobMonitor(w.VBox):
    def __init__(self, on_end=None):
        self.job, self.on_end, self._thread = None, on_end, None
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._ended: set[str] = set()
        self.progress = w.FloatProgress(value=0, min=0, max=1, bar_style="info",
                                        layout=w.Layout(width="100%"))
        self.progress.add_class("hubml-tf-progress")
        self.caption = w.HTML("")
        self.caption.add_class("hubml-tf-progress-caption")
        self.chart = ChartView(layout=w.Layout(width="100%"))
        self._drawn = None      # what the chart shows: points per metric
        self.chart_box = w.Box([self.chart], layout=w.Layout(width="100%"))
        self.chart_box.add_class("hubml-tf-live-chart")
        self.trials_table = w.HTML("")
        self.trials_table.add_class("hubml-tf-trials")
        self.parallel = ChartView(layout=w.Layout(width="100%"))
        self.parallel.add_class("hubml-tf-parallel")
        self._trial_count = 0
        self.trials_box = w.VBox([w.HTML(f"<b>{t('tf.trials_title')}</b>"), self.trials_table,
                                  self.parallel],
                                 layout=w.Layout(display="none", width="100%"))
        super().__init__([self.progress, self.caption, self.chart_box, self.trials_box],
                         layout=w.Layout(width="100%", display="none"))
        self.add_class("hubml-tf-live")

    # -- following a job ------------------------------------------------------------------
    def follow(self, job, total: int | None = None, thread: bool = True) -> None:
        self.stop()
        self.job, self.total = job, total
        self._stop = threading.Event()
        self.layout.display = None
        self.progress.value, self.progress.bar_style = 0, "info"
        self._drawn = None
        self.chart.show(None)
        self.parallel.show(None)
        self.trials_box.layout.display = "none"
        self._trial_count = 0
        self.refresh()
        if thread and job.state not in ("succeeded", "failed", "cancelled"):
            self._thread = threading.Thread(target=self._poll, args=(job, self._stop),
                                            name=f"hubml-form-{job.id}", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _poll(self, job, stop: threading.Event) -> None:
        while not stop.wait(POLL):
            try:
                if self.refresh(job) in ("succeeded", "failed", "cancelled"):
                    return
            except Exception as exc:   # never let a poll die silently: say it in the view
                self.caption.value = f"<span class='hubml-tf-error'>{html.escape(str(exc))}"\
                                     "</span>"
                return

    def wait(self, timeout: float | None = None) -> None:
        """Until the polling thread has seen the job end (for scripts and tests)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def refresh(self, job=None) -> str:
        """One poll: progress, charts, trials; ``on_end`` once at the end. Returns the state."""
        job = job or self.job
        with self._lock:
            status = job.status
            state = status.get("state", "queued")
            metrics = job.metrics()
            trials = self._trials(job)
            self._draw(metrics, trials)
            self._progress(state, status, metrics)
            if state in ("succeeded", "failed", "cancelled") and job.id not in self._ended:
                self._ended.add(job.id)
                end = True
            else:
                end = False
        if end and self.on_end is not None:
            self.on_end(job)
        return state

    def _progress(self, state: str, status: dict, metrics: dict) -> None:
        steps = max((points[-1][0] for points in metrics.values() if points), default=0)
        total = self.total
        if state == "succeeded":
            self.progress.value, self.progress.bar_style = 1, "success"
        elif state in ("failed", "cancelled"):
            self.progress.bar_style = "danger" if state == "failed" else "warning"
        elif total:
            self.progress.value = min(1.0, steps / total)
        elif state == "running":   # unknown length: show that it moves
            self.progress.value = (self.progress.value + 0.1) % 1.0
        done = t("tf.progress", done=steps, total=total or "?") if steps else ""
        key = {"queued": "tf.queued", "running": "tf.running", "succeeded": "tf.succeeded",
               "failed": "tf.failed", "cancelled": "tf.cancelled"}[state]
        model = status.get("model") or {}
        text = t(key, job=self.job.id, position=status.get("queue_position") or "?",
                 error=status.get("error") or "", model=model.get("name", "?"),
                 version=model.get("version", "?"))
        self.caption.value = f"{html.escape(text)}{' · ' + done if done else ''}"

    def _draw(self, metrics: dict, trials: list) -> None:
        """The metrics per step; while a search runs (no final fit yet), each trial's
        intermediate values. Redrawn only when a point was added."""
        curves = metrics or {f"trial {r.get('number')}": [tuple(p) for p in r["intermediate"]]
                             for r in trials if r.get("intermediate")}
        drawn = {name: len(points) for name, points in curves.items()}
        if drawn == self._drawn:
            return
        self._drawn = drawn
        self.chart.show(learning_figure(curves, title=t("tf.live")) if curves else None)

    # -- tuning ---------------------------------------------------------------------------
    def _trials(self, job) -> list:
        trials = getattr(job, "trials", None)
        try:
            rows = trials() if trials is not None else []
        except Exception:   # the study is being written; the next poll reads it
            return []
        if not rows:
            return []
        self.trials_box.layout.display = None
        if len(rows) != self._trial_count:
            self._trial_count = len(rows)
            self.trials_table.value = trials_html(rows)
            self.parallel.show(trials_parallel(rows))
        return rows


def _trial_params(row: dict) -> dict:
    return row.get("params") or {}


def trials_html(rows: list[dict]) -> str:
    names = sorted({k for r in rows for k in _trial_params(r)})
    head = "".join(f"<th>{html.escape(n)}</th>" for n in ["#", "state", "value", *names])
    body = []
    for r in rows:
        value = r.get("value")
        cells = [r.get("number", ""), r.get("state", ""),
                 "" if value is None else f"{value:.4g}",
                 *(_fmt(_trial_params(r).get(n)) for n in names)]
        body.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
    return (f"<table class='hubml-tf-table'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def trials_parallel(rows: list[dict]):
    """A parallel-coordinates figure of the trials' parameters and their value."""
    from ..run_compare import parallel_figure

    records = [{**_trial_params(r), "value": r.get("value")} for r in rows
               if r.get("value") is not None]
    return parallel_figure(records, color="value") if records else None


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return "" if value is None else str(value)
