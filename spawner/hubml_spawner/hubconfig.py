"""Configuration of the embedded hub, read by ``jupyterhub_config.py``.

Everything comes from environment variables; secrets are generated into the state
folder (mode 0600) on first start, never written into the config file. Problems an admin
can fix (malformed catalog or groups file, missing password file, port in use) stop the
hub before it starts, with a message that says what to change.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from .auth import pending_signups
from .catalog import CatalogError, default_catalog_path, load_catalog

__all__ = ["HubSettings", "SetupError", "configure", "culler_command", "find_proxy_command",
           "server_token_scopes", "settings_from_env"]

_BIN = os.path.dirname(sys.executable)


class SetupError(RuntimeError):
    """Something the admin must change before the hub can start."""


@dataclass(frozen=True)
class HubSettings:
    state_dir: Path
    ip: str
    port: int
    admin: str
    catalog: Path
    groups_file: Path
    idle_timeout: int
    reset_admin_password: bool


def settings_from_env(env=os.environ) -> HubSettings:
    try:
        port = int(env.get("HUBML_PORT", "8000"))
        idle = int(env.get("HUBML_IDLE_TIMEOUT", "3600"))
    except ValueError as exc:
        raise SetupError(
            f"HUBML_PORT and HUBML_IDLE_TIMEOUT must be whole numbers ({exc})") from None
    state = Path(env.get("HUBML_STATE_DIR", ".hubml-hub")).resolve()
    return HubSettings(
        state_dir=state,
        ip=env.get("HUBML_IP", "127.0.0.1"),
        port=port,
        admin=env.get("HUBML_ADMIN", "admin"),
        catalog=Path(env.get("HUBML_CATALOG") or default_catalog_path()).resolve(),
        groups_file=Path(env.get("HUBML_GROUPS_FILE") or state / "groups.yaml"),
        idle_timeout=idle,
        reset_admin_password=env.get("HUBML_RESET_ADMIN_PASSWORD", "") in ("1", "true", "yes"),
    )


def _secret_file(path: Path, make) -> str:
    """Read a secret file, creating it with mode 0600 if absent."""
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(make())
    os.chmod(path, 0o600)
    return path.read_text().strip()


def admin_password(s: HubSettings) -> Path:
    path = s.state_dir / "admin-password"
    hub_db = s.state_dir / "jupyterhub.sqlite"
    if not path.exists() and hub_db.exists() and not s.reset_admin_password:
        raise SetupError(
            f"the admin password file {path} is missing, but the hub database {hub_db} exists. "
            "Restore the file, or start with HUBML_RESET_ADMIN_PASSWORD=1 to set the admin's "
            "password to a newly generated one.")
    _secret_file(path, lambda: secrets.token_urlsafe(12))
    return path


def load_groups(path: Path) -> dict:
    """``{group: [user, ...]}`` YAML -> JupyterHub ``load_groups``."""
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise SetupError(f"{path}: not valid YAML ({exc})") from None
    ok = isinstance(data, dict) and all(
        isinstance(k, str) and isinstance(v, list) and all(isinstance(u, str) for u in v)
        for k, v in data.items())
    if not ok:
        raise SetupError(f"{path}: expected a mapping of group name to a list of user names, "
                         "like 'gpu-users: [alice, bob]'")
    return {group: {"users": users} for group, users in data.items()}


def find_proxy_command() -> list[str]:
    """The Node configurable-http-proxy when on PATH, else the Python port in this venv."""
    others = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep)
                             if os.path.realpath(p) != os.path.realpath(_BIN))
    node = shutil.which("configurable-http-proxy", path=others)
    return [node or os.path.join(_BIN, "configurable-http-proxy")]


def _proxy_running(pid_file: Path) -> bool:
    try:
        os.kill(int(pid_file.read_text().strip()), 0)
        return True
    except (OSError, ValueError):
        return False


def check_port(s: HubSettings, pid_file: Path) -> None:
    """Refuse to start when someone else holds the port (our surviving proxy is fine)."""
    if _proxy_running(pid_file):
        return
    with socket.socket(socket.AF_INET6 if ":" in s.ip else socket.AF_INET) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((s.ip, s.port))
        except OSError as exc:
            raise SetupError(f"{s.ip}:{s.port} is in use ({exc.strerror}); stop what holds it "
                             "or set HUBML_PORT to a free port") from None


def configure(c, env=os.environ) -> HubSettings:
    """Fill the traitlets config ``c`` of the embedded hub."""
    s = settings_from_env(env)
    # check everything the admin may have to fix before writing anything
    try:
        load_catalog(s.catalog)
    except CatalogError as exc:
        raise SetupError(str(exc)) from None
    groups = load_groups(s.groups_file)
    pid_file = s.state_dir / "proxy.pid"
    check_port(s, pid_file)
    s.state_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(s.state_dir, 0o700)
    os.environ["HUBML_CATALOG"] = str(s.catalog)
    os.environ["HUBML_STATE_DIR"] = str(s.state_dir)

    c.JupyterHub.ip = s.ip
    c.JupyterHub.port = s.port
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = int(env.get("HUBML_HUB_PORT", s.port + 81))
    c.JupyterHub.db_url = f"sqlite:///{s.state_dir / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(s.state_dir / "jupyterhub_cookie_secret")
    c.JupyterHub.pid_file = str(s.state_dir / "jupyterhub.pid")
    # a restart keeps users' servers and the proxy that routes to them
    c.JupyterHub.cleanup_servers = False
    c.JupyterHub.cleanup_proxy = False
    c.ConfigurableHTTPProxy.command = find_proxy_command()
    c.ConfigurableHTTPProxy.pid_file = str(pid_file)
    c.ConfigurableHTTPProxy.auth_token = _secret_file(
        s.state_dir / "proxy-auth-token", lambda: secrets.token_hex(32))
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{s.port + 1}"

    c.JupyterHub.authenticator_class = "hubml_spawner.auth.HubMLAuthenticator"
    c.HubMLAuthenticator.admin_password_file = str(admin_password(s))
    c.HubMLAuthenticator.reset_admin_password = s.reset_admin_password
    c.Authenticator.admin_users = {s.admin}
    c.Authenticator.allow_all = True  # sign-up needs admin approval; that is the gate
    c.NativeAuthenticator.open_signup = False
    c.NativeAuthenticator.minimum_password_length = 8

    c.JupyterHub.template_paths = [str(Path(__file__).parent / "templates")]
    c.JupyterHub.template_vars = {"hubml_pending_signups": pending_signups}

    c.JupyterHub.spawner_class = "hubml_spawner.local.HubMLLocalSpawner"
    c.HubMLLocalSpawner.catalog_path = str(s.catalog)
    c.HubMLLocalSpawner.demo_project = env.get("HUBML_DEMO", "1") not in ("0", "false", "no")
    if env.get("HUBML_SYSTEM_USER_PREFIX"):
        c.HubMLLocalSpawner.system_user_prefix = env["HUBML_SYSTEM_USER_PREFIX"]
    c.Spawner.http_timeout = 120
    c.Spawner.start_timeout = 180
    c.JupyterHub.load_groups = groups

    configure_deployments(c)
    c.JupyterHub.services = [{
        "name": "idle-culler",
        # its config file skips deployments (named servers started with hubml_deployment)
        "command": culler_command(s.idle_timeout),
    }]
    c.JupyterHub.load_roles = [{
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }, USER_ROLE]
    return s


# Deployments (a served model, a published dashboard) are named servers of their owner; a
# user shares them with users or groups by name, and the user's Jupyter server starts, stops
# and shares them with its own token (hubml.deployments).
PREDICT_SCOPE = "custom:hubml:predict"
USER_ROLE = {
    "name": "user",
    "description": "hubml users: their own servers, sharing them, and calling their deployments",
    "scopes": ["self", "shares!user", "read:users:name", "read:groups:name",
               f"{PREDICT_SCOPE}!user"],
}
SERVER_TOKEN_SCOPES = ["users:activity!user", "access:servers!server", "read:users!user",
                       "servers!user", "read:servers!user", "shares!user", "read:shares!user",
                       "read:users:name", "read:groups:name"]
# a deployment reports activity and reads its own shares (hubml.serving.hub_auth)
DEPLOYMENT_TOKEN_SCOPES = ["users:activity!user", "access:servers!server", "read:shares!server"]
CULLER_CONFIG = Path(__file__).with_name("culler_config.py")
NAMED_SERVER_LIMIT = 10


def culler_command(timeout: int) -> list[str]:
    """jupyterhub-idle-culler with the config file that leaves deployments running."""
    return [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={timeout}",
            f"--config={CULLER_CONFIG}"]


def server_token_scopes(spawner) -> list[str]:
    """A user's Jupyter server may manage the user's deployments; a deployment's own token
    only reports activity (JupyterHub asks before user_options are known: go by the name)."""
    from .deployments import is_deployment_name

    return DEPLOYMENT_TOKEN_SCOPES if is_deployment_name(spawner.name) else SERVER_TOKEN_SCOPES


def configure_deployments(c) -> None:
    from .group_shares import install

    install()  # members of a group a deployment is shared with reach it with their tokens
    c.JupyterHub.allow_named_servers = True
    c.JupyterHub.named_server_limit_per_user = NAMED_SERVER_LIMIT
    c.JupyterHub.custom_scopes = {PREDICT_SCOPE: {
        "description": "Call the owner's hubml model deployments (prediction requests)"}}
    c.Spawner.server_token_scopes = server_token_scopes
