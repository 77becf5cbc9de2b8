"""What the TensorFlow and PyTorch adapters share: the hyperparameter schema, input conversion,
label encoding, the fitted wrapper and decoding network outputs back to labels.

A network outputs probabilities for classification ((n, 1) P(class 1) for binary, (n, k) for
multiclass) and values for regression; :class:`NetFramework` turns that into labels. numpy and
pandas are imported inside functions so that importing an adapter stays cheap.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InvalidInput
from .base import Algorithm, Framework, validate_params

__all__ = ["PATIENCE", "NetFramework", "NetModel", "TrainSpec", "algorithms", "class_weights",
           "decode", "default_signature", "encode_labels", "metadata_of", "own_net",
           "pip_requirements", "probabilities", "to_array"]

PATIENCE = 5          # epochs without a lower validation loss before early stopping
SIDECAR = "hubml.json"  # next to every exported file: task, classes, features

_COMMON = {
    "epochs": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 20,
               "description": "Passes over the training data.", "x-hubml-basic": "epochs"},
    "batch_size": {"type": "integer", "minimum": 1, "maximum": 65536, "default": 32,
                   "x-hubml-basic": "batch_size"},
    "optimizer": {"type": "string", "enum": ["adam", "sgd", "rmsprop"], "default": "adam",
                  "x-hubml-basic": "optimizer"},
    "learning_rate": {"type": "number", "exclusiveMinimum": 0, "maximum": 1, "default": 0.01,
                      "x-hubml-basic": "learning_rate"},
    "early_stopping": {"type": "boolean", "default": True, "x-hubml-basic": "early_stopping",
                       "description": "Stop after patience epochs without a better monitored "
                                      "validation metric (only when validation data is given)."},
    "patience": {"type": "integer", "minimum": 1, "maximum": 1000, "default": PATIENCE,
                 "x-hubml-basic": "patience",
                 "description": "Epochs without improvement before early stopping."},
    "monitor": {"type": "string", "enum": ["val_loss", "val_accuracy"], "default": "val_loss",
                "x-hubml-basic": "monitor",
                "description": "The validation metric early stopping watches (val_accuracy: "
                               "classification only)."},
    "class_weight": {"type": ["string", "null"], "enum": ["balanced", None], "default": None,
                     "x-hubml-basic": "class_weight", "x-hubml-tasks": ["binary", "multiclass"],
                     "description": "balanced: weigh each class inversely to its frequency."},
    "random_state": {"type": "integer", "minimum": 0, "maximum": 2**32 - 1, "default": 0,
                     "x-hubml-basic": "seed"},
}
_DENSE = {
    "layers": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 65536},
               "minItems": 1, "maxItems": 10, "default": [32, 16],
               "description": "Units of each hidden layer (ReLU)."},
    "dropout": {"type": "number", "minimum": 0, "exclusiveMaximum": 1, "default": 0.0},
}
_TASKS = ("binary", "multiclass", "regression")


def algorithms(framework: str, library: str) -> list[Algorithm]:
    """``<framework>.linear`` and ``<framework>.dense`` as plain data (no heavy import)."""
    def schema(props):
        return {"type": "object", "properties": copy.deepcopy(props)}
    return [
        Algorithm(f"{framework}.linear", "Linear model", _TASKS, schema(dict(_COMMON)),
                  f"Logistic / softmax / linear regression trained with {library}; inputs "
                  "standardized and missing values imputed inside the model."),
        Algorithm(f"{framework}.dense", "Dense neural network", _TASKS,
                  schema({**_COMMON, **_DENSE}),
                  f"Fully connected {library} network; inputs standardized and missing values "
                  "imputed inside the model."),
    ]


def class_weights(params: dict, task: str, y) -> dict | None:
    """{class code: weight} for class_weight 'balanced' (n / (k * count)), else None."""
    import numpy as np

    if params.get("class_weight") != "balanced" or task not in ("binary", "multiclass"):
        return None
    codes, counts = np.unique(np.asarray(y).astype("int64"), return_counts=True)
    return {int(c): float(len(y) / (len(codes) * n)) for c, n in zip(codes, counts, strict=True)}


def to_array(X, features: list[str] | None = None):
    """float32 numpy array of a DataFrame of numeric columns (NaN for missing values), columns in
    the order of ``features`` when given."""
    import numpy as np
    import pandas as pd

    X = X if isinstance(X, pd.DataFrame) else pd.DataFrame(X)
    if features is not None:
        missing = [f for f in features if f not in X.columns]
        if missing:
            raise InvalidInput(f"input lacks the column(s) {missing} the model was trained on",
                               details={"field": "X", "columns": missing})
        X = X[features]
    for name, dtype in X.dtypes.items():
        if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)):
            raise InvalidInput(f"column {name!r} is not numeric ({dtype}); encode it first "
                               "(add a one-hot or ordinal encoding step to the recipe)",
                               details={"field": "X", "column": str(name)})
    return X.to_numpy(dtype="float32", na_value=np.nan)


def encode_labels(task: str, y, classes: list | None = None):
    """(encoded y, classes): int codes 0..k-1 for classification (classes sorted, or the given
    ones), float32 for regression (classes None)."""
    import numpy as np
    import pandas as pd

    y = pd.Series(y)
    if y.isna().any():
        raise InvalidInput("the target has missing values; drop those rows or fill them in",
                           details={"field": "y"})
    if task == "regression":
        if not pd.api.types.is_numeric_dtype(y.dtype) or pd.api.types.is_bool_dtype(y.dtype):
            raise InvalidInput(f"regression needs a numeric target, got {y.dtype}",
                               details={"field": "y"})
        return y.to_numpy(dtype="float32"), None
    values = y.to_numpy(dtype=object)
    if classes is None:
        classes = [v.item() if hasattr(v, "item") else v for v in np.unique(values)]
        if len(classes) < 2:
            raise InvalidInput("classification needs at least 2 classes in the target",
                               details={"field": "y"})
        if task == "binary" and len(classes) != 2:
            raise InvalidInput(f"binary classification needs 2 classes, the target has "
                               f"{len(classes)}; choose the task 'multiclass'",
                               details={"field": "task"})
    index = {c: i for i, c in enumerate(classes)}
    unknown = sorted({str(v) for v in values if v not in index})
    if unknown:
        raise InvalidInput(f"validation labels {unknown[:5]} do not occur in the training data",
                           details={"field": "y_valid"})
    return np.array([index[v] for v in values], dtype="int64"), classes


def probabilities(task: str, output):
    """(n, k) class probabilities from a network output, or None for regression."""
    import numpy as np

    out = np.asarray(output, dtype="float64").reshape(len(output), -1)
    if task == "regression":
        return None
    return np.column_stack([1.0 - out[:, 0], out[:, 0]]) if out.shape[1] == 1 else out


def decode(task: str, classes: list | None, output):
    """What ``predict`` returns: original class labels, or regression values."""
    import numpy as np

    if task == "regression":
        return np.asarray(output, dtype="float64").reshape(-1)
    return np.asarray(classes)[np.argmax(probabilities(task, output), axis=1)]


def metadata_of(source) -> dict:
    """The hubml metadata dict from a :class:`NetModel`, a dict, an MLflow ``Model``, a pyfunc
    model, or an exported file/folder (its ``hubml.json`` sidecar)."""
    if isinstance(source, NetModel):
        return source.metadata()
    if isinstance(source, dict):
        return source
    if isinstance(source, (str, Path)):
        path = Path(source)
        for candidate in (path / SIDECAR, path.parent / SIDECAR):
            if candidate.is_file():
                return json.loads(candidate.read_text())
        raise InvalidInput(f"no {SIDECAR} next to {path}; export the model with hubml")
    for _ in range(3):  # PyFuncModel.metadata -> Model; Model.metadata -> dict
        source = getattr(source, "metadata", None)
        if isinstance(source, dict):
            return source
    raise InvalidInput("the model has no hubml metadata (task and classes); log it with hubml")


def pip_requirements(*dists: str) -> list[str]:
    """``name==version`` of the installed distributions among ``dists``; passing these to MLflow
    spares it seconds of inferring the environment."""
    from importlib import metadata

    def version(dist):
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return None
    return [f"{dist}=={version(dist)}" for dist in dists if version(dist)]


def default_signature(features: list[str]):
    """An input schema of one double column per feature (MLflow casts ints and float32 to it)."""
    from mlflow.models import ModelSignature
    from mlflow.types import ColSpec, Schema

    return ModelSignature(inputs=Schema([ColSpec("double", f) for f in features]))


def _moments(X):
    """Per-feature mean (ignoring NaN; 0 for an all-missing column) and the standard deviation of
    the mean-imputed data (1 where constant): the model imputes and standardizes with these."""
    import warnings

    import numpy as np

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # "mean of empty slice"
        mean = np.nan_to_num(np.nanmean(X, axis=0))
    std = np.where(np.isnan(X), mean, X).std(axis=0)
    std[std == 0] = 1.0
    return mean, std


@dataclass
class NetModel:
    """A fitted (or loaded) network with what ``predict`` needs to return original labels."""

    framework: str
    algorithm: str
    task: str
    classes: list | None
    features: list[str]
    net: Any                  # keras.Model / torch.nn.Module / torch.jit.ScriptModule
    params: dict = field(default_factory=dict)
    epochs_run: int = 0

    def metadata(self) -> dict:  # what MLflow and the export sidecar keep
        return {"framework": self.framework, "algorithm": self.algorithm, "task": self.task,
                "classes": self.classes, "features": self.features}


def own_net(framework: str, net, X_example, n_out: int, head: str | None,
            task: str | None) -> NetModel:
    """A user's own network as a :class:`NetModel`. It takes the float32 features of
    ``X_example``'s columns and outputs probabilities (classification: one sigmoid column or
    one column per class) or values; ``head`` is its last activation ("sigmoid", "softmax").
    Without ``task`` a softmax or several outputs mean multiclass, one sigmoid output binary,
    anything else regression. Classes are ``net.classes_`` if set, else 0..k-1."""
    if task is None:
        task = ("multiclass" if head == "softmax" or n_out > 1 else
                "binary" if head == "sigmoid" else "regression")
    if task not in _TASKS:
        raise InvalidInput(f"a {framework} network does {', '.join(_TASKS)}, not {task!r}",
                           details={"field": "task"})
    if task == "regression" and n_out != 1:
        raise InvalidInput(f"regression needs one output, the network has {n_out}; pass "
                           "task='multiclass' if it classifies", details={"field": "task"})
    classes = getattr(net, "classes_", None)
    if task != "regression":
        width = 2 if n_out == 1 else n_out
        classes = list(classes) if classes is not None else list(range(width))
        if len(classes) != width:
            raise InvalidInput(f"the network outputs {width} classes but classes_ has "
                               f"{len(classes)}", details={"field": "model"})
    features = [c.item() if hasattr(c, "item") else c
                for c in getattr(X_example, "columns", range(to_array(X_example).shape[1]))]
    return NetModel(framework, None, task, None if task == "regression" else classes, features,
                    net)


@dataclass
class TrainSpec:
    """Everything a framework's training loop needs, already converted to numpy."""

    kind: str                 # "linear" | "dense"
    task: str
    params: dict
    X: Any                    # float32 (n, d), may hold NaN
    y: Any                    # int64 codes or float32 standardized targets
    X_valid: Any = None
    y_valid: Any = None
    n_out: int = 1
    mean: Any = None          # per-feature training means (NaN-free): imputation + standardizing
    std: Any = None
    y_mean: float = 0.0       # regression targets are trained standardized
    y_std: float = 1.0
    callbacks: list = field(default_factory=list)

    def standardize(self, y):
        return ((y - self.y_mean) / self.y_std).astype("float32") if self.task == "regression" \
            else y

    @property
    def head(self) -> str:
        return {"binary": "sigmoid", "multiclass": "softmax"}.get(self.task, "identity")

    def report(self, epoch: int, loss: float, val_loss: float | None = None,
               val_accuracy: float | None = None) -> None:
        """Call the callbacks once for this epoch (1-based), regression losses in target units."""
        scale = self.y_std ** 2 if self.task == "regression" else 1.0
        metrics = {"loss": float(loss) * scale}
        if val_loss is not None:
            metrics["val_loss"] = float(val_loss) * scale
            if self.task == "regression":
                metrics["val_rmse"] = float(val_loss * scale) ** 0.5
            elif val_accuracy is not None:
                metrics["val_accuracy"] = float(val_accuracy)
        for callback in self.callbacks:
            callback(epoch, metrics)


@dataclass
class NetFramework(Framework):
    """Shared fit / predict; subclasses add ``_train``, ``_forward``, MLflow and exports."""

    def algorithms(self) -> list[Algorithm]:
        return algorithms(self.name, self.label)

    def fit(self, algorithm_id, task, params, X_train, y_train=None, X_valid=None, y_valid=None,
            callbacks=None) -> NetModel:
        algorithm = self.algorithm(algorithm_id)
        if task not in algorithm.tasks:
            raise InvalidInput(f"{algorithm.id} does not support the task {task!r}; choose one "
                               f"of: {', '.join(algorithm.tasks)}", details={"field": "task"})
        params = validate_params(algorithm, params)
        if params["monitor"] == "val_accuracy" and task == "regression":
            raise InvalidInput("monitor val_accuracy needs a classification task; choose "
                               "val_loss", details={"field": "monitor"})
        for key in ("epochs", "batch_size", "random_state", "patience"):
            params[key] = int(params[key])  # JSON Schema accepts 20.0 as an integer
        X = to_array(X_train)
        if y_train is None or len(X) != len(y_train) or len(X) == 0:
            raise InvalidInput(f"{algorithm.id} needs a target with one value per row of X "
                               f"({len(X)} rows)", details={"field": "y"})
        features = [c.item() if hasattr(c, "item") else c  # numpy scalars are not YAML
                    for c in getattr(X_train, "columns", range(X.shape[1]))]
        spec = TrainSpec(algorithm.id.split(".", 1)[1], task, params, X, None,
                         callbacks=list(callbacks or []))
        spec.mean, spec.std = _moments(X)
        spec.y, classes = encode_labels(task, y_train)
        spec.n_out = len(classes) if task == "multiclass" else 1
        if task == "regression":  # trained on standardized targets; the model scales back
            spec.y_mean, spec.y_std = float(spec.y.mean()), float(spec.y.std() or 1.0)
            spec.y = spec.standardize(spec.y)
        if X_valid is not None and y_valid is not None and len(X_valid):
            spec.X_valid = to_array(X_valid, features)
            spec.y_valid = spec.standardize(encode_labels(task, y_valid, classes)[0])
        net, epochs_run = self._train(spec)
        return NetModel(self.name, algorithm.id, task, classes, features, net, params, epochs_run)

    def predict(self, model: NetModel, X):
        output = self._forward(model.net, to_array(X, model.features))
        return decode(model.task, model.classes, output)

    def predict_proba(self, model: NetModel, X):
        return probabilities(model.task, self._forward(model.net, to_array(X, model.features)))

    def classes(self, model: NetModel) -> list | None:
        return model.classes

    def decode_pyfunc(self, model_or_metadata, output):
        meta = metadata_of(model_or_metadata)
        return decode(meta["task"], meta.get("classes"), output)

    def _metadata(self, model: NetModel, extra: dict | None) -> dict:
        return {**(extra or {}), **model.metadata()}

    def _export_target(self, fmt: str, path, name: str) -> Path:
        """``path/name`` for an export to ``fmt``; an earlier export there is replaced."""
        import shutil

        if fmt not in self.export_formats:
            raise InvalidInput(f"{self.label} exports to {', '.join(self.export_formats)}, "
                               f"not {fmt!r}", details={"field": "format"})
        target = Path(path) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        return target

    def _write_sidecar(self, model: NetModel, target: Path, fmt: str) -> None:
        meta = {**model.metadata(), "format": fmt}
        (target.parent / SIDECAR).write_text(json.dumps(meta, indent=1))

    # -- per framework ----------------------------------------------------------------
    def _train(self, spec: TrainSpec) -> tuple[Any, int]:
        """Build and train the network; return (network, epochs run)."""
        raise NotImplementedError

    def _forward(self, net, X):
        """numpy output of the network (probabilities or values) for a float32 array."""
        raise NotImplementedError
