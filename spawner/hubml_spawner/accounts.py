"""System accounts for hub users when the hub runs as root (as The Littlest JupyterHub does).

``system_username`` is pure; ``ensure_system_user`` runs ``useradd`` once per user.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import re
import stat
import subprocess

__all__ = ["blocked_path", "ensure_system_user", "system_username"]

_MAX = 32  # useradd's limit on Linux


def system_username(prefix: str, hub_name: str) -> str:
    """``prefix + hub_name`` made safe for useradd: lower case, ``[a-z0-9_-]``, <= 32 chars.

    Names that had to change get a short hash so two hub users never share an account.
    """
    cleaned = re.sub(r"[^a-z0-9_-]", "-", hub_name.lower())
    name = prefix + cleaned
    if cleaned != hub_name or len(name) > _MAX:
        digest = hashlib.sha256(hub_name.encode()).hexdigest()[:6]
        name = name[: _MAX - 7] + "-" + digest
    return name


def ensure_system_user(name: str, log=None) -> pwd.struct_passwd:
    """Create the account (home 0700, own group) unless it exists; return its passwd entry."""
    try:
        return pwd.getpwnam(name)
    except KeyError:
        pass
    cmd = ["useradd", "--create-home", "--user-group", "--shell", "/bin/bash", name]
    if log:
        log.info("hubml: creating system account %s", name)
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"could not create system account {name!r}: {result.stderr.strip()}")
    entry = pwd.getpwnam(name)
    os.chmod(entry.pw_dir, 0o700)
    return entry


def _may(st: os.stat_result, uid: int, gids: set[int], bits: int) -> bool:
    """Would an account (uid, groups) have ``bits`` (an rwx triple, e.g. 0o1 for x) here?"""
    if uid == 0:
        return True
    if st.st_uid == uid:
        return bool(st.st_mode & (bits << 6))
    if st.st_gid in gids:
        return bool(st.st_mode & (bits << 3))
    return bool(st.st_mode & bits)


def blocked_path(program: str, account: pwd.struct_passwd) -> str | None:
    """The first folder on the way to ``program`` that ``account`` cannot enter (or the
    program itself if it cannot run it); None when it can. Groups come from the group
    database, as they would for the started process."""
    import grp

    gids = {account.pw_gid} | {g.gr_gid for g in grp.getgrall() if account.pw_name in g.gr_mem}
    path = os.path.abspath(program)
    parts = path.split(os.sep)
    for i in range(1, len(parts)):
        folder = os.sep.join(parts[:i]) or os.sep
        if not _may(os.stat(folder), account.pw_uid, gids, 0o1):
            return folder
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode) or not _may(st, account.pw_uid, gids, 0o5):
        return path
    return None
