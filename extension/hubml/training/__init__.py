"""Training: evaluation of predictions (``evaluate``); heavy libraries load on first use."""

from __future__ import annotations

from .evaluate import evaluate

__all__ = ["evaluate"]
