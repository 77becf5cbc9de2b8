"""Curve data for evaluation reports: ROC, precision-recall and calibration points.

Each curve is a dict of plain lists, at most ``MAX_POINTS`` points (evenly thinned, first and
last kept), labelled with the class it is for, so a chart can draw it without numpy.
"""

from __future__ import annotations

import math

__all__ = ["MAX_POINTS", "calibration", "plain", "pr_curves", "roc_curves", "thin"]

MAX_POINTS = 201


def plain(value):
    """JSON-ready: numpy scalars/arrays to Python, NaN and infinities to None."""
    import numpy as np

    if isinstance(value, dict):
        return {str(k) if not isinstance(k, str) else k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def thin(*arrays, limit: int = MAX_POINTS) -> list:
    """The same evenly spaced indices of each array, so at most ``limit`` points remain."""
    import numpy as np

    n = len(arrays[0])
    if n <= limit:
        return [np.asarray(a) for a in arrays]
    keep = np.unique(np.linspace(0, n - 1, limit).round().astype(int))
    return [np.asarray(a)[keep] for a in arrays]


def _one_vs_rest(y_true, proba, classes, positive_only: bool):
    """(class, is_that_class, its probability) for the positive class or for every class."""
    import numpy as np

    y_true = np.asarray(y_true, dtype=object)
    indices = [len(classes) - 1] if positive_only else range(len(classes))
    for i in indices:
        yield classes[i], y_true == classes[i], proba[:, i]


def roc_curves(y_true, proba, classes) -> list[dict]:
    """Binary: one curve for the positive class (classes[1]); multiclass: one per class."""
    from sklearn.metrics import auc, roc_curve

    curves = []
    for label, hit, score in _one_vs_rest(y_true, proba, classes, len(classes) == 2):
        if hit.all() or not hit.any():
            continue   # a class absent from (or alone in) y_true has no ROC curve
        fpr, tpr, thresholds = roc_curve(hit, score)
        area = auc(fpr, tpr)
        fpr, tpr, thresholds = thin(fpr, tpr, thresholds)
        curves.append({"class": label, "fpr": fpr, "tpr": tpr, "thresholds": thresholds,
                       "auc": area})
    return curves


def pr_curves(y_true, proba, classes) -> list[dict]:
    from sklearn.metrics import average_precision_score, precision_recall_curve

    curves = []
    for label, hit, score in _one_vs_rest(y_true, proba, classes, len(classes) == 2):
        if not hit.any():
            continue
        precision, recall, thresholds = precision_recall_curve(hit, score)
        ap = average_precision_score(hit, score)
        # thresholds has one point fewer; the last (precision 1, recall 0) point has none
        precision, recall = thin(precision, recall)
        (thresholds,) = thin(thresholds)
        curves.append({"class": label, "precision": precision, "recall": recall,
                       "thresholds": thresholds, "average_precision": ap})
    return curves


def calibration(y_true, proba, classes, n_bins: int = 10) -> dict:
    """Binary reliability diagram: mean predicted probability vs observed rate per bin."""
    import numpy as np
    from sklearn.calibration import calibration_curve

    positive = np.asarray(y_true, dtype=object) == classes[1]
    prob_true, prob_pred = calibration_curve(positive, proba[:, 1], n_bins=n_bins)
    # binned exactly as calibration_curve bins (edges belong to the lower bin)
    edges = np.linspace(0, 1, n_bins + 1)
    counts = np.bincount(np.searchsorted(edges[1:-1], proba[:, 1]), minlength=n_bins)
    return {"class": classes[1], "prob_pred": prob_pred, "prob_true": prob_true,
            "bin_counts": counts[counts > 0], "n_bins": n_bins}
