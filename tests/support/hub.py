"""Start the real embedded hub (our jupyterhub_config.py) in a temporary state folder.

The test hub adds one service token with admin scopes so tests can drive the REST API,
exactly as an admin's program would.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import requests

from .ports import free_port, free_port_pair

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

TEST_CONFIG = """
import os
_path = {config!r}
exec(compile(open(_path).read(), _path, "exec"))
c.JupyterHub.services.append({{"name": "hubml-test", "api_token": os.environ["HUBML_TEST_TOKEN"]}})
c.JupyterHub.load_roles.append({{
    "name": "hubml-test",
    "scopes": ["admin:users", "admin:servers", "access:servers", "admin:groups", "tokens",
               "read:users", "list:users"],
    "services": ["hubml-test"],
}})
if os.environ.get("HUBML_TEST_SPAWNER_CMD"):
    c.Spawner.cmd = [os.environ["HUBML_TEST_SPAWNER_CMD"]]
if os.environ.get("HUBML_TEST_SPAWNER") == "simple":
    c.JupyterHub.spawner_class = "simple"
    c.Spawner.cmd = [{singleuser!r}]
    c.Spawner.default_url = "/lab"
    c.Spawner.args = ['--ServerApp.jpserver_extensions={{"hubml": False}}']
    if os.geteuid() == 0:
        c.Spawner.args.append("--allow-root")
"""

_XSRF = re.compile(r'name="_xsrf" value="([^"]+)"')


class HubError(AssertionError):
    pass


class Hub:
    """A running JupyterHub: REST helpers, sign-up, login and spawn."""

    def __init__(self, state_dir: Path, groups: dict | None = None, extra_env: dict | None = None):
        self.state_dir = Path(state_dir)
        self.port = free_port_pair()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = secrets.token_hex(16)
        self.state_dir.mkdir(parents=True, exist_ok=True)
        if groups:
            lines = [f"{g}: [{', '.join(users)}]" for g, users in groups.items()]
            (self.state_dir / "groups.yaml").write_text("\n".join(lines) + "\n")
        self.config = self.state_dir / "test_config.py"
        self.config.write_text(TEST_CONFIG.format(config=str(REPO / "jupyterhub_config.py"),
                                                  singleuser=str(BIN / "jupyterhub-singleuser")))
        self.env = {
            **os.environ,
            "HUBML_STATE_DIR": str(self.state_dir),
            "HUBML_PORT": str(self.port),
            "HUBML_HUB_PORT": str(free_port()),
            "HUBML_TEST_TOKEN": self.token,
            "HUBML_SYSTEM_USER_PREFIX": "hubmlt-",
            "HUBML_DEMO": "0",  # the demo project has its own test (tests/server)
            **(extra_env or {}),
        }
        self.proc: subprocess.Popen | None = None
        self.log_path = self.state_dir / "hub.log"

    # -- lifecycle -----------------------------------------------------------------
    def start(self, timeout: float = 60) -> Hub:
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([str(BIN / "jupyterhub"), "-f", str(self.config)],
                                     cwd=self.state_dir, env=self.env, stdout=log,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise HubError(f"hub exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                if requests.get(f"{self.url}/hub/api/", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise HubError(f"hub did not answer in {timeout}s:\n{self.log_tail()}")

    def restart(self) -> Hub:
        """Stop only the hub process (servers and proxy keep running), then start it again."""
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(30)
        return self.start()

    def stop(self) -> None:
        """Stop users' servers, the hub and its proxy."""
        if self.proc and self.proc.poll() is None:
            try:
                for user in self.api("GET", "users").json():
                    if user.get("servers"):
                        self.api("DELETE", f"users/{user['name']}/server")
                for user in self.api("GET", "users").json():
                    if user.get("servers"):
                        self.wait_stopped(user["name"])
            except (requests.RequestException, HubError):
                pass
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        pid_file = self.state_dir / "proxy.pid"
        if pid_file.exists():
            try:
                os.kill(int(pid_file.read_text()), signal.SIGTERM)
            except (OSError, ValueError):
                pass

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    @property
    def admin_password(self) -> str:
        return (self.state_dir / "admin-password").read_text().strip()

    # -- REST ----------------------------------------------------------------------
    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"token {self.token}"}
        return requests.request(method, f"{self.url}/hub/api/{path}", headers=headers,
                                timeout=30, **kwargs)

    def user_api(self, user: str, path: str, method: str = "GET", **kwargs) -> requests.Response:
        """A request to the user's own Jupyter server, through the proxy."""
        headers = {"Authorization": f"token {self.token}"}
        return requests.request(method, f"{self.url}/user/{user}/{path}", headers=headers,
                                timeout=30, **kwargs)

    def spawn(self, user: str, options: dict | None = None, timeout: float = 120) -> dict:
        """Start the user's server through the REST API and wait until it is ready."""
        r = self.api("POST", f"users/{user}/server", json=options or {})
        if r.status_code not in (201, 202):
            raise HubError(f"spawn of {user} answered {r.status_code}: {r.text}")
        return self.wait_ready(user, timeout)

    def wait_ready(self, user: str, timeout: float = 120) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            server = self.api("GET", f"users/{user}").json().get("servers", {}).get("")
            if server and server.get("ready"):
                return server
            if not server:
                raise HubError(f"{user}'s server stopped while starting:\n{self.log_tail()}")
            time.sleep(0.1)
        raise HubError(f"{user}'s server not ready in {timeout}s:\n{self.log_tail()}")

    def stop_server(self, user: str) -> None:
        r = self.api("DELETE", f"users/{user}/server")
        if r.status_code not in (202, 204):
            raise HubError(f"stop of {user} answered {r.status_code}: {r.text}")
        self.wait_stopped(user)

    def wait_stopped(self, user: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.api("GET", f"users/{user}").json().get("servers"):
                return
            time.sleep(0.2)
        raise HubError(f"{user}'s server did not stop in {timeout}s")

    # -- the web pages a person uses ------------------------------------------------
    def _form(self, session: requests.Session, path: str, data: dict) -> requests.Response:
        page = session.get(f"{self.url}{path}", timeout=30)
        match = _XSRF.search(page.text)
        if not match:
            raise HubError(f"no _xsrf field on {path} ({page.status_code})")
        return session.post(f"{self.url}{path}", data={**data, "_xsrf": match.group(1)},
                            allow_redirects=False, timeout=30)

    def signup(self, user: str, password: str) -> requests.Response:
        return self._form(requests.Session(), "/hub/signup", {
            "username": user, "signup_password": password,
            "signup_password_confirmation": password, "email": ""})

    def login(self, user: str, password: str) -> tuple[requests.Session, requests.Response]:
        session = requests.Session()
        return session, self._form(session, "/hub/login", {"username": user, "password": password})

    def admin_session(self) -> requests.Session:
        session, r = self.login("admin", self.admin_password)
        if r.status_code != 302:
            raise HubError(f"admin login failed with {r.status_code}")
        return session

    def approve(self, user: str) -> None:
        r = self.admin_session().get(f"{self.url}/hub/authorize/{user}", timeout=30)
        if r.status_code != 200:
            raise HubError(f"approving {user} answered {r.status_code}")

    def add_user(self, user: str, password: str) -> None:
        """Sign up and have the admin approve, as a new team member would."""
        r = self.signup(user, password)
        if r.status_code != 200 or "Your information has been sent to the admin" not in r.text:
            raise HubError(f"sign-up of {user} failed: {r.status_code}")
        self.approve(user)
        _, r = self.login(user, password)  # the hub knows a user from the first login on
        if r.status_code != 302:
            raise HubError(f"first login of {user} failed: {r.status_code}")


def remove_leftover_project(user: str, project: str) -> None:
    """A test user's system account (``hubmlt-<user>``) outlives the hub of an earlier run,
    with the projects in its home: remove one that a test is about to create again."""
    import pwd
    import shutil

    try:
        shutil.rmtree(Path(pwd.getpwnam(f"hubmlt-{user}").pw_dir) / "projects" / project)
    except (KeyError, FileNotFoundError):  # no such account yet, or no such project
        return


def _world_can_enter(path: Path) -> bool:
    return all(part.stat().st_mode & stat.S_IXOTH for part in [path, *path.parents])


@contextlib.contextmanager
def running_hub(tmp_path_factory, name: str, groups: dict | None = None,
                extra_env: dict | None = None):
    """A started hub in a fresh state folder, stopped (servers, hub, proxy) at the end."""
    # As root the servers run as other accounts: they need the environment, not the checkout
    # (make install puts it under $HUBML_PREFIX, /opt/hubml, wherever the checkout is).
    if os.geteuid() == 0 and not _world_can_enter(BIN):
        raise HubError(f"running as root, users' servers run as other accounts, which cannot "
                       f"enter {BIN}; run the tests with the environment `make install` "
                       f"builds under /opt/hubml (make test does)")
    state = tmp_path_factory.mktemp(name)
    os.chmod(state.parent, 0o755)
    hub = Hub(state, groups=groups, extra_env=extra_env).start()
    try:
        yield hub
    finally:
        hub.stop()
