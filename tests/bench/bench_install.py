"""Fresh install: ``make install`` into a new environment with an empty pip cache, timed.

What a newcomer waits for on first ``make hub`` / ``make test`` (system packages already
present: apt is not undone between runs). The baseline is a plain ``pip install jupyterhub
jupyterlab`` into a new venv from the same empty cache: what any JupyterHub install costs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from .report import Row

REPO = Path(__file__).resolve().parents[2]


def _fresh_prefix() -> Path:
    # as root the environment must be readable by every account: under /opt, like /opt/hubml
    base = "/opt" if os.geteuid() == 0 else None
    prefix = Path(tempfile.mkdtemp(prefix="hubml-bench-install-", dir=base))
    os.chmod(prefix, 0o755)
    return prefix


def _timed(cmd: list[str], env: dict, cwd: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE)
    return time.perf_counter() - t0


def run() -> list[Row]:
    prefix, cache = _fresh_prefix(), Path(tempfile.mkdtemp(prefix="hubml-bench-pip-"))
    env = {**os.environ, "PIP_CACHE_DIR": str(cache / "ours"), "HUBML_PREFIX": str(prefix)}
    env.pop("VIRTUAL_ENV", None)
    try:
        ours = _timed(["make", "--no-print-directory", "install"], env, REPO)
        base_env = {**env, "PIP_CACHE_DIR": str(cache / "base")}
        base = _timed(["/usr/bin/python3", "-m", "venv", str(prefix / "base")], base_env, REPO)
        base += _timed([str(prefix / "base/bin/python"), "-m", "pip", "install", "-q",
                        "jupyterhub", "jupyterlab"], base_env, REPO)
        size = subprocess.run(["du", "-sm", str(prefix / "venv")], capture_output=True,
                              text=True).stdout.split()[0]
    finally:
        shutil.rmtree(prefix, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
    note = (f"empty PIP_CACHE_DIR, new HUBML_PREFIX; every framework (TensorFlow, PyTorch CPU, "
            f"H2O), the hub, test tools and the frontend build; venv {size} MB; baseline is "
            f"`pip install jupyterhub jupyterlab` into a new venv")
    return [Row("Fresh install: `make install`, empty pip cache", ours, base, "s", "ratio",
                "report", True, note, 1)]
