"""ipywidgets forms over SDK objects: the visual path of hubml, in notebooks and in Voila.

Each widget is an ``ipywidgets.VBox`` subclass built from SDK objects (a project, a dataset
version, a model version); it never reads files itself. Importing this package is cheap: a
widget's module (and ipywidgets, plotly) is imported on first use of its name.
"""

from __future__ import annotations

import importlib

_WIDGETS = {
    "DataStudio": ".data_studio",
    "DatasetExplorer": ".dataset_explorer",
    "TrainingForm": ".training_form",
    "RunCompare": ".run_compare",
    "ModelCard": ".model_card",
}

__all__ = sorted(_WIDGETS)


def __getattr__(name: str):
    if name in _WIDGETS:
        return getattr(importlib.import_module(_WIDGETS[name], __name__), name)
    raise AttributeError(f"module 'hubml.widgets' has no attribute {name!r}")


def __dir__():
    return __all__
