"""Voila dashboards: a model card, a dataset explorer and a run comparison, one notebook each
(``model_card.ipynb``, ``dataset_explorer.ipynb``, ``run_compare.ipynb`` in this folder),
parameterised by the page's query string, so one notebook serves every project and object.

Voila renders only notebooks under the Jupyter server's root folder: ``links.prepare`` (behind
``POST hubml/api/projects/{project}/dashboards``) copies the packaged notebook into the
root's ``hubml-dashboards/`` folder and answers the page's URL; a user's own notebook inside a
project opens in place. ``pages.show(kind)`` is what the notebooks run (``_soon.show_soon``
for the model card, which paints its header first).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["FOLDER", "KINDS", "notebook_path", "show", "show_soon"]

FOLDER = Path(__file__).parent
KINDS = ("model_card", "dataset_explorer", "run_compare")


def notebook_path(kind: str) -> Path:
    """The packaged notebook of dashboard ``kind``."""
    return FOLDER / f"{kind}.ipynb"


def show(kind: str, query_string: str | None = None):
    from .pages import show as _show

    return _show(kind, query_string)


def show_soon(kind: str, query_string: str | None = None):
    """``show``, but the page's header paints at once and the rest follows (model card)."""
    from ._soon import show_soon as _show_soon

    return _show_soon(kind, query_string)
