"""evaluate(): metric values on tiny fixed inputs, checked by hand or against scikit-learn."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics
from sklearn.calibration import calibration_curve

from hubml.errors import InvalidInput
from hubml.training import evaluate

BIN_TRUE = ["no", "yes", "yes", "no", "yes", "no"]
BIN_PRED = ["no", "yes", "no", "no", "yes", "yes"]
BIN_P_YES = [0.1, 0.9, 0.4, 0.2, 0.8, 0.6]

MC_TRUE = ["a", "b", "c", "a", "b", "c"]
MC_PRED = ["a", "b", "c", "b", "b", "a"]
MC_PROBA = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6],
                     [0.3, 0.6, 0.1], [0.2, 0.5, 0.3], [0.5, 0.4, 0.1]])


def as_json(report) -> dict:
    """The report survives strict JSON (no NaN/Infinity) unchanged."""
    return json.loads(json.dumps(report, allow_nan=False))


def test_binary_metrics_by_hand():
    report = evaluate("binary", BIN_TRUE, BIN_PRED, np.column_stack(
        [1 - np.array(BIN_P_YES), BIN_P_YES]), classes=["no", "yes"])
    m = report["metrics"]
    # 2 TP, 2 TN, 1 FP, 1 FN: every per-class precision and recall is 2/3
    for name in ("precision_macro", "recall_macro", "f1_macro", "precision_weighted",
                 "recall_weighted", "f1_weighted", "accuracy", "balanced_accuracy"):
        assert m[name] == pytest.approx(2 / 3), name
    assert m["matthews_corrcoef"] == pytest.approx((2 * 2 - 1 * 1) / 9)
    assert m["roc_auc"] == pytest.approx(8 / 9)        # 8 of 9 (pos, neg) pairs ordered
    assert m["pr_auc"] == pytest.approx(1 / 3 + 1 / 3 + 1 / 3 * 3 / 4)
    assert m["log_loss"] == pytest.approx(-(math.log(0.9) + math.log(0.8) + math.log(0.4)) / 3)
    assert report["confusion_matrix"] == {"labels": ["no", "yes"], "matrix": [[2, 1], [1, 2]]}
    assert "top_k_accuracy" in report["skipped"] and "top_k_accuracy" not in m
    assert report == as_json(report)


def test_binary_curves_for_the_positive_class():
    report = evaluate("binary", BIN_TRUE, BIN_PRED, BIN_P_YES, classes=["no", "yes"])
    (roc,) = report["curves"]["roc"]
    assert roc["class"] == "yes" and roc["auc"] == pytest.approx(8 / 9)
    assert roc["fpr"][0] == 0 and roc["fpr"][-1] == 1 and roc["tpr"][-1] == 1
    assert roc["thresholds"][0] is None      # scikit-learn's +inf, as JSON null
    (pr,) = report["curves"]["pr"]
    assert len(pr["thresholds"]) == len(pr["precision"]) - 1 and pr["recall"][-1] == 0
    calibration = report["curves"]["calibration"]
    assert sum(calibration["bin_counts"]) == 6
    expected_true, expected_pred = calibration_curve(np.array(BIN_TRUE) == "yes", BIN_P_YES,
                                                     n_bins=10)
    assert calibration["prob_true"] == pytest.approx(list(expected_true))
    assert calibration["prob_pred"] == pytest.approx(list(expected_pred))
    assert report == as_json(report)


def test_multiclass_metrics_match_sklearn():
    report = evaluate("multiclass", MC_TRUE, MC_PRED, MC_PROBA, classes=["a", "b", "c"])
    m = report["metrics"]
    assert m["accuracy"] == pytest.approx(4 / 6)
    assert report["confusion_matrix"]["matrix"] == [[1, 1, 0], [0, 2, 0], [1, 0, 1]]
    # the true class is among the 2 most probable in every row but the last (c: 0.1)
    assert m["top_k_accuracy"] == pytest.approx(5 / 6)
    assert m["roc_auc"] == pytest.approx(metrics.roc_auc_score(MC_TRUE, MC_PROBA,
                                                               multi_class="ovr"))
    onehot = np.array(MC_TRUE)[:, None] == np.array(["a", "b", "c"])
    assert m["pr_auc"] == pytest.approx(metrics.average_precision_score(onehot, MC_PROBA))
    assert m["log_loss"] == pytest.approx(metrics.log_loss(MC_TRUE, MC_PROBA))
    assert m["f1_macro"] == pytest.approx(metrics.f1_score(MC_TRUE, MC_PRED, average="macro"))
    assert [c["class"] for c in report["curves"]["roc"]] == ["a", "b", "c"]
    assert "calibration" not in report["curves"]


def test_multiclass_with_integer_labels_matches_the_string_labels():
    """iris's target is 0/1/2: the metrics must not depend on how the labels are spelled."""
    as_int = {"a": 0, "b": 1, "c": 2}
    report = evaluate("multiclass", [as_int[v] for v in MC_TRUE], [as_int[v] for v in MC_PRED],
                      MC_PROBA, classes=[0, 1, 2])
    expected = evaluate("multiclass", MC_TRUE, MC_PRED, MC_PROBA, classes=["a", "b", "c"])
    for name in ("log_loss", "roc_auc", "pr_auc", "top_k_accuracy", "accuracy"):
        assert report["metrics"][name] == pytest.approx(expected["metrics"][name]), name


def test_class_order_follows_the_probability_columns():
    order = ["c", "a", "b"]
    proba = MC_PROBA[:, [2, 0, 1]]
    report = evaluate("multiclass", MC_TRUE, MC_PRED, proba, classes=order)
    expected = evaluate("multiclass", MC_TRUE, MC_PRED, MC_PROBA, classes=["a", "b", "c"])
    for name in ("log_loss", "roc_auc", "pr_auc", "top_k_accuracy"):
        assert report["metrics"][name] == pytest.approx(expected["metrics"][name]), name
    assert report["confusion_matrix"]["labels"] == order
    with pytest.raises(InvalidInput, match="classes"):
        evaluate("multiclass", ["a", "b", "a"], ["a", "b", "b"], MC_PROBA[:3])  # 3 columns, 2 labels


@pytest.mark.parametrize("task, y_true, y_pred", [("binary", BIN_TRUE, BIN_PRED),
                                                  ("multiclass", MC_TRUE, MC_PRED)])
def test_probability_metrics_are_skipped_not_faked(task, y_true, y_pred):
    report = evaluate(task, y_true, y_pred)
    for name in ("roc_auc", "pr_auc", "log_loss", "roc_curve", "pr_curve"):
        assert "probabilities" in report["skipped"][name]
        assert name not in report["metrics"]
    assert "curves" not in report and report["metrics"]["accuracy"] == pytest.approx(4 / 6)
    assert report == as_json(report)


def test_integer_labels_and_one_class_truth():
    report = evaluate("binary", [1, 1, 1], [1, 0, 1], [[0.2, 0.8], [0.6, 0.4], [0.1, 0.9]],
                      classes=[0, 1])
    assert report["confusion_matrix"] == {"labels": [0, 1], "matrix": [[0, 0], [1, 2]]}
    assert "roc_auc" in report["skipped"] and "roc_auc" not in report["metrics"]
    assert report == as_json(report)


def test_regression_metrics_by_hand():
    report = evaluate("regression", [1, 2, 3, 4], [1.5, 2, 2, 5])
    m = report["metrics"]
    assert m["mae"] == pytest.approx(0.625) and m["mse"] == pytest.approx(0.5625)
    assert m["rmse"] == pytest.approx(0.75) and m["r2"] == pytest.approx(1 - 2.25 / 5)
    assert m["mape"] == pytest.approx((0.5 + 0 + 1 / 3 + 1 / 4) / 4)
    assert m["median_absolute_error"] == pytest.approx(0.75)
    assert m["explained_variance"] == pytest.approx(1 - 0.546875 / 1.25)
    assert report["residuals"]["residual"] == [-0.5, 0, 1, -1]
    assert report == as_json(report)


def test_residuals_are_a_bounded_sample():
    y = np.arange(2500, dtype=float)
    report = evaluate("regression", y, y + 1)
    residuals = report["residuals"]
    assert len(residuals["y_true"]) == 1000 and residuals["sampled"] is True
    assert residuals["n_total"] == 2500 and set(residuals["residual"]) == {-1.0}
    assert residuals["y_true"] == sorted(residuals["y_true"])   # rows stay in order


def test_clustering_metrics_match_sklearn():
    X = pd.DataFrame({"x": [0, 0, 10, 10, 5.0], "y": [0, 1, 0, 1, np.nan]})
    labels = [0, 0, 1, 1, 1]
    filled = X.fillna(X.median())      # missing values filled with the median, as models do
    report = evaluate("clustering", None, labels, X=X)
    m = report["metrics"]
    assert m["silhouette"] == pytest.approx(metrics.silhouette_score(filled, labels))
    assert m["davies_bouldin"] == pytest.approx(metrics.davies_bouldin_score(filled, labels))
    assert m["calinski_harabasz"] == pytest.approx(
        metrics.calinski_harabasz_score(filled, labels))
    assert report["cluster_sizes"] == [{"cluster": 0, "size": 2}, {"cluster": 1, "size": 3}]
    with_truth = evaluate("clustering", ["p", "p", "q", "q", "q"], labels, X=X)
    assert with_truth["metrics"]["adjusted_rand"] == pytest.approx(1.0)
    assert report == as_json(report)


def test_clustering_without_X_or_with_one_cluster_is_skipped():
    assert evaluate("clustering", None, [0, 1, 1])["skipped"]["silhouette"] == "needs X"
    report = evaluate("clustering", None, [0, 0, 0], X=[[0, 1], [1, 1], [2, 2]])
    assert "clusters" in report["skipped"]["silhouette"] and "silhouette" not in report["metrics"]


def test_permutation_importance_finds_the_used_feature():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"used": rng.random(200), "noise": rng.random(200)})
    predict = lambda frame: np.where(frame["used"] > 0.5, "yes", "no")  # noqa: E731
    report = evaluate("binary", predict(X), predict(X), X=X, model_predict=predict)
    importance = report["permutation_importance"]
    assert importance["scoring"] == "accuracy" and importance["baseline"] == 1.0
    by_name = {f["feature"]: f for f in importance["features"]}
    assert by_name["used"]["mean"] > 0.3 and by_name["noise"] == {
        "feature": "noise", "mean": 0.0, "std": 0.0}
    assert importance["features"][0]["feature"] == "used"
    regression = evaluate("regression", 3 * X["used"], 3 * X["used"], X=X,
                          model_predict=lambda frame: 3 * frame["used"].to_numpy())
    assert regression["permutation_importance"]["features"][0]["feature"] == "used"


def test_permutation_importance_for_clustering_is_a_silhouette_drop():
    X = np.array([[0, 5.0], [0.1, 2], [10, 4], [10.1, 1]] * 5)
    predict = lambda values: (np.asarray(values)[:, 0] > 5).astype(int)  # noqa: E731
    report = evaluate("clustering", None, predict(X), X=X, model_predict=predict)
    importance = report["permutation_importance"]
    assert importance["scoring"] == "silhouette"
    by_name = {f["feature"]: f["mean"] for f in importance["features"]}
    assert by_name["x0"] > 0.1 and by_name["x1"] == 0.0
    assert "permutation_importance" in evaluate("clustering", None, [0] * 4,
                                                X=X[:4], model_predict=lambda v: [0] * 4
                                                )["skipped"]


def test_curves_are_thinned_for_large_inputs():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 5000)
    report = evaluate("binary", y, (rng.random(5000) > 0.5).astype(int), rng.random(5000))
    assert len(report["curves"]["roc"][0]["fpr"]) <= 201
    assert len(report["curves"]["pr"][0]["precision"]) <= 201
    assert report == as_json(report)


def test_bad_input_is_refused():
    with pytest.raises(InvalidInput, match="task"):
        evaluate("ranking", [1], [1])
    with pytest.raises(InvalidInput, match="rows"):
        evaluate("regression", [1, 2], [1])
    with pytest.raises(InvalidInput, match="y_true"):
        evaluate("binary", None, [1, 0])
