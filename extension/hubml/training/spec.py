"""TrainingSpec: one training run as data, independent of any project.

The training form fills one in, ``p.train(spec)`` runs it as a background job,
``spec.to_script()`` writes the same training as a plain Python script using the SDK, and
``to_json``/``from_json`` carry it over the REST API. ``spec.validate(project)`` checks
everything up front; each :class:`~hubml.errors.InvalidInput` names the field in
``details["field"]`` (``framework``, ``algorithm``, ``task``, ``dataset``, ``dataset_version``,
``target``, ``features``, ``validation``, ``test``, ``params.<name>``, ``custom_params``,
``random_state``, ``model_name``, ``run_name``, ``tuning.<field>``,
``tuning.search_space.<name>``, ``datasets.<part>``, ``split_column``, ``script``).
"""

from __future__ import annotations

import copy
import json
import math
from dataclasses import MISSING, asdict, dataclass, field, fields
from typing import Any

from ..errors import HubMLError, InvalidInput
from ..frameworks.base import BASIC_ROLES
from ..workspace.names import check_name, check_version
from .parts import PARTS, check_datasets, split_counts, version_of
from .tuning import TUNING_SCHEMA, check_against, check_structure
from .user_script import check as check_script
from .user_script import check_path

__all__ = ["MAX_FRACTION", "MIN_TRAIN_ROWS", "Resolved", "TrainingSpec"]

MAX_FRACTION = 0.5          # for validation and test each
MIN_TRAIN_SHARE = 0.2       # validation + test leave at least this share for training
MIN_TRAIN_ROWS = 2
_NUMERIC = ("int", "uint", "float", "Int", "UInt", "Float", "bool", "boolean")
_REQUIRED = ("framework", "algorithm", "task", "dataset")


def _bad(field_name: str, message: str, **details) -> InvalidInput:
    return InvalidInput(message, details={"field": field_name, **details})


def _numeric(dtype: str) -> bool:
    return dtype.startswith(_NUMERIC) and not dtype.startswith("interval")


@dataclass
class Resolved:
    """What :meth:`TrainingSpec.validate` found: the objects a run needs."""

    framework: Any          # hubml.frameworks.Framework
    algorithm: Any          # hubml.frameworks.Algorithm
    version: Any            # hubml DatasetVersion
    features: list[str]
    params: dict            # validated, defaults filled in
    model_name: str
    tuning: dict | None = None   # checked, defaults, metric and direction filled in
    parts: dict = field(default_factory=dict)  # "validation"/"test" -> DatasetVersion given
    counts: dict = field(default_factory=dict)  # rows per part when known before loading


def _doc(description: str, schema: dict, default=MISSING, factory=MISSING, example=MISSING):
    """A dataclass field whose metadata documents it: :meth:`TrainingSpec.json_schema`."""
    schema = {**schema, "description": description}
    if default is not MISSING and default is not None:
        schema["default"] = default
    if example is not MISSING:
        schema["examples"] = [example]
    return field(default=default, default_factory=factory, metadata={"schema": schema})


_TUNING = {k: v for k, v in TUNING_SCHEMA.items() if k != "description"}
_REF = "^[a-z0-9][a-z0-9_-]{0,62}(@[1-9][0-9]{0,8})?$"
_SLUG = "^[a-z0-9][a-z0-9_-]{0,62}$"
_NAME = {"type": "string", "pattern": _SLUG, "maxLength": 63}


@dataclass
class TrainingSpec:
    framework: str = _doc("the framework, one of those GET frameworks lists as installed",
                          {"type": "string", "minLength": 1}, example="sklearn")
    algorithm: str = _doc("the algorithm's id as GET frameworks lists it, e.g. "
                          "'sklearn.random_forest' (or 'random_forest' within framework)",
                          {"type": "string", "minLength": 1}, example="sklearn.kmeans")
    task: str = _doc("what to learn; the algorithm must do it (its tasks in GET frameworks)",
                     {"type": "string"}, example="clustering")
    dataset: str = _doc("the dataset of this project to train on",
                        _NAME, example="iris")
    dataset_version: int | None = _doc(
        "the dataset's version; null: the latest version when the job starts",
        {"type": ["integer", "null"], "minimum": 1, "maximum": 10**9 - 1}, default=None)
    target: str | None = _doc("the column to predict; required unless task is 'clustering'",
                              {"type": ["string", "null"], "maxLength": 10_000}, default=None,
                              example="target")
    features: list[str] | None = _doc(
        "the feature columns (numeric, the target excluded); null: every column but the target",
        {"type": ["array", "null"], "items": {"type": "string"}, "minItems": 1,
         "maxItems": 10_000, "uniqueItems": True}, default=None)
    validation: float = _doc(
        f"share of all rows held out for validation, 0 to {MAX_FRACTION}; validation + test "
        f"leave at least {MIN_TRAIN_SHARE:.0%} of the rows for training",
        {"type": "number", "minimum": 0, "maximum": MAX_FRACTION}, default=0.2)
    test: float = _doc(f"share of all rows held out for testing, 0 to {MAX_FRACTION}",
                       {"type": "number", "minimum": 0, "maximum": MAX_FRACTION}, default=0.2)
    params: dict = _doc("hyperparameters, checked against the algorithm's JSON Schema from GET "
                        "frameworks; missing ones take their defaults",
                        {"type": "object", "additionalProperties": True}, factory=dict)
    basic: dict = _doc(
        "basic parameters by role (epochs, batch_size, optimizer, learning_rate, "
        "early_stopping, patience, monitor, seed, class_weight), each where the algorithm "
        "has it: its 'basic' in GET frameworks maps role -> hyperparameter, whose schema "
        "checks the value",
        {"type": "object", "propertyNames": {"enum": list(BASIC_ROLES)}}, factory=dict,
        example={"epochs": 30, "seed": 1})
    custom_params: dict = _doc("name -> JSON value, recorded with the run, not passed on",
                               {"type": "object", "additionalProperties": True}, factory=dict)
    random_state: int | None = _doc("seed of the train/validation/test split; null: random",
                                    {"type": ["integer", "null"], "minimum": 0,
                                     "maximum": 2**32 - 1}, default=0)
    model_name: str | None = _doc("the registered model's name; default '<dataset>-<algorithm>'",
                                  {**_NAME, "type": ["string", "null"]}, default=None)
    run_name: str | None = _doc("the MLflow run's name", {"type": ["string", "null"],
                                                           "maxLength": 250}, default=None)
    tuning: dict | None = _doc("hyperparameter search (Optuna), see hubml.training.tuning",
                               _TUNING, default=None)
    datasets: dict | None = _doc(
        "separate dataset versions per part: {'validation': 'name' or 'name@version', 'test': "
        "...} ('train' may stand for dataset); a part not given is split off the training "
        "dataset by its fraction. null: fractions of the one dataset",
        {"type": ["object", "null"], "additionalProperties": False, "minProperties": 1,
         "properties": {part: {"type": "string", "pattern": _REF,
                               "description": f"the {part} rows: 'name' (latest version) or "
                                              "'name@version'"} for part in PARTS}},
        default=None, example={"test": "holdout@1"})
    script: str | None = _doc(
        "a .py file of the project (path relative to it) that defines fit(spec, train, valid, "
        "callbacks) returning a fitted model, or build_model(spec, n_features, n_classes) "
        "returning an estimator (scikit-learn); null: the algorithm as hubml builds it",
        {"type": ["string", "null"], "pattern": r"^[^/].*\.py$", "maxLength": 1000},
        default=None, example="scripts/model.py")
    split_column: str | None = _doc(
        "a column of the dataset whose values train, validation and test say where each row "
        "goes (the Data Studio's split step writes __split__); the fractions are then unused",
        {"type": ["string", "null"], "minLength": 1, "maxLength": 10_000}, default=None)

    @classmethod
    def json_schema(cls) -> dict:
        """The JSON Schema of what :meth:`from_json` accepts, from the fields' metadata."""
        from ..frameworks import NAMES, TASKS

        props = {f.name: copy.deepcopy(f.metadata["schema"]) for f in fields(cls)}
        props["framework"]["enum"] = list(NAMES)
        props["task"]["enum"] = list(TASKS)
        return {"type": "object", "properties": props, "required": list(_REQUIRED),
                "additionalProperties": False,
                "if": {"properties": {"task": {"not": {"const": "clustering"}}},
                       "required": ["task"]},
                "then": {"required": ["target"], "properties": {"target": {"type": "string"}}},
                "description": "one training run; see hubml.TrainingSpec"}

    # -- JSON ---------------------------------------------------------------------------
    def to_json(self) -> dict:
        return copy.deepcopy(asdict(self))

    @classmethod
    def from_json(cls, data) -> TrainingSpec:
        """A spec from a dict; checks keys and types (not the project: see :meth:`validate`)."""
        if not isinstance(data, dict):
            raise _bad("spec", f"a training spec must be a JSON object, not {type(data).__name__}")
        names = [f.name for f in fields(cls)]
        for key in data:
            if key not in names:
                raise _bad(str(key), f"unknown field {str(key)[:40]!r} in the training spec; "
                                     f"fields are: {', '.join(names)}", known=names)
        data = copy.deepcopy(data)
        if data.get("dataset") is None and isinstance(data.get("datasets"), dict) and \
                "train" in data["datasets"]:
            data["dataset"], data["dataset_version"] = check_datasets(data["datasets"])["train"]
        for key in _REQUIRED:
            if data.get(key) is None:
                raise _bad(key, f"the training spec needs {key!r}")
        spec = cls(**data)
        spec.check()
        return spec

    # -- checks -------------------------------------------------------------------------
    def check(self) -> TrainingSpec:
        """Types and ranges of every field (nothing that needs a project or a framework)."""
        if self.dataset is None and isinstance(self.datasets, dict) and "train" in self.datasets:
            self.dataset, self.dataset_version = check_datasets(self.datasets)["train"]
        for key in _REQUIRED:
            value = getattr(self, key)
            if not isinstance(value, str) or not value:
                raise _bad(key, f"{key} must be a non-empty string, not {value!r}"[:200])
        check_name("dataset", self.dataset)
        if self.dataset_version is not None:
            self.dataset_version = _field(check_version, "dataset_version", self.dataset_version)
        if self.target is not None and not isinstance(self.target, str):
            raise _bad("target", "target must be a column name (a string) or null")
        if self.features is not None:
            if not isinstance(self.features, list) or not self.features or not all(
                    isinstance(f, str) for f in self.features):
                raise _bad("features", "features must be a non-empty list of column names, or "
                                       "null for every column but the target")
            if len(set(self.features)) != len(self.features):
                raise _bad("features", "features lists a column twice")
        for name in ("validation", "test"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or \
                    not math.isfinite(value) or not 0 <= value <= MAX_FRACTION:
                raise _bad(name, f"{name} must be a fraction from 0 to {MAX_FRACTION}, "
                                 f"not {value!r}")
        if self.validation + self.test > 1 - MIN_TRAIN_SHARE:
            raise _bad("test", f"validation + test is {self.validation + self.test:g}; keep at "
                               f"least {MIN_TRAIN_SHARE:.0%} of the rows for training")
        for name in ("params", "custom_params", "basic"):
            _json_object(name, getattr(self, name))
        for role in self.basic:
            if role not in BASIC_ROLES:
                raise _bad(f"basic.{role}", f"unknown basic parameter {role[:40]!r}; they are: "
                                            f"{', '.join(BASIC_ROLES)}")
        rs = self.random_state
        if rs is not None and (isinstance(rs, bool) or not isinstance(rs, int)
                               or not 0 <= rs < 2**32):
            raise _bad("random_state", f"random_state must be a whole number from 0 to 2**32-1 "
                                       f"or null, not {rs!r}")
        if self.model_name is not None:
            _field(lambda n: check_name("model", n), "model_name", self.model_name)
        if self.run_name is not None and (not isinstance(self.run_name, str)
                                          or len(self.run_name) > 250):
            raise _bad("run_name", "run_name must be a string of at most 250 characters")
        check_structure(self.tuning)
        if self.script is not None:
            _field(check_path, "script", self.script)
        given = check_datasets(self.datasets)
        if "train" in given and given["train"] != (self.dataset, self.dataset_version):
            raise _bad("datasets.train", "datasets.train names another dataset than dataset "
                                         "and dataset_version; give one of them")
        if self.split_column is not None:
            if not isinstance(self.split_column, str) or not self.split_column:
                raise _bad("split_column", "split_column must be a column name or null")
            if {"validation", "test"} & set(given):
                raise _bad("split_column", "give either a split column or separate validation "
                                           "and test datasets, not both")
        return self

    def default_model_name(self) -> str:
        short = self.algorithm.split(".", 1)[-1].replace("_", "-")
        return f"{self.dataset}-{short}"[:63].rstrip("-_")

    def resolve_tuning(self, algorithm) -> dict | None:
        """The tuning with its defaults, checked against ``algorithm``'s schema, or None."""
        tuning = check_structure(self.tuning)
        return None if tuning is None else check_against(tuning, algorithm, self.task)

    def resolve_algorithm(self):
        """(framework, algorithm, params with defaults); InvalidInput names the field."""
        from .. import frameworks

        framework = frameworks.get(self.framework)
        if not framework.available():
            raise _bad("framework", f"{framework.label} is not installed in this environment; "
                                    f"choose another framework or a profile that has it")
        algorithm = framework.algorithm(self.algorithm)
        if self.task not in frameworks.TASKS:
            raise _bad("task", f"unknown task {self.task!r}; choose one of: "
                               f"{', '.join(frameworks.TASKS)}")
        if self.task not in algorithm.tasks:
            raise _bad("task", f"{algorithm.id} does not do {self.task}; it does: "
                               f"{', '.join(algorithm.tasks)}")
        roles, given = algorithm.basic(), dict(self.params)
        for role, value in self.basic.items():
            if role not in roles:
                has = ", ".join(roles) or "none"
                raise _bad(f"basic.{role}", f"{algorithm.id} has no {role} parameter; its "
                                            f"basic parameters are: {has}")
            if roles[role] in self.params:
                raise _bad(f"basic.{role}", f"{role} is given twice: as basic.{role} and as "
                                            f"params.{roles[role]}; keep one")
            given[roles[role]] = value
        by_param = {name: role for role, name in roles.items() if role in self.basic}
        try:
            params = frameworks.validate_params(algorithm, given)
        except InvalidInput as exc:
            name = exc.details.get("field", "?")
            where = f"basic.{by_param[name]}" if name in by_param else f"params.{name}"
            raise _bad(where, exc.message, algorithm=algorithm.id) from None
        return framework, algorithm, params

    def validate(self, project) -> Resolved:
        """Check the spec against ``project`` and the installed frameworks."""
        self.check()
        framework, algorithm, params = self.resolve_algorithm()
        tuning = self.resolve_tuning(algorithm)
        if self.script is not None:
            check_script(project, self.script, framework.name)
        try:
            version = project.dataset(self.dataset).version(self.dataset_version)
            columns = {c["name"]: c["dtype"] for c in version.schema()}
        except HubMLError as exc:
            where = "dataset" if self.dataset_version is None or not project.dataset(
                self.dataset).exists() else "dataset_version"
            raise _bad(where, exc.message) from None
        known = ", ".join(list(columns)[:30])
        if self.target is None and self.task != "clustering":
            raise _bad("target", f"task {self.task!r} needs a target column; columns: {known}")
        if self.target is not None:
            if self.target not in columns:
                raise _bad("target", f"unknown target column {self.target!r} in dataset "
                                     f"{self.dataset!r} v{version.version}; columns: {known}")
            if self.task == "regression" and (not _numeric(columns[self.target])
                                              or columns[self.target].startswith("bool")):
                raise _bad("target", f"regression needs a numeric target; {self.target!r} is "
                                     f"{columns[self.target]}. Choose a classification task")
        if self.split_column is not None and self.split_column not in columns:
            raise _bad("split_column", f"unknown split column {self.split_column!r} in dataset "
                                       f"{self.dataset!r} v{version.version}; columns: {known}")
        if self.split_column is not None and self.split_column in (self.features or ()):
            raise _bad("features", f"the split column {self.split_column!r} cannot be a feature")
        if self.split_column == self.target and self.target is not None:
            raise _bad("split_column", "the split column cannot be the target")
        features = self.features or [c for c in columns
                                     if c not in (self.target, self.split_column)]
        for name in features:
            if name not in columns:
                raise _bad("features", f"unknown feature column {name!r}; columns: {known}",
                           column=name)
            if name == self.target:
                raise _bad("features", f"the target {name!r} cannot also be a feature")
            if not _numeric(columns[name]):
                raise _bad("features", f"feature column {name!r} is not numeric "
                                       f"({columns[name]}); encode it with a recipe step and save "
                                       f"a new dataset version, or leave it out of features",
                           column=name)
        if not features:
            raise _bad("features", "there are no feature columns left besides the target")
        parts, counts = self._parts(project, version, columns, features)
        if tuning is not None and not counts["validation"]:
            raise _bad("validation", "tuning scores each trial on the validation rows: give "
                                     "validation a fraction above 0, a validation dataset or "
                                     "validation rows in the split column")
        return Resolved(framework, algorithm, version, features, params,
                        self.model_name or self.default_model_name(), tuning, parts, counts)

    def _parts(self, project, version, columns: dict, features: list[str]):
        """The validation / test versions given apart, and the rows of every part; each
        version given apart has the training columns, with the same kinds of types."""
        n, counts, parts = version.rows, {}, {}
        if self.split_column is not None:
            counts = split_counts(version, self.split_column)
        else:
            for part, (name, number) in check_datasets(self.datasets).items():
                if part == "train":
                    continue
                field_name = f"datasets.{part}"
                parts[part] = other = version_of(project, field_name, name, number)
                theirs = {c["name"]: c["dtype"] for c in other.schema()}
                for column in features + ([self.target] if self.target else []):
                    if column not in theirs or _numeric(theirs[column]) != _numeric(
                            columns[column]):
                        raise _bad(field_name, f"dataset {name!r} v{other.version} lacks the "
                                               f"column {column!r} as the training data has "
                                               f"it ({columns[column]})")
                if not other.rows:
                    raise _bad(field_name, f"dataset {name!r} v{other.version} has no rows")
                counts[part] = other.rows
            test = counts.get("test", math.ceil(n * self.test) if "test" not in parts else 0)
            valid = counts.get("validation", math.ceil(n * self.validation))
            counts = {"train": n - (0 if "test" in parts else test)
                      - (0 if "validation" in parts else valid),
                      "validation": valid, "test": test}
        if counts["train"] < MIN_TRAIN_ROWS:
            how = f"split column {self.split_column!r}" if self.split_column else \
                f"validation {self.validation:g} and test {self.test:g}"
            raise _bad("dataset", f"dataset {self.dataset!r} v{version.version} has "
                                  f"{counts['train']} training rows of {n}: too few for "
                                  f"training with {how}")
        return parts, counts

    # -- code ---------------------------------------------------------------------------
    def to_script(self, project=None) -> str:
        """A Python script that does this training with the SDK (see :mod:`.script`)."""
        from .script import render

        return render(self, project)


def _field(check, name: str, value):
    try:
        return check(value)
    except InvalidInput as exc:
        raise _bad(name, exc.message) from None


def _json_object(name: str, value) -> None:
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise _bad(name, f"{name} must be an object of name -> value")
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise _bad(name, f"{name} must hold JSON values only ({exc})") from None
