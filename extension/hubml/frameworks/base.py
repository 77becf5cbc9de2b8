"""The one interface every framework module implements (sklearn, tensorflow, torch, h2o).

A framework module is imported only when used. It defines a module-level ``FRAMEWORK``,
an instance of a :class:`Framework` subclass. Estimator conventions follow scikit-learn:
``fit`` gets data, hyperparameters were validated before, and it returns a fitted model
object that ``predict`` understands.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import InvalidInput

__all__ = ["BASIC_ROLES", "TASKS", "Algorithm", "Framework", "FitCallback", "validate_params"]

TASKS = ("binary", "multiclass", "regression", "clustering")
# the basic parameters a training form shows apart from the hyperparameters; a schema property
# says which one it is with "x-hubml-basic": <role> (and "x-hubml-tasks" when it applies to
# some tasks only). TrainingSpec.basic sets them by role, whatever the library calls them.
BASIC_ROLES = ("epochs", "batch_size", "optimizer", "learning_rate", "early_stopping",
               "patience", "monitor", "seed", "class_weight")

# called as callback(step: int, metrics: dict[str, float]) once per epoch / iteration / tree batch
FitCallback = Callable[[int, dict], None]


@dataclass(frozen=True)
class Algorithm:
    id: str                      # "<framework>.<name>", e.g. "sklearn.random_forest"
    label: str                   # shown in forms: "Random forest"
    tasks: tuple[str, ...]       # subset of TASKS
    schema: dict                 # JSON Schema (type object) of hyperparameters, defaults and bounds
    description: str = ""

    def defaults(self) -> dict:
        return {k: v["default"] for k, v in self.schema.get("properties", {}).items()
                if "default" in v}

    def basic(self) -> dict[str, str]:
        """role -> hyperparameter name of the basic parameters this algorithm has."""
        return {prop["x-hubml-basic"]: name for name, prop in
                self.schema.get("properties", {}).items() if "x-hubml-basic" in prop}

    def to_json(self) -> dict:
        return {"id": self.id, "label": self.label, "tasks": list(self.tasks),
                "description": self.description, "hyperparameters": self.schema,
                "basic": self.basic()}


def validate_params(algorithm: Algorithm, params: dict | None) -> dict:
    """Defaults filled in and values checked against the schema.

    Raises :class:`InvalidInput` whose message names the field and says what is allowed.
    """
    import jsonschema

    merged = {**algorithm.defaults(), **(params or {})}
    schema = {"additionalProperties": False, **algorithm.schema}
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(merged), key=lambda e: list(e.path))
    if errors:
        error = errors[0]
        name = ".".join(str(p) for p in error.path) or _unknown_field(error)
        raise InvalidInput(f"hyperparameter {name!r} of {algorithm.id}: {error.message}",
                           details={"field": name, "algorithm": algorithm.id})
    return merged


def _unknown_field(error) -> str:
    extra = getattr(error, "instance", {})
    known = set(error.schema.get("properties", {})) if isinstance(error.schema, dict) else set()
    unknown = [k for k in extra if k not in known] if isinstance(extra, dict) else []
    return unknown[0] if unknown else "?"


@dataclass
class Framework:
    """Base class; subclasses fill in every method."""

    name: str                    # "sklearn" | "tensorflow" | "torch" | "h2o"
    label: str                   # "scikit-learn"
    module: str                  # the import that must succeed: "sklearn"
    export_formats: tuple[str, ...] = ("mlflow",)
    _algorithms: dict = field(default_factory=dict, repr=False)

    # -- discovery ------------------------------------------------------------------
    def available(self) -> bool:
        import importlib.util

        return importlib.util.find_spec(self.module) is not None

    def version(self) -> str | None:
        raise NotImplementedError

    def algorithms(self) -> list[Algorithm]:
        raise NotImplementedError

    def algorithm(self, algorithm_id: str) -> Algorithm:
        for algorithm in self.algorithms():
            if algorithm.id == algorithm_id or algorithm.id == f"{self.name}.{algorithm_id}":
                return algorithm
        ids = ", ".join(a.id for a in self.algorithms())
        raise InvalidInput(f"unknown algorithm {algorithm_id!r} for {self.label}; choose one of: "
                           f"{ids}", details={"field": "algorithm"})

    # -- training and prediction ----------------------------------------------------
    def fit(self, algorithm_id: str, task: str, params: dict, X_train, y_train=None,
            X_valid=None, y_valid=None, callbacks: list[FitCallback] | None = None) -> Any:
        """Fit and return the fitted model. X are pandas DataFrames of numeric columns,
        y pandas Series (None for clustering). ``params`` are already validated."""
        raise NotImplementedError

    def predict(self, model, X):
        """numpy array: class labels (original label values), regression values, or cluster ids."""
        raise NotImplementedError

    def predict_proba(self, model, X):
        """numpy array (n_rows, n_classes) in the order of ``classes(model)``, or None."""
        return None

    def classes(self, model) -> list | None:
        return None

    # -- the user's own models ---------------------------------------------------------
    def adopt(self, model, X_example=None, task: str | None = None):
        """``model`` as this adapter's fitted model: what ``fit`` returned passes through, and
        a plain fitted model of the library (the user's own) is wrapped the way ``fit`` wraps
        its own, so it logs, loads and predicts the same. InvalidInput says what is missing."""
        return model

    def task_of(self, model) -> str | None:
        """The task of an adopted model (one of TASKS), or None if it cannot tell."""
        return None

    # -- MLflow ---------------------------------------------------------------------
    def log_model(self, model, name: str, signature=None, input_example=None,
                  metadata: dict | None = None):
        """Log with the framework's own MLflow flavor in the active run; returns ModelInfo."""
        raise NotImplementedError

    def load_model(self, model_uri: str):
        """Load what ``log_model`` logged, as a model that ``predict`` understands."""
        raise NotImplementedError

    def decode_pyfunc(self, model_or_metadata, output):
        """Turn ``mlflow.pyfunc.load_model(uri).predict(X)`` output into ``predict``'s output.

        The default assumes pyfunc already returns predictions."""
        import numpy as np

        out = np.asarray(output)
        return out[:, 0] if out.ndim == 2 and out.shape[1] == 1 else out

    # -- deployment formats ---------------------------------------------------------
    def formats_for(self, algorithm_id: str) -> tuple[str, ...]:
        """Export formats that models of this algorithm support (default: all of them)."""
        return tuple(self.export_formats)

    def export(self, model, fmt: str, path) -> str:
        """Write ``model`` in ``fmt`` (one of ``export_formats``) under ``path``; return the file or
        folder written."""
        raise NotImplementedError

    def to_json(self) -> dict:
        return {"name": self.name, "label": self.label, "available": self.available(),
                "version": self.version() if self.available() else None,
                "export_formats": list(self.export_formats),
                "algorithms": [a.to_json() for a in self.algorithms()] if self.available() else []}
