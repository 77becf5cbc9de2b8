"""Small fixed data sets per task, split into train and valid (90 + 30 rows).

Class labels are strings ("no"/"yes", iris species) to prove that labels round-trip unchanged
through fit, predict, MLflow and every export format.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

__all__ = ["Data", "dataset"]

ROWS = 120


@dataclass(frozen=True)
class Data:
    task: str
    X_train: object
    y_train: object   # pandas Series, None for clustering
    X_valid: object
    y_valid: object


def _frame(values, names):
    import pandas as pd

    return pd.DataFrame(values, columns=[n.replace(" (cm)", "").replace(" ", "_") for n in names])


def _split(task, X, y):
    from sklearn.model_selection import train_test_split

    stratify = y if task in ("binary", "multiclass") else None
    if y is None:
        X_train, X_valid = train_test_split(X, test_size=30, random_state=0)
        return Data(task, X_train, None, X_valid, None)
    X_train, X_valid, y_train, y_valid = train_test_split(X, y, test_size=30, random_state=0,
                                                          stratify=stratify)
    return Data(task, X_train, y_train, X_valid, y_valid)


@functools.cache
def dataset(task: str) -> Data:
    import numpy as np
    import pandas as pd
    from sklearn import datasets

    rng = np.random.default_rng(0)
    if task == "binary":
        source = datasets.load_breast_cancer()
        rows = rng.choice(len(source.target), ROWS, replace=False)
        X = _frame(source.data[rows, :8], source.feature_names[:8])
        y = pd.Series(np.where(source.target[rows] == 1, "yes", "no"), name="diagnosis")
    elif task == "multiclass":
        source = datasets.load_iris()
        rows = np.concatenate([rng.choice(np.flatnonzero(source.target == k), ROWS // 3,
                                          replace=False) for k in range(3)])
        X = _frame(source.data[rows], source.feature_names)
        y = pd.Series(source.target_names[source.target[rows]].astype(object), name="species")
    elif task == "regression":
        source = datasets.load_diabetes()
        X = _frame(source.data[:ROWS], source.feature_names)
        y = pd.Series(source.target[:ROWS], name="progression")
    elif task == "clustering":
        values, _ = datasets.make_blobs(ROWS, n_features=4, centers=3, random_state=0)
        X, y = _frame(values, [f"f{i}" for i in range(4)]), None
    else:
        raise ValueError(f"no test data for task {task!r}")
    return _split(task, X, y)
