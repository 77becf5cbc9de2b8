"""REST prediction service (``hubml serve``) and batch scoring (``hubml batch-predict``).

Importing this package imports nothing heavy; the service's modules load on first use.
"""

from __future__ import annotations

__all__ = ["ServeConfig", "batch_predict", "serve"]


def __getattr__(name: str):
    if name in ("ServeConfig", "serve"):
        from . import server

        return getattr(server, name)
    if name == "batch_predict":
        from .batch import batch_predict

        return batch_predict
    raise AttributeError(f"module 'hubml.serving' has no attribute {name!r}")
