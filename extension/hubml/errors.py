"""Errors that hubml raises for things the caller can fix.

Each carries a stable ``code``, an HTTP ``status`` (what the REST API answers) and a
message that says what to change. The server turns them into
``{"error": {"code", "message", "details"}}``.
"""

from __future__ import annotations

__all__ = ["HubMLError", "InvalidInput", "NotFound", "Conflict", "SchemaChanged", "TooLarge",
           "StoreUnavailable", "OutOfMemory"]


class HubMLError(Exception):
    code = "hubml_error"
    status = 400

    def __init__(self, message: str, details: dict | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or {}

    def to_json(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class InvalidInput(HubMLError, ValueError):
    code = "invalid_input"
    status = 400


class NotFound(HubMLError, LookupError):
    code = "not_found"
    status = 404


class Conflict(HubMLError):
    code = "conflict"
    status = 409


class SchemaChanged(Conflict):
    """A new version of a dataset whose columns differ from the latest version's: saved only
    when the caller confirms (``allow_schema_change=True``, REST ``confirm_schema_change=true``).
    ``details`` has ``added`` and ``removed`` ({name, dtype}) and ``changed`` ({name, old, new})."""

    code = "schema_changed"


class TooLarge(HubMLError):
    code = "too_large"
    status = 413


class StoreUnavailable(HubMLError):
    """The MLflow store could not answer (a database locked by a job that writes, an unreadable
    file): nothing is wrong with the request, so the caller may retry."""

    code = "store_unavailable"
    status = 503

    @classmethod
    def of(cls, exc: BaseException) -> StoreUnavailable:
        from .messages import msg

        cause = (getattr(exc, "message", None) or str(exc) or type(exc).__name__).strip()
        first_line = cause.splitlines()[0][:300] if cause else type(exc).__name__
        return cls(msg("store.unavailable", cause=first_line), details={"retryable": True})


class OutOfMemory(HubMLError, MemoryError):
    """Parsing or saving a file needed more memory than the server has. 413 like TooLarge (the
    caller can fix it with a smaller file, and a retry of the same file would fail the same way,
    unlike a 503), with its own code so clients can tell it from the upload size limit."""

    code = "out_of_memory"
    status = 413
