"""H2O algorithms as plain data (ids, tasks, JSON Schemas) and the estimator each one builds."""

from __future__ import annotations

from .base import Algorithm

__all__ = ["ALGORITHMS", "build"]

_CLASSIFY = ("binary", "multiclass")
_ALL = ("binary", "multiclass", "regression")
_SEED = {"type": "integer", "default": 1, "minimum": -1, "maximum": 2**31 - 1,
         "description": "Random seed (-1: a different one each run).", "x-hubml-basic": "seed"}
_NTREES = {"type": "integer", "default": 50, "minimum": 1, "maximum": 5000,
           "description": "Number of trees."}
_ACTIVATIONS = ["Rectifier", "Tanh", "Maxout", "RectifierWithDropout", "TanhWithDropout",
                "MaxoutWithDropout"]
_AUTOML_ALGOS = ["DRF", "GLM", "XGBoost", "GBM", "DeepLearning", "StackedEnsemble"]


def _schema(**properties) -> dict:
    return {"type": "object", "properties": properties}


ALGORITHMS = (
    Algorithm("h2o.gbm", "Gradient boosting machine (H2O)", _ALL, _schema(
        ntrees=_NTREES,
        max_depth={"type": "integer", "default": 5, "minimum": 1, "maximum": 30,
                   "description": "Maximum tree depth."},
        learn_rate={"type": "number", "default": 0.1, "exclusiveMinimum": 0, "maximum": 1,
                    "description": "Shrinkage applied to each tree.",
                    "x-hubml-basic": "learning_rate"},
        min_rows={"type": "number", "default": 10, "minimum": 1, "maximum": 1_000_000,
                  "description": "Fewest rows in a leaf."},
        seed=_SEED), "H2O GBM: boosted trees, one after another."),
    Algorithm("h2o.glm", "Generalized linear model (H2O)", _ALL, _schema(
        alpha={"type": "number", "default": 0.5, "minimum": 0, "maximum": 1,
               "description": "Elastic-net mix: 0 is ridge, 1 is lasso."},
        lambda_={"type": ["number", "null"], "default": None, "minimum": 0, "maximum": 1e6,
                 "description": "Regularization strength; empty lets H2O choose."},
        seed=_SEED), "Binomial, multinomial or gaussian family, chosen from the task."),
    Algorithm("h2o.random_forest", "Random forest (H2O DRF)", _ALL, _schema(
        ntrees=_NTREES,
        max_depth={"type": "integer", "default": 20, "minimum": 1, "maximum": 60,
                   "description": "Maximum tree depth."},
        seed=_SEED), "H2O distributed random forest."),
    Algorithm("h2o.deep_learning", "Deep learning (H2O)", _ALL, _schema(
        hidden={"type": "array", "default": [32, 32], "minItems": 1, "maxItems": 8,
                "items": {"type": "integer", "minimum": 1, "maximum": 4096},
                "description": "Units in each hidden layer."},
        epochs={"type": "number", "default": 10, "exclusiveMinimum": 0, "maximum": 1000,
                "description": "Passes over the training data.", "x-hubml-basic": "epochs"},
        activation={"type": "string", "default": "Rectifier", "enum": _ACTIVATIONS,
                    "description": "Activation function."},
        seed=_SEED,
        reproducible={"type": "boolean", "default": True,
                      "description": "Same result for the same seed (uses one thread)."}),
        "Feed-forward network trained by H2O."),
    Algorithm("h2o.naive_bayes", "Naive Bayes (H2O)", _CLASSIFY, _schema(
        laplace={"type": "number", "default": 0, "minimum": 0, "maximum": 1_000_000,
                 "description": "Laplace smoothing."}), "Gaussian naive Bayes for numbers."),
    Algorithm("h2o.automl", "AutoML (H2O)", _ALL, _schema(
        max_models={"type": "integer", "default": 5, "minimum": 1, "maximum": 100,
                    "description": "Most models to train (ensembles not counted)."},
        max_runtime_secs={"type": "integer", "default": 30, "minimum": 1, "maximum": 3600,
                          "description": "Time budget in seconds."},
        nfolds={"type": "integer", "default": 5, "minimum": 0, "maximum": 10,
                "enum": [0, 2, 3, 4, 5, 6, 7, 8, 9, 10],
                "description": "Cross-validation folds for ranking models (0: none, faster)."},
        seed=_SEED,
        exclude_algos={"type": "array", "default": [], "uniqueItems": True,
                       "items": {"type": "string", "enum": _AUTOML_ALGOS},
                       "description": "Algorithms AutoML must not try."}),
        "Trains several models; the leaderboard's best one is kept."),
)


def build(algorithm_id: str, task: str, params: dict, project: str, n_classes: int = 0):
    """An untrained H2O estimator (or H2OAutoML) for validated ``params``."""
    from h2o import estimators as est
    from h2o.automl import H2OAutoML

    p = dict(params)
    if algorithm_id == "h2o.gbm":
        return est.H2OGradientBoostingEstimator(**p)
    if algorithm_id == "h2o.glm":
        family = ("gaussian" if task == "regression" else
                  "binomial" if n_classes == 2 else "multinomial")
        return est.H2OGeneralizedLinearEstimator(family=family, **p)
    if algorithm_id == "h2o.random_forest":
        return est.H2ORandomForestEstimator(**p)
    if algorithm_id == "h2o.deep_learning":
        return est.H2ODeepLearningEstimator(**p)
    if algorithm_id == "h2o.naive_bayes":
        return est.H2ONaiveBayesEstimator(**p)
    if algorithm_id == "h2o.automl":
        p["exclude_algos"] = p.get("exclude_algos") or None
        return H2OAutoML(project_name=project, verbosity=None, **p)
    raise KeyError(algorithm_id)
