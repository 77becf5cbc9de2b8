#!/usr/bin/env bash
# Configure podman for this kind of machine (called by `make install` when run as root).
#
# Podman (Debian bookworm) runs here with runc, and needs lower default ulimits than the
# host's (crun is not installed and the host's nofile/nproc are too high for a nested runtime).
# The file is written only when it does not exist yet, so an admin's own configuration wins.
set -euo pipefail
conf=/etc/containers/containers.conf
if [ "$(id -u)" != 0 ]; then
  echo "hubml: podman-setup: not root; leaving $conf alone" >&2
  exit 0
fi
if ! command -v podman >/dev/null; then
  echo "hubml: podman-setup: podman is not installed; skipping" >&2
  exit 0
fi
if [ -e "$conf" ]; then
  exit 0
fi
mkdir -p "$(dirname "$conf")"
cat > "$conf" <<'CONF'
# written by hubml images/podman-setup.sh
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]

[engine]
runtime = "runc"
CONF
echo "hubml: wrote $conf (runtime runc, ulimits nofile/nproc 1024)"
