"""PyTorch adapter: ``torch.linear`` and ``torch.dense``.

The network (:func:`module_class`) keeps the training means and standard deviations as buffers:
it imputes missing values with the means and standardizes inside ``forward``, then returns
probabilities (sigmoid / softmax) or values in target units. It is TorchScript-compatible, so
MLflow gets the scripted module (loads without hubml) and ``torchscript`` exports need nothing else.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import logging
import math
from dataclasses import dataclass
from pathlib import Path

from ..errors import InvalidInput
from ._nets import (
    PATIENCE,
    NetFramework,
    NetModel,
    TrainSpec,
    class_weights,
    default_signature,
    metadata_of,
    own_net,
    pip_requirements,
    to_array,
)

__all__ = ["FRAMEWORK", "TorchFramework", "module_class"]

STATE_DICT_FORMAT = "hubml.torch.state_dict/1"
_PREDICT_CHUNK = 65536


@functools.cache
def module_class():
    """The ``nn.Module`` class, defined on first use so importing this adapter imports no torch."""
    import torch
    from torch import nn

    class HubmlNet(nn.Module):
        """Impute, standardize, dense layers, output head (see the module docstring)."""

        def __init__(self, n_features: int, layers: list[int], n_out: int, dropout: float,
                     head: str):
            super().__init__()
            self.register_buffer("mean", torch.zeros(n_features))
            self.register_buffer("std", torch.ones(n_features))
            self.register_buffer("y_mean", torch.zeros(1))
            self.register_buffer("y_std", torch.ones(1))
            modules: list[nn.Module] = []
            width = n_features
            for units in layers:
                modules += [nn.Linear(width, units), nn.ReLU()]
                if dropout > 0:
                    modules.append(nn.Dropout(dropout))
                width = units
            modules.append(nn.Linear(width, n_out))
            self.body = nn.Sequential(*modules)
            self.head = head

        def logits(self, x: torch.Tensor) -> torch.Tensor:
            x = torch.where(torch.isnan(x), self.mean, x)
            return self.body((x - self.mean) / self.std)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            z = self.logits(x)
            if self.head == "sigmoid":
                return torch.sigmoid(z)
            if self.head == "softmax":
                return torch.softmax(z, dim=1)
            return z * self.y_std + self.y_mean

    return HubmlNet


@contextlib.contextmanager
def _no_pickle_warning():
    """MLflow warns that pickle is unsafe on every non-pt2 save, but it writes a ScriptModule
    with ``torch.jit.save`` (and pt2 refuses ScriptModules): the warning would only mislead."""
    logger = logging.getLogger("mlflow.pytorch")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _config(spec: TrainSpec) -> dict:
    """The constructor arguments: saved with a state_dict to rebuild the module."""
    layers = list(spec.params["layers"]) if spec.kind == "dense" else []
    return {"n_features": int(spec.X.shape[1]), "layers": layers, "n_out": spec.n_out,
            "dropout": float(spec.params.get("dropout", 0.0)), "head": spec.head}


def _loss(torch, spec: TrainSpec):
    """loss(logits, target) on the raw network output (numerically stable forms)."""
    nn = torch.nn
    weights = class_weights(spec.params, spec.task, spec.y)
    if spec.task == "binary":
        pos = None if weights is None else torch.tensor(weights[1] / weights[0])
        bce = nn.BCEWithLogitsLoss(pos_weight=pos)
        return lambda z, t: bce(z[:, 0], t.float())
    if spec.task == "multiclass":
        if weights is None:
            return nn.CrossEntropyLoss()
        return nn.CrossEntropyLoss(weight=torch.tensor(
            [weights.get(i, 1.0) for i in range(spec.n_out)], dtype=torch.float32))
    mse = nn.MSELoss()
    return lambda z, t: mse(z[:, 0], t)


def _evaluate(torch, net, loss_fn, spec: TrainSpec, X, y) -> tuple[float, float | None]:
    """(validation loss, validation accuracy or None)."""
    net.eval()
    with torch.no_grad():
        z = net.logits(X)
        loss = loss_fn(z, y).item()
        if spec.task == "binary":
            return loss, float(((z[:, 0] > 0).long() == y).float().mean())
        if spec.task == "multiclass":
            return loss, float((z.argmax(dim=1) == y).float().mean())
        return loss, None


@dataclass
class TorchFramework(NetFramework):
    def version(self) -> str | None:
        if not self.available():
            return None
        from importlib import metadata

        return metadata.version("torch")

    def _train(self, spec: TrainSpec):
        import torch

        threads = torch.get_num_threads()
        # one thread: 0.06 s vs 0.13 s (120 rows), 0.4 s vs 5-11 s (20,000 rows) on 2 busy cores
        torch.set_num_threads(1)
        try:
            return self._loop(torch, spec)
        finally:
            torch.set_num_threads(threads)

    def _loop(self, torch, spec: TrainSpec):
        params = spec.params
        torch.manual_seed(params["random_state"])
        generator = torch.Generator().manual_seed(params["random_state"])
        config = _config(spec)
        net = module_class()(**config)
        net.hubml_config = config  # what a state_dict export needs to rebuild it
        net.mean.copy_(torch.from_numpy(spec.mean))
        net.std.copy_(torch.from_numpy(spec.std))
        net.y_mean.fill_(spec.y_mean)
        net.y_std.fill_(spec.y_std)
        optimizer = {"adam": torch.optim.Adam, "sgd": torch.optim.SGD,
                     "rmsprop": torch.optim.RMSprop}[params["optimizer"]](
            net.parameters(), lr=params["learning_rate"])
        loss_fn = _loss(torch, spec)
        X, y = torch.tensor(spec.X), torch.tensor(spec.y)  # copies: arrays may be read-only
        valid = None
        if spec.X_valid is not None:
            valid = (torch.tensor(spec.X_valid), torch.tensor(spec.y_valid))
        best, best_state, wait, epoch = math.inf, None, 0, 0
        for epoch in range(1, params["epochs"] + 1):
            net.train()
            total = 0.0
            order = torch.randperm(len(X), generator=generator)
            for start in range(0, len(X), params["batch_size"]):
                rows = order[start:start + params["batch_size"]]
                optimizer.zero_grad()
                loss = loss_fn(net.logits(X[rows]), y[rows])
                loss.backward()
                optimizer.step()
                total += loss.item() * len(rows)
            if valid is None:
                spec.report(epoch, total / len(X))
                continue
            val_loss, accuracy = _evaluate(torch, net, loss_fn, spec, *valid)
            spec.report(epoch, total / len(X), val_loss, accuracy)
            if not params["early_stopping"]:
                continue
            # as Keras' EarlyStopping: stop after patience epochs without a new best
            watched = -accuracy if params.get("monitor") == "val_accuracy" else val_loss
            if watched < best:
                best, best_state, wait = watched, copy.deepcopy(net.state_dict()), 0
            else:
                wait += 1
                if wait >= params.get("patience", PATIENCE):
                    break
        if best_state is not None:
            net.load_state_dict(best_state)
        return net.eval(), epoch

    def _forward(self, net, X):
        import numpy as np
        import torch

        net.eval()
        with torch.no_grad():
            return np.concatenate([net(torch.tensor(X[i:i + _PREDICT_CHUNK])).numpy()
                                   for i in range(0, max(len(X), 1), _PREDICT_CHUNK)])

    # -- the user's own models ---------------------------------------------------------
    def adopt(self, model, X_example=None, task=None) -> NetModel:
        """A trained ``torch.nn.Module`` taking float32 (n, features); ``X_example`` gives the
        features (see :func:`._nets.own_net` for what it must output)."""
        import torch

        if isinstance(model, NetModel):
            return model
        if not isinstance(model, torch.nn.Module):
            raise InvalidInput(f"expected a torch.nn.Module or a model from this adapter's "
                               f"fit(), got {type(model).__name__}", details={"field": "model"})
        if X_example is None:
            raise InvalidInput("pass X_example= (a few rows of the features) with a "
                               "torch.nn.Module, so hubml knows its input",
                               details={"field": "X_example"})
        out = self._forward(model, to_array(X_example)[:2])
        leaves = [m for m in model.modules() if not list(m.children())]
        head = {torch.nn.Sigmoid: "sigmoid", torch.nn.Softmax: "softmax"}.get(
            type(leaves[-1]) if leaves else None)
        return own_net(self.name, model, X_example, int(out.reshape(len(out), -1).shape[1]),
                       head, task)

    def task_of(self, model) -> str | None:
        return model.task

    # -- MLflow ---------------------------------------------------------------------
    def _scripted(self, model: NetModel):
        """TorchScript, so the model loads without its Python class: scripted if it can be,
        else traced on a row of zeros (a user's module may not script), else as it is."""
        import torch

        net = model.net.eval()
        if isinstance(net, torch.jit.ScriptModule):
            return net
        try:
            return torch.jit.script(net)
        except Exception:
            pass
        try:
            with torch.no_grad():
                return torch.jit.trace(net, torch.zeros(1, len(model.features)))
        except Exception:
            return net

    def _mlflow_kwargs(self, model: NetModel, signature, metadata: dict | None) -> dict:
        # pickle: pt2 refuses ScriptModules, and MLflow writes those with torch.jit.save anyway
        return {"signature": signature or default_signature(model.features),
                "metadata": self._metadata(model, metadata), "serialization_format": "pickle",
                "pip_requirements": pip_requirements("torch")}

    def log_model(self, model: NetModel, name: str, signature=None, input_example=None,
                  metadata: dict | None = None):
        import mlflow.pytorch

        with _no_pickle_warning():
            return mlflow.pytorch.log_model(self._scripted(model), name=name,
                                            input_example=input_example,
                                            **self._mlflow_kwargs(model, signature, metadata))

    def load_model(self, model_uri: str) -> NetModel:
        import mlflow.pytorch
        from mlflow.models import Model

        meta = metadata_of(Model.load(model_uri).metadata or {})
        return _wrap(mlflow.pytorch.load_model(model_uri), meta)

    # -- deployment formats ---------------------------------------------------------
    def export(self, model: NetModel, fmt: str, path) -> str:
        import torch

        names = {"mlflow": "mlflow", "torchscript": "model.torchscript.pt",
                 "state_dict": "model.state_dict.pt"}
        target = self._export_target(fmt, path, names.get(fmt, ""))
        if fmt == "mlflow":
            import mlflow.pytorch

            with _no_pickle_warning():
                mlflow.pytorch.save_model(self._scripted(model), str(target),
                                          **self._mlflow_kwargs(model, None, None))
            return str(target)
        if fmt == "torchscript":
            self._scripted(model).save(str(target))
        else:
            if isinstance(model.net, torch.jit.ScriptModule) or \
                    not hasattr(model.net, "hubml_config"):
                raise InvalidInput("a state_dict export needs a network from this adapter's "
                                   "fit(); export this one as 'torchscript' or 'mlflow'",
                                   details={"field": "format"})
            torch.save({"format": STATE_DICT_FORMAT, "config": model.net.hubml_config,
                        "metadata": model.metadata(), "state_dict": model.net.state_dict()},
                       str(target))
        self._write_sidecar(model, target, fmt)
        return str(target)

    def load_state_dict(self, path) -> NetModel:
        """Rebuild the module from a ``state_dict`` export and load its weights."""
        import torch

        saved = torch.load(str(path), map_location="cpu", weights_only=True)
        if not isinstance(saved, dict) or saved.get("format") != STATE_DICT_FORMAT:
            raise InvalidInput(f"{Path(path).name} is not a hubml state_dict export")
        net = module_class()(**saved["config"])
        net.load_state_dict(saved["state_dict"])
        net.hubml_config = saved["config"]
        return _wrap(net.eval(), saved["metadata"])

    def load_export(self, path) -> NetModel:
        """A ``torchscript`` export as a model that ``predict`` understands."""
        import torch

        return _wrap(torch.jit.load(str(path), map_location="cpu"), metadata_of(path))


def _wrap(net, meta: dict) -> NetModel:
    return NetModel("torch", meta.get("algorithm", "torch.dense"), meta["task"],
                    meta.get("classes"), meta.get("features") or None, net)


FRAMEWORK = TorchFramework(name="torch", label="PyTorch", module="torch",
                           export_formats=("mlflow", "torchscript", "state_dict"))
