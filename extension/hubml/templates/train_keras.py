"""Train a Keras (TensorFlow) network on a dataset of project "{project}" and register it.

Run it in a terminal (python scripts/<this file>) or with %run in a notebook. The network is
the hubml "tensorflow.dense" model: inputs standardized, hidden ReLU layers, a softmax output.
Each epoch's loss and accuracy are logged to an MLflow run of the project (the Models panel
shows the run's metrics); the model is registered with the Keras flavor, so it loads back with
p.model(MODEL_NAME).load() or as a .keras file / SavedModel export.
"""

import hubml
from hubml.training import split

PROJECT = "{project}"
DATASET = "iris"                    # a dataset of the project (see the Datasets panel)
TARGET = "species"                  # the column to predict
TASK = "multiclass"                 # binary | multiclass | regression
ALGORITHM = "tensorflow.dense"
PARAMS = {"layers": [16, 8], "epochs": 30, "batch_size": 16, "learning_rate": 0.01,
          "early_stopping": True, "random_state": 0}
MODEL_NAME = "iris-keras"

p = hubml.project(PROJECT)
data = p.dataset(DATASET).latest
df = data.load()
features = [c for c in df.columns if c != TARGET]
train, valid, test = split(df, TASK, TARGET, validation=0.2, test=0.2, random_state=0)

framework = hubml.frameworks.get("tensorflow")
with p.start_run("train-keras") as run:
    run.log_params({**PARAMS, "algorithm": ALGORITHM, "dataset": DATASET,
                    "dataset_version": data.version})

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
                               X_example=train[features], algorithm=ALGORITHM, task=TASK)

print(f"registered {version.name} v{version.version}: test accuracy "
      f"{scalars['test_accuracy']:.3f}")
