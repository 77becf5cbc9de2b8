"""A spec's optional user script: a ``.py`` file of the project that defines the model or the
whole fit, run with the same callbacks as hubml's own fits (its metrics show up live).

The script defines at top level either

- ``fit(spec, train, valid, callbacks)``: ``train``/``valid`` are DataFrames of the features and
  the target (``valid`` may be empty), ``callbacks`` a list of ``callback(step, metrics)``; it
  returns a fitted model of the spec's framework (an estimator or Pipeline, a Keras model, a
  torch Module, an H2O model), which hubml evaluates and registers like its own; or
- ``build_model(spec, n_features, n_classes)`` (scikit-learn): an unfitted estimator that
  hubml puts behind its imputer and fits (``n_classes`` is 0 for regression and clustering).

:func:`check` reads the file without running it (a missing file, one outside the project, a
syntax error or neither function is an InvalidInput naming ``script``); the job imports it.
"""

from __future__ import annotations

import ast
import importlib.util
from dataclasses import replace
from pathlib import Path

from ..errors import InvalidInput

__all__ = ["ENTRY_POINTS", "check", "check_path", "fit_with", "load"]

ENTRY_POINTS = ("fit", "build_model")
BUILD_FRAMEWORKS = ("sklearn",)


def _bad(message: str) -> InvalidInput:
    return InvalidInput(message, details={"field": "script"})


def check_path(path) -> str:
    """The script's path as given: relative to the project, a .py file, no '..'."""
    if not isinstance(path, str) or not path or len(path) > 1000:
        raise _bad("script must be the path of a .py file in the project, e.g. "
                   "'scripts/model.py', or null")
    parts = Path(path).parts
    if Path(path).is_absolute() or ".." in parts or not path.endswith(".py"):
        raise _bad(f"script {path[:100]!r} must be a .py file inside the project, given "
                   "relative to it (e.g. 'scripts/model.py')")
    return path


def _file(project, path: str) -> Path:
    root = Path(project.path).resolve()
    full = (root / check_path(path)).resolve()
    if root not in full.parents:
        raise _bad(f"script {path!r} is outside the project")
    if not full.is_file():
        raise _bad(f"there is no script {path!r} in project {project.name!r}; create it (New "
                   "script) or correct the path")
    return full


def check(project, path: str, framework: str) -> str:
    """Which entry point the script defines (``fit`` wins over ``build_model``)."""
    full = _file(project, path)
    try:
        tree = ast.parse(full.read_text("utf-8"), filename=path)
    except (SyntaxError, UnicodeDecodeError, ValueError) as exc:
        where = f" (line {exc.lineno})" if getattr(exc, "lineno", None) else ""
        raise _bad(f"script {path!r} is not valid Python{where}: {exc}") from None
    defined = {node.name for node in tree.body
               if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    if "fit" in defined:
        return "fit"
    if "build_model" in defined:
        if framework not in BUILD_FRAMEWORKS:
            raise _bad(f"script {path!r} defines build_model, which hubml fits for "
                       f"scikit-learn only; for {framework} define fit(spec, train, valid, "
                       "callbacks) and return the fitted model")
        return "build_model"
    raise _bad(f"script {path!r} defines neither fit(spec, train, valid, callbacks) nor "
               "build_model(spec, n_features, n_classes) at its top level")


def load(project, path: str):
    """Import the script as a fresh module (its own errors propagate: the job fails)."""
    full = _file(project, path)
    name = "hubml_user_script_" + "".join(c if c.isalnum() else "_" for c in path)
    spec = importlib.util.spec_from_file_location(name, full)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fit_with(module, spec, framework, params: dict, X, y, Xv, yv, callbacks):
    """Fit through the script: its ``fit``, or hubml's loop around its ``build_model``."""
    import pandas as pd

    spec = replace(spec, params=dict(params))
    if hasattr(module, "fit"):
        def frame(features, target):
            if features is None:
                return pd.DataFrame()
            return features if target is None else features.assign(**{spec.target: target})
        model = module.fit(spec, frame(X, y), frame(Xv, yv), list(callbacks))
        if model is None:
            raise InvalidInput("the script's fit() returned nothing; return the fitted model",
                               details={"field": "script"})
        return framework.adopt(model, X_example=X, task=spec.task)
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline

    from ..frameworks._sklearn_fit import features, fit_pipeline, target

    n_classes = int(pd.Series(y).nunique()) if spec.task in ("binary", "multiclass") else 0
    estimator = module.build_model(spec, X.shape[1], n_classes)
    pipeline = Pipeline([("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
                         ("custom", estimator)])
    Xv_ = features(Xv) if Xv is not None else None
    yv_ = target(spec.task, yv) if yv is not None else None
    return fit_pipeline(pipeline, spec.task, features(X), target(spec.task, y), Xv_, yv_,
                        callbacks)


def module_path(project, path: str) -> Path:
    return _file(project, path)
