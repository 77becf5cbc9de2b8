"""System accounts for hub users when the hub runs as root (as The Littlest JupyterHub does).

``system_username`` is pure; ``ensure_system_user`` runs ``useradd`` once per user.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import re
import subprocess

__all__ = ["ensure_system_user", "system_username"]

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
