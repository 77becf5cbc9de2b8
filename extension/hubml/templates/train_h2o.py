"""Train an H2O gradient boosting machine on a dataset of project "{project}" and register it.

Run it in a terminal (python scripts/<this file>) or with %run in a notebook. hubml starts a
local H2O cluster (a JVM; it needs Java) on first use and stops it when the script ends. The
trees are grown in batches so the training metrics appear step by step in the MLflow run of
the project; the model is registered with MLflow's h2o flavor.
"""

import hubml
from hubml.training import split

PROJECT = "{project}"
DATASET = "breast-cancer"           # a dataset of the project (see the Datasets panel)
TARGET = "diagnosis"                # the column to predict
TASK = "binary"                     # binary | multiclass | regression
ALGORITHM = "h2o.gbm"
PARAMS = {"ntrees": 30, "max_depth": 4, "learn_rate": 0.1, "seed": 1}
MODEL_NAME = "breast-cancer-h2o-gbm"

p = hubml.project(PROJECT)
data = p.dataset(DATASET).latest
df = data.load()
features = [c for c in df.columns if c != TARGET]
train, valid, test = split(df, TASK, TARGET, validation=0.2, test=0.2, random_state=0)

framework = hubml.frameworks.get("h2o")
with p.start_run("train-h2o") as run:
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
    version = p.register_model(MODEL_NAME, model, framework="h2o", run=run, dataset=data,
                               X_example=train[features], algorithm=ALGORITHM, task=TASK)

print(f"registered {version.name} v{version.version}: test accuracy "
      f"{scalars['test_accuracy']:.3f}, roc_auc {scalars['test_roc_auc']:.3f}")
