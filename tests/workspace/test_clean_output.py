"""Registering a scikit-learn model prints no serialization warning: hubml chooses the format
(pickle, explicitly) and MLflow's advice against it on every save is only noise in a run."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import numpy as np, pandas as pd
import hubml
from sklearn.linear_model import LogisticRegression

X = pd.DataFrame({"a": np.arange(40.0), "b": np.arange(40.0) % 3})
y = (X.a > 20).astype(int)
p = hubml.create_project("quiet")
own = p.register_model("own", LogisticRegression().fit(X, y), framework="sklearn",
                       X_example=X)
fw = hubml.frameworks.get("sklearn")
fitted = fw.fit("sklearn.random_forest", "binary", {"n_estimators": 5}, X, y)
mine = p.register_model("forest", fitted, framework="sklearn", X_example=X)
fw.export(fitted, "mlflow", p.path / "exported")
print("registered", own.version, mine.version)
print("loaded", p.model("own").load().predict(X.head(3)).tolist())
"""


def test_register_model_prints_no_pickle_or_skops_warning(tmp_path):
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin",
           "HUBML_PROJECT_ROOTS": str(tmp_path / "projects")}
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "registered 1 1" in done.stdout and "loaded [0, 0, 0]" in done.stdout
    noisy = [line for line in done.stderr.splitlines()
             if "pickle" in line.lower() or "skops" in line.lower()]
    assert not noisy, noisy
