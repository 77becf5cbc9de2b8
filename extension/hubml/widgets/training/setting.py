"""``TrainingForm.set``: TrainingSpec field values into the form's widgets, in the order
their dependencies need (dataset -> version -> framework -> algorithm -> target -> task)."""

from __future__ import annotations

from ...errors import InvalidInput
from .columns import LATEST

__all__ = ["SPEC_FIELDS", "apply_values", "pick"]

SPEC_FIELDS = ("dataset", "dataset_version", "framework", "algorithm", "task", "target",
                "features", "validation", "test", "split_column", "datasets", "random_state",
                "model_name", "run_name", "params", "basic", "custom_params", "script", "tuning")


def pick(dropdown, value, field: str) -> None:
    """Choose ``value`` in a dropdown; InvalidInput naming the field and the choices."""
    values = [o[1] if isinstance(o, tuple) else o for o in dropdown.options]
    if value not in values:
        known = ", ".join(str(v) for v in values if v is not None) or "none"
        raise InvalidInput(f"{value!r} is not a choice for {field}; choose one of: {known}",
                           details={"field": field})
    dropdown.value = value


def apply_values(form, values: dict):
    """Set the form's fields from TrainingSpec field values (see ``TrainingForm.set``)."""
    unknown = [k for k in values if k not in (*SPEC_FIELDS, "search")]
    if unknown:
        raise InvalidInput(f"unknown form field {unknown[0]!r}; the fields are: "
                           f"{', '.join((*SPEC_FIELDS, 'search'))}",
                           details={"field": unknown[0]})
    d = form.data
    if "dataset" in values:
        if values["dataset"] not in d.dataset.options:   # saved since the form opened
            d.dataset.options = [x.name for x in form.project.datasets()]
        pick(d.dataset, values["dataset"], "dataset")
    if "dataset_version" in values:
        pick(d.version, values["dataset_version"] or LATEST, "dataset_version")
    if "framework" in values:
        pick(d.framework, values["framework"], "framework")
    if "algorithm" in values:
        algo = values["algorithm"]
        pick(d.algorithm, algo if "." in algo else f"{d.framework.value}.{algo}",
              "algorithm")
    if "target" in values:
        pick(d.target, values["target"], "target")
    if "task" in values:
        pick(d.task, values["task"], "task")
        form._search_changed()
    if "features" in values:
        d.features.value = tuple(values["features"] or ())
    for name in ("validation", "test"):
        if name in values:
            getattr(d, name).value = values[name]
    if "random_state" in values:
        rs = values["random_state"]
        form.split_seed.value = "" if rs is None else str(rs)
    if "model_name" in values:
        form.model_name.value = values["model_name"] or ""
    if "run_name" in values:
        d.run_name.value = values["run_name"] or ""
    if "split_column" in values:
        pick(d.split_column, values["split_column"], "split_column")
    for part, ref in (values.get("datasets") or {}).items():
        if part == "train":
            continue      # it is dataset (and dataset_version), set above
        box = d.part_datasets.get(part)
        if box is None:
            raise InvalidInput(f"unknown data part {part!r}", details={"field": "datasets"})
        pick(box, ref, f"datasets.{part}")
    if "datasets" in values and not values["datasets"]:
        for box in d.part_datasets.values():
            box.value = None
    if "script" in values:
        form.script.value = values["script"] or ""
    by_role = {role: name for name, role in form._roles.items()}
    for role, value in (values.get("basic") or {}).items():
        if role not in by_role:
            raise InvalidInput(f"{d.algorithm.value} has no basic parameter {role!r}; it "
                               f"has: {', '.join(by_role) or 'none'}",
                               details={"field": f"basic.{role}"})
        form.params[by_role[role]].value = value
    for name, value in (values.get("params") or {}).items():
        if name not in form.params:
            raise InvalidInput(f"{d.algorithm.value} has no hyperparameter {name!r}; it "
                               f"has: {', '.join(form.params) or 'none'}",
                               details={"field": f"params.{name}"})
        form.params[name].value = value
    if "custom_params" in values:
        form.custom.value = values["custom_params"]
    tuning = values.get("tuning") or {}
    search = {**(tuning.get("search_space") or {}), **(values.get("search") or {})}
    if "tuning" in values or "search" in values:
        for name, field in form.params.items():
            field.search = search.get(name)
        form.tuning.value = tuning
    return form
