"""Copy the checkout's installable files to where every system account can read them.

Run as root, the hub starts each user's server as that user's own account. A checkout under
``/root`` (mode 0700) cannot be entered by those accounts, so, as The Littlest JupyterHub
does with ``/opt/tljh/user``, the environment the servers run from lives under
``/opt/hubml``: a venv in ``venv/`` with hubml installed (editable) from a copy of the
checkout in ``src/``. ``make install``, ``make hub``, ``make test`` and the test suite keep
that copy in step with the checkout through this module.

Standard library only: the Makefile runs it with the system Python before any venv exists.
``python3 sync_env.py CHECKOUT DEST`` copies what changed, removes what the checkout no
longer has, and prints how many files it touched.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
from pathlib import Path

__all__ = ["SKIP_DIRS", "sync_tree"]

# Folders that are never part of what the users' servers run: VCS, environments, the
# frontend's node_modules (the built labextension is copied), runtime state and caches.
SKIP_DIRS = frozenset({
    ".git", ".venv", "node_modules", ".hubml-hub", "test-artifacts", "__pycache__",
    ".pytest_cache", ".ruff_cache", ".hypothesis", ".yarn", "lib", "build", "dist",
})
SKIP_SUFFIXES = (".pyc", ".pyo")


def _wanted(rel: Path) -> bool:
    return not any(part in SKIP_DIRS for part in rel.parts[:-1] + (rel.name,)) \
        and not rel.name.endswith(SKIP_SUFFIXES) and not rel.name.endswith(".egg-info")


def _files(root: Path) -> dict[Path, os.stat_result]:
    found = {}
    for dirpath, dirnames, filenames in os.walk(root):
        base = Path(dirpath)
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS and not d.endswith(".egg-info")]
        for name in filenames:
            rel = (base / name).relative_to(root)
            if _wanted(rel):
                found[rel] = (base / name).lstat()
    return found


def sync_tree(checkout: Path, dest: Path) -> int:
    """Make ``dest`` hold the checkout's files (readable by all); return files changed."""
    checkout, dest = Path(checkout).resolve(), Path(dest)
    if checkout == dest.resolve():
        return 0
    dest.mkdir(parents=True, exist_ok=True)
    os.chmod(dest, 0o755)
    source, present = _files(checkout), _files(dest)
    changed = 0
    for rel, st in source.items():
        old = present.get(rel)
        if old is not None and old.st_size == st.st_size and int(old.st_mtime) == int(st.st_mtime):
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if stat.S_ISLNK(st.st_mode):
            target.unlink(missing_ok=True)
            target.symlink_to(os.readlink(checkout / rel))
        else:
            # write beside, then rename: a server reading the file never sees half of it
            partial = target.with_name(f".{target.name}.sync")
            shutil.copy2(checkout / rel, partial)
            os.chmod(partial, (st.st_mode & 0o777) | 0o444 | (0o111 if st.st_mode & 0o100 else 0))
            os.replace(partial, target)
        changed += 1
    for rel in present.keys() - source.keys():
        (dest / rel).unlink()
        changed += 1
    for dirpath, _dirs, _names in os.walk(dest):
        os.chmod(dirpath, 0o755)
    return changed


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: sync_env.py CHECKOUT DEST")
    n = sync_tree(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"hubml: {n} file(s) synced to {sys.argv[2]}")
