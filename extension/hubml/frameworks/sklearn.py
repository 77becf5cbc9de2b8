"""scikit-learn adapter: ``hubml.frameworks.get("sklearn")``.

A model is a fitted ``Pipeline(impute, [scale], <algorithm name>)``: a median imputer in front
of every estimator (missing feature values work everywhere), a StandardScaler for
scale-sensitive algorithms. The last step is named after the algorithm, so a loaded model still
says what it is. scikit-learn, MLflow, pandas and skl2onnx are imported inside methods only.

Export formats (see :meth:`SklearnFramework.formats_for`):

- ``joblib``: ``model.joblib``; ``joblib.load(path).predict(X)`` equals :meth:`predict`.
- ``onnx``: ``model.onnx`` via skl2onnx, float32 input ``X`` (n, n_features). Classifiers
  output ``label`` (original class labels) and ``probabilities``; regressors ``variable``
  (n, 1); k-means ``label`` and ``scores``.
- ``mlflow``: an MLflow model folder ``mlflow_model/`` (sklearn + pyfunc flavors).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InvalidInput
from ._mlflow_quiet import quiet_pickle_warning
from ._sklearn_algorithms import ALGORITHMS, CLASSIFICATION, build
from .base import Framework, validate_params

__all__ = ["FRAMEWORK", "SERIALIZATION_FORMAT", "SklearnFramework", "UNSUPPORTED_FORMATS"]

# MLflow 3.17 saves with skops by default, and skops refuses nearly every fitted pipeline here
# unless each type is listed in ``skops_trusted_types`` (checked: numpy.dtype from the imputer,
# sklearn Tree, TreePredictor, KDTree, AdamOptimizer...). MLflow reads that list back from the
# model's own MLmodel file, so it would protect nothing, and loading any format is gated by
# MLFLOW_ALLOW_PICKLE_DESERIALIZATION anyway. Plain pickle loads every algorithm with no trust
# configuration; cloudpickle is not needed because every object is an importable sklearn class.
# Chosen explicitly, so MLflow's warning against pickle on every save is dropped (_mlflow_quiet).
SERIALIZATION_FORMAT = "pickle"

# algorithm name -> export formats it cannot produce. Empty today: every algorithm converts to
# ONNX (HistGradientBoosting thanks to the workaround in _sklearn_onnx). Keep entries here when
# a converter is missing, so formats_for() and export() tell the user before anything runs.
UNSUPPORTED_FORMATS: dict[str, set[str]] = {}


@dataclass
class SklearnFramework(Framework):

    # -- discovery ------------------------------------------------------------------
    def version(self) -> str | None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("scikit-learn")
        except PackageNotFoundError:
            return None

    def algorithms(self):
        return list(ALGORITHMS)

    def formats_for(self, algorithm_id: str) -> tuple[str, ...]:
        """Export formats the algorithm supports (a subset of ``export_formats``)."""
        name = self.algorithm(algorithm_id).id.split(".", 1)[1]
        missing = UNSUPPORTED_FORMATS.get(name, set())
        return tuple(f for f in self.export_formats if f not in missing)

    # -- training and prediction ----------------------------------------------------
    def fit(self, algorithm_id, task, params, X_train, y_train=None, X_valid=None, y_valid=None,
            callbacks=None):
        from ._sklearn_fit import check_classes, features, fit_pipeline, target

        algorithm = self.algorithm(algorithm_id)
        params = validate_params(algorithm, params)
        if task not in algorithm.tasks:
            raise InvalidInput(f"{algorithm.id} does not do {task!r}; it does: "
                               f"{', '.join(algorithm.tasks)}", details={"field": "task"})
        X, y = features(X_train), target(task, y_train)
        if y is not None and len(y) != len(X):
            raise InvalidInput(f"X has {len(X)} rows but y has {len(y)}", details={"field": "y"})
        if task in CLASSIFICATION:
            check_classes(task, y)
        Xv = yv = None
        if X_valid is not None and (task == "clustering" or y_valid is not None):
            Xv, yv = features(X_valid), target(task, y_valid, "y_valid")
        model = build(algorithm, task, params)
        return fit_pipeline(model, task, X, y, Xv, yv, callbacks or ())

    def predict(self, model, X):
        import numpy as np

        out = np.asarray(_checked(model.predict, _inputs(model, X)))
        # some estimators keep string classes as numpy unicode; labels are Python objects here
        return out.astype(object) if out.dtype.kind in "US" else out

    def predict_proba(self, model, X):
        import numpy as np

        if getattr(model, "classes_", None) is None or not hasattr(model, "predict_proba"):
            return None
        return np.asarray(_checked(model.predict_proba, _inputs(model, X)), dtype="float64")

    def classes(self, model) -> list | None:
        classes = getattr(model, "classes_", None)
        return None if classes is None else list(classes.tolist())

    # -- the user's own estimators ----------------------------------------------------
    def adopt(self, model, X_example=None, task=None):
        """Any fitted scikit-learn estimator or Pipeline; the user's own take their input as
        given (a ColumnTransformer may expect text columns), not converted to float64."""
        from sklearn.base import BaseEstimator
        from sklearn.exceptions import NotFittedError
        from sklearn.utils.validation import check_is_fitted

        if not isinstance(model, BaseEstimator) or not callable(getattr(model, "predict", None)):
            raise InvalidInput(f"expected a fitted scikit-learn estimator or Pipeline (with "
                               f"predict), got {type(model).__name__}",
                               details={"field": "model"})
        try:
            check_is_fitted(model)
        except NotFittedError:
            raise InvalidInput(f"the {type(model).__name__} is not fitted yet; call "
                               "fit(X, y) before registering it",
                               details={"field": "model"}) from None
        return model

    def task_of(self, model) -> str | None:
        from sklearn.base import is_classifier, is_regressor

        classes = self.classes(model)
        if classes is not None:
            return "binary" if len(classes) == 2 else "multiclass"
        if is_regressor(model):
            return "regression"
        return None if is_classifier(model) else "clustering"

    # -- MLflow ---------------------------------------------------------------------
    def pip_requirements(self) -> list[str]:
        """Pinned explicitly: MLflow otherwise spends seconds inferring the environment."""
        import numpy
        import sklearn

        return [f"scikit-learn=={sklearn.__version__}", f"numpy=={numpy.__version__}"]

    def _metadata(self, model, metadata: dict | None) -> dict:
        meta = {"hubml_framework": self.name, "hubml_algorithm": _adapter_algorithm(model)}
        classes = self.classes(model)
        if classes is not None:
            meta["classes"] = classes
        return {**meta, **(metadata or {})}

    def log_model(self, model, name: str, signature=None, input_example=None,
                  metadata: dict | None = None):
        import mlflow.sklearn

        quiet_pickle_warning()
        return mlflow.sklearn.log_model(
            model, name=name, signature=signature, input_example=input_example,
            metadata=self._metadata(model, metadata), serialization_format=SERIALIZATION_FORMAT,
            pip_requirements=self.pip_requirements())

    def load_model(self, model_uri: str):
        import mlflow.sklearn

        return mlflow.sklearn.load_model(model_uri)

    def decode_pyfunc(self, model_or_metadata, output):
        """The sklearn pyfunc already returns predict()'s values; only the dtype may differ."""
        out = super().decode_pyfunc(model_or_metadata, output)
        return out.astype(object) if out.dtype.kind in "US" else out

    # -- deployment formats ---------------------------------------------------------
    def export(self, model, fmt: str, path) -> str:
        """Write ``model`` as ``fmt`` inside the folder ``path``; returns the file/folder."""
        algorithm_id = _adapter_algorithm(model)
        formats = self.formats_for(algorithm_id) if algorithm_id else self.export_formats
        if fmt not in formats:
            raise InvalidInput(f"{algorithm_id} cannot be exported as {fmt!r}; it supports: "
                               f"{', '.join(formats)}", details={"field": "format"})
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        return str(getattr(self, f"_export_{fmt}")(model, folder))

    def _export_joblib(self, model, folder: Path) -> Path:
        import joblib

        target = folder / "model.joblib"
        joblib.dump(model, target)
        return target

    def _export_onnx(self, model, folder: Path) -> Path:
        from ._sklearn_onnx import to_onnx_bytes

        target = folder / "model.onnx"
        classifier = getattr(model, "classes_", None) is not None
        try:
            target.write_bytes(to_onnx_bytes(model, classifier))
        except Exception as exc:  # a converter gap is the user's to route around: other formats
            others = ", ".join(f for f in self.export_formats if f != "onnx")
            what = _adapter_algorithm(model) or type(model).__name__
            raise InvalidInput(f"{what} could not be converted to ONNX ({exc}); "
                               f"export it as one of: {others}",
                               details={"field": "format"}) from exc
        return target

    def _export_mlflow(self, model, folder: Path) -> Path:
        import mlflow.sklearn

        quiet_pickle_warning()
        target = folder / "mlflow_model"
        mlflow.sklearn.save_model(model, str(target), metadata=self._metadata(model, None),
                                  serialization_format=SERIALIZATION_FORMAT,
                                  pip_requirements=self.pip_requirements())
        return target


def _checked(method, X):
    """scikit-learn's ValueError for other columns than in training, as InvalidInput."""
    try:
        return method(X)
    except ValueError as exc:
        raise InvalidInput(f"the features do not fit this model: {exc}",
                           details={"field": "X"}) from exc


def _adapter_algorithm(model) -> str | None:
    """The algorithm a pipeline of the adapter's fit() was built for (its last step's name);
    None for the user's own estimators."""
    steps = getattr(model, "steps", None)
    name = steps[-1][0] if steps and steps[0][0] == "impute" else None
    return f"sklearn.{name}" if name and f"sklearn.{name}" in {a.id for a in ALGORITHMS} else None


def _inputs(model, X):
    """The adapter's pipelines get float64 features; the user's own estimators X as given."""
    from ._sklearn_fit import features

    return features(X) if _adapter_algorithm(model) else X


FRAMEWORK = SklearnFramework(name="sklearn", label="scikit-learn", module="sklearn",
                             export_formats=("mlflow", "joblib", "onnx"))
