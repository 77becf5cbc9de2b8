"""Batch prediction in project "{project}": load a registered model, predict dataset
"{dataset}", and save the predictions as a new dataset (its lineage names the input version).

Run it in a terminal, from any folder:

    python {command}

or with %run in a notebook; the predictions show up in the hubml Datasets panel. MODEL is the
model the "Train with scikit-learn" template registers for this dataset (a pipeline that takes
the rows as the dataset holds them); give an alias (set in the Models panel) to score with
whichever version it points to without changing this script. A model trained on a recipe's
output (the Keras, PyTorch and H2O templates) needs recipe.apply(df) first.
"""

from pathlib import Path

import pandas as pd

import hubml

MODEL = "{model}"                   # a registered model (see the Models panel)
ALIAS = None                        # e.g. "production"; None: the latest version
DATASET = "{dataset}"               # the rows to score
TARGET = "{target}"                 # not a model input; copied next to the predictions
OUTPUT = "{output}"                 # the dataset the predictions are saved as

# the project this file is in (<project>/scripts/<this file>), whatever the current folder
HERE = Path(__file__).resolve().parent
p = hubml.project(HERE.parent.name, root=HERE.parent.parent)
model = p.model(MODEL).load(alias=ALIAS)
data = p.dataset(DATASET).latest
df = data.load()
X = df.drop(columns=[TARGET], errors="ignore")

predictions = df[[TARGET]].copy() if TARGET in df.columns else pd.DataFrame(index=df.index)
predictions["prediction"] = model.predict(X)
probabilities = model.predict_proba(X)
if probabilities is not None:
    for i, label in enumerate(model.classes):
        predictions[f"probability_{label}"] = probabilities[:, i]

saved = p.save_dataset(
    OUTPUT, predictions.reset_index(drop=True),
    description=f"{MODEL} v{model.version.version} on {DATASET} v{data.version}",
    parents=[data],
    source={"type": "prediction", "model": MODEL, "model_version": model.version.version})

print(f"saved {saved.name} v{saved.version}: {saved.rows} rows")
print(pd.Series(predictions["prediction"]).value_counts().head(20).to_string())
