"""(b) Jupyter server start with the hubml server extension against without it.

The same ``jupyter server`` command both times; the baseline adds
``--ServerApp.jpserver_extensions={"hubml": false}``. Timed from process start until
``GET /api/status`` answers 200.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import requests

from tests.support.ports import free_port

from .report import Row, compare, median, p90, paired_diff
from .timing import BIN, bench_env, interleaved

RUNS = 9  # at least 7; more because wall time is noisy when other jobs share the 2 cores
LIMIT_MS = 150.0
POLL = 0.02
TIMEOUT = 60.0
# a Python literal: traitlets reads dicts with literal_eval, so JSON's `false` is refused
DISABLE = '--ServerApp.jpserver_extensions={"hubml": False}'


class ServerStartError(RuntimeError):
    pass


def _cpu_ms(pid: int) -> float:
    """CPU time (user + system) the process has used so far: steadier than wall time under load."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _start_once(workdir: Path, with_hubml: bool, cpu: list[float]) -> float:
    """Start a server, time it until /api/status is 200, check the hubml route, stop it."""
    root = Path(tempfile.mkdtemp(dir=workdir, prefix="root-"))
    port, token = free_port(), secrets.token_hex(16)
    cmd = [str(BIN / "jupyter"), "server", "--no-browser", "--allow-root",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}"]
    if not with_hubml:
        cmd.append(DISABLE)
    url = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"token {token}"}
    log_path = root.with_suffix(".log")
    # no first-start demo (a detached process that would outlive the server; the Hub harness
    # turns it off the same way) so both sides measure the server and the extension only
    env = bench_env(JUPYTER_RUNTIME_DIR=str(workdir / "runtime"), HUBML_DEMO_PROJECT="0")
    with open(log_path, "wb") as log:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root)
        try:
            elapsed = None
            while time.perf_counter() - t0 < TIMEOUT:
                if proc.poll() is not None:
                    break
                try:
                    if requests.get(f"{url}/api/status", headers=headers, timeout=2).status_code == 200:
                        elapsed = (time.perf_counter() - t0) * 1000
                        cpu.append(_cpu_ms(proc.pid))
                        break
                except requests.RequestException:
                    pass
                time.sleep(POLL)
            if elapsed is None:
                tail = log_path.read_text(errors="replace")[-2000:]
                raise ServerStartError(f"jupyter server (hubml={with_hubml}) did not answer:\n{tail}")
            # outside the timed part: the extension is there exactly when it should be
            status = requests.get(f"{url}/hubml/api/status", headers=headers, timeout=10).status_code
            if status != (200 if with_hubml else 404):
                raise ServerStartError(f"GET /hubml/api/status answered {status} (hubml={with_hubml})")
            return elapsed
        finally:
            # no kernels or other children run and its files are in workdir (removed after),
            # so SIGKILL loses nothing and saves the ~1 s graceful shutdown per start
            proc.kill()
            proc.wait()


def run() -> list[Row]:
    workdir = Path(tempfile.mkdtemp(prefix="hubml-bench-server-"))
    try:
        cpu_ours: list[float] = []
        cpu_base: list[float] = []
        ours, base = interleaved(RUNS, lambda: _start_once(workdir, True, cpu_ours),
                                 lambda: _start_once(workdir, False, cpu_base), "server start")
        cpu_ours, cpu_base = cpu_ours[-RUNS:], cpu_base[-RUNS:]  # drop the warm-up
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    note = (f"`jupyter server` until GET /api/status is 200, polled every {POLL * 1000:.0f} ms; "
            f"p90 {p90(ours):.0f} vs {p90(base):.0f} ms; median of paired differences "
            f"{paired_diff(ours, base):+.0f} ms; server CPU time until ready "
            f"{median(cpu_ours):.0f} vs {median(cpu_base):.0f} ms "
            f"({median(cpu_ours) - median(cpu_base):+.0f}); "
            f"with: GET /hubml/api/status 200, without: 404")
    return [compare("Jupyter server start, hubml extension on vs off", ours, base, "ms", "diff",
                    LIMIT_MS, note)]
