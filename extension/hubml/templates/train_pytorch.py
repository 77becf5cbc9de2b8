"""Train a PyTorch network on a dataset of project "{project}" and register it.

Run it in a terminal (python scripts/<this file>) or with %run in a notebook. The network is
the hubml "torch.dense" model: inputs standardized, hidden ReLU layers, and for regression an
output in the target's units. Each epoch's training and validation loss go to an MLflow run of
the project; the model is registered with the PyTorch flavor (TorchScript and state_dict
exports are available from the Models panel).
"""

import hubml
from hubml.training import split

PROJECT = "{project}"
DATASET = "diabetes"                # a dataset of the project (see the Datasets panel)
TARGET = "progression"              # the column to predict
TASK = "regression"                 # binary | multiclass | regression
ALGORITHM = "torch.dense"
PARAMS = {"layers": [32, 16], "epochs": 40, "batch_size": 32, "learning_rate": 0.01,
          "early_stopping": True, "random_state": 0}
MODEL_NAME = "diabetes-torch"

p = hubml.project(PROJECT)
data = p.dataset(DATASET).latest
df = data.load()
features = [c for c in df.columns if c != TARGET]
train, valid, test = split(df, TASK, TARGET, validation=0.2, test=0.2, random_state=0)

framework = hubml.frameworks.get("torch")
with p.start_run("train-pytorch") as run:
    run.log_params({**PARAMS, "algorithm": ALGORITHM, "dataset": DATASET,
                    "dataset_version": data.version})

    def log(epoch, metrics):
        run.log_metrics(metrics, step=epoch)

    model = framework.fit(ALGORITHM, TASK, PARAMS, train[features], train[TARGET],
                          valid[features], valid[TARGET], callbacks=[log])
    X, y = test[features], test[TARGET]
    report = hubml.evaluate(TASK, y, framework.predict(model, X))
    scalars = {f"test_{k}": v for k, v in report["metrics"].items()
               if isinstance(v, (int, float)) and not isinstance(v, bool)}
    run.log_metrics(scalars)
    version = p.register_model(MODEL_NAME, model, framework="torch", run=run, dataset=data,
                               X_example=train[features], algorithm=ALGORITHM, task=TASK)

print(f"registered {version.name} v{version.version}: test r2 {scalars['test_r2']:.3f}, "
      f"rmse {scalars['test_rmse']:.1f}")
