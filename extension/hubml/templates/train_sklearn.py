"""Train a scikit-learn model on dataset "{dataset}" of project "{project}" and register it.

Run it in a terminal, from any folder:

    python {command}

or with %run in a notebook. It splits the dataset, builds a pipeline that turns every kind of
column into numbers (a ColumnTransformer: numbers imputed and scaled, text and categories
imputed and one-hot encoded), fits a random forest, evaluates it on the test rows, logs
everything to an MLflow run of the project and registers the pipeline: it shows up in the
hubml Models panel, and p.model(MODEL_NAME).load().predict(rows) takes rows as the dataset
holds them. Change the settings below to train on another dataset, target or estimator.
"""

from pathlib import Path

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

import hubml
from hubml.training import split

DATASET = "{dataset}"               # a dataset of the project (see the Datasets panel)
TARGET = "{target}"                 # the column to predict
TASK = "{task}"                     # binary | multiclass | regression
MODEL_NAME = "{model}"
MAX_CATEGORIES = 20                 # per text column: the most frequent values get a column
PARAMS = {"n_estimators": 200, "min_samples_leaf": 2, "random_state": 0}

# the project this file is in (<project>/scripts/<this file>), whatever the current folder
HERE = Path(__file__).resolve().parent
p = hubml.project(HERE.parent.name, root=HERE.parent.parent)
data = p.dataset(DATASET).latest
df = data.load().dropna(subset=[TARGET])     # rows without a target cannot teach anything
features = [c for c in df.columns if c != TARGET]
types = pd.api.types
dates = [c for c in features if types.is_datetime64_any_dtype(df[c])
         or types.is_timedelta64_dtype(df[c])]
numeric = [c for c in features if c not in dates and types.is_numeric_dtype(df[c])
           and not types.is_bool_dtype(df[c])]
categorical = [c for c in features if c not in dates + numeric]   # text, categories, booleans
# Date and time columns are dropped (remainder="drop"): if they matter, add their parts
# (df[c].dt.year, .dt.month, .dt.dayofweek) as columns of the dataset with a recipe or pandas.
preprocess = ColumnTransformer([
    ("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
    ("categorical", make_pipeline(
        SimpleImputer(strategy="most_frequent"),
        OneHotEncoder(handle_unknown="ignore", max_categories=MAX_CATEGORIES)), categorical),
], remainder="drop")
estimator = (RandomForestRegressor if TASK == "regression" else RandomForestClassifier)(**PARAMS)
model = Pipeline([("preprocess", preprocess), ("model", estimator)])

train, valid, test = split(df, TASK, TARGET, validation=0.2, test=0.2, random_state=0)
print(f"{data.name} v{data.version}: {len(train)} training, {len(valid)} validation, "
      f"{len(test)} test rows; {len(numeric)} numeric, {len(categorical)} text or category "
      f"columns, {len(dates)} date columns left out")

with p.start_run("train-sklearn") as run:
    run.log_params({**PARAMS, "estimator": type(estimator).__name__, "dataset": DATASET,
                    "dataset_version": data.version, "target": TARGET, "task": TASK})
    model.fit(train[features], train[TARGET])
    run.log_metrics({"train_score": model.score(train[features], train[TARGET]),
                     "valid_score": model.score(valid[features], valid[TARGET])})
    X, y = test[features], test[TARGET]
    classifier = TASK != "regression"
    report = hubml.evaluate(TASK, y, model.predict(X),
                            y_proba=model.predict_proba(X) if classifier else None,
                            classes=list(model.classes_) if classifier else None)
    scalars = {f"test_{k}": v for k, v in report["metrics"].items()
               if isinstance(v, (int, float)) and not isinstance(v, bool)}
    run.log_metrics(scalars)
    version = p.register_model(MODEL_NAME, model, framework="sklearn", run=run, dataset=data,
                               X_example=train[features], task=TASK)

print(f"registered {version.name} v{version.version}: "
      + ", ".join(f"{k}={v:.3f}" for k, v in sorted(scalars.items())))
