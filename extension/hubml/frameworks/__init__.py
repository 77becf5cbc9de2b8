"""Framework adapters, imported only when used: ``hubml.frameworks.get("sklearn")``."""

from __future__ import annotations

import importlib

from ..errors import InvalidInput
from .base import TASKS, Algorithm, Framework, validate_params

__all__ = ["NAMES", "TASKS", "Algorithm", "Framework", "algorithm", "available", "get",
           "validate_params"]

NAMES = ("sklearn", "tensorflow", "torch", "h2o")


def get(name: str) -> Framework:
    """The framework adapter by name; its heavy library is imported by the adapter's methods."""
    if name not in NAMES:
        raise InvalidInput(f"unknown framework {name!r}; choose one of: {', '.join(NAMES)}",
                           details={"field": "framework"})
    return importlib.import_module(f"{__name__}.{name}").FRAMEWORK


def available() -> list[dict]:
    """Installed frameworks with their algorithms (each with a JSON Schema of hyperparameters)."""
    return [get(name).to_json() for name in NAMES if get(name).available()]


def algorithm(algorithm_id: str) -> tuple[Framework, Algorithm]:
    """``"sklearn.random_forest"`` -> (framework, algorithm)."""
    name = algorithm_id.split(".", 1)[0]
    framework = get(name)
    return framework, framework.algorithm(algorithm_id)
