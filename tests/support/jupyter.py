"""A real ``jupyter server`` process with the hubml extension, for tests and benchmarks that
need a server outside the test's event loop (schemathesis, the bad-input corpus, benchmarks)."""

from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from .ports import free_port

__all__ = ["LiveServer", "live_jupyter_server"]

BIN = Path(sys.executable).parent


@dataclass
class LiveServer:
    url: str          # http://127.0.0.1:<port>/
    token: str
    root: Path        # the project root (HUBML_PROJECT_ROOTS)
    log: Path

    @property
    def headers(self) -> dict:
        return {"Authorization": f"token {self.token}"}

    def api(self, path: str = "") -> str:
        return f"{self.url}hubml/api/{path}"

    def log_tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:]


@contextlib.contextmanager
def live_jupyter_server(workdir: Path, args: tuple[str, ...] = (), env: dict | None = None,
                        timeout: float = 60):
    """Start ``jupyter server`` with root_dir = ``workdir/projects`` (also the only project
    root); yield a :class:`LiveServer`; kill it after."""
    root = workdir / "projects"
    root.mkdir(parents=True, exist_ok=True)
    port, token = free_port(), secrets.token_hex(16)
    log = workdir / "jupyter.log"
    environ = {**os.environ, "HUBML_PROJECT_ROOTS": str(root), "HUBML_DEMO_PROJECT": "0",
               "JUPYTER_RUNTIME_DIR": str(workdir / "runtime"), **(env or {})}
    environ.pop("HUBML_TRACKING_URI", None)
    environ["PATH"] = str(BIN) + os.pathsep + environ.get("PATH", "/usr/bin:/bin")
    cmd = [str(BIN / "jupyter"), "server", "--no-browser", "--allow-root",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", *args]
    server = LiveServer(f"http://127.0.0.1:{port}/", token, root, log)
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=environ,
                                stdin=subprocess.DEVNULL, cwd=workdir)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"jupyter server exited:\n{server.log_tail()}")
            try:
                if requests.get(server.api("status"), headers=server.headers,
                                timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"jupyter server did not answer:\n{server.log_tail()}")
            time.sleep(0.1)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
