"""Permutation feature importance for any model, given only its predict function.

Shuffle one column at a time and measure how much the score drops: accuracy for
classification, R^2 for regression, and for clustering the silhouette of the re-predicted
clusters on the original features (how much worse the clusters get without that feature).
"""

from __future__ import annotations

__all__ = ["MAX_ROWS", "permutation_importance"]

MAX_ROWS = 1000    # rows scored; importance on a sample is cheap and stable enough for ranking


def _scorer(task, y_true, X):
    from sklearn import metrics as m

    if task in ("binary", "multiclass"):
        return "accuracy", lambda pred: m.accuracy_score(y_true, pred)
    if task == "regression":
        return "r2", lambda pred: m.r2_score(y_true, pred)
    from .evaluate import numeric_matrix

    values = numeric_matrix(X)

    def silhouette(pred):
        import numpy as np

        # a shuffle that merges everything into one cluster has no structure left: score 0
        n = len(np.unique(pred))
        return m.silhouette_score(values, pred) if 2 <= n < len(pred) else 0.0
    return "silhouette", silhouette


def _rows(X, y_true, limit, rng):
    import numpy as np

    n = len(X)
    if n <= limit:
        return X, y_true
    keep = np.sort(rng.choice(n, limit, replace=False))
    X = X.iloc[keep] if hasattr(X, "iloc") else np.asarray(X)[keep]
    return X, (None if y_true is None else np.asarray(y_true)[keep])


def _shuffled(X, column: int, order):
    """A copy of X with one column's values permuted (DataFrame or array, as given)."""
    import numpy as np

    if hasattr(X, "iloc"):
        out = X.copy()
        out.isetitem(column, X.iloc[:, column].to_numpy()[order])
        return out
    out = np.array(X, copy=True)
    out[:, column] = out[order, column]
    return out


def permutation_importance(task, X, y_true, model_predict, n_repeats=5, random_state=0,
                           max_rows=MAX_ROWS) -> dict:
    """{"scoring", "baseline", "n_repeats", "n_rows", "features": [{"feature", "mean", "std"}]}
    sorted by mean drop, or {"skipped": reason}."""
    import numpy as np

    rng = np.random.default_rng(random_state)
    X, y_true = _rows(X, y_true, max_rows, rng)
    names = [str(c) for c in X.columns] if hasattr(X, "columns") else [
        f"x{i}" for i in range(np.asarray(X).shape[1])]
    scoring, score = _scorer(task, y_true, X)
    baseline = float(score(np.asarray(model_predict(X))))
    if scoring == "silhouette" and baseline == 0.0:
        return {"skipped": "the model puts every row in one cluster; silhouette is undefined"}
    features = []
    for j, name in enumerate(names):
        drops = [baseline - float(score(np.asarray(model_predict(
            _shuffled(X, j, rng.permutation(len(X))))))) for _ in range(n_repeats)]
        features.append({"feature": name, "mean": float(np.mean(drops)),
                         "std": float(np.std(drops))})
    features.sort(key=lambda f: -f["mean"])
    return {"scoring": scoring, "baseline": baseline, "n_repeats": n_repeats, "n_rows": len(X),
            "features": features}
