"""``make hub``: prepare the state folder, print where to log in, then run JupyterHub.

The admin's password is shown once, when it is made (or reset), and only on a terminal:
the hub's output usually ends up in a log file that other people can read, so later starts
and non-terminal output name the file that holds it instead.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .hubconfig import SetupError, admin_password, settings_from_env

REPO = Path(__file__).resolve().parents[2]


def login_lines(admin: str, path: Path, fresh: bool, terminal: bool) -> list[str]:
    """What to print about the admin login: the password itself only if it is new and the
    output is a terminal (pure, so the rule is tested without starting a hub)."""
    lines = [f"  log in as             {admin}"]
    if fresh and terminal:
        lines += [f"  password              {path.read_text().strip()}",
                  f"                        (shown once; kept in {path}, mode 0600)"]
    else:
        lines.append(f"  password              in {path} (read it with: sudo cat {path})")
    return lines


def main() -> int:
    try:
        s = settings_from_env()
        s.state_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(s.state_dir, 0o700)
        existed = (s.state_dir / "admin-password").exists()
        path = admin_password(s)
    except SetupError as exc:
        print(f"hubml: cannot start the hub: {exc}", file=sys.stderr)
        return 2
    fresh = not existed or s.reset_admin_password
    os.environ["HUBML_STATE_DIR"] = str(s.state_dir)
    host = "127.0.0.1" if s.ip in ("", "0.0.0.0") else s.ip
    login = "\n".join(login_lines(s.admin, path, fresh, sys.stdout.isatty()))
    print(f"""
  hubml is starting at  http://{host}:{s.port}/
{login}
  new users sign up at  http://{host}:{s.port}/hub/signup and wait for approval at /hub/authorize
""", flush=True)
    jupyterhub = os.path.join(os.path.dirname(sys.executable), "jupyterhub")
    os.chdir(s.state_dir)  # JupyterHub leaves its own files in the working folder
    os.execv(jupyterhub, [jupyterhub, "-f", str(REPO / "jupyterhub_config.py")])
    return 0


if __name__ == "__main__":
    sys.exit(main())
