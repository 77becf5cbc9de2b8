"""Batch prediction in project "{project}": load a registered model by its alias, predict a
dataset, and save the predictions as a new dataset (its lineage names the input version).

Run it in a terminal (python scripts/<this file>) or with %run in a notebook; the predictions
show up in the hubml Datasets panel. Move the alias in the Models panel to score with
another version of the model without changing this script.
"""

import pandas as pd

import hubml

PROJECT = "{project}"
MODEL = "breast-cancer-logistic-regression"   # a registered model (see the Models panel)
ALIAS = "production"                          # or .load(version=2) below
DATASET = "breast-cancer"                     # the rows to score
DROP = ["diagnosis"]                          # columns that are not model inputs (the target)
KEEP = ["diagnosis"]                          # input columns to copy next to the predictions
OUTPUT = "breast-cancer-predictions"          # the dataset the predictions are saved as

p = hubml.project(PROJECT)
model = p.model(MODEL).load(alias=ALIAS)
data = p.dataset(DATASET).latest
df = data.load()
X = df.drop(columns=DROP)

predictions = df[KEEP].copy()
predictions["prediction"] = model.predict(X)
probabilities = model.predict_proba(X)
if probabilities is not None:
    for i, label in enumerate(model.classes):
        predictions[f"probability_{label}"] = probabilities[:, i]

saved = p.save_dataset(
    OUTPUT, predictions.reset_index(drop=True),
    description=f"{MODEL} v{model.version.version} ({ALIAS}) on {DATASET} v{data.version}",
    parents=[data],
    source={"type": "prediction", "model": MODEL, "model_version": model.version.version})

print(f"saved {saved.name} v{saved.version}: {saved.rows} rows")
print(pd.Series(predictions["prediction"]).value_counts().to_string())
