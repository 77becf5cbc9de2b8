"""``make hub``: prepare the state folder, print where to log in, then run JupyterHub."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .hubconfig import SetupError, admin_password, settings_from_env

REPO = Path(__file__).resolve().parents[2]


def main() -> int:
    try:
        s = settings_from_env()
        s.state_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(s.state_dir, 0o700)
        password = admin_password(s).read_text().strip()
    except SetupError as exc:
        print(f"hubml: cannot start the hub: {exc}", file=sys.stderr)
        return 2
    os.environ["HUBML_STATE_DIR"] = str(s.state_dir)
    host = "127.0.0.1" if s.ip in ("", "0.0.0.0") else s.ip
    print(f"""
  hubml is starting at  http://{host}:{s.port}/
  log in as             {s.admin}
  password              {password}   (kept in {s.state_dir / 'admin-password'})
  new users sign up at  http://{host}:{s.port}/hub/signup and wait for approval at /hub/authorize
""", flush=True)
    jupyterhub = os.path.join(os.path.dirname(sys.executable), "jupyterhub")
    os.chdir(s.state_dir)  # JupyterHub leaves its own files in the working folder
    os.execv(jupyterhub, [jupyterhub, "-f", str(REPO / "jupyterhub_config.py")])
    return 0


if __name__ == "__main__":
    sys.exit(main())
