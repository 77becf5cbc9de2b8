"""Train a scikit-learn model on a dataset of project "{project}" and register it.

Run it in a terminal (python scripts/<this file>) or with %run in a notebook. It splits the
dataset, fits a random forest, evaluates it on the test rows, logs everything to an MLflow run
of the project and registers the model: it shows up in the hubml Models panel.
Change the settings below to train on another dataset or with another algorithm
(hubml.frameworks.get("sklearn").algorithms() lists them with their hyperparameters).
"""

import hubml
from hubml.training import split

PROJECT = "{project}"
DATASET = "breast-cancer"           # a dataset of the project (see the Datasets panel)
TARGET = "diagnosis"                # the column to predict
TASK = "binary"                     # binary | multiclass | regression
ALGORITHM = "sklearn.random_forest"
PARAMS = {"n_estimators": 100, "max_depth": 8, "random_state": 0}
MODEL_NAME = "breast-cancer-forest"

p = hubml.project(PROJECT)
data = p.dataset(DATASET).latest
df = data.load()
features = [c for c in df.columns if c != TARGET]
train, valid, test = split(df, TASK, TARGET, validation=0.2, test=0.2, random_state=0)
print(f"{data.name} v{data.version}: {len(train)} training, {len(valid)} validation, "
      f"{len(test)} test rows")

framework = hubml.frameworks.get("sklearn")
with p.start_run("train-sklearn") as run:
    run.log_params({**PARAMS, "algorithm": ALGORITHM, "dataset": DATASET,
                    "dataset_version": data.version})

    def log(step, metrics):
        run.log_metrics(metrics, step=step)

    model = framework.fit(ALGORITHM, TASK, PARAMS, train[features], train[TARGET],
                          valid[features], valid[TARGET], callbacks=[log])
    X, y = test[features], test[TARGET]
    report = hubml.evaluate(TASK, y, framework.predict(model, X),
                            y_proba=framework.predict_proba(model, X),
                            classes=framework.classes(model))
    scalars = {f"test_{k}": v for k, v in report["metrics"].items()
               if isinstance(v, (int, float)) and not isinstance(v, bool)}
    run.log_metrics(scalars)
    version = p.register_model(MODEL_NAME, model, framework="sklearn", run=run, dataset=data,
                               X_example=train[features], algorithm=ALGORITHM, task=TASK)

print(f"registered {version.name} v{version.version}: "
      + ", ".join(f"{k}={v:.3f}" for k, v in sorted(scalars.items())))
