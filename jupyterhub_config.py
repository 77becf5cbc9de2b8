"""The embedded hubml hub: ``make hub`` runs ``jupyterhub -f jupyterhub_config.py``.

Configured by environment variables (no secrets here):
  HUBML_IP (127.0.0.1)  HUBML_PORT (8000)  HUBML_STATE_DIR (.hubml-hub)  HUBML_ADMIN (admin)
  HUBML_CATALOG (images/catalog.yaml)  HUBML_GROUPS_FILE ($HUBML_STATE_DIR/groups.yaml)
  HUBML_IDLE_TIMEOUT (3600 s)  HUBML_SYSTEM_USER_PREFIX (jupyter-, when run as root)
  HUBML_RESET_ADMIN_PASSWORD (set to 1 after losing the password)
  HUBML_DEMO (1: each user gets the demo project on first start; 0: no demo)
Add your own settings below the call to ``configure``.
"""

import sys

from hubml_spawner.hubconfig import SetupError, configure

c = get_config()  # noqa: F821 (provided by JupyterHub)

try:
    configure(c)
except SetupError as exc:
    print(f"hubml: cannot start the hub: {exc}", file=sys.stderr)
    sys.exit(2)
