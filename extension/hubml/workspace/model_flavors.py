"""Models that MLflow logged without hubml: their framework is read from their flavors, and
those no hubml adapter can load are used through ``mlflow.pyfunc``."""

from __future__ import annotations

__all__ = ["PYFUNC", "PyfuncModels", "framework_of"]

PYFUNC = "mlflow"   # the framework name shown for a model only pyfunc can load

# MLflow flavor -> hubml framework, the first match in this order wins (a Keras model logged
# with mlflow.tensorflow has both "tensorflow" and "keras")
_FLAVORS = (("sklearn", "sklearn"), ("keras", "tensorflow"), ("tensorflow", "tensorflow"),
            ("pytorch", "torch"), ("h2o", "h2o"))
# the adapters that load a model logged without hubml's metadata (task, classes, features)
ADAPTER_LOADS_PLAIN = ("sklearn", "h2o")


def framework_of(flavors) -> str:
    """The hubml framework of an MLmodel's flavors (a dict or names), else "mlflow"."""
    names = set(flavors or ())
    for flavor, framework in _FLAVORS:
        if flavor in names:
            return framework
    return PYFUNC


class PyfuncModels:
    """What a LoadedModel needs from a framework, for a ``mlflow.pyfunc`` model."""

    name = PYFUNC

    def load_model(self, model_uri: str):
        import mlflow.pyfunc

        return mlflow.pyfunc.load_model(model_uri)

    def predict(self, model, X):
        import numpy as np

        out = model.predict(X)
        out = out.to_numpy() if hasattr(out, "to_numpy") else np.asarray(out)
        return out[:, 0] if out.ndim == 2 and out.shape[1] == 1 else out

    def predict_proba(self, model, X):
        return None

    def classes(self, model):
        return None
