"""The full metric set of a task, as one JSON-ready dict.

``evaluate(task, y_true, y_pred, ...)`` returns::

    {"task", "n_samples",
     "metrics": {name: float},            # scalars, ready for mlflow.log_metrics
     "skipped": {name: reason},           # what could not be computed, and why
     ... task extras: "confusion_matrix", "curves" (classification), "residuals"
     (regression), "cluster_sizes" (clustering), "permutation_importance" (any task)}

Metrics that need class probabilities are never guessed from labels: without ``y_proba`` they
are listed under ``skipped``. Binary tasks treat ``classes[1]`` as the positive class (the
scikit-learn order of ``predict_proba`` columns).
"""

from __future__ import annotations

from ..errors import InvalidInput
from . import curves
from .importance import permutation_importance

__all__ = ["RESIDUAL_SAMPLE", "evaluate"]

RESIDUAL_SAMPLE = 1000      # residual points kept for plots
SILHOUETTE_SAMPLE = 2000    # silhouette is O(n^2); larger sets are scored on a sample
NEEDS_PROBA = "needs class probabilities (y_proba)"
BINARY_TOP_K = "binary task: top-2 accuracy is always 1"


def evaluate(task, y_true, y_pred, y_proba=None, classes=None, X=None, model_predict=None,
             n_repeats=5, random_state=0) -> dict:
    import numpy as np

    if task not in ("binary", "multiclass", "regression", "clustering"):
        raise InvalidInput(f"unknown task {task!r}; choose binary, multiclass, regression or "
                           "clustering", details={"field": "task"})
    y_pred = np.asarray(y_pred)
    if y_true is not None:
        y_true = np.asarray(y_true)
        if len(y_true) != len(y_pred):
            raise InvalidInput(f"y_true has {len(y_true)} rows but y_pred has {len(y_pred)}",
                               details={"field": "y_pred"})
    elif task != "clustering":
        raise InvalidInput(f"task {task!r} needs y_true", details={"field": "y_true"})
    report = {"task": task, "n_samples": len(y_pred), "metrics": {}, "skipped": {}}
    if task in ("binary", "multiclass"):
        report.update(_classification(y_true, y_pred, y_proba, classes, report["skipped"]))
    elif task == "regression":
        report.update(_regression(y_true, y_pred, random_state))
    else:
        report.update(_clustering(y_true, y_pred, X, random_state, report["skipped"]))
    metrics = report.pop("scalars")
    report["metrics"].update(metrics)
    if X is not None and model_predict is not None:
        target = y_true if task != "clustering" else None
        result = permutation_importance(task, X, target, model_predict, n_repeats, random_state)
        if "skipped" in result:
            report["skipped"]["permutation_importance"] = result["skipped"]
        else:
            report["permutation_importance"] = result
    else:
        report["skipped"]["permutation_importance"] = "needs X and model_predict"
    return curves.plain(report)


# -- classification ---------------------------------------------------------------------------

def class_order(y_true, y_pred, y_proba, classes) -> list:
    """The classes in y_proba's column order: given, or sorted labels (scikit-learn's order)."""
    from sklearn.utils.multiclass import unique_labels

    if classes is not None:
        return list(curves.plain(list(classes)))
    found = list(curves.plain(list(unique_labels(y_true, y_pred))))
    if y_proba is not None and _columns(y_proba) != len(found):
        raise InvalidInput(f"y_proba has {_columns(y_proba)} columns but the labels are "
                           f"{found}; pass classes= in the column order of y_proba",
                           details={"field": "classes"})
    return found


def _columns(y_proba) -> int:
    import numpy as np

    proba = np.asarray(y_proba)
    return 2 if proba.ndim == 1 else proba.shape[1]


def probabilities(y_proba, classes):
    """(n, n_classes) float array; a 1-d binary input is the positive class's probability."""
    import numpy as np

    proba = np.asarray(y_proba, dtype="float64")
    if proba.ndim == 1:
        proba = np.column_stack([1 - proba, proba])
    if proba.shape[1] != len(classes):
        raise InvalidInput(f"y_proba has {proba.shape[1]} columns for {len(classes)} classes "
                           f"{classes}", details={"field": "y_proba"})
    return proba


def label_metrics(y_true, y_pred) -> dict:
    from sklearn import metrics as m

    out = {"accuracy": m.accuracy_score(y_true, y_pred),
           "balanced_accuracy": m.balanced_accuracy_score(y_true, y_pred),
           "matthews_corrcoef": m.matthews_corrcoef(y_true, y_pred)}
    for average in ("macro", "weighted"):
        p, r, f, _ = m.precision_recall_fscore_support(y_true, y_pred, average=average,
                                                       zero_division=0)
        out.update({f"precision_{average}": p, f"recall_{average}": r, f"f1_{average}": f})
    return out


def probability_metrics(y_true, proba, classes, skipped: dict) -> dict:
    """roc_auc, pr_auc, log_loss and (more than 2 classes) top-2 accuracy; a metric that is
    undefined for this data (e.g. one class only in y_true) goes to ``skipped``."""
    import numpy as np
    from sklearn import metrics as m

    binary = len(classes) == 2
    truth = np.asarray(y_true, dtype=object)
    onehot = (truth == classes[1]).astype(int) if binary else (
        truth[:, None] == np.asarray(classes, dtype=object)[None, :]).astype(int)
    # scikit-learn cannot tell the type of an object array of numbers ("The type of target
    # data is not known"): give it numbers as numbers (iris's target is 0/1/2)
    if not any(isinstance(c, str) for c in classes):
        truth = np.asarray(truth.tolist())
    positive = proba[:, 1] if binary else proba
    # scikit-learn's labels= must be sorted, with the probability columns in that order
    order = sorted(range(len(classes)), key=lambda i: classes[i])
    labels, ordered = [classes[i] for i in order], proba[:, order]
    compute = {
        "roc_auc": lambda: m.roc_auc_score(onehot, positive) if binary else m.roc_auc_score(
            truth, ordered, multi_class="ovr", average="macro", labels=labels),
        "pr_auc": lambda: m.average_precision_score(onehot, positive, average="macro"),
        "log_loss": lambda: m.log_loss(truth, ordered, labels=labels),
    }
    if binary:
        skipped["top_k_accuracy"] = BINARY_TOP_K
    else:
        compute["top_k_accuracy"] = lambda: m.top_k_accuracy_score(truth, ordered, k=2,
                                                                   labels=labels)
    out = {}
    for name, fn in compute.items():
        try:
            value = float(fn())
        except ValueError as exc:
            skipped[name] = str(exc)
            continue
        if np.isnan(value):
            skipped[name] = "undefined for these labels (a class has no positive row)"
        else:
            out[name] = value
    return out


def _classification(y_true, y_pred, y_proba, classes, skipped: dict) -> dict:
    from sklearn.metrics import confusion_matrix

    classes = class_order(y_true, y_pred, y_proba, classes)
    found = curves.plain(sorted(set(curves.plain(list(y_true)) + curves.plain(list(y_pred))) -
                                set(classes), key=str))
    labels = classes + found     # labels outside ``classes`` still get a row
    out = {"classes": classes, "scalars": label_metrics(y_true, y_pred),
           "confusion_matrix": {"labels": labels,
                                "matrix": confusion_matrix(y_true, y_pred, labels=labels)}}
    if y_proba is None:
        binary = len(classes) == 2
        for name in ("roc_auc", "pr_auc", "log_loss", "roc_curve", "pr_curve",
                     "calibration_curve" if binary else "top_k_accuracy"):
            skipped[name] = NEEDS_PROBA
        if binary:
            skipped["top_k_accuracy"] = BINARY_TOP_K
        return out
    proba = probabilities(y_proba, classes)
    out["scalars"].update(probability_metrics(y_true, proba, classes, skipped))
    out["curves"] = {"roc": curves.roc_curves(y_true, proba, classes),
                     "pr": curves.pr_curves(y_true, proba, classes)}
    if len(classes) == 2:
        out["curves"]["calibration"] = curves.calibration(y_true, proba, classes)
    return out


# -- regression ---------------------------------------------------------------------------------

def regression_metrics(y_true, y_pred) -> dict:
    import math

    from sklearn import metrics as m

    mse = m.mean_squared_error(y_true, y_pred)
    return {"mae": m.mean_absolute_error(y_true, y_pred), "mse": mse, "rmse": math.sqrt(mse),
            "r2": m.r2_score(y_true, y_pred),
            "mape": m.mean_absolute_percentage_error(y_true, y_pred),
            "median_absolute_error": m.median_absolute_error(y_true, y_pred),
            "explained_variance": m.explained_variance_score(y_true, y_pred)}


def residual_sample(y_true, y_pred, random_state=0, limit: int = RESIDUAL_SAMPLE) -> dict:
    """At most ``limit`` (y_true, y_pred, residual = y_true - y_pred) points, in row order."""
    import numpy as np

    n = len(y_true)
    rows = np.arange(n) if n <= limit else np.sort(
        np.random.default_rng(random_state).choice(n, limit, replace=False))
    y_true, y_pred = y_true[rows].astype(float), y_pred[rows].astype(float)
    return {"y_true": y_true, "y_pred": y_pred, "residual": y_true - y_pred,
            "n_total": n, "sampled": n > limit}


def _regression(y_true, y_pred, random_state) -> dict:
    y_true, y_pred = y_true.astype(float), y_pred.astype(float).ravel()
    return {"scalars": regression_metrics(y_true, y_pred),
            "residuals": residual_sample(y_true, y_pred, random_state)}


# -- clustering ---------------------------------------------------------------------------------

def numeric_matrix(X):
    """Float features, missing values filled with the column median (as the models do)."""
    import numpy as np
    import pandas as pd

    values = (X if isinstance(X, pd.DataFrame) else pd.DataFrame(np.asarray(X))).to_numpy(
        dtype="float64", na_value=np.nan)
    medians = np.nan_to_num(np.nanmedian(values, axis=0)) if np.isnan(values).any() else None
    return values if medians is None else np.where(np.isnan(values), medians, values)


def cluster_metrics(values, labels, random_state=0) -> dict:
    """silhouette, davies_bouldin, calinski_harabasz; ValueError when there is one cluster."""
    import numpy as np
    from sklearn import metrics as m

    n_clusters = len(np.unique(labels))
    if not 2 <= n_clusters <= len(labels) - 1:
        raise ValueError(f"needs 2 to n_samples - 1 clusters, got {n_clusters}")
    sample = SILHOUETTE_SAMPLE if len(labels) > SILHOUETTE_SAMPLE else None
    return {"silhouette": m.silhouette_score(values, labels, sample_size=sample,
                                             random_state=random_state),
            "davies_bouldin": m.davies_bouldin_score(values, labels),
            "calinski_harabasz": m.calinski_harabasz_score(values, labels)}


def _clustering(y_true, y_pred, X, random_state, skipped: dict) -> dict:
    import numpy as np
    from sklearn import metrics as m

    sizes = np.unique(y_pred, return_counts=True)
    out = {"scalars": {"n_clusters": len(sizes[0])},
           "cluster_sizes": [{"cluster": c, "size": n} for c, n in zip(*sizes, strict=True)]}
    names = ("silhouette", "davies_bouldin", "calinski_harabasz")
    if X is None:
        skipped.update({name: "needs X" for name in names})
    else:
        try:
            out["scalars"].update(cluster_metrics(numeric_matrix(X), y_pred, random_state))
        except ValueError as exc:
            skipped.update({name: str(exc) for name in names})
    if y_true is not None:   # ground truth groups, when the caller has them
        out["scalars"].update({"adjusted_rand": m.adjusted_rand_score(y_true, y_pred),
                               "normalized_mutual_info":
                                   m.normalized_mutual_info_score(y_true, y_pred)})
    return out
