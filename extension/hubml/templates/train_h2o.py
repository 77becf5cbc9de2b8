"""Train an H2O gradient boosting machine on dataset "{dataset}" of project "{project}".

Run it in a terminal, from any folder:

    python {command}

or with %run in a notebook. hubml starts a local H2O cluster (a JVM; it needs Java) on first
use and stops it when the script ends. hubml hands H2O numbers, so a hubml recipe made from the
training rows codes text and category columns first (free text and dates are left out;
print(recipe.to_code()) shows it as pandas); the trees split on those codes. The trees are grown
in batches so the training metrics appear step by step in the MLflow run of the project; the
model is registered with MLflow's h2o flavor and the recipe in its lineage: predict new rows
with p.model(MODEL_NAME).load().predict(recipe.apply(rows)).
"""

from pathlib import Path

import hubml
from hubml.recipes import numeric_recipe
from hubml.training import split

DATASET = "{dataset}"               # a dataset of the project (see the Datasets panel)
TARGET = "{target}"                 # the column to predict
TASK = "{task}"                     # binary | multiclass | regression
ALGORITHM = "h2o.gbm"
PARAMS = {"ntrees": 30, "max_depth": 4, "learn_rate": 0.1, "seed": 1}
MODEL_NAME = "{model}"

# the project this file is in (<project>/scripts/<this file>), whatever the current folder
HERE = Path(__file__).resolve().parent
p = hubml.project(HERE.parent.name, root=HERE.parent.parent)
data = p.dataset(DATASET).latest
df = data.load().dropna(subset=[TARGET])     # rows without a target cannot teach anything
train, valid, test = split(df, TASK, TARGET, validation=0.2, test=0.2, random_state=0)
recipe = numeric_recipe(train, exclude=[TARGET])   # its values come from the training rows
train, valid, test = (recipe.apply(part) for part in (train, valid, test))
features = [c for c in train.columns if c != TARGET]

framework = hubml.frameworks.get("h2o")
with p.start_run("train-h2o") as run:
    run.log_params({**PARAMS, "algorithm": ALGORITHM, "dataset": DATASET,
                    "dataset_version": data.version, "target": TARGET, "task": TASK})

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
                               X_example=train[features], recipe=recipe, algorithm=ALGORITHM,
                               task=TASK)

print(f"registered {version.name} v{version.version}: "
      + ", ".join(f"{k}={v:.3f}" for k, v in sorted(scalars.items())))
