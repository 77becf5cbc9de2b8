"""Train a Keras (TensorFlow) network on dataset "{dataset}" of project "{project}" and register it.

Run it in a terminal, from any folder:

    python {command}

or with %run in a notebook. A network needs numbers, so a hubml recipe made from the training
rows turns the table into numbers first (missing numbers filled with the median, text and
categories coded, free text and dates left out; print(recipe.to_code()) shows it as pandas).
The network is the hubml "tensorflow.dense" model: inputs standardized, hidden ReLU layers.
Each epoch's metrics go to an MLflow run of the project; the model is registered with the Keras
flavor and the recipe in its lineage: predict new rows with
p.model(MODEL_NAME).load().predict(recipe.apply(rows)).
"""

from pathlib import Path

import hubml
from hubml.recipes import numeric_recipe
from hubml.training import split

DATASET = "{dataset}"               # a dataset of the project (see the Datasets panel)
TARGET = "{target}"                 # the column to predict
TASK = "{task}"                     # binary | multiclass | regression
ALGORITHM = "tensorflow.dense"
PARAMS = {"layers": [32, 16], "epochs": 30, "batch_size": 16, "learning_rate": 0.01,
          "early_stopping": True, "random_state": 0}
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

framework = hubml.frameworks.get("tensorflow")
with p.start_run("train-keras") as run:
    run.log_params({**PARAMS, "algorithm": ALGORITHM, "dataset": DATASET,
                    "dataset_version": data.version, "target": TARGET, "task": TASK})

    def log(epoch, metrics):
        run.log_metrics(metrics, step=epoch)
        print(f"epoch {epoch}:", ", ".join(f"{k}={v:.4f}" for k, v in metrics.items()))

    model = framework.fit(ALGORITHM, TASK, PARAMS, train[features], train[TARGET],
                          valid[features], valid[TARGET], callbacks=[log])
    X, y = test[features], test[TARGET]
    report = hubml.evaluate(TASK, y, framework.predict(model, X),
                            y_proba=framework.predict_proba(model, X),
                            classes=framework.classes(model))
    scalars = {f"test_{k}": v for k, v in report["metrics"].items()
               if isinstance(v, (int, float)) and not isinstance(v, bool)}
    run.log_metrics(scalars)
    version = p.register_model(MODEL_NAME, model, framework="tensorflow", run=run, dataset=data,
                               X_example=train[features], recipe=recipe, algorithm=ALGORITHM,
                               task=TASK)

print(f"registered {version.name} v{version.version}: "
      + ", ".join(f"{k}={v:.3f}" for k, v in sorted(scalars.items())))
