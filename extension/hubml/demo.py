"""The demo project: datasets that ship with scikit-learn, a recipe-processed version, and
a registered, evaluated model for each task type (binary, multiclass, regression, clustering).

Everything goes through the public SDK, so the demo is also an example of the code path.
"""

from __future__ import annotations

from .errors import Conflict

__all__ = ["DEMO_NAME", "create_demo"]

DEMO_NAME = "demo"

# (dataset, scikit-learn loader, target column, task, algorithm, hyperparameters)
_TASKS = [
    ("breast-cancer", "load_breast_cancer", "diagnosis", "binary",
     "sklearn.logistic_regression", {"max_iter": 500}),
    ("iris", "load_iris", "species", "multiclass", "sklearn.random_forest",
     {"n_estimators": 50}),
    ("diabetes", "load_diabetes", "progression", "regression", "sklearn.ridge", {"alpha": 1.0}),
]


def _load(loader: str, target: str):
    from sklearn import datasets

    bunch = getattr(datasets, loader)(as_frame=True)
    frame = bunch.frame.rename(columns={"target": target})
    names = getattr(bunch, "target_names", None)
    if names is not None and loader != "load_diabetes":  # labels as words, not 0/1/2
        frame[target] = frame[target].map(dict(enumerate(names))).astype("str")
    frame.columns = [str(c).replace(" ", "_") for c in frame.columns]
    return frame


def _train_and_register(project, dataset_version, target, task, algorithm, params, run_name):
    from sklearn.model_selection import train_test_split

    from . import frameworks
    from .training import evaluate

    framework, algo = frameworks.algorithm(algorithm)
    params = frameworks.validate_params(algo, params)
    df = dataset_version.load()
    X = df.drop(columns=[target]) if target else df
    y = df[target] if target else None
    split = train_test_split(X, y, test_size=0.25, random_state=0,
                             stratify=y if task in ("binary", "multiclass") else None) \
        if y is not None else (X, X, None, None)
    X_train, X_test, y_train, y_test = split
    model = framework.fit(algorithm, task, params, X_train, y_train)
    y_pred = framework.predict(model, X_test)
    report = evaluate(task, y_test, y_pred, y_proba=framework.predict_proba(model, X_test),
                      classes=framework.classes(model), X=X_test,
                      model_predict=lambda rows: framework.predict(model, rows))
    report["evaluated_on"] = "test"
    scalars = {k: v for k, v in report["metrics"].items() if isinstance(v, (int, float))
               and not isinstance(v, bool)}
    name = f"{dataset_version.name}-{algorithm.split('.', 1)[1].replace('_', '-')}"
    with project.start_run(run_name) as run:
        run.log_params(params)
        run.log_metrics(scalars)
        run.set_tags({"hubml.task": task, "hubml.algorithm": algorithm})
        # the full report, as a training job logs it: the model card draws its charts from it
        run.client.log_dict(run.id, report, "evaluation.json")
        version = project.register_model(name, model, framework=framework.name, run=run,
                                         dataset=dataset_version, X_example=X_train,
                                         algorithm=algorithm, task=task)
    project.model(name).set_alias("production", version.version)
    return version


def create_demo(name: str = DEMO_NAME, root=None, progress: bool = True):
    """Make the demo project (or return it if it exists)."""
    from tqdm.auto import tqdm

    from .recipes import Recipe
    from .workspace.projects import create_project, project

    try:
        p = create_project(name, root=root, tags=["demo"], description=(
            "Sample data from scikit-learn: one registered model per task type. Open the "
            "Datasets and Models panels, or run the scripts in scripts/."))
    except Conflict:
        return project(name, root=root)
    steps = tqdm(total=len(_TASKS) + 1, desc="hubml demo", disable=not progress)
    versions = {}
    for dataset, loader, target, task, algorithm, params in _TASKS:
        versions[dataset] = p.save_dataset(
            dataset, _load(loader, target), description=f"scikit-learn's {loader}()",
            source={"type": "sklearn", "loader": loader})
        _train_and_register(p, versions[dataset], target, task, algorithm, params,
                            f"demo-{dataset}")
        steps.update()
    # a processed version: iris features standardized, the target dropped, for clustering
    features = [c for c in versions["iris"].load().columns if c != "species"]
    raw = versions["iris"].load()
    # fitted: the version records the means and scales it used, so new rows scale the same
    recipe = Recipe([{"step": "drop_columns", "columns": ["species"]},
                     {"step": "standardize", "columns": features}]).fit(raw)
    scaled = p.save_dataset("iris-features", recipe.transform(raw),
                            description="iris measurements, standardized", recipe=recipe,
                            parents=[versions["iris"]], source={"type": "recipe"})
    _train_and_register(p, scaled, None, "clustering", "sklearn.kmeans", {"n_clusters": 3},
                        "demo-iris-clusters")
    steps.update()
    steps.close()
    return p
