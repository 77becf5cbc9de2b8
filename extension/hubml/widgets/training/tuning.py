"""Tuning settings of the training form: sampler, pruner, trial budget, metric, direction.

Shown once a hyperparameter's "search" toggle is on; ``value`` is the ``tuning`` part of a
TrainingSpec apart from the search space, which the hyperparameter fields give.
"""

from __future__ import annotations

import ipywidgets as w

from ._messages import t
from .fields import Marked, parse_number

__all__ = ["DIRECTIONS", "METRICS", "TuningBox"]

try:    # the spec's own lists, where this hubml has tuning (hubml.training.tuning)
    from ...training.tuning import DEFAULT_METRIC, METRICS, MINIMIZE, PRUNERS, SAMPLERS
except ImportError:
    SAMPLERS, PRUNERS = ("tpe", "random", "grid"), ("median", "none")
    METRICS = {"binary": ("accuracy", "roc_auc", "f1_macro", "log_loss"),
               "multiclass": ("accuracy", "f1_macro", "log_loss"),
               "regression": ("r2", "rmse", "mae"), "clustering": ("silhouette",)}
    DEFAULT_METRIC = {task: names[0] for task, names in METRICS.items()}
    MINIMIZE = {"log_loss", "mae", "mse", "rmse", "davies_bouldin"}
DIRECTIONS = ("maximize", "minimize")


def direction_of(metric: str) -> str:
    return "minimize" if metric in MINIMIZE else "maximize"


class TuningBox(w.VBox):
    def __init__(self, supported: bool):
        self.supported = supported
        full = w.Layout(width="100%")
        self.sampler = w.Dropdown(options=SAMPLERS, value="tpe", layout=full)
        self.pruner = w.Dropdown(options=PRUNERS, value="median", layout=full)
        self.n_trials = w.Text(value="20", layout=full, continuous_update=False)
        self.timeout = w.Text(value="", placeholder="none", layout=full,
                              continuous_update=False)
        self.metric = w.Dropdown(options=tuple(METRICS["multiclass"]), layout=full)
        self.direction = w.Dropdown(options=DIRECTIONS, layout=full)
        self.metric.observe(lambda c: setattr(self.direction, "value",
                                              direction_of(c["new"] or "")), "value")
        self.fields = {f"tuning.{name}": Marked(t(f"tf.{label}"), widget, f"tuning.{name}")
                       for name, label, widget in (
                           ("sampler", "sampler", self.sampler),
                           ("pruner", "pruner", self.pruner),
                           ("n_trials", "trials", self.n_trials),
                           ("timeout", "timeout", self.timeout),
                           ("metric", "metric", self.metric),
                           ("direction", "direction", self.direction))}
        self.note = w.HTML("")
        grid = w.GridBox(list(self.fields.values()), layout=w.Layout(
            grid_template_columns="repeat(2, minmax(0, 1fr))", grid_gap="0 8px", width="100%"))
        self.fields["tuning"] = Marked(t("tf.tuning"), w.VBox([self.note, grid]), "tuning",
                                       t("tf.tuning_hint"))
        super().__init__([self.fields["tuning"]], layout=w.Layout(width="100%",
                                                                  display="none"))
        self.add_class("hubml-tf-tuning")

    def show(self, active: bool, task: str | None) -> None:
        self.layout.display = None if active else "none"
        options = tuple(METRICS.get(task or "", METRICS["multiclass"]))
        if tuple(self.metric.options) != options:
            keep = self.metric.value
            self.metric.options = options
            self.metric.value = keep if keep in options else DEFAULT_METRIC.get(
                task or "", options[0])
        self.note.value = "" if self.supported else \
            f"<span class='hubml-tf-hint'>{t('tf.tuning_unsupported')}</span>"

    def problems(self) -> dict[str, str]:
        out = {}
        if not self.supported:
            out["tuning"] = t("tf.tuning_unsupported")
        for name, integer in (("n_trials", True), ("timeout", False)):
            box = getattr(self, name)
            text = box.value.strip()
            if not text and name == "timeout":
                continue
            try:
                value = parse_number(text, integer)
            except ValueError as exc:
                out[f"tuning.{name}"] = str(exc)
                continue
            if value <= 0:
                out[f"tuning.{name}"] = t("field.xmin", value=value, low=0)
        return out

    @property
    def value(self) -> dict:
        timeout = self.timeout.value.strip()
        return {"sampler": self.sampler.value, "pruner": self.pruner.value,
                "n_trials": parse_number(self.n_trials.value, True),
                "timeout": parse_number(timeout, False) if timeout else None,
                "metric": self.metric.value, "direction": self.direction.value}

    @value.setter
    def value(self, tuning: dict | None) -> None:
        tuning = tuning or {}
        for name in ("sampler", "pruner", "metric", "direction"):
            if tuning.get(name) is not None:
                getattr(self, name).value = tuning[name]
        if tuning.get("n_trials") is not None:
            self.n_trials.value = str(tuning["n_trials"])
        if "timeout" in tuning:
            self.timeout.value = "" if tuning["timeout"] is None else str(tuning["timeout"])
