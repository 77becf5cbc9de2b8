"""Names users give things (projects, datasets, models, aliases), and paths built from them.

A name is a slug; a path built from names must stay under its root. Both checks raise
:class:`~hubml.errors.InvalidInput` that says what a valid name looks like.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InvalidInput, NotFound

__all__ = ["NAME_PATTERN", "NAME_RULE", "check_name", "check_version", "inside", "is_name",
           "pick_version"]

# always fullmatch: with re.match, "$" also matches before a trailing newline ("x\n")
# "\-", not a bare "-" at the class's end: the same pattern is then also valid in JavaScript's
# unicodeSets mode (the v flag browsers use for <input pattern>), as clients get it
_SLUG = re.compile(r"[a-z0-9][a-z0-9_\-]{0,62}")
_DIGITS = re.compile(r"[0-9]+")
_RULE = "use 1 to 63 lower-case letters, digits, '-' or '_', starting with a letter or digit"
# what clients check names with before they send them (GET status: "names"); a full match
NAME_PATTERN = _SLUG.pattern
NAME_RULE = _RULE


def is_name(text) -> bool:
    """True if ``text`` is a valid name (for listings that skip foreign folders)."""
    return isinstance(text, str) and _SLUG.fullmatch(text) is not None


def check_name(kind: str, name) -> str:
    """Return ``name`` if it is a valid slug, else raise saying what to change."""
    if not isinstance(name, str):
        raise InvalidInput(f"{kind} name must be a string, not {type(name).__name__}",
                           details={"field": kind})
    if not _SLUG.fullmatch(name):
        shown = name if len(name) <= 40 else name[:40] + "..."
        hint = ""
        if name and name.lower() != name and _SLUG.fullmatch(name.lower()):
            hint = f" (try {name.lower()!r})"
        raise InvalidInput(f"{kind} name {shown!r} is not allowed: {_RULE}{hint}",
                           details={"field": kind})
    return name


def check_version(version) -> int:
    if isinstance(version, bool) or not isinstance(version, (int, str)):
        raise InvalidInput(f"version must be a whole number, not {version!r}",
                           details={"field": "version"})
    text = str(version)
    if not _DIGITS.fullmatch(text) or int(text) < 1:  # isdigit() also takes "²"
        raise InvalidInput(f"version must be a whole number from 1, not {version!r}",
                           details={"field": "version"})
    return int(text)


def pick_version(versions: list, version, what: str):
    """The item of ``versions`` (sorted, each with ``.version``) numbered ``version``, or the
    latest when ``version`` is None. ``versions`` must not be empty."""
    if version is None:
        return versions[-1]
    number = check_version(version)
    for item in versions:
        if item.version == number:
            return item
    raise NotFound(f"{what} has no version {number}; versions are "
                   f"{', '.join(str(v.version) for v in versions)}")


def inside(root: Path, *parts: str) -> Path:
    """``root / parts``, refused if it would resolve outside ``root`` (``..``, absolute, links)."""
    root = Path(root).resolve()
    path = root.joinpath(*parts).resolve()
    if path != root and root not in path.parents:
        raise InvalidInput(f"path {'/'.join(parts)!r} leaves {root}; use a plain name",
                           details={"field": "path"})
    return path
