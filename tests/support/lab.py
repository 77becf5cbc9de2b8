"""Start a real JupyterLab server (``jupyter lab``) with the hubml extension, in a temp folder.

The server's root folder is ``<tmp>/root``; projects live in ``<tmp>/root/projects``
(``HUBML_PROJECT_ROOTS``), so JupyterLab's file browser and terminal see them. Settings,
workspaces and runtime files stay under ``<tmp>``, so a run never touches the user's own.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from .ports import free_port

BIN = Path(sys.executable).parent


class LabError(AssertionError):
    pass


class Lab:
    """A running ``jupyter lab``: its URL, token, root folder and REST helpers."""

    def __init__(self, base: Path, extra_env: dict | None = None):
        self.base = Path(base)
        self.root = self.base / "root"
        self.projects = self.root / "projects"
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.base / "lab.log"
        self.proc: subprocess.Popen | None = None
        for folder in (self.projects, self.base / "home", self.base / "runtime",
                       self.base / "workspaces", self.base / "settings"):
            folder.mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ,
            "HOME": str(self.base / "home"),
            "HUBML_PROJECT_ROOTS": str(self.projects),
            "HUBML_DEMO_PROJECT": "0",
            "JUPYTER_RUNTIME_DIR": str(self.base / "runtime"),
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "SHELL": "/bin/bash",
            **(extra_env or {}),
        }

    def start(self, timeout: float = 60) -> Lab:
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [str(BIN / "jupyter"), "lab", "--no-browser", f"--port={self.port}",
             "--ip=127.0.0.1", f"--ServerApp.token={self.token}",
             f"--ServerApp.root_dir={self.root}", "--ServerApp.open_browser=False",
             f"--LabApp.workspaces_dir={self.base / 'workspaces'}",
             f"--LabApp.user_settings_dir={self.base / 'settings'}",
             "--ServerApp.terminals_enabled=True", "--allow-root",
             # not a login shell: /etc/profile would reset PATH and lose the venv
             '--ServerApp.terminado_settings={"shell_command": ["/bin/bash"]}'],
            cwd=self.root, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise LabError(f"jupyter lab exited with {self.proc.returncode}:\n"
                               f"{self.log_tail()}")
            try:
                if self.api("GET", "status").status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise LabError(f"jupyter lab did not answer in {timeout}s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # the server and its terminals
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    @property
    def lab_url(self) -> str:
        """JupyterLab with the token (the first visit sets the login cookie) and a fresh layout."""
        return f"{self.url}/lab?reset&token={self.token}"

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        """A request to the hubml REST API, as a program with the token would make it."""
        headers = {"Authorization": f"token {self.token}"}
        return requests.request(method, f"{self.url}/hubml/api/{path}", headers=headers,
                                timeout=60, **kwargs)

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        """A request to any path of the server (e.g. ``lab/api/settings/...``)."""
        headers = {"Authorization": f"token {self.token}"}
        return requests.request(method, f"{self.url}/{path}", headers=headers, timeout=60,
                                **kwargs)

    def server_api(self, method: str, path: str, **kwargs) -> requests.Response:
        """A request to Jupyter's own REST API (contents, terminals, ...)."""
        headers = {"Authorization": f"token {self.token}"}
        return requests.request(method, f"{self.url}/api/{path}", headers=headers,
                                timeout=60, **kwargs)
