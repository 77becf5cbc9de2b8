"""hubml: projects, versioned datasets, training and a model registry for JupyterHub teams.

``import hubml`` stays cheap: pandas, MLflow and the ML frameworks are imported only
when an SDK call needs them (see ``_LAZY`` below).
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> module that defines it; resolved on first attribute access
_LAZY: dict[str, str] = {
    "errors": "hubml.errors",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str):
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'hubml' has no attribute {name!r}")
    module = importlib.import_module(module_name)
    value = module if module_name.endswith("." + name) else getattr(module, name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


def _jupyter_server_extension_points():
    return [{"module": "hubml.server"}]


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "hubml"}]
