"""Column 1 (task and data) and column 4 (custom parameters) of the training form.

They hold widgets and their dependencies (dataset -> versions -> columns -> target and
features; framework -> algorithms -> task types); the form reads and sets their values.
"""

from __future__ import annotations

import json

import ipywidgets as w

from ._messages import t
from .fields import Marked, OptionalDropdown

__all__ = ["CustomParams", "DataColumn", "LATEST"]

LATEST = 0          # the version picker's "latest" entry
_NUMERIC = ("int", "uint", "float", "Int", "UInt", "Float", "bool", "boolean")
_FULL = w.Layout(width="100%")


def numeric(dtype: str) -> bool:
    return dtype.startswith(_NUMERIC) and not dtype.startswith("interval")


def suggest_task(dtype: str | None, distinct: int | None, tasks) -> str | None:
    """The task a target of this type suggests, among ``tasks`` (the algorithm's)."""
    if dtype is None:
        wanted = ["clustering"]
    elif not numeric(dtype) or dtype.startswith("bool") or (
            dtype.startswith(("int", "Int", "uint")) and distinct is not None and distinct <= 10):
        wanted = ["binary"] if distinct == 2 else ["multiclass", "binary"]
    else:
        wanted = ["regression"]
    for task in wanted:
        if task in tasks:
            return task
    return None


class DataColumn(w.VBox):
    def __init__(self, project, catalog: list[dict], on_algorithm):
        self.project, self.catalog, self.on_algorithm = project, catalog, on_algorithm
        self._columns: dict[str, str] = {}
        self._stats: dict = {}
        self._auto_name = ""
        self.run_name = w.Text(layout=_FULL, continuous_update=False)
        self.framework = w.Dropdown(options=[(f["label"], f["name"]) for f in catalog],
                                    layout=_FULL)
        self.algorithm = w.Dropdown(options=[], layout=_FULL)
        self.task = w.Dropdown(options=[], layout=_FULL)
        names = [d.name for d in project.datasets()]
        self.dataset = w.Dropdown(options=names, value=None, layout=_FULL)
        self.version = w.Dropdown(options=[(t("tf.latest"), LATEST)], value=LATEST,
                                  layout=_FULL)
        self.validation = w.FloatSlider(value=0.2, min=0, max=0.5, step=0.05, layout=_FULL,
                                        readout_format=".0%", continuous_update=False)
        self.test = w.FloatSlider(value=0.2, min=0, max=0.5, step=0.05, layout=_FULL,
                                  readout_format=".0%", continuous_update=False)
        self.split_column = OptionalDropdown(options=[(t("tf.no_split_column"), None)], value=None,
                                       layout=_FULL)
        refs = [(t("tf.split_off"), None)]
        for name in names:
            refs.append((f"{name} ({t('tf.latest')})", name))
            refs += [(f"{v.name} v{v.version} · {v.rows} rows", f"{v.name}@{v.version}")
                     for v in project.dataset(name).versions()]
        self.part_datasets = {part: OptionalDropdown(options=refs, value=None, layout=_FULL)
                              for part in ("validation", "test")}
        self.target = OptionalDropdown(options=[(t("tf.no_target"), None)], value=None,
                                 layout=_FULL)
        self.features = w.SelectMultiple(options=[], rows=6, layout=_FULL)
        self.fields = {
            "run_name": Marked(t("tf.task_name"), self.run_name, "run_name",
                               t("tf.task_name_hint")),
            "framework": Marked(t("tf.framework"), self.framework, "framework"),
            "algorithm": Marked(t("tf.algorithm"), self.algorithm, "algorithm"),
            "task": Marked(t("tf.task"), self.task, "task"),
            "dataset": Marked(t("tf.dataset"), self.dataset, "dataset",
                              "" if names else t("tf.no_dataset")),
            "dataset_version": Marked(t("tf.version"), self.version, "dataset_version"),
            "validation": Marked(t("tf.validation"), self.validation, "validation"),
            "test": Marked(t("tf.test"), self.test, "test"),
            "split_column": Marked(t("tf.split_column"), self.split_column, "split_column",
                                   t("tf.split_column_hint")),
            "datasets.validation": Marked(t("tf.validation_data"),
                                          self.part_datasets["validation"],
                                          "datasets.validation"),
            "datasets.test": Marked(t("tf.test_data"), self.part_datasets["test"],
                                    "datasets.test"),
            "target": Marked(t("tf.target"), self.target, "target"),
            "features": Marked(t("tf.features"), self.features, "features",
                               t("tf.features_hint")),
        }
        super().__init__(list(self.fields.values()))
        self.framework.observe(lambda _: self._framework_changed(), "value")
        self.algorithm.observe(lambda _: self._algorithm_changed(), "value")
        self.dataset.observe(lambda _: self._dataset_changed(), "value")
        self.version.observe(lambda _: self._version_changed(), "value")
        self.target.observe(lambda _: self._target_changed(), "value")
        self.split_column.observe(lambda _: self._target_changed(), "value")

    # -- dependencies ---------------------------------------------------------------------
    def algorithm_info(self) -> dict | None:
        for fw in self.catalog:
            for algo in fw["algorithms"]:
                if algo["id"] == self.algorithm.value:
                    return algo
        return None

    def _framework_changed(self) -> None:
        fw = next((f for f in self.catalog if f["name"] == self.framework.value), None)
        algos = fw["algorithms"] if fw else []
        self.algorithm.options = [(a["label"], a["id"]) for a in algos]
        self.algorithm.value = algos[0]["id"] if algos else None

    def _algorithm_changed(self) -> None:
        info = self.algorithm_info()
        tasks = info["tasks"] if info else []
        current = self.task.value
        self.task.options = tasks
        suggested = self._suggested(tasks)
        self.task.value = (current if current in tasks and suggested is None else
                           suggested or (tasks[0] if tasks else None))
        self._rename()
        self.on_algorithm(info)

    def _suggested(self, tasks) -> str | None:
        target = self.target.value
        if target is None and not self._columns:
            return None
        stats = self._stats.get(target, {}) if target else {}
        return suggest_task(self._columns.get(target) if target else None,
                            stats.get("distinct"), tasks)

    def _dataset_changed(self) -> None:
        name = self.dataset.value
        versions = self.project.dataset(name).versions() if name else []
        self.version.options = [(t("tf.latest"), LATEST)] + [
            (f"v{v.version} · {v.rows} rows", v.version) for v in reversed(versions)]
        self.version.value = LATEST
        self._version_changed()
        self._rename()

    def _version_changed(self) -> None:
        name = self.dataset.value
        if not name:
            self._columns, self._stats = {}, {}
        else:
            version = self.project.dataset(name).version(self.version.value or None)
            self._columns = {c["name"]: c["dtype"] for c in version.schema()}
            self._stats = version.statistics() or {}
        keep, split = self.target.value, self.split_column.value
        self.target.options = [(t("tf.no_target"), None)] + [
            (f"{c} ({d})", c) for c, d in self._columns.items()]
        self.target.value = keep if keep in self._columns else None
        self.split_column.options = [(t("tf.no_split_column"), None)] + [
            (c, c) for c, d in self._columns.items() if not numeric(d)]
        self.split_column.value = split if split in self._columns else None
        self._target_changed()

    def _target_changed(self) -> None:
        target = self.target.value
        chosen = set(self.features.value)
        options = [c for c, d in self._columns.items() if c != target and numeric(d)
                   and c != self.split_column.value]
        self.features.options = options
        self.features.value = tuple(c for c in options if c in chosen)
        info = self.algorithm_info()
        suggested = self._suggested(info["tasks"] if info else [])
        if suggested is not None and suggested != self.task.value:
            self.task.value = suggested

    # -- the task name ------------------------------------------------------------------
    def _rename(self) -> None:
        """A generated task name follows the choices until the user types their own."""
        algo = (self.algorithm.value or "").split(".", 1)[-1].replace("_", "-")
        generated = "-".join(p for p in (self.dataset.value, algo) if p)
        if self.run_name.value in ("", self._auto_name):
            self.run_name.value = generated
        self._auto_name = generated

    def default_target(self) -> None:
        """The last non-numeric column, else the last column: a guess the user can change."""
        if self.target.value is None and self._columns:
            text = [c for c, d in self._columns.items() if not numeric(d)]
            self.target.value = (text or list(self._columns))[-1]
        self.fit_algorithm()

    def fit_algorithm(self) -> None:
        """Switch to the framework's first algorithm that does the task the target suggests,
        if the current one does not (a starting point, not a rule)."""
        target = self.target.value
        wanted = suggest_task(self._columns.get(target) if target else None,
                              self._stats.get(target, {}).get("distinct") if target else None,
                              ("binary", "multiclass", "regression", "clustering"))
        info = self.algorithm_info()
        if wanted is None or (info and wanted in info["tasks"]):
            return
        fw = next((f for f in self.catalog if f["name"] == self.framework.value), None)
        for algo in (fw or {}).get("algorithms", []):
            if wanted in algo["tasks"]:
                self.algorithm.value = algo["id"]
                return


class CustomParams(w.VBox):
    """Rows of name / value; values are parsed as JSON, else kept as text."""

    def __init__(self):
        self.rows = w.VBox([], layout=_FULL)
        self.add_button = w.Button(description=t("tf.add_row"), icon="plus",
                                   layout=w.Layout(width="90px"))
        self.add_button.add_class("hubml-tf-add-custom")
        self.add_button.on_click(lambda _: self.add())
        self.field = Marked(t("tf.col.custom"), w.VBox([self.rows, self.add_button]),
                            "custom_params", t("tf.custom_hint"))
        self.field.label.value = ""
        super().__init__([self.field], layout=_FULL)

    def add(self, key: str = "", value="") -> None:
        name = w.Text(value=key, placeholder=t("tf.key"), layout=w.Layout(width="40%"))
        text = value if isinstance(value, str) and not _is_json(value) else json.dumps(value)
        val = w.Text(value=text, placeholder=t("tf.value"), layout=w.Layout(width="44%"))
        remove = w.Button(icon="trash", tooltip="remove", layout=w.Layout(width="36px"))
        row = w.HBox([name, val, remove], layout=_FULL)
        row.add_class("hubml-tf-custom-row")
        remove.on_click(lambda _: self._remove(row))
        self.rows.children = (*self.rows.children, row)

    def _remove(self, row) -> None:
        self.rows.children = tuple(r for r in self.rows.children if r is not row)

    @property
    def value(self) -> dict:
        out = {}
        for row in self.rows.children:
            key, text = row.children[0].value.strip(), row.children[1].value
            if not key and not text.strip():
                continue     # an empty row left over
            if not key or key in out:
                raise ValueError(t("tf.custom_key"))
            try:
                out[key] = json.loads(text)
            except ValueError:
                out[key] = text
        return out

    @value.setter
    def value(self, values: dict) -> None:
        self.rows.children = ()
        for key, value in (values or {}).items():
            self.add(key, value)


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True
