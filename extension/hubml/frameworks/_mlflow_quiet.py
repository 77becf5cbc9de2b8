"""Quiet MLflow's pickle warning, which it prints on every save that does not use skops.

The adapters choose the serialization format explicitly (sklearn: pickle, because skops refuses
most fitted pipelines; see ``sklearn.SERIALIZATION_FORMAT``), so MLflow's advice on every save
only adds noise to every training run and script. A :class:`logging.Filter` drops exactly that
record: it is thread-safe (no logger levels switched back and forth while other threads log)
and leaves every other MLflow warning alone.
"""

from __future__ import annotations

import logging

__all__ = ["PICKLE_WARNING", "quiet_pickle_warning"]

# the start of the message MLflow 3.17 logs from mlflow.sklearn.save_model
PICKLE_WARNING = "Saving scikit-learn models in the pickle or cloudpickle format"


class _DropPickleWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(PICKLE_WARNING)


_FILTER = _DropPickleWarning()


def quiet_pickle_warning(logger_name: str = "mlflow.sklearn") -> None:
    """Install the filter on ``logger_name`` once (idempotent)."""
    logger = logging.getLogger(logger_name)
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
