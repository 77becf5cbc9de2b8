"""The result page of a finished job: metric table, charts for its task type, and Register.

Charts come from :mod:`hubml.widgets._results` (the evaluation report to plotly figures).
Register works on what the job registered: it gives the version an alias, copies it under
another name when the name differs, and builds the chosen export formats.
"""

from __future__ import annotations

import html

import ipywidgets as w

from .. import _results
from ._messages import t

__all__ = ["ResultPage", "metrics_html", "register_version"]


def metrics_html(report: dict) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(name)}</td><td class='hubml-tf-num'>"
        f"{'' if value is None else f'{value:.4g}' if isinstance(value, float) else value}"
        f"</td></tr>" for name, value in _results.metric_rows(report))
    skipped = report.get("skipped") or {}
    note = (f"<div class='hubml-tf-hint'>{html.escape(t('tf.skipped', names=', '.join(skipped)))}"
            "</div>") if skipped else ""
    return (f"<table class='hubml-tf-table hubml-tf-metrics'><thead><tr>"
            f"<th>{t('tf.metric_col')}</th><th>{t('tf.value_col')}</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>{note}")


def register_version(job, name: str | None = None, alias: str | None = None,
                     formats=()) -> tuple:
    """(ModelVersion, [export files]) of ``job``'s model under ``name`` with ``alias``."""
    from ...workspace.model_exports import export_file
    from ...workspace.names import check_name

    version = job.model()
    if version is None:
        from ...errors import Conflict

        raise Conflict(t("tf.register_needs_job"), details={"field": "register"})
    project = job.project
    if name and name != version.name:
        check_name("model", name)
        version = _copy_version(project, version, name)
    if alias:
        project.model(version.name).set_alias(alias, version.version)
    files = [export_file(project, version.name, version.version, fmt) for fmt in formats]
    return version, files


def _copy_version(project, version, name: str):
    """The same logged model registered under ``name`` too (tags and lineage kept)."""
    from ...workspace.model_register import _claim_name, _client
    from ...workspace.models import ModelVersion
    from ...workspace.runs import tracking
    from ...workspace.store import PROJECT_TAG, project_id, store_errors

    info = version.info
    with tracking(project), store_errors(f"model {name!r}"):
        _claim_name(project, name)
        client = _client(project)
        copied = client.copy_model_version(f"models:/{version.name}/{version.version}", name)
        client.set_registered_model_tag(name, PROJECT_TAG, project_id(project))
        for key, value in (info.tags or {}).items():
            client.set_model_version_tag(name, copied.version, key, value)
        if info.description:
            client.update_model_version(name, copied.version, info.description)
    return ModelVersion(project, name, int(copied.version))


class ResultPage(w.VBox):
    """Empty until :meth:`show` gets a finished job."""

    def __init__(self):
        self.job, self.figures = None, []
        self.title = w.HTML("")
        self.table = w.HTML("")
        self.table.add_class("hubml-tf-metric-table")
        self.charts = w.Box([], layout=w.Layout(flex_flow="row wrap", width="100%"))
        self.charts.add_class("hubml-tf-charts")
        self.name = w.Text(description=t("tf.register_name"), layout=w.Layout(width="260px"))
        self.alias = w.Text(description=t("tf.alias"), placeholder="production",
                            layout=w.Layout(width="220px"))
        self.formats = w.SelectMultiple(options=[], rows=3, description=t("tf.formats"),
                                        layout=w.Layout(width="280px"))
        for box in (self.name, self.alias, self.formats):
            box.style.description_width = "90px"
        self.register_button = w.Button(description=t("tf.register"), icon="tag",
                                        button_style="primary")
        self.register_button.add_class("hubml-tf-register")
        self.registered = w.HTML("")
        self.registered.add_class("hubml-tf-registered")
        self.register_button.on_click(lambda _: self._register_clicked())
        self.register_box = w.VBox([
            w.HTML(f"<b>{t('tf.register')}</b>"),
            w.HBox([self.name, self.alias, self.formats, self.register_button],
                   layout=w.Layout(flex_flow="row wrap", align_items="flex-start")),
            self.registered])
        self.register_box.add_class("hubml-tf-register-box")
        super().__init__([self.title, w.HBox([self.table], layout=w.Layout(width="100%")),
                          self.charts, self.register_box],
                         layout=w.Layout(display="none", width="100%"))
        self.add_class("hubml-tf-results")

    def show(self, job, projection=None) -> None:
        from ...workspace.model_exports import export_formats
        from .._charts import ChartView

        self.job = job
        report = job.evaluation()
        if report is None:
            self.layout.display = "none"
            return
        part = report.get("evaluated_on", "?")
        self.title.value = f"<h3>{html.escape(t('tf.results', part=part))}</h3>"
        self.table.value = metrics_html(report)
        self.figures = _results.report_figures(report, curves=job.metrics(),
                                               projection=projection)
        boxes = []
        for _title, fig in self.figures:
            view = ChartView(layout=w.Layout(width="430px", margin="4px"))
            view.show(fig)
            view.add_class("hubml-tf-chart")
            boxes.append(view)
        self.charts.children = boxes
        version = job.model()
        if version is not None:
            self.name.value = version.name
            spec = job.spec
            self.formats.options = export_formats(spec.framework, spec.algorithm)
            self._show_version(version)
        self.layout.display = None

    def _show_version(self, version) -> None:
        aliases = version.to_json().get("aliases") or []
        suffix = f" ({', '.join(aliases)})" if aliases else ""
        self.registered.value = html.escape(t("tf.registered", name=version.name,
                                              version=version.version, aliases=suffix))

    def register(self, name: str | None = None, alias: str | None = None, formats=None):
        if name is not None:
            self.name.value = name
        if alias is not None:
            self.alias.value = alias
        if formats is not None:
            self.formats.value = tuple(formats)
        version, files = register_version(self.job, self.name.value.strip() or None,
                                          self.alias.value.strip() or None,
                                          tuple(self.formats.value))
        self._show_version(version)
        if files:
            self.registered.value += "<br>" + "<br>".join(
                html.escape(t("tf.exported", format=fmt, file=f.filename))
                for fmt, f in zip(self.formats.value, files, strict=True))
        return version

    def _register_clicked(self) -> None:
        from ...errors import HubMLError

        try:
            self.register()
        except HubMLError as exc:
            self.registered.value = f"<span class='hubml-tf-error'>{html.escape(exc.message)}"\
                                    "</span>"
