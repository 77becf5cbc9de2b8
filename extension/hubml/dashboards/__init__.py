"""Voila dashboards: a model card, a dataset explorer and a run comparison, one notebook each
(``model_card.ipynb``, ``dataset_explorer.ipynb``, ``run_compare.ipynb`` in this folder),
parameterised by the page's query string, so one notebook serves every project and object.

Voila renders only notebooks under the Jupyter server's root folder: ``links.prepare`` (behind
``POST hubml/api/projects/{project}/dashboards``) copies the packaged notebook into the
root's ``hubml-dashboards/`` folder and answers the page's URL; a user's own notebook inside a
project opens in place. ``pages.show(kind)`` is what the notebooks run.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["FOLDER", "KINDS", "notebook_path", "show"]

FOLDER = Path(__file__).parent
KINDS = ("model_card", "dataset_explorer", "run_compare")


def notebook_path(kind: str) -> Path:
    """The packaged notebook of dashboard ``kind``."""
    return FOLDER / f"{kind}.ipynb"


def show(kind: str, query_string: str | None = None):
    from .pages import show as _show

    return _show(kind, query_string)
