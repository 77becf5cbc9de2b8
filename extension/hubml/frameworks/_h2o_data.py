"""pandas <-> H2OFrame for the H2O adapter: checked numeric features, labels kept as given.

Class labels go to H2O as strings (an ``enum`` column, levels sorted as strings); the model's
``classes`` are the original label values, and predictions are mapped back through ``str(label)``.
"""

from __future__ import annotations

import math

from ..errors import InvalidInput

__all__ = ["TARGET", "check_features", "check_valid", "class_labels", "decode_labels", "fetch",
           "history_steps", "label_index", "metrics_of", "select", "to_frame"]

TARGET = "__hubml_target__"     # the target column's name inside H2O frames
_METRICS = {"RMSE": "rmse", "MSE": "mse", "mae": "mae", "r2": "r2", "logloss": "logloss",
            "AUC": "auc", "mean_per_class_error": "mean_per_class_error",
            "mean_residual_deviance": "mean_residual_deviance"}


def check_features(X) -> list[str]:
    """Column names as strings; InvalidInput names the first column H2O should not get."""
    import pandas as pd

    if not isinstance(X, pd.DataFrame):
        raise InvalidInput(f"features must be a pandas DataFrame, got {type(X).__name__}")
    if X.shape[1] == 0:
        raise InvalidInput("the feature table has no columns")
    for column in X.columns:
        dtype = X[column].dtype
        if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_complex_dtype(dtype):
            raise InvalidInput(f"column {column!r} is not numeric ({dtype}); encode it first "
                               "(add an encoding step to the recipe) or drop it",
                               details={"field": str(column)})
    names = [str(c) for c in X.columns]
    if len(set(names)) != len(names) or TARGET in names:
        raise InvalidInput("feature column names must be unique (as text) and not "
                           f"{TARGET!r}", details={"field": "columns"})
    return names


def class_labels(task: str, y) -> list | None:
    """Sorted distinct labels (original values) for classification; None for regression."""
    import pandas as pd

    if y is None:
        raise InvalidInput(f"a target is needed for {task}", details={"field": "target"})
    if y.isna().any():
        raise InvalidInput(f"the target {y.name!r} has missing values; drop or fill those rows "
                           "first", details={"field": "target"})
    if task == "regression":
        if not pd.api.types.is_numeric_dtype(y.dtype) or pd.api.types.is_bool_dtype(y.dtype):
            raise InvalidInput(f"regression needs a numeric target; {y.name!r} is {y.dtype}",
                               details={"field": "target"})
        return None
    labels = [v.item() if hasattr(v, "item") else v for v in pd.unique(y).tolist()]
    try:
        labels = sorted(labels)
    except TypeError:   # mixed types: order by text
        labels = sorted(labels, key=str)
    if len({str(v) for v in labels}) != len(labels):
        raise InvalidInput("class labels must differ as text (e.g. not both 1 and '1')",
                           details={"field": "target"})
    if len(labels) < 2 or (task == "binary" and len(labels) != 2):
        want = "exactly 2" if task == "binary" else "at least 2"
        raise InvalidInput(f"{task} classification needs {want} classes; the target has "
                           f"{len(labels)}", details={"field": "target"})
    return labels


def check_valid(X, y, classes: list | None) -> None:
    """Validation rows: numeric features, no missing target, no class unseen in training."""
    check_features(X)
    if y.isna().any():
        raise InvalidInput("the validation target has missing values", details={"field": "target"})
    if classes is not None:
        unseen = sorted({str(v) for v in y.tolist()} - {str(c) for c in classes})
        if unseen:
            raise InvalidInput(f"validation labels not seen in training: {', '.join(unseen)}",
                               details={"field": "target"})


def select(X, features: list[str]):
    """The model's feature columns of ``X`` (matched as text), in training order."""
    import pandas as pd

    if not isinstance(X, pd.DataFrame):
        raise InvalidInput(f"features must be a pandas DataFrame, got {type(X).__name__}")
    by_name = {str(c): c for c in X.columns}
    missing = [c for c in features if c not in by_name]
    if missing:
        raise InvalidInput(f"missing feature columns: {', '.join(missing)}",
                           details={"field": missing[0]})
    return X[[by_name[name] for name in features]]


def to_frame(X, features: list[str], y=None, classes: list | None = None):
    """H2OFrame of float features (+ the target as enum or real); types set, not guessed."""
    import h2o
    import numpy as np
    import pandas as pd

    X = select(X, features)
    data = {name: X.iloc[:, i].to_numpy(dtype="float64", na_value=np.nan)
            for i, name in enumerate(features)}
    types = {name: "real" for name in features}
    if y is not None:
        if len(y) != len(X):
            raise InvalidInput(f"target has {len(y)} rows but features have {len(X)}")
        if classes is None:
            data[TARGET] = y.to_numpy(dtype="float64", na_value=np.nan)
            types[TARGET] = "real"
        else:
            data[TARGET] = np.asarray([str(v) for v in y.tolist()], dtype=object)
            types[TARGET] = "enum"
    return h2o.H2OFrame(pd.DataFrame(data), column_types=types)


def fetch(frame, text: tuple[str, ...] = ("predict",)):
    """H2OFrame -> pandas; ``text`` columns stay as H2O wrote them (pandas reads "01" as 1)."""
    import csv
    import io

    import numpy as np
    import pandas as pd

    rows = list(csv.reader(io.StringIO(frame.get_frame_data())))
    header, body = rows[0], rows[1:]
    columns = {}
    for i, name in enumerate(header):
        cells = [row[i] for row in body]
        if name in text and frame.type(name) == "enum":
            columns[name] = np.asarray(cells, dtype=object)
        else:
            columns[name] = np.asarray([float(c) if c not in ("", "NA") else np.nan for c in cells])
    return pd.DataFrame(columns)


def label_index(classes: list, levels: list[str]) -> list[int]:
    """Positions in H2O's ``levels`` of each class, in ``classes`` order."""
    where = {level: i for i, level in enumerate(levels)}
    return [where[str(c)] for c in classes]


def decode_labels(values, classes: list):
    """H2O's predicted levels (as text, or as pandas parsed them) -> original labels."""
    import numpy as np

    by_text = {str(c): c for c in classes}
    by_number = {}
    for c in classes:
        try:
            by_number[float(c)] = c
        except (TypeError, ValueError):
            pass
    out = []
    for v in values:
        if str(v) in by_text:
            out.append(by_text[str(v)])
            continue
        try:
            out.append(by_number[float(v)])
        except (TypeError, ValueError, KeyError):
            raise InvalidInput(f"prediction {v!r} is not one of the model's classes") from None
    if len({type(c) for c in classes}) == 1:
        return np.asarray(out)
    return np.asarray(out, dtype=object)   # mixed label types stay as given


def metrics_of(performance, prefix: str) -> dict:
    """Finite headline metrics from an H2O ModelMetrics object, prefixed train_/valid_."""
    raw = getattr(performance, "_metric_json", None) or {}
    out = {}
    for key, name in _METRICS.items():
        value = raw.get(key)
        if isinstance(value, (int, float)) and math.isfinite(value):
            out[f"{prefix}{name}"] = float(value)
    return out


def history_steps(history) -> list[dict]:
    """Scoring history rows as metric dicts (training_* -> train_*, validation_* -> valid_*)."""
    if history is None or not hasattr(history, "columns"):
        return []
    rows = []
    for _, row in history.iterrows():
        metrics = {}
        for column, value in row.items():
            for head, prefix in (("training_", "train_"), ("validation_", "valid_")):
                if str(column).startswith(head) and isinstance(value, (int, float)) \
                        and math.isfinite(value):
                    metrics[prefix + str(column)[len(head):]] = float(value)
        if metrics:
            rows.append(metrics)
    return rows
