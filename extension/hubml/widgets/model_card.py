"""``ModelCard(project, model, version=None, alias=None)``: one model version on one page.

Description, framework and algorithm, lineage (dataset versions, recipe, run), the metric table
and the evaluation charts of its task type, export formats as download links and a live
prediction form made from the model's signature. It works the same in a notebook and as a
Voila dashboard (hubml/dashboards/model_card.ipynb), and for a model registered from a user's
own code: without an evaluation report the run's metrics and params are shown instead.
"""

from __future__ import annotations

import datetime as _dt
import html
from urllib.parse import quote

import ipywidgets as W
from traitlets import Int, Unicode

from ._card_charts import figures
from ._card_facts import gather
from ._card_messages import msg
from ._card_style import CSS
from ._charts import ChartView
from ._predict_form import PredictForm

__all__ = ["ModelCard", "export_url"]

_FORMAT_HINTS = {
    "joblib": "scikit-learn, joblib.load", "pickle": "Python pickle", "onnx": "ONNX Runtime",
    "mlflow": "MLflow model folder (zip)", "savedmodel": "TensorFlow SavedModel (zip)",
    "keras": "Keras .keras file", "torchscript": "TorchScript, torch.jit.load",
    "state_dict": "PyTorch state_dict", "mojo": "H2O MOJO",
}


def export_url(base_url: str, project: str, model: str, version: int, fmt: str) -> str:
    """The REST export route of the version, under the server's base URL."""
    base = base_url if base_url.endswith("/") else base_url + "/"
    parts = ["hubml/api/projects", quote(project, safe=""), "models", quote(model, safe=""),
             "versions", str(version), "export", quote(fmt, safe="")]
    return base + "/".join(parts)


def _default_base_url() -> str:
    import os

    return os.environ.get("JUPYTERHUB_SERVICE_PREFIX") or "/"


def _fmt(value) -> str:
    if isinstance(value, bool) or value is None:
        return html.escape(str(value))
    if isinstance(value, float):
        return f"{value:.4g}"
    return html.escape(str(value))


def _table(rows, head: tuple[str, str], cls: str) -> str:
    body = "".join(f"<tr><td>{html.escape(str(k))}</td><td class='hubml-num'>{_fmt(v)}</td></tr>"
                   for k, v in rows)
    return (f"<div class='hubml-table-wrap'><table class='hubml-table {cls}'><thead><tr>"
            f"<th>{html.escape(head[0])}</th><th>{html.escape(head[1])}</th></tr></thead>"
            f"<tbody>{body}</tbody></table></div>")


def _section(title: str, child, cls: str):
    heading = W.HTML(f"<h3 class='hubml-card-h3'>{html.escape(title)}</h3>")
    box = W.VBox([heading, child], layout=W.Layout(width="100%"))
    box.add_class("hubml-card-section")
    box.add_class(cls)
    return box


class ModelCard(W.VBox):
    """A model version's card. ``project`` is a Project or its name; ``version`` a number,
    ``alias`` a name (default: the latest version). Unknown ones raise hubml.errors.NotFound."""

    project_name = Unicode(help="The project the model belongs to.")
    model_name = Unicode(help="The registered model's name.")
    version = Int(help="The model version shown (resolved from version= or alias=).")
    theme = Unicode("light", help="'light' or 'dark': the charts' colours.")
    base_url = Unicode(help="The Jupyter server's base URL, for the export download links "
                            "(default: $JUPYTERHUB_SERVICE_PREFIX or '/').")

    def __init__(self, project, model: str, version=None, alias: str | None = None, *,
                 theme: str = "light", base_url: str | None = None, facts=None,
                 model_version=None, chart_figures=None, **kwargs):
        # facts / model_version / chart_figures: gathered beforehand (a dashboard does that
        # work in a thread while its header shows, see hubml.dashboards._soon)
        super().__init__(**kwargs)
        if isinstance(project, str):
            from ..workspace.projects import project as open_project

            project = open_project(project)
        self.project = project
        self.model_version = model_version or project.model(model).version(version, alias)
        self.facts = facts or gather(project, model, model_version=self.model_version)
        self._figures = chart_figures
        self.project_name, self.model_name = project.name, self.facts.name
        self.version, self.theme = self.facts.version, theme
        self.base_url = base_url if base_url is not None else _default_base_url()
        self.add_class("hubml-card")
        self.layout = W.Layout(width="100%", max_width="1100px")
        self.charts = self._charts()
        self.form = PredictForm(self.model_version, self.facts.columns) \
            if self.facts.columns else None
        predict = self.form if self.form is not None else W.HTML(
            f"<p class='hubml-muted'>{html.escape(msg('predict.no_signature', name=model))}</p>")
        self.children = [
            W.HTML(CSS), self._header(),
            _section(msg("card.section.metrics"), W.HTML(self._metrics()), "hubml-card-metrics"),
            _section(msg("card.section.predict"), predict, "hubml-card-predict"),
            _section(msg("card.section.charts"), self.charts, "hubml-card-charts"),
            _section(msg("card.section.lineage"), W.HTML(self._lineage()), "hubml-card-lineage"),
            _section(msg("card.section.exports"), W.HTML(self._exports()), "hubml-card-exports"),
            _section(msg("card.section.params"), W.HTML(self._params()), "hubml-card-params"),
        ]

    # -- parts ------------------------------------------------------------------------------
    def _header(self):
        f, body = self.facts, self.facts.body
        aliases = "".join(f"<span class='hubml-chip'>{html.escape(a)}</span>"
                          for a in body.get("aliases") or [])
        created = body.get("created")
        when = _dt.datetime.fromtimestamp(created / 1000, _dt.timezone.utc).strftime(
            "%Y-%m-%d %H:%M UTC") if created else msg("card.unknown")
        facts = [(msg("card.framework"), body.get("framework")),
                 (msg("card.algorithm"), body.get("algorithm")),
                 (msg("card.task"), f.task), (msg("card.created"), when)]
        items = "".join(f"<div class='hubml-fact'><span>{html.escape(k)}</span>"
                        f"<strong>{html.escape(str(v or msg('card.unknown')))}</strong></div>"
                        for k, v in facts)
        description = body.get("description") or msg("card.no_description")
        return W.HTML(
            f"<div class='hubml-card-header'><h2 class='hubml-card-title'>"
            f"{html.escape(f.name)}</h2><span class='hubml-card-version'>"
            f"{html.escape(msg('card.version', version=f.version))}</span>{aliases}"
            f"<span class='hubml-card-project'>{html.escape(f.project)}</span></div>"
            f"<p class='hubml-card-description'>{html.escape(description)}</p>"
            f"<div class='hubml-facts'>{items}</div>")

    def _metrics(self) -> str:
        f = self.facts
        if f.evaluation and f.evaluation.get("metrics"):
            rows = [(k, v) for k, v in f.evaluation["metrics"].items() if v is not None]
            part = f.evaluation.get("evaluated_on")
            note = msg("card.metrics.evaluated_on", part=part,
                       rows=f.evaluation.get("n_samples", 0)) if part else ""
        elif f.metrics:
            rows, note = sorted(f.metrics.items()), msg("card.metrics.from_run")
        else:
            return f"<p class='hubml-muted'>{html.escape(msg('card.metrics.none'))}</p>"
        items = "".join(f"<div class='hubml-metric'><span>{html.escape(str(k))}</span>"
                        f"<strong>{_fmt(v)}</strong></div>" for k, v in rows)
        return (f"<div class='hubml-metrics-table'>{items}</div>" +
                (f"<p class='hubml-muted'>{html.escape(note)}</p>" if note else ""))

    def _charts(self):
        # plotly's MIME bundle in an Output (ChartView), not go.FigureWidget: a FigureWidget
        # carries plotly.js (~5 MB) in its first message. The MIME renderer draws the figure
        # responsive (no fixed width in the layout), fitted to its box.
        made = self._figures if self._figures is not None else \
            figures(self.facts.evaluation, self.theme)
        if not made:
            return W.HTML(f"<p class='hubml-muted'>{html.escape(msg('card.charts.none'))}</p>")
        views = []
        for key, fig in made:
            view = ChartView(layout=W.Layout(width="100%", min_width="0"))
            view.show(fig)
            view.add_class("hubml-chart")
            view.add_class(f"hubml-chart-{key}")
            views.append(view)
        grid = W.GridBox(views, layout=W.Layout(
            width="100%", grid_gap="12px",
            grid_template_columns="repeat(auto-fill, minmax(min(100%, 420px), 1fr))"))
        grid.add_class("hubml-charts")
        return W.VBox([grid], layout=W.Layout(width="100%"))

    def _lineage(self) -> str:
        f, lineage = self.facts, self.facts.body["lineage"]
        items = []
        for d in f.datasets:
            label = html.escape(msg("card.lineage.dataset", dataset=d["dataset"],
                                    version=d["version"]))
            extra = msg("card.lineage.deleted") if d["missing"] else \
                msg("card.lineage.rows", rows=d["rows"] or 0)
            items.append(f"<li><strong>{label}</strong> <span class='hubml-muted'>"
                         f"{html.escape(extra)}</span></li>")
        datasets = f"<ul>{''.join(items)}</ul>" if items else \
            f"<p class='hubml-muted'>{html.escape(msg('card.lineage.none'))}</p>"
        recipe = lineage.get("recipe")
        steps = recipe.get("steps", []) if isinstance(recipe, dict) else recipe or []
        names = [str(s.get("step", "?")) if isinstance(s, dict) else str(s) for s in steps]
        recipe_text = " → ".join(names) if names else msg("card.lineage.no_recipe")
        run = lineage.get("run_id") or ""
        run_text = f"{f.run_name} ({run[:8]})" if f.run_name else (run[:8] or msg("card.unknown"))
        return (f"<div class='hubml-lineage'><div><span class='hubml-muted'>"
                f"{html.escape(msg('card.lineage.datasets'))}</span>{datasets}</div>"
                f"<div><span class='hubml-muted'>{html.escape(msg('card.lineage.recipe'))}"
                f"</span> <span class='hubml-recipe'>{html.escape(recipe_text)}</span></div>"
                f"<div><span class='hubml-muted'>{html.escape(msg('card.lineage.run'))}</span> "
                f"<code>{html.escape(run_text)}</code></div></div>")

    def _exports(self) -> str:
        f = self.facts
        if not f.formats:
            return f"<p class='hubml-muted'>{html.escape(msg('card.exports.none'))}</p>"
        links = "".join(
            f"<a class='hubml-export' href='{html.escape(self.export_url(fmt))}' download "
            f"title='{html.escape(_FORMAT_HINTS.get(fmt, fmt))}' data-format='{html.escape(fmt)}'>"
            f"{html.escape(fmt)}</a>" for fmt in f.formats)
        return (f"<p class='hubml-muted'>{html.escape(msg('card.exports.hint'))}</p>"
                f"<div class='hubml-exports'>{links}</div>")

    def _params(self) -> str:
        if not self.facts.params:
            return f"<p class='hubml-muted'>{html.escape(msg('card.unknown'))}</p>"
        return _table(sorted(self.facts.params.items()),
                      (msg("card.params.name"), msg("card.metrics.value")), "hubml-params-table")

    def export_url(self, fmt: str) -> str:
        return export_url(self.base_url, self.project_name, self.model_name, self.version, fmt)
