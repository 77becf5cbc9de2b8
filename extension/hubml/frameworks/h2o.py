"""H2O-3 adapter: GBM, GLM, DRF, deep learning, naive Bayes and AutoML on a local JVM.

The JVM starts on first fit/load/predict (:mod:`._h2o_cluster`); ``import h2o`` happens only
inside methods. Fitted models are :class:`H2OModel`: the H2O estimator plus the task, the
original class labels and the feature names, which ``log_model`` keeps in the MLmodel metadata.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from ..errors import InvalidInput
from . import _h2o_data as data
from ._h2o_algorithms import ALGORITHMS, build
from ._h2o_cluster import INIT_SETTINGS, start_cluster
from .base import Framework, validate_params

__all__ = ["FRAMEWORK", "H2OFramework", "H2OModel", "load_export", "start_cluster"]

_META_KEY = "hubml_h2o"          # where log_model keeps task / classes / features
_SIDECAR = "hubml_h2o.json"      # the same, beside an exported file


@dataclass
class H2OModel:
    estimator: object            # an H2O model (for AutoML: the leader)
    task: str
    classes: list | None         # original label values, sorted; None for regression
    features: list[str]
    algorithm: str = ""

    def info(self) -> dict:
        return {"task": self.task, "classes": self.classes, "features": self.features,
                "algorithm": self.algorithm}


def _mojo_export_allowed() -> bool:
    """False for h2o clients whose MOJO export is gated behind H2O-3 Secure (3.46.0.12 is)."""
    spec = importlib.util.find_spec("h2o")
    if spec is None or not spec.submodule_search_locations:
        return False
    gate = Path(list(spec.submodule_search_locations)[0]) / "enterprise.py"
    return not (gate.exists() and "def block(" in gate.read_text(encoding="utf-8"))


class H2OFramework(Framework):
    def __init__(self):
        formats = ("mlflow", "h2o_binary") + (("mojo",) if _mojo_export_allowed() else ())
        super().__init__(name="h2o", label="H2O-3", module="h2o", export_formats=formats)

    def available(self) -> bool:
        """The h2o package and a Java runtime for its JVM."""
        import os
        import shutil

        java = os.environ.get("JAVA_HOME") or shutil.which("java")
        return super().available() and bool(java)

    def version(self) -> str | None:
        import importlib.metadata

        try:
            return importlib.metadata.version("h2o")
        except importlib.metadata.PackageNotFoundError:
            return None

    def algorithms(self):
        return list(ALGORITHMS)

    # -- training and prediction ----------------------------------------------------
    def fit(self, algorithm_id, task, params, X_train, y_train=None, X_valid=None, y_valid=None,
            callbacks=None):
        algorithm = self.algorithm(algorithm_id)
        params = validate_params(algorithm, params)
        if task not in algorithm.tasks:
            raise InvalidInput(f"{algorithm.id} does not do {task}; it does: "
                               f"{', '.join(algorithm.tasks)}", details={"field": "task"})
        features = data.check_features(X_train)
        classes = data.class_labels(task, y_train)
        has_valid = X_valid is not None and y_valid is not None
        if has_valid:
            data.check_valid(X_valid, y_valid, classes)
        start_cluster()
        import h2o
        from h2o.exceptions import H2OResponseError

        frames = []
        try:
            frames.append(data.to_frame(X_train, features, y_train, classes))
            if has_valid:
                frames.append(data.to_frame(X_valid, features, y_valid, classes))
            estimator = build(algorithm.id, task, params, project=f"hubml_{uuid.uuid4().hex[:12]}",
                              n_classes=len(classes or []))
            kwargs = {"validation_frame": frames[1]} if has_valid else {}
            if algorithm.id == "h2o.automl":
                kwargs = {"leaderboard_frame": frames[1]} if has_valid else {}
            estimator.train(x=features, y=data.TARGET, training_frame=frames[0], **kwargs)
        except H2OResponseError as error:   # H2O's own parameter / data checks
            raise _training_error(algorithm.id, error) from error
        finally:   # the model keeps what it needs; frames would pile up in the JVM's heap
            if frames:
                h2o.remove(frames)
        fitted = getattr(estimator, "leader", None) if algorithm.id == "h2o.automl" else estimator
        if fitted is None:
            raise InvalidInput(f"{algorithm.id} trained no model in the time given; raise "
                               "max_runtime_secs or max_models",
                               details={"field": "max_runtime_secs"})
        model = H2OModel(fitted, task, classes, features, algorithm.id)
        _report(model, has_valid, callbacks or [])
        return model

    def predict(self, model, X):
        import numpy as np

        raw = self._predict_frame(model, X)
        if raw is None:
            return np.asarray([] if model.classes is None else model.classes[:0])
        if model.classes is None:
            return raw["predict"].to_numpy(dtype="float64")
        return data.decode_labels(raw["predict"], model.classes)

    def predict_proba(self, model, X):
        import numpy as np

        if model.classes is None:
            return None
        raw = self._predict_frame(model, X)
        if raw is None:
            return np.zeros((0, len(model.classes)))
        order = data.label_index(model.classes, raw.attrs["levels"])
        return raw.iloc[:, 1:].to_numpy(dtype="float64")[:, order]

    def classes(self, model):
        return None if model.classes is None else list(model.classes)

    def _predict_frame(self, model, X):
        """pandas: ``predict`` (level text or values) + one probability column per level."""
        data.check_features(data.select(X, model.features))
        if len(X) == 0:
            return None
        start_cluster()
        import h2o

        frame = data.to_frame(X, model.features)
        prediction = model.estimator.predict(frame)
        try:
            levels = prediction["predict"].levels()[0] if model.classes is not None else []
            out = data.fetch(prediction)
        finally:
            h2o.remove([frame, prediction])
        out.attrs["levels"] = list(levels)
        return out

    # -- the user's own models ---------------------------------------------------------
    def adopt(self, model, X_example=None, task=None) -> H2OModel:
        """A trained H2O estimator (for AutoML: its leader); task, classes and features are
        read from the model."""
        if isinstance(model, H2OModel):
            return model
        from h2o.model.model_base import ModelBase

        leader = getattr(model, "leader", None)   # an H2OAutoML run
        model = leader if leader is not None else model
        if not isinstance(model, ModelBase):
            raise InvalidInput(f"expected a trained H2O model or a model from this adapter's "
                               f"fit(), got {type(model).__name__}", details={"field": "model"})
        return H2OModel(model, **_describe(model))

    def task_of(self, model) -> str | None:
        return model.task

    # -- MLflow ---------------------------------------------------------------------
    def log_model(self, model, name, signature=None, input_example=None, metadata=None):
        import mlflow.h2o

        return mlflow.h2o.log_model(model.estimator, name=name, signature=signature,
                                    input_example=input_example,
                                    pip_requirements=_requirements(),
                                    metadata={**(metadata or {}), _META_KEY: model.info()},
                                    settings={"init": dict(INIT_SETTINGS)})

    def load_model(self, model_uri):
        start_cluster()
        import mlflow.h2o
        from mlflow.models import Model

        estimator = mlflow.h2o.load_model(model_uri)
        info = (Model.load(model_uri).metadata or {}).get(_META_KEY) or _describe(estimator)
        return H2OModel(estimator, **info)

    def decode_pyfunc(self, model_or_metadata, output):
        import numpy as np

        info = _info_of(model_or_metadata)
        predicted = output["predict"] if hasattr(output, "columns") else np.asarray(output)
        if not info.get("classes"):
            return np.asarray(predicted, dtype="float64")
        return data.decode_labels(list(predicted), info["classes"])

    # -- deployment formats ---------------------------------------------------------
    def formats_for(self, algorithm_id: str) -> tuple[str, ...]:
        # H2O has no MOJO writer for naive Bayes
        no_mojo = algorithm_id in ("h2o.naive_bayes", "naive_bayes")
        return tuple(f for f in self.export_formats if not (no_mojo and f == "mojo"))

    def export(self, model, fmt, path):
        if fmt not in self.export_formats:
            why = (" (MOJO export needs H2O-3 Secure with this h2o client)"
                   if fmt == "mojo" else "")
            raise InvalidInput(f"H2O models cannot be exported as {fmt!r}{why}; choose one of: "
                               f"{', '.join(self.export_formats)}", details={"field": "format"})
        start_cluster()
        import h2o

        path = Path(path)
        if fmt == "mlflow":
            import mlflow.h2o

            mlflow.h2o.save_model(model.estimator, str(path), pip_requirements=_requirements(),
                                  metadata={_META_KEY: model.info()},
                                  settings={"init": dict(INIT_SETTINGS)})
            return str(path)
        if fmt == "mojo" and not getattr(model.estimator, "have_mojo", False):
            others = [f for f in self.export_formats if f != "mojo"]
            raise InvalidInput(f"this {model.algorithm} model has no MOJO form; choose one of: "
                               f"{', '.join(others)}", details={"field": "format"})
        path.mkdir(parents=True, exist_ok=True)
        if fmt == "mojo":
            written = model.estimator.download_mojo(path=str(path))
        else:
            written = h2o.download_model(model.estimator, path=str(path))
        info = {**model.info(), "format": fmt, "file": Path(written).name}
        (path / _SIDECAR).write_text(json.dumps(info, indent=1), encoding="utf-8")
        return str(path)


def load_export(path) -> H2OModel:
    """Load a folder written by ``export(model, "mojo" | "h2o_binary", path)``."""
    start_cluster()
    import h2o

    info = json.loads((Path(path) / _SIDECAR).read_text(encoding="utf-8"))
    file = str(Path(path, info.pop("file")).resolve())
    fmt = info.pop("format")
    estimator = h2o.import_mojo(file) if fmt == "mojo" else h2o.upload_model(file)
    return H2OModel(estimator, **info)


def _report(model: H2OModel, has_valid: bool, callbacks) -> None:
    """H2O has no per-iteration hook: replay the scoring history, then the final metrics."""
    if not callbacks:
        return
    try:
        with contextlib.redirect_stdout(io.StringIO()):   # "No score history for this model"
            history = model.estimator.scoring_history()
    except Exception:  # some models (AutoML ensembles) keep none
        history = None
    rows = data.history_steps(history)
    final = data.metrics_of(model.estimator.model_performance(train=True), "train_")
    if has_valid and model.algorithm != "h2o.automl":
        final.update(data.metrics_of(model.estimator.model_performance(valid=True), "valid_"))
    for callback in callbacks:
        for step, metrics in enumerate(rows, start=1):
            callback(step, metrics)
        callback(max(len(rows), 1), final)


def _describe(estimator) -> dict:
    """task / classes / features of an H2O model logged without hubml's metadata."""
    output = estimator._model_json["output"]
    names, domains = list(output["names"]), output["domains"]
    category = str(output.get("model_category", "")).lower()
    task = {"binomial": "binary", "multinomial": "multiclass"}.get(category, "regression")
    classes = list(domains[-1]) if task != "regression" and domains[-1] else None
    ids = {"drf": "random_forest", "deeplearning": "deep_learning", "naivebayes": "naive_bayes"}
    return {"task": task, "classes": classes, "features": names[:-1],
            "algorithm": f"h2o.{ids.get(estimator.algo, estimator.algo)}"}


def _info_of(model_or_metadata) -> dict:
    if isinstance(model_or_metadata, H2OModel):
        return model_or_metadata.info()
    meta = getattr(model_or_metadata, "metadata", model_or_metadata)   # PyFuncModel -> Model
    meta = getattr(meta, "metadata", meta)                               # Model -> dict
    meta = meta or {}
    return meta.get(_META_KEY, meta) if isinstance(meta, dict) else {}


def _requirements() -> list[str]:
    import h2o

    return [f"h2o=={h2o.__version__}"]


def _training_error(algorithm_id: str, error) -> InvalidInput:
    """H2O's "ERRR on field: _min_rows: <why>" as InvalidInput naming the hyperparameter."""
    import re

    found = re.search(r"ERRR on field: _?(\w+): ([^\n']+)", str(error))
    if found:
        field, why = found.group(1), found.group(2).strip()
        return InvalidInput(f"hyperparameter {field!r} of {algorithm_id}: {why}",
                            details={"field": field, "algorithm": algorithm_id})
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return InvalidInput(f"H2O could not train {algorithm_id}: {(lines or ['?'])[0][:500]}",
                        details={"algorithm": algorithm_id})


FRAMEWORK = H2OFramework()
