"""What this Jupyter server runs with: the hub profile and the importable frameworks.

Cheap by design: frameworks are found with ``importlib.util.find_spec`` and versions
read from package metadata, so nothing heavy is imported to answer ``/status``.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os

from . import __version__
from .workspace.names import NAME_PATTERN, NAME_RULE
from .workspace.roots import project_roots

__all__ = ["FRAMEWORK_INFO", "active_profile", "framework_status", "status"]

# name -> (label, importable module, distributions that may provide it)
FRAMEWORK_INFO: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "sklearn": ("scikit-learn", "sklearn", ("scikit-learn",)),
    "tensorflow": ("TensorFlow", "tensorflow", ("tensorflow-cpu", "tensorflow")),
    "torch": ("PyTorch", "torch", ("torch",)),
    "h2o": ("H2O", "h2o", ("h2o",)),
}


def _dist_version(dists: tuple[str, ...]) -> str | None:
    for dist in dists:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def framework_status() -> list[dict]:
    result = []
    for name, (label, module, dists) in FRAMEWORK_INFO.items():
        importable = importlib.util.find_spec(module) is not None
        result.append({
            "name": name,
            "label": label,
            "module": module,
            "importable": importable,
            "version": _dist_version(dists) if importable else None,
        })
    return result


def active_profile() -> dict | None:
    """The profile the hub started this server with (``HUBML_PROFILE``), or None."""
    name = os.environ.get("HUBML_PROFILE")
    if not name:
        return None
    frameworks = [f for f in os.environ.get("HUBML_FRAMEWORKS", "").split(",") if f]
    return {
        "name": name,
        "display_name": os.environ.get("HUBML_PROFILE_DISPLAY_NAME", name),
        "description": os.environ.get("HUBML_PROFILE_DESCRIPTION", ""),
        "frameworks": frameworks,
    }


def status(user: str | None = None, base_url: str = "/") -> dict:
    return {
        "version": __version__,
        "profile": active_profile(),
        "frameworks": framework_status(),
        "project_roots": [str(p) for p in project_roots()],
        "server": {"user": user, "base_url": base_url},
        # the rule every project, dataset and model name follows, for forms to check as one
        # types (a full match; valid in Python and JavaScript regular expressions)
        "names": {"pattern": NAME_PATTERN, "rule": NAME_RULE},
    }
