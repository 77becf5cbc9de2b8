"""hubml: projects, versioned datasets, training and a model registry for JupyterHub teams.

``import hubml`` stays cheap: pandas, MLflow and the ML frameworks are imported only
when an SDK call needs them (see ``_LAZY`` below).
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> (module that defines it, attribute or None for the module itself);
# resolved on first attribute access
_LAZY: dict[str, tuple[str, str | None]] = {
    "errors": ("hubml.errors", None),
    "frameworks": ("hubml.frameworks", None),
    "recipes": ("hubml.recipes", None),
    "widgets": ("hubml.widgets", None),
    "create_project": ("hubml.workspace.projects", "create_project"),
    "project": ("hubml.workspace.projects", "project"),
    "projects": ("hubml.workspace.projects", "projects"),
    "Project": ("hubml.workspace.projects", "Project"),
    "evaluate": ("hubml.training.evaluate", "evaluate"),
    "TrainingSpec": ("hubml.training.spec", "TrainingSpec"),
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'hubml' has no attribute {name!r}")
    module_name, attribute = _LAZY[name]
    module = importlib.import_module(module_name)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


def _jupyter_server_extension_points():
    return [{"module": "hubml.server"}]


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "hubml"}]
