"""A model version loaded for serving: its input columns and types (from the MLflow signature),
and the fastest predict that gives the native model's answers.

Hot path: a float64 2-D array in the signature's column order goes straight into the native
model (a scikit-learn estimator's ``predict``, a network's forward pass), with no DataFrame
and no per-column schema enforcement. An ONNX form (skl2onnx + onnxruntime) is used instead
only after it predicted the same as the native model on the input example and on held-out
rows of the version's training dataset. Models whose input has text columns, or that only
``mlflow.pyfunc`` can load, get a DataFrame typed as the signature says.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field

from ._messages import msg

__all__ = ["NUMERIC_TYPES", "ServedModel", "compile_served", "load_served"]

log = logging.getLogger("hubml.serving")

NUMERIC_TYPES = {"double", "float", "long", "integer", "boolean"}
_PANDAS = {"double": "float64", "float": "float32", "long": "int64", "integer": "int32",
           "boolean": "bool", "string": "object", "datetime": "datetime64[ns]"}
_CHECK_ROWS = 512     # held-out rows the compiled form must agree on


@dataclass(eq=False)
class ServedModel:
    name: str
    version: int
    framework: str
    loaded: object                       # hubml LoadedModel
    columns: list[str] | None            # input column names in order (None: a bare tensor)
    types: list[str]                     # MLflow type name per column ("double", "string"...)
    width: int | None                    # values per row
    kind: str = "native"                 # "native" | "onnx" | "frame"
    recipe: object = None                # a fitted recipe the service applies to raw input
    output_type: str = "FP64"
    raw_columns: list[str] | None = None    # what clients send when there is a recipe
    fast_recipe: object = None           # its numpy form (recipe_fast), or None
    row_recipe: object = None            # its one-row form (recipe_row), or None
    inflight: int = 0
    notes: list[str] = field(default_factory=list)
    _predict: object = None
    _pending: tuple | None = None        # what compile_served needs, until it ran

    @property
    def numeric(self) -> bool:
        return all(t in NUMERIC_TYPES for t in self.types)

    def predict_array(self, X):
        """Predictions for a float64 (n, width) array in column order."""
        return self._predict(X)

    def predict_frame(self, columns: dict):
        """Predictions for {column: values} (text columns, pyfunc-only models)."""
        import pandas as pd

        frame = pd.DataFrame(columns, columns=self.columns)
        for name, kind in zip(self.columns or (), self.types, strict=False):
            want = _PANDAS.get(kind)
            if want and want != "object" and str(frame[name].dtype) != want:
                if want.startswith("int") and frame[name].isna().any():
                    continue   # missing values: keep floats, as pandas would
                frame[name] = frame[name].astype(want)
        return _as_array(self.loaded.predict(frame))

    def metadata(self) -> dict:
        """Open Inference Protocol model metadata."""
        if self.raw_columns is not None:   # clients send the raw columns
            inputs = [{"name": c, "datatype": "BYTES", "shape": [-1]} for c in self.raw_columns]
        elif self.columns:
            inputs = [{"name": c, "datatype": _v2_type(t), "shape": [-1]}
                      for c, t in zip(self.columns, self.types, strict=False)]
        else:
            inputs = [{"name": "input-0", "datatype": "FP64", "shape": [-1, self.width or -1]}]
        return {"name": self.name, "versions": [str(self.version)],
                "platform": f"hubml-{self.framework}", "inputs": inputs,
                "outputs": [{"name": "predict", "datatype": self.output_type, "shape": [-1]}]}


def _v2_type(kind: str) -> str:
    return {"double": "FP64", "float": "FP32", "long": "INT64", "integer": "INT32",
            "boolean": "BOOL"}.get(kind, "BYTES")


def _as_array(out):
    import numpy as np

    out = out.to_numpy() if hasattr(out, "to_numpy") else np.asarray(out)
    return out.astype(object) if out.dtype.kind in "US" else out


def _signature(mlmodel) -> tuple[list[str] | None, list[str], int | None]:
    sig = mlmodel.signature
    if sig is None or sig.inputs is None:
        return None, [], None
    if sig.inputs.is_tensor_spec():
        spec = sig.inputs.inputs[0]
        width = spec.shape[-1] if len(spec.shape) == 2 and spec.shape[-1] > 0 else None
        return None, ["double"] * (width or 0), width
    cols = list(sig.inputs.inputs)
    return [c.name for c in cols], [c.type.name for c in cols], len(cols)


def _native_predict(loaded, columns):
    """A predict on float64 arrays that skips what the adapters do for DataFrames, when the
    native model takes arrays; else None."""
    native, fw = loaded.native, loaded.framework
    if getattr(fw, "name", "") == "sklearn" and callable(getattr(native, "predict", None)):
        # fitted on a DataFrame, an estimator warns on arrays; the order is the signature's
        warnings.filterwarnings("ignore", message="X does not have valid feature names")

        def predict(X):
            return _as_array(native.predict(X))
        return predict
    forward = getattr(fw, "_forward", None)
    if forward is not None and getattr(native, "net", None) is not None:
        from ..frameworks._nets import decode

        net, task, classes = native.net, native.task, native.classes

        def predict(X):
            return _as_array(decode(task, classes, forward(net, X.astype("float32"))))
        return predict
    return None


def _check_rows(mv, local_path, mlmodel, columns):
    """The input example and up to _CHECK_ROWS held-out rows of the training dataset, as a
    float64 array in column order (None when there is nothing to check on)."""
    import numpy as np

    parts = []
    try:
        example = mlmodel.load_input_example(local_path)
        if example is not None:
            parts.append(np.asarray(example[columns] if columns else example, dtype="float64"))
    except Exception as exc:  # noqa: BLE001 - a missing example only narrows the check
        log.debug("no input example for %s: %s", mv, exc)
    lineage = mv.lineage().get("datasets") or []
    if lineage and columns:
        try:
            ds = mv.project.dataset(lineage[0]["dataset"]).version(lineage[0]["version"])
            recipe = _fitted_recipe(mv)
            frame = ds.load() if recipe is not None else ds.load(columns=columns)
            frame = frame.tail(_CHECK_ROWS)
            frame = recipe.transform(frame)[columns] if recipe is not None else frame
            parts.append(frame.to_numpy(dtype="float64", na_value=np.nan))
        except Exception as exc:  # noqa: BLE001 - a dataset removed since: check the example
            log.debug("no held-out rows for %s: %s", mv, exc)
    return np.concatenate(parts) if parts else None


def _same(a, b) -> bool:
    import numpy as np

    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return False
    if a.dtype.kind in "fc" or b.dtype.kind in "fc":
        return bool(np.allclose(a.astype("float64"), b.astype("float64"), rtol=1e-5,
                                atol=1e-6, equal_nan=True))
    return bool((a == b).all())


def _onnx_predict(served: ServedModel, rows):
    """An onnxruntime predict checked equal to the native one on ``rows``; else None."""
    import numpy as np

    native = served.loaded.native
    if rows is None or len(rows) == 0 or not hasattr(native, "n_features_in_"):
        return None
    try:
        import onnxruntime as ort
        from sklearn.pipeline import Pipeline

        from ..frameworks._sklearn_onnx import to_onnx_bytes

        pipe = native if hasattr(native, "steps") else Pipeline([("model", native)])
        classifier = getattr(native, "classes_", None) is not None
        options = ort.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        session = ort.InferenceSession(to_onnx_bytes(pipe, classifier), options,
                                       providers=["CPUExecutionProvider"])
    except Exception as exc:  # noqa: BLE001 - converter gaps: the native model serves
        served.notes.append(msg("serve.compile.hist", name=served.name, version=served.version,
                                problem=str(exc).splitlines()[0][:200] if str(exc) else
                                type(exc).__name__))
        return None
    name = session.get_inputs()[0].name
    labels = native.classes_ if classifier else None
    native_predict = served._predict   # the function: served._predict changes below

    def predict(X):
        if np.isnan(X).any():   # missing values: the native model's answer (or its refusal)
            return native_predict(X)
        out = session.run(None, {name: X.astype(np.float32)})[0]
        if classifier:
            out = labels[out] if out.dtype.kind in "iu" and labels.dtype.kind not in "iu" \
                else out
            return _as_array(out)
        return out.reshape(-1).astype("float64")

    try:
        same = _same(predict(rows), served.predict_array(rows))
    except Exception:  # noqa: BLE001 - a session that cannot run these rows is not used
        same = False
    if not same:
        served.notes.append(msg("serve.compile.differs", name=served.name,
                                version=served.version, rows=len(rows)))
        return None
    served.notes.append(msg("serve.compile.used", name=served.name, version=served.version,
                            rows=len(rows)))
    return predict


def load_served(mv, compile: str = "auto", defer: bool = False) -> ServedModel:
    """Load ModelVersion ``mv`` for serving; ``compile`` "auto" tries ONNX, "off" never;
    ``defer``: leave that to :func:`compile_served` (the native model serves meanwhile)."""
    import mlflow
    from mlflow.models import Model as MLmodel

    from ..workspace.runs import tracking

    loaded = mv.load()
    with tracking(mv.project, create=False):
        local = mlflow.artifacts.download_artifacts(mv.uri)
    mlmodel = MLmodel.load(local)
    columns, types, width = _signature(mlmodel)
    if columns is None and getattr(loaded.native, "features", None):
        columns = list(loaded.native.features)   # a network knows its feature names
        types = ["double"] * len(columns)
        width = len(columns)
    served = ServedModel(name=mv.name, version=mv.version, framework=loaded.framework.name,
                         loaded=loaded, columns=columns, types=types, width=width)
    recipe = _fitted_recipe(mv)
    if recipe is not None and columns:
        from .recipe_fast import compile_recipe, required_columns
        from .recipe_row import compile_rows

        served.recipe, served.raw_columns = recipe, required_columns(recipe, columns)
        served.fast_recipe = compile_recipe(recipe, columns)
        served.row_recipe = compile_rows(recipe, columns)
        if served.fast_recipe is None:
            served.notes.append(f"{mv.name} v{mv.version}: the recipe has a step without a "
                                "numpy form; requests go through Recipe.transform")
    out = mlmodel.signature.outputs if mlmodel.signature is not None else None
    if out is not None and out.is_tensor_spec():
        kind = out.inputs[0].type.kind
        served.output_type = {"i": "INT64", "u": "INT64", "b": "BOOL"}.get(
            kind, "FP64" if kind == "f" else "BYTES")
    fast = _native_predict(loaded, columns) if served.numeric and width else None
    if fast is None:
        served.kind = "frame"

        def fast(X):
            return served.predict_frame({c: X[:, i] for i, c in enumerate(served.columns)}) \
                if served.columns else _as_array(loaded.predict(X))
    served._predict = fast
    if compile != "off" and served.kind == "native" and served.framework == "sklearn":
        served._pending = (mv, local, mlmodel, columns)
    if not defer:
        compile_served(served)
    return served


def compile_served(served: ServedModel) -> None:
    """Try the ONNX form and switch to it when it predicts the same (one assignment, so a
    request running meanwhile finishes on the native model); log the notes."""
    pending, served._pending = served._pending, None
    if pending is not None:
        compiled = _onnx_predict(served, _check_rows(*pending))
        if compiled is not None:
            served._predict, served.kind = compiled, "onnx"
    for note in served.notes:   # a fallback is worth a warning, the compiled form a note
        (log.info if served.kind == "onnx" else log.warning)(note)
    served.notes.clear()


def _fitted_recipe(mv):
    """The version's fitted recipe (``ModelVersion.recipe``), else None: an unfitted one
    would refit on each request's few rows, so it is not applied."""
    try:
        recipe = getattr(mv, "recipe", None)
        recipe = recipe() if callable(recipe) and not hasattr(recipe, "steps") else recipe
    except Exception as exc:  # noqa: BLE001 - an unreadable recipe: serve the model's columns
        log.warning("%s v%s: recipe not readable (%s)", mv.name, mv.version, exc)
        return None
    if recipe is None or not len(recipe) or not getattr(recipe, "is_fitted", False):
        return None
    return recipe
