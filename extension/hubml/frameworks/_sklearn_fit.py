"""Input checks and the training loop of the scikit-learn adapter.

Features become a float64 DataFrame with string column names (the pipeline remembers the
names, so an MLflow pyfunc model fed the same DataFrame checks them). float64, not float32:
it is what pandas and MLflow serving hand the model, and scikit-learn 1.9's KMeans.predict
fails on a float dtype other than the one it was fitted on (checked). Class labels keep their
original values. Ensembles grow in batches with ``warm_start`` so callbacks report live.
"""

from __future__ import annotations

from ..errors import InvalidInput
from ._sklearn_algorithms import CLASSIFICATION

__all__ = ["features", "fit_pipeline", "target"]

_BATCHES = 10          # callbacks per boosting / forest fit
_GROWING = {"hist_gradient_boosting": "max_iter", "random_forest": "n_estimators"}


def features(X):
    """A float64 DataFrame; InvalidInput names the first column that is not numeric."""
    import numpy as np
    import pandas as pd

    if not isinstance(X, pd.DataFrame):
        X = pd.DataFrame(np.asarray(X))
    if X.shape[1] == 0:
        raise InvalidInput("the feature table has no columns", details={"field": "X"})
    for column in X.columns:
        if not pd.api.types.is_numeric_dtype(X[column].dtype):
            raise InvalidInput(
                f"feature column {column!r} is not numeric ({X[column].dtype}); encode it first "
                "with a recipe step (one-hot or ordinal encoding) or drop it",
                details={"field": "X", "column": str(column)})
    return pd.DataFrame(X.to_numpy(dtype="float64", na_value=np.nan),
                        columns=[str(c) for c in X.columns], index=X.index)


def target(task: str, y, field: str = "y"):
    """numpy labels (original values) or float64 values; None for clustering."""
    import pandas as pd

    if task == "clustering":
        return None
    if y is None:
        raise InvalidInput(f"task {task!r} needs a target column", details={"field": field})
    y = pd.Series(y)
    missing = int(y.isna().sum())
    if missing:
        raise InvalidInput(f"the target has {missing} missing values; drop those rows first",
                           details={"field": field})
    if task == "regression":
        if not pd.api.types.is_numeric_dtype(y.dtype) or pd.api.types.is_bool_dtype(y.dtype):
            raise InvalidInput(f"regression needs a numeric target, got {y.dtype}; choose a "
                               "classification task for labels", details={"field": field})
        return y.to_numpy(dtype="float64")
    values = y.to_numpy()
    return values.astype(object) if values.dtype.kind in "OUS" else values


def check_classes(task: str, y) -> None:
    import numpy as np

    n = len(np.unique(y))
    if task == "binary" and n != 2:
        hint = "; choose multiclass" if n > 2 else ""
        raise InvalidInput(f"binary classification needs exactly 2 classes in the training "
                           f"target, found {n}{hint}", details={"field": "task"})
    if task == "multiclass" and n < 2:
        raise InvalidInput(f"classification needs at least 2 classes in the training target, "
                           f"found {n}", details={"field": "task"})


def _scores(task, estimator, X, y, Xv, yv) -> dict:
    """accuracy (classification), r2 (regression) or inertia (clustering) on train and valid."""
    if task == "clustering":
        return {"inertia": float(estimator.inertia_)} if hasattr(estimator, "inertia_") else {}
    name = "accuracy" if task in CLASSIFICATION else "r2"
    out = {f"train_{name}": float(estimator.score(X, y))}
    if Xv is not None:
        out[f"valid_{name}"] = float(estimator.score(Xv, yv))
    return out


def _steps(total: int) -> list[int]:
    size = max(1, -(-total // _BATCHES))
    return sorted({*range(size, total, size), total})


def _fit_growing(estimator, param, fit, report) -> None:
    """Grow an ensemble batch by batch (warm_start keeps what is built) and report each batch;
    stop when early stopping ended the boosting before the batch was full."""
    total = estimator.get_params()[param]
    estimator.set_params(warm_start=True)
    try:
        for stop in _steps(total):
            estimator.set_params(**{param: stop})
            fit()
            report(stop)
            if getattr(estimator, "n_iter_", stop) < stop:
                break
    finally:
        estimator.set_params(warm_start=False, **{param: total})


def fit_pipeline(model, task: str, X, y, Xv=None, yv=None, callbacks=()):
    """Fit the preprocessing steps, then the estimator (with live callbacks); returns model."""
    name, estimator = model.steps[-1]
    prep = model[:-1]
    Xt = prep.fit_transform(X) if len(prep) else X
    Xvt = prep.transform(Xv) if Xv is not None and len(prep) else Xv

    def report(step):
        metrics = _scores(task, estimator, Xt, y, Xvt, yv)
        for callback in callbacks:
            callback(step, metrics)

    if "cv" in estimator.get_params() and y is not None:   # calibrated SVM: folds <= rows/class
        import numpy as np

        smallest = int(np.unique(y, return_counts=True)[1].min())
        estimator.set_params(cv=max(2, min(5, smallest)))
    extra = {}
    if name == "hist_gradient_boosting" and Xvt is not None and estimator.early_stopping:
        extra = {"X_val": Xvt, "y_val": yv}     # early stopping on the caller's validation set
    fit = (lambda: estimator.fit(Xt, **extra)) if y is None else (
        lambda: estimator.fit(Xt, y, **extra))
    if name in _GROWING:
        _fit_growing(estimator, _GROWING[name], fit, report)
    elif name == "mlp":
        fit()
        # scikit-learn has no per-epoch hook; replay the loss curve, scores at the last epoch
        curve = list(estimator.loss_curve_)
        for epoch, loss in enumerate(curve[:-1], start=1):
            for callback in callbacks:
                callback(epoch, {"loss": float(loss)})
        final = {"loss": float(curve[-1]), **_scores(task, estimator, Xt, y, Xvt, yv)}
        for callback in callbacks:
            callback(len(curve), final)
    else:
        fit()
        report(1)
    return model
