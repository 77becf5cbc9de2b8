"""scikit-learn algorithms as data (id, tasks, hyperparameter JSON Schema) and their estimators.

``ALGORITHMS`` is plain data, so listing algorithms never imports scikit-learn; ``build``
imports it when a model is made. Every estimator sits in a Pipeline behind a median
SimpleImputer (missing values in features work everywhere), plus a StandardScaler where the
algorithm is scale sensitive.
"""

from __future__ import annotations

from .base import Algorithm

__all__ = ["ALGORITHMS", "CLASSIFICATION", "SCALED", "build", "estimator_name"]

CLASSIFICATION = ("binary", "multiclass")
BOTH = (*CLASSIFICATION, "regression")
# distance, gradient or penalty based: unscaled features would dominate or slow convergence
SCALED = {"svm", "knn", "mlp", "logistic_regression"}

CLASSIFICATION_CRITERIA = ["gini", "entropy", "log_loss"]
# not friedman_mse: deprecated in scikit-learn 1.9 (it maps to squared_error; the schema check
# in _sklearn_constraints found it)
REGRESSION_CRITERIA = ["squared_error", "absolute_error", "poisson"]


def _int(default, minimum, maximum, description="", nullable=False):
    return {"type": ["integer", "null"] if nullable else "integer", "default": default,
            "minimum": minimum, "maximum": maximum, "description": description}


def _num(default, minimum, maximum, description="", exclusive_min=False):
    bound = {"exclusiveMinimum": minimum} if exclusive_min else {"minimum": minimum}
    return {"type": "number", "default": default, **bound, "maximum": maximum,
            "description": description}


def _enum(default, values, description=""):
    return {"type": "string", "default": default, "enum": list(values), "description": description}


def _schema(**properties) -> dict:
    return {"type": "object", "properties": properties}


RANDOM_STATE = {**_int(0, 0, 2**31 - 1, "seed; the same seed gives the same model", nullable=True),
                "x-hubml-basic": "seed"}
# classification only (the regressors have no such parameter): build() passes it then only
CLASS_WEIGHT = {"type": ["string", "null"], "enum": ["balanced", None], "default": None,
                "description": "balanced: weigh each class inversely to its frequency",
                "x-hubml-basic": "class_weight", "x-hubml-tasks": list(CLASSIFICATION)}
MAX_DEPTH = _int(8, 1, 100, "deepest tree level; null = grow until leaves are pure", nullable=True)
MIN_LEAF = _int(1, 1, 10_000, "fewest training rows in a leaf")

_SPECS = [
    ("linear_regression", "Linear regression", ("regression",), "Ordinary least squares.",
     _schema(fit_intercept={"type": "boolean", "default": True,
                            "description": "fit a constant term"})),
    ("logistic_regression", "Logistic regression", CLASSIFICATION,
     "Linear classifier with probabilities; features are standardised.",
     _schema(C=_num(1.0, 0, 1e6, "inverse regularisation strength", exclusive_min=True),
             max_iter=_int(200, 10, 10_000, "solver iterations"),
             penalty=_enum("l2", ["l2", "l1", "elasticnet", "none"], "regularisation"),
             l1_ratio=_num(0.5, 0, 1, "share of L1 when penalty is elasticnet"),
             class_weight=CLASS_WEIGHT)),
    ("ridge", "Ridge regression", ("regression",), "Least squares with an L2 penalty.",
     _schema(alpha=_num(1.0, 0, 1e6, "L2 penalty strength"))),
    ("lasso", "Lasso", ("regression",), "Least squares with an L1 penalty (sparse weights).",
     _schema(alpha=_num(0.1, 0, 1e6, "L1 penalty strength", exclusive_min=True),
             max_iter=_int(2000, 10, 100_000, "coordinate descent iterations"))),
    ("elastic_net", "Elastic net", ("regression",), "Least squares with L1 and L2 penalties.",
     _schema(alpha=_num(0.1, 0, 1e6, "penalty strength", exclusive_min=True),
             l1_ratio=_num(0.5, 0, 1, "share of L1 in the penalty"),
             max_iter=_int(2000, 10, 100_000, "coordinate descent iterations"))),
    ("decision_tree", "Decision tree", BOTH, "One tree of if/else splits.",
     _schema(max_depth=MAX_DEPTH, min_samples_leaf=MIN_LEAF,
             criterion=_enum("auto", ["auto", *CLASSIFICATION_CRITERIA, *REGRESSION_CRITERIA],
                             "split quality; auto = gini (classification) or squared_error "
                             "(regression)"),
             class_weight=CLASS_WEIGHT, random_state=RANDOM_STATE)),
    ("random_forest", "Random forest", BOTH, "Averaged trees on bootstrap samples.",
     _schema(n_estimators=_int(50, 1, 5000, "number of trees"),
             max_depth=_int(None, 1, 100, "deepest tree level; null = unlimited", nullable=True),
             min_samples_leaf=MIN_LEAF, class_weight=CLASS_WEIGHT, random_state=RANDOM_STATE)),
    ("hist_gradient_boosting", "Histogram gradient boosting", BOTH,
     "Boosted trees on binned features (LightGBM style).",
     _schema(max_iter=_int(100, 1, 10_000, "boosting iterations (trees per class)"),
             learning_rate={**_num(0.1, 0, 1, "shrinkage of each tree", exclusive_min=True),
                            "x-hubml-basic": "learning_rate"},
             max_depth=_int(None, 1, 100, "deepest tree level; null = unlimited", nullable=True),
             early_stopping={"type": "boolean", "default": False,
                             "description": "stop when the validation score stops improving",
                             "x-hubml-basic": "early_stopping"},
             n_iter_no_change={**_int(10, 1, 1000, "iterations without improvement before "
                                      "early stopping"), "x-hubml-basic": "patience"},
             class_weight=CLASS_WEIGHT, random_state=RANDOM_STATE)),
    ("svm", "Support vector machine", BOTH,
     "Kernel SVM (SVC with calibrated probabilities / SVR); features are standardised.",
     _schema(C=_num(1.0, 0, 1e6, "inverse regularisation strength", exclusive_min=True),
             kernel=_enum("rbf", ["rbf", "linear", "poly", "sigmoid"], "kernel function"),
             gamma={"anyOf": [{"type": "string", "enum": ["scale", "auto"]},
                              {"type": "number", "exclusiveMinimum": 0}],
                    "default": "scale", "description": "kernel width: scale, auto or a number"},
             class_weight=CLASS_WEIGHT)),
    ("knn", "k nearest neighbours", BOTH,
     "Vote or mean of the closest training rows; features are standardised.",
     _schema(n_neighbors=_int(5, 1, 1000, "neighbours consulted"),
             weights=_enum("uniform", ["uniform", "distance"], "neighbour weighting"))),
    ("naive_bayes", "Gaussian naive Bayes", CLASSIFICATION,
     "Independent Gaussian features per class.",
     _schema(var_smoothing=_num(1e-9, 0, 1, "variance added for stability"))),
    ("mlp", "Multi-layer perceptron", BOTH,
     "Small fully connected network; features are standardised.",
     _schema(hidden_layer_sizes={"type": "array", "default": [32], "minItems": 1,
                                 "maxItems": 5, "description": "units per hidden layer",
                                 "items": {"type": "integer", "minimum": 1, "maximum": 4096}},
             alpha=_num(1e-4, 0, 10, "L2 penalty"),
             learning_rate_init={**_num(1e-3, 0, 1, "Adam step size", exclusive_min=True),
                                 "x-hubml-basic": "learning_rate"},
             max_iter={**_int(200, 1, 10_000, "epochs"), "x-hubml-basic": "epochs"},
             batch_size={**_int(200, 1, 65536, "rows per gradient step (at most the training "
                                "rows)"), "x-hubml-basic": "batch_size"},
             random_state=RANDOM_STATE)),
    ("kmeans", "k-means", ("clustering",), "Partitions rows into k clusters around centroids.",
     _schema(n_clusters=_int(3, 2, 1000, "number of clusters"),
             n_init=_int(3, 1, 100, "restarts; the best one is kept"),
             random_state=RANDOM_STATE)),
]

ALGORITHMS = [Algorithm(id=f"sklearn.{name}", label=label, tasks=tasks, schema=schema,
                        description=description)
              for name, label, tasks, description, schema in _SPECS]


def estimator_name(algorithm_id: str) -> str:
    return algorithm_id.split(".", 1)[-1]


def _logistic(params, classification):
    from sklearn.linear_model import LogisticRegression

    penalty = params["penalty"]
    solver = "saga" if penalty in ("l1", "elasticnet") else "lbfgs"
    args = dict(C=params["C"], max_iter=params["max_iter"], solver=solver,
                class_weight=params.get("class_weight"))
    if LogisticRegression().penalty == "deprecated":  # scikit-learn >= 1.8: l1_ratio / C=inf
        ratio = {"l2": 0.0, "l1": 1.0, "none": 0.0}.get(penalty, params["l1_ratio"])
        args.update(l1_ratio=ratio, C=float("inf") if penalty == "none" else params["C"])
    else:
        args.update(penalty=None if penalty == "none" else penalty,
                    l1_ratio=params["l1_ratio"] if penalty == "elasticnet" else None)
    return LogisticRegression(**args)


def _criterion(params, classification):
    criterion = params["criterion"]
    if criterion == "auto":
        return "gini" if classification else "squared_error"
    allowed = CLASSIFICATION_CRITERIA if classification else REGRESSION_CRITERIA
    if criterion not in allowed:
        from ..errors import InvalidInput

        kind = "classification" if classification else "regression"
        raise InvalidInput(f"hyperparameter 'criterion' of sklearn.decision_tree: {criterion!r} "
                           f"does not fit {kind}; choose auto or one of: {', '.join(allowed)}",
                           details={"field": "criterion", "algorithm": "sklearn.decision_tree"})
    return criterion


def _estimator(name: str, classification: bool, p: dict):
    from sklearn import (
        cluster,
        ensemble,
        linear_model,
        naive_bayes,
        neighbors,
        neural_network,
        svm,
        tree,
    )

    pick = (lambda c, r: c) if classification else (lambda c, r: r)
    weights = {"class_weight": p.get("class_weight")} if classification else {}
    if name == "linear_regression":
        return linear_model.LinearRegression(fit_intercept=p["fit_intercept"])
    if name == "logistic_regression":
        return _logistic(p, classification)
    if name == "ridge":
        return linear_model.Ridge(alpha=p["alpha"])
    if name == "lasso":
        return linear_model.Lasso(alpha=p["alpha"], max_iter=p["max_iter"])
    if name == "elastic_net":
        return linear_model.ElasticNet(alpha=p["alpha"], l1_ratio=p["l1_ratio"],
                                       max_iter=p["max_iter"])
    if name == "decision_tree":
        cls = pick(tree.DecisionTreeClassifier, tree.DecisionTreeRegressor)
        return cls(max_depth=p["max_depth"], min_samples_leaf=p["min_samples_leaf"],
                   criterion=_criterion(p, classification), random_state=p["random_state"],
                   **weights)
    if name == "random_forest":
        cls = pick(ensemble.RandomForestClassifier, ensemble.RandomForestRegressor)
        return cls(n_estimators=p["n_estimators"], max_depth=p["max_depth"],
                   min_samples_leaf=p["min_samples_leaf"], random_state=p["random_state"],
                   **weights)
    if name == "hist_gradient_boosting":
        cls = pick(ensemble.HistGradientBoostingClassifier, ensemble.HistGradientBoostingRegressor)
        return cls(max_iter=p["max_iter"], learning_rate=p["learning_rate"],
                   max_depth=p["max_depth"], early_stopping=p["early_stopping"],
                   n_iter_no_change=p["n_iter_no_change"], random_state=p["random_state"],
                   **weights)
    if name == "svm":
        common = dict(C=p["C"], kernel=p["kernel"], gamma=p["gamma"])
        if classification:
            # SVC(probability=True) is deprecated since scikit-learn 1.9 (gone in 1.11); this is
            # its documented replacement, converts to ONNX, and predict() agrees with the
            # probabilities. cv is lowered in fit when a class has fewer than 5 rows.
            from sklearn.calibration import CalibratedClassifierCV

            return CalibratedClassifierCV(svm.SVC(**common, **weights), ensemble=False, cv=5)
        return svm.SVR(**common)
    if name == "knn":
        cls = pick(neighbors.KNeighborsClassifier, neighbors.KNeighborsRegressor)
        return cls(n_neighbors=p["n_neighbors"], weights=p["weights"])
    if name == "naive_bayes":
        return naive_bayes.GaussianNB(var_smoothing=p["var_smoothing"])
    if name == "mlp":
        cls = pick(neural_network.MLPClassifier, neural_network.MLPRegressor)
        layers = tuple(int(n) for n in p["hidden_layer_sizes"])
        return cls(hidden_layer_sizes=layers, alpha=p["alpha"],
                   learning_rate_init=p["learning_rate_init"], max_iter=p["max_iter"],
                   batch_size=p["batch_size"], random_state=p["random_state"])
    if name == "kmeans":
        return cluster.KMeans(n_clusters=p["n_clusters"], n_init=p["n_init"],
                              random_state=p["random_state"])
    raise KeyError(name)


def _as_ints(algorithm: Algorithm, params: dict) -> dict:
    """JSON Schema accepts 3.0 as an integer; scikit-learn's own checks do not."""
    out = dict(params)
    for key, prop in algorithm.schema["properties"].items():
        types = prop.get("type", ())
        if "integer" in types and isinstance(out.get(key), float):
            out[key] = int(out[key])
    return out


def build(algorithm: Algorithm, task: str, params: dict):
    """An unfitted Pipeline(impute[, scale], <algorithm name>) for validated ``params``."""
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    name = estimator_name(algorithm.id)
    estimator = _estimator(name, task in CLASSIFICATION, _as_ints(algorithm, params))
    # keep_empty_features: an all-missing column stays (as 0), so the column count never changes
    steps = [("impute", SimpleImputer(strategy="median", keep_empty_features=True))]
    if name in SCALED:
        steps.append(("scale", StandardScaler()))
    # the last step is named after the algorithm, so a fitted (or loaded) model tells which it is
    return Pipeline([*steps, (name, estimator)])
