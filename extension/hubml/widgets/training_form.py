"""``hubml.widgets.TrainingForm(project, dataset=None, spec=None)``: a TrainingSpec as a form.

The form, ``spec.to_script()`` and the REST jobs API are three views of one
:class:`hubml.TrainingSpec`: the form builds one (:meth:`TrainingForm.spec`) and runs it with
``project.train(spec)``. Four columns (wrapping on a narrow screen): task and data, basic
parameters, hyperparameters from the algorithm's JSON Schema (each with a "search" toggle for
tuning), custom parameters. Every button calls a method that Python code can call too::

    form = hubml.widgets.TrainingForm(p, dataset="iris")
    form.set(framework="sklearn", algorithm="sklearn.random_forest", target="species",
             params={"n_estimators": 20})
    job = form.train()          # marks invalid fields and raises InvalidInput instead
    form.wait()                 # the live view follows the job; then the result page
    form.register(alias="production")
"""

from __future__ import annotations

import base64
import dataclasses
import html
import json

import ipywidgets as w

from ..errors import HubMLError, InvalidInput
from .training._messages import t
from .training.columns import CustomParams, DataColumn
from .training.fields import Marked, ParamField, parse_number
from .training.live import JobMonitor, total_steps
from .training.results import ResultPage
from .training.setting import SPEC_FIELDS, apply_values
from .training.tuning import TuningBox

__all__ = ["BASIC", "TrainingForm"]

# hyperparameters shown in column 2 as basic parameters (the rest go to column 3)
BASIC = ("epochs", "batch_size", "optimizer", "learning_rate", "early_stopping", "patience",
         "class_weight", "random_state", "seed")
_CSS = """<style>
.hubml-training-form .widget-inline-hbox,.hubml-training-form .widget-select-multiple,
.hubml-training-form .widget-text,.hubml-training-form .widget-dropdown{
 max-width:calc(100% - 4px)}
.hubml-training-form .widget-html>.widget-html-content{height:auto;line-height:1.35;
 min-height:0}
.hubml-tf-field .widget-html{margin-top:1px;margin-bottom:1px}
.hubml-tf-error span{color:#c62828;font-size:12px}
.hubml-tf-invalid select,.hubml-tf-invalid input,.hubml-tf-invalid textarea{
 border-color:#c62828!important;background:#fff5f5}
.hubml-tf-hint{color:#666;font-size:11px;line-height:1.25}
.hubml-tf-column{border:1px solid #ddd;border-radius:6px;padding:6px 10px;margin:4px;
 background:var(--jp-layout-color0,#fff)}
.hubml-tf-table{border-collapse:collapse;font-size:12px}
.hubml-tf-table td,.hubml-tf-table th{border-bottom:1px solid #e0e0e0;padding:2px 8px;
 text-align:left}
.hubml-tf-num{text-align:right!important;font-variant-numeric:tabular-nums}
.hubml-tf-message-error{color:#c62828}
</style>"""
def _column(title: str, children) -> w.VBox:
    box = w.VBox([w.HTML(f"<h4 style='margin:4px 0'>{html.escape(title)}</h4>"), *children],
                 layout=w.Layout(flex="1 1 270px", min_width="250px", max_width="520px"))
    box.add_class("hubml-tf-column")
    return box


class TrainingForm(w.VBox):
    def __init__(self, project, dataset=None, spec=None):
        from .. import frameworks
        from ..training.spec import TrainingSpec

        self.project, self.job = project, None
        self._spec_fields = {f.name for f in dataclasses.fields(TrainingSpec)}
        self._has_tuning = "tuning" in self._spec_fields
        self.params: dict[str, ParamField] = {}
        self._roles: dict[str, str] = {}     # hyperparameter -> its basic role
        self.fields: dict[str, Marked] = {}
        self.split_seed = w.Text(value="0", layout=w.Layout(width="100%"))
        self.model_name = w.Text(layout=w.Layout(width="100%"))
        scripted = "script" in self._spec_fields
        self.script = w.Text(disabled=not scripted, layout=w.Layout(width="100%"),
                             placeholder="scripts/model.py" if scripted
                             else t("tf.script_unsupported"), continuous_update=False)
        self.basic_box, self.hyper_box = w.VBox([]), w.VBox([])
        self.tuning = TuningBox(self._has_tuning)
        self.custom = CustomParams()
        self.data = DataColumn(project, frameworks.available(), self._algorithm_changed)
        self.fields = {
            **self.data.fields,
            "random_state": Marked(t("tf.split_seed"), self.split_seed, "random_state",
                                   t("tf.split_seed_hint")),
            "model_name": Marked(t("tf.model_name"), self.model_name, "model_name",
                                 t("tf.model_name_hint")),
            "script": Marked(t("tf.script"), self.script, "script", t("tf.script_hint")),
            "custom_params": self.custom.field, **self.tuning.fields}
        columns = w.HBox([
            _column(t("tf.col.data"), [self.data]),
            _column(t("tf.col.basic"), [self.basic_box, self.fields["random_state"],
                                        self.fields["model_name"], self.fields["script"]]),
            _column(t("tf.col.hyper"), [self.hyper_box, self.tuning]),
            _column(t("tf.col.custom"), [self.custom])],
            layout=w.Layout(flex_flow="row wrap", width="100%", align_items="flex-start"))
        columns.add_class("hubml-tf-columns")
        self.buttons = {key: w.Button(description=t(f"tf.{key}"), icon=icon, button_style=style)
                        for key, icon, style in (("train", "play", "success"),
                                                 ("cancel", "stop", "danger"),
                                                 ("export", "code", ""), ("save", "save", ""),
                                                 ("load", "folder-open", ""))}
        self.buttons["cancel"].disabled = True
        for key, button in self.buttons.items():
            button.add_class(f"hubml-tf-{key}")
            button.on_click(lambda _, key=key: self._clicked(key))
        self.spec_name = w.Combobox(placeholder=t("tf.spec_name"), ensure_option=False,
                                    layout=w.Layout(width="200px"))
        self.spec_name.add_class("hubml-tf-spec-name")
        self.message = w.HTML("")
        self.message.add_class("hubml-tf-message")
        self.output = w.VBox([], layout=w.Layout(width="100%"))
        self.monitor = JobMonitor(on_end=self._job_ended)
        self.results = ResultPage()
        bar = w.HBox([*self.buttons.values(), self.spec_name],
                     layout=w.Layout(flex_flow="row wrap", align_items="center"))
        super().__init__([w.HTML(_CSS), columns, bar, self.message, self.output, self.monitor,
                          self.results], layout=w.Layout(width="100%"))
        self.add_class("hubml-training-form")
        self._refresh_specs()
        self.data._framework_changed()      # fills algorithms, tasks, hyperparameter fields
        if dataset is not None:
            self.set(dataset=getattr(dataset, "name", dataset))
            if getattr(dataset, "version", None) is not None:
                self.set(dataset_version=dataset.version)
            self.data.default_target()
        elif self.data.dataset.options:
            self.data.dataset.value = self.data.dataset.options[0]
            self.data.default_target()
        if spec is not None:
            self.load_spec(spec)

    # -- hyperparameter fields ------------------------------------------------------------
    def _algorithm_changed(self, info) -> None:
        schema = (info or {}).get("hyperparameters") or {}
        self.params = {name: ParamField(name, prop)
                       for name, prop in (schema.get("properties") or {}).items()}
        roles = (info or {}).get("basic")
        self._roles = ({name: role for role, name in roles.items()} if roles is not None
                       else {n: n for n in self.params if n in BASIC})
        for name, role in self._roles.items():
            if role != name and name in self.params:
                self.params[name].label.value = f"<b>{html.escape(role)}</b> ({name})"
        basic = [f for n, f in self.params.items() if n in self._roles]
        hyper = [f for n, f in self.params.items() if n not in self._roles]
        self.basic_box.children = basic or [w.HTML(f"<i>{t('tf.no_basic')}</i>")]
        self.hyper_box.children = hyper or [w.HTML(f"<i>{t('tf.no_hyper')}</i>")]
        for field in self.params.values():
            field.toggle.observe(lambda _: self._search_changed(), "value")
        self.fields = {k: v for k, v in self.fields.items() if not k.startswith("params.")}
        self.fields.update({f.field: f for f in self.params.values()})
        self._search_changed()

    def _search_changed(self) -> None:
        self.tuning.show(any(f.toggle.value for f in self.params.values()),
                         self.data.task.value)

    # -- setting and reading ----------------------------------------------------------------
    def set(self, **values) -> TrainingForm:
        """Set fields by their TrainingSpec names (plus ``search={param: range}``); a value
        the form cannot take is marked at its field and raises InvalidInput."""
        try:
            return apply_values(self, values)
        except InvalidInput as exc:
            self._mark({exc.details.get("field") or "spec": exc.message})
            raise

    def problems(self) -> dict[str, str]:
        """Every problem the form finds by itself (types, schema bounds), by field."""
        out = {}
        for field in self.params.values():
            if (message := field.check()):
                out[field.field] = message
        try:
            self._seed()
        except ValueError as exc:
            out["random_state"] = str(exc)
        try:
            self.custom.value  # noqa: B018 - parses the rows
        except ValueError as exc:
            out["custom_params"] = str(exc)
        if any(f.toggle.value for f in self.params.values()):
            out.update(self.tuning.problems())
        return out

    def _seed(self):
        text = self.split_seed.value.strip()
        return None if not text else parse_number(text, integer=True)

    def spec(self):
        """The TrainingSpec the form shows; InvalidInput names the first bad field."""
        from ..training.spec import TrainingSpec

        problems = self.problems()
        if problems:
            field, message = next(iter(problems.items()))
            raise InvalidInput(message, details={"field": field})
        d = self.data
        data = {"framework": d.framework.value, "algorithm": d.algorithm.value,
                "task": d.task.value, "dataset": d.dataset.value,
                "dataset_version": d.version.value or None, "target": d.target.value,
                "features": list(d.features.value) or None,
                "validation": round(float(d.validation.value), 6),
                "test": round(float(d.test.value), 6),
                "params": {n: f.value for n, f in self.params.items()},
                "split_column": d.split_column.value,
                "datasets": {part: box.value for part, box in d.part_datasets.items()
                             if box.value is not None} or None,
                "script": self.script.value.strip() or None,
                "custom_params": self.custom.value, "random_state": self._seed(),
                "model_name": self.model_name.value.strip() or None,
                "run_name": d.run_name.value.strip() or None}
        if "basic" in self._spec_fields:     # basic parameters by their role
            data["basic"] = {self._roles[n]: data["params"].pop(n) for n in list(data["params"])
                             if n in self._roles}
        data = {k: v for k, v in data.items() if k in self._spec_fields}
        search = {n: f.search for n, f in self.params.items() if f.toggle.value}
        if search:
            data["tuning"] = {"search_space": search, **self.tuning.value}
        if data["dataset"] is None:
            raise InvalidInput(t("tf.no_dataset"), details={"field": "dataset"})
        return TrainingSpec(**data)

    # -- marking fields ---------------------------------------------------------------------
    def errors(self) -> dict[str, str]:
        """The messages marked at fields now, by field."""
        return {name: f.message for name, f in self.fields.items() if f.message}

    def _mark(self, problems: dict[str, str]) -> None:
        # the spec names a search range tuning.search_space.<name>: that is the param's field
        by_role = {f"basic.{role}": f"params.{name}" for name, role in self._roles.items()}
        problems = {f"params.{k.rsplit('.', 1)[1]}" if k.startswith("tuning.search_space.")
                    else by_role.get(k, k): v for k, v in problems.items()}
        for name, field in self.fields.items():
            field.mark(problems.get(name))
        unplaced = {k: v for k, v in problems.items() if k not in self.fields}
        if problems:
            text = t("tf.invalid", count=len(problems), fields=", ".join(problems))
            extra = "".join(f"<br>{html.escape(k)}: {html.escape(v)}"
                            for k, v in unplaced.items())
            self._say(text, error=True, extra=extra)

    def validate(self):
        """The checked spec; marks every invalid field and raises InvalidInput otherwise."""
        problems = self.problems()
        if not problems:
            try:
                spec = self.spec()
                spec.validate(self.project)
            except InvalidInput as exc:
                problems = {exc.details.get("field") or "spec": exc.message}
        self._mark(problems)
        if problems:
            field, message = next(iter(problems.items()))
            raise InvalidInput(message, details={"field": field, "fields": problems})
        return spec

    def _say(self, text: str, error: bool = False, extra: str = "") -> None:
        cls = "hubml-tf-message-error" if error else "hubml-tf-message-ok"
        self.message.value = f"<div class='{cls}'>{html.escape(text)}{extra}</div>"

    # -- actions ------------------------------------------------------------------------------
    def train(self, thread: bool = True):
        """Validate, start ``project.train(spec)`` and follow the job; returns the Job."""
        spec = self.validate()
        self.job = self.project.train(spec)
        self._say(t("tf.started", job=self.job.id, algorithm=spec.algorithm,
                    dataset=spec.dataset))
        self.buttons["cancel"].disabled, self.buttons["train"].disabled = False, True
        self.results.layout.display = "none"
        self.monitor.follow(self.job, total_steps(spec.params), thread=thread)
        return self.job

    def wait(self, timeout: float | None = None):
        """Block until the job ended and the result page is shown (scripts, tests)."""
        if self.job is not None:
            self.job.wait(timeout)
            self.monitor.wait(timeout)
            self.monitor.refresh()
        return self.job

    def cancel(self):
        if self.job is None:
            self._say(t("tf.no_job"), error=True)
            return None
        self.job.cancel()
        self.monitor.refresh()
        return self.job

    def _job_ended(self, job) -> None:
        self.buttons["cancel"].disabled, self.buttons["train"].disabled = True, False
        if job.state == "succeeded":
            self.results.show(job, projection=self._projection(job))

    def _projection(self, job):
        spec = job.spec
        if spec.task != "clustering":
            return None
        version = self.project.dataset(spec.dataset).version(spec.dataset_version)
        features = spec.features or [c["name"] for c in version.schema()
                                     if c["name"] != spec.target]
        X = version.load(columns=features)
        return X, job.model().load().predict(X)

    def register(self, name: str | None = None, alias: str | None = None, formats=None):
        """Give the job's registered model ``alias`` (and ``name``); build exports."""
        return self.results.register(name=name, alias=alias, formats=formats)

    def export_script(self) -> str:
        """``spec.to_script()``, also shown below the form to copy."""
        script = self.spec().to_script(self.project)
        area = w.Textarea(value=script, layout=w.Layout(width="100%", height="320px"))
        area.add_class("hubml-tf-script")
        self.output.children = [w.HTML(html.escape(t("tf.script_shown"))), area]
        return script

    def save_spec(self, name: str | None = None):
        """Save the spec in the project (specs/<name>.json) and offer it as a download."""
        from .training.specs import save_spec

        spec = self.spec()
        name = name or self.spec_name.value.strip() or spec.run_name or spec.default_model_name()
        path = save_spec(self.project, name, spec)
        self.spec_name.value = name
        self._refresh_specs()
        data = base64.b64encode(json.dumps(spec.to_json(), indent=2).encode()).decode()
        link = (f" · <a download='{html.escape(name)}.json' href='data:application/json;"
                f"base64,{data}'>{html.escape(t('tf.download', name=name))}</a>")
        self._say(t("tf.saved", path=f"{path.parent.name}/{path.name}"), extra=link)
        return path

    def load_spec(self, spec=None):
        """Fill the form from a TrainingSpec, its JSON, or the name of a saved spec."""
        from ..training.spec import TrainingSpec
        from .training.specs import read_spec

        if spec is None:
            spec = self.spec_name.value.strip()
        if isinstance(spec, str):
            name, spec = spec, read_spec(self.project, spec)
            self._say(t("tf.loaded", name=name))
        elif isinstance(spec, dict):
            spec = TrainingSpec.from_json(spec)
        values = {k: v for k, v in spec.to_json().items() if k in SPEC_FIELDS}
        values.setdefault("tuning", None)
        self.set(**values)
        self._mark({})
        return spec

    def _refresh_specs(self) -> None:
        from .training.specs import list_specs

        self.spec_name.options = list_specs(self.project)

    def _clicked(self, key: str) -> None:
        action = {"train": self.train, "cancel": self.cancel, "export": self.export_script,
                  "save": self.save_spec, "load": self.load_spec}[key]
        try:
            action()
        except InvalidInput as exc:
            field = exc.details.get("field")
            if field in self.fields and not exc.details.get("fields"):
                self._mark({field: exc.message})
            elif not exc.details.get("fields"):
                self._say(exc.message, error=True)
        except HubMLError as exc:
            self._say(exc.message, error=True)
