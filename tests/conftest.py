"""Top-level pytest configuration: plugins must be declared here, not in sub-folders."""

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

def _load_sync_tree():
    # by file path: importing the package hubml_spawner from the checkout would shadow the
    # installed one for the whole session
    path = REPO / "spawner" / "hubml_spawner" / "sync_env.py"
    spec = importlib.util.spec_from_file_location("_hubml_sync_env", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.sync_tree


def _installed_source() -> Path | None:
    """Where the venv's (editable) hubml lives: the checkout itself, or its copy under
    $HUBML_PREFIX/src when installed as root (see spawner/hubml_spawner/sync_env.py)."""
    spec = importlib.util.find_spec("hubml")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).resolve().parents[2]


# As root the tests run against the copy that users' servers run; bring it up to date with
# the checkout first, so a test never runs yesterday's code (make test does the same).
_SRC = _installed_source()
if _SRC is not None and _SRC != REPO and (_SRC / "spawner" / "hubml_spawner").is_dir():
    _load_sync_tree()(REPO, _SRC)

# pytest-jupyter's jp_fetch / jp_serverapp fixtures (used by tests/server)
pytest_plugins = ["pytest_jupyter.jupyter_server"]
