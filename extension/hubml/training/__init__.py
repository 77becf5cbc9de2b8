"""Training: TrainingSpec, background jobs, the train/validation/test split and evaluation
(``evaluate``); heavy libraries load on first use."""

from __future__ import annotations

from .data import split
from .evaluate import evaluate

__all__ = ["evaluate", "split"]
