"""TensorFlow / Keras 3 adapter: ``tensorflow.linear`` and ``tensorflow.dense``.

The model is a functional Keras model of built-in layers only, so a ``.keras`` file and a
SavedModel load without hubml: ``Normalization`` (adapted on the mean-imputed training data), then
``nan_to_num`` (a missing value standardizes to NaN; 0 is the training mean), dense layers, and a
sigmoid / softmax output, or a ``Rescaling`` back to target units for regression.
MLflow 3.17 logs Keras 3 models with ``mlflow.keras`` (``mlflow.tensorflow`` is for Keras 2).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import InvalidInput
from ._nets import (
    PATIENCE,
    NetFramework,
    NetModel,
    TrainSpec,
    class_weights,
    metadata_of,
    own_net,
    pip_requirements,
    to_array,
)

__all__ = ["FRAMEWORK", "TensorFlowFramework"]

_PREDICT_CHUNK = 65536


def _keras():
    """keras with the TensorFlow backend (SavedModel export needs it), TF's C++ logs quieted."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import keras

    if keras.backend.backend() != "tensorflow":
        raise InvalidInput(f"Keras runs on the {keras.backend.backend()!r} backend; set "
                           "KERAS_BACKEND=tensorflow before keras is first imported")
    return keras


def _build(keras, spec: TrainSpec):
    """(model to export, model to train): they share layers; regression trains on standardized
    targets and the exported model rescales to target units."""
    import numpy as np

    inputs = keras.Input((spec.X.shape[1],), name="features")
    norm = keras.layers.Normalization(name="standardize")
    norm.adapt(np.where(np.isnan(spec.X), spec.mean, spec.X))  # NaN would poison the mean
    x = keras.ops.nan_to_num(norm(inputs), nan=0.0)
    if spec.kind == "dense":
        for i, units in enumerate(spec.params["layers"]):
            x = keras.layers.Dense(units, activation="relu", name=f"hidden_{i}")(x)
            if spec.params["dropout"] > 0:
                seed = spec.params["random_state"] + i  # one seed per layer: independent masks
                x = keras.layers.Dropout(spec.params["dropout"], seed=seed, name=f"dropout_{i}")(x)
    activation = {"sigmoid": "sigmoid", "softmax": "softmax"}.get(spec.head)
    out = keras.layers.Dense(spec.n_out, activation=activation, name="output")(x)
    trained = keras.Model(inputs, out, name="hubml")
    if spec.task != "regression":
        return trained, trained
    scaled = keras.layers.Rescaling(scale=spec.y_std, offset=spec.y_mean, name="to_target")(out)
    return keras.Model(inputs, scaled, name="hubml"), trained


def _tensor_signature(signature, features: list[str]):
    """mlflow.keras accepts only a tensor input schema (-1, n_features). pyfunc then checks the
    dtype strictly, so keep the caller's column dtype when all columns share one (float64 else)."""
    import numpy as np
    from mlflow.models import ModelSignature
    from mlflow.types import ColSpec, Schema, TensorSpec

    if signature is not None and signature.inputs is not None and signature.inputs.is_tensor_spec():
        return signature
    columns = signature.inputs.inputs if signature is not None and signature.inputs else []
    dtypes = {c.type.to_numpy() for c in columns if isinstance(c, ColSpec)}
    dtype = dtypes.pop() if len(dtypes) == 1 and len(columns) == len(features) else np.float64
    if not (np.issubdtype(dtype, np.number) and not np.issubdtype(dtype, np.bool_)):
        dtype = np.dtype("float64")
    outputs = signature.outputs if signature is not None else None
    return ModelSignature(inputs=Schema([TensorSpec(np.dtype(dtype), (-1, len(features)))]),
                          outputs=outputs)


class _KerasFlavor:
    """``mlflow.keras`` for ``Model.log``, creating the model folder first: MLflow 3.17's
    ``mlflow.keras.save_model`` writes the input example before it creates the folder, so
    ``mlflow.keras.log_model(..., input_example=...)`` fails with FileNotFoundError."""

    __name__ = "mlflow.keras"

    @staticmethod
    def save_model(path, **kwargs):
        import mlflow.keras

        os.makedirs(path, exist_ok=True)
        return mlflow.keras.save_model(path=path, **kwargs)


def _callback(keras, spec: TrainSpec):
    class Report(keras.callbacks.Callback):
        """Hands each epoch's Keras logs to the hubml callbacks."""

        def on_epoch_end(self, epoch, logs=None):
            logs = logs or {}
            spec.report(epoch + 1, logs.get("loss", float("nan")), logs.get("val_loss"),
                        logs.get("val_accuracy"))
    return Report()


@dataclass
class TensorFlowFramework(NetFramework):
    def version(self) -> str | None:
        if not self.available():
            return None
        from importlib import metadata

        for dist in ("tensorflow", "tensorflow-cpu"):
            try:
                return metadata.version(dist)
            except metadata.PackageNotFoundError:
                continue
        return None

    def _train(self, spec: TrainSpec):
        keras = _keras()
        params = spec.params
        keras.utils.set_random_seed(params["random_state"])
        model, trained = _build(keras, spec)
        optimizer = {"adam": keras.optimizers.Adam, "sgd": keras.optimizers.SGD,
                     "rmsprop": keras.optimizers.RMSprop}[params["optimizer"]]
        loss = {"binary": "binary_crossentropy", "multiclass": "sparse_categorical_crossentropy",
                "regression": "mean_squared_error"}[spec.task]
        accuracy = {"binary": keras.metrics.BinaryAccuracy,
                    "multiclass": keras.metrics.SparseCategoricalAccuracy}.get(spec.task)
        trained.compile(optimizer=optimizer(learning_rate=params["learning_rate"]), loss=loss,
                        metrics=[accuracy(name="accuracy")] if accuracy else [],
                        jit_compile=False)  # XLA compiling costs more than it saves here
        callbacks = [_callback(keras, spec)]
        validation = None
        if spec.X_valid is not None:
            validation = (spec.X_valid, spec.y_valid)
            if params["early_stopping"]:
                callbacks.append(keras.callbacks.EarlyStopping(
                    monitor=params.get("monitor", "val_loss"),
                    patience=params.get("patience", PATIENCE), restore_best_weights=True))
        history = trained.fit(spec.X, spec.y, batch_size=params["batch_size"],
                              epochs=params["epochs"], validation_data=validation,
                              callbacks=callbacks, shuffle=True, verbose=0,
                              class_weight=class_weights(params, spec.task, spec.y))
        return model, len(history.history.get("loss", []))

    def _forward(self, net, X):
        """A Keras model, or a SavedModel from ``load_export`` (its ``serve`` endpoint)."""
        import numpy as np

        keras = _keras()
        call = net.serve if not isinstance(net, keras.Model) else (
            lambda rows: net(rows, training=False))
        return np.concatenate([keras.ops.convert_to_numpy(call(X[i:i + _PREDICT_CHUNK]))
                               for i in range(0, max(len(X), 1), _PREDICT_CHUNK)])

    # -- the user's own models ---------------------------------------------------------
    def adopt(self, model, X_example=None, task=None) -> NetModel:
        """A fitted ``keras.Model`` (see :func:`._nets.own_net` for what it must output)."""
        if isinstance(model, NetModel):
            return model
        keras = _keras()
        if not isinstance(model, keras.Model):
            raise InvalidInput(f"expected a keras.Model or a model from this adapter's fit(), "
                               f"got {type(model).__name__}", details={"field": "model"})
        if X_example is None:
            width = model.inputs[0].shape[-1] if getattr(model, "inputs", None) else None
            if width is None:
                raise InvalidInput("pass X_example= (a few rows of the features) so hubml "
                                   "knows the model's input", details={"field": "X_example"})
            import pandas as pd

            X_example = pd.DataFrame(columns=range(width), dtype="float32")
        if len(X_example):
            out = self._forward(model, to_array(X_example)[:2])
            n_out = int(out.reshape(len(out), -1).shape[1])
        else:
            n_out = int(model.outputs[0].shape[-1] or 1)
        last = model.layers[-1] if model.layers else None
        head = getattr(getattr(last, "activation", None), "__name__", None)
        return own_net(self.name, model, X_example, n_out, head, task)

    def task_of(self, model) -> str | None:
        return model.task

    # -- MLflow ---------------------------------------------------------------------
    def _requirements(self) -> list[str]:
        return pip_requirements("tensorflow", "tensorflow-cpu", "keras")

    def log_model(self, model: NetModel, name: str, signature=None, input_example=None,
                  metadata: dict | None = None):
        """``mlflow.keras.log_model``, through :class:`_KerasFlavor` (see there why)."""
        from mlflow.models import Model

        return Model.log(artifact_path=None, name=name, flavor=_KerasFlavor, model=model.net,
                         signature=_tensor_signature(signature, model.features),
                         input_example=input_example, metadata=self._metadata(model, metadata),
                         pip_requirements=self._requirements())

    def load_model(self, model_uri: str) -> NetModel:
        import mlflow.keras
        from mlflow.models import Model

        _keras()
        meta = Model.load(model_uri).metadata or {}
        return _wrap(mlflow.keras.load_model(model_uri), metadata_of(meta))

    # -- deployment formats ---------------------------------------------------------
    def export(self, model: NetModel, fmt: str, path) -> str:
        _keras()
        name = {"mlflow": "mlflow", "savedmodel": "savedmodel", "keras": "model.keras"}.get(fmt, "")
        target = self._export_target(fmt, path, name)
        if fmt == "mlflow":
            import mlflow.keras

            mlflow.keras.save_model(model.net, str(target),
                                    signature=_tensor_signature(None, model.features),
                                    metadata=self._metadata(model, None),
                                    pip_requirements=self._requirements())
            return str(target)
        if fmt == "savedmodel":
            model.net.export(str(target), format="tf_saved_model", verbose=False)
        else:
            model.net.save(str(target))
        self._write_sidecar(model, target, fmt)
        return str(target)

    def load_export(self, path) -> NetModel:
        """A ``keras`` or ``savedmodel`` export as a model that ``predict`` understands."""
        keras = _keras()
        if Path(path).is_dir():
            import tensorflow as tf

            return _wrap(tf.saved_model.load(str(path)), metadata_of(path))
        return _wrap(keras.models.load_model(str(path)), metadata_of(path))


def _wrap(net, meta: dict) -> NetModel:
    return NetModel("tensorflow", meta.get("algorithm", "tensorflow.dense"), meta["task"],
                    meta.get("classes"), meta.get("features") or None, net)


FRAMEWORK = TensorFlowFramework(name="tensorflow", label="TensorFlow", module="tensorflow",
                                export_formats=("mlflow", "savedmodel", "keras"))
