"""User-facing Python strings in one place, so translations can follow without code changes.

Use ``msg("key", **fields)``; keys are stable, texts are English until a catalogue
for the user's language is added.
"""

from __future__ import annotations

__all__ = ["MESSAGES", "msg"]

MESSAGES: dict[str, str] = {
    "not_found.route": "No hubml API endpoint at {path}; see {base}hubml/api/openapi.json",
    "invalid.json": "The request body is not valid JSON: {problem}",
    "server.unexpected": "hubml hit an unexpected error; the server log has the details",
}


def msg(key: str, **fields) -> str:
    return MESSAGES[key].format(**fields)
