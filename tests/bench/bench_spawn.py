"""(a) Spawn time through the hub's REST API: HubMLLocalSpawner with the hubml extension
against JupyterHub's SimpleLocalProcessSpawner with plain JupyterLab (hubml disabled).

Two real hubs (tests/support/hub.py), one user each; spawns alternate between them. Timed
from the POST to the hub reporting the server ``ready`` (the harness polls every 0.1 s).
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from tests.support.hub import Hub, HubError

from .report import Row, compare, median, p90
from .timing import interleaved

RUNS = 6
LIMIT = 1.15
PASSWORD = "bench-password-123"
OURS, BASE = "benchhubml", "benchplain"
_STAMP = r"\[\w (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+) "
_SPAWNING = re.compile(_STAMP + r".*Spawning .*jupyterhub-singleuser")
_RUNNING = re.compile(_STAMP + r"ServerApp\] Jupyter Server \S+ is running at")


def _spawn_once(hub: Hub, user: str, hubml: bool) -> float:
    t0 = time.perf_counter()
    hub.spawn(user, {})
    elapsed = time.perf_counter() - t0
    # outside the timed part: the server answers, with hubml exactly when it should
    status = hub.user_api(user, "api/status").status_code
    extension = hub.user_api(user, "hubml/api/status").status_code
    hub.stop_server(user)
    if status != 200:
        raise HubError(f"{user}'s server answered {status} on api/status")
    if extension != (200 if hubml else 404):
        raise HubError(f"{user}'s server answered {extension} on hubml/api/status (hubml={hubml})")
    return elapsed


def server_start_times(log: Path) -> list[float]:
    """Per spawn, seconds from the hub's "Spawning" to the server's "is running at" (its log)."""
    def stamp(m: re.Match) -> datetime.datetime:
        return datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f")
    starts, ups = [], []
    for line in log.read_text(errors="replace").splitlines():
        if m := _SPAWNING.match(line):
            starts.append(stamp(m))
        elif m := _RUNNING.match(line):
            ups.append(stamp(m))
    return [(up - start).total_seconds() for start, up in zip(starts, ups, strict=True)]


def run() -> list[Row]:
    workdir = Path(tempfile.mkdtemp(prefix="hubml-bench-spawn-"))
    os.chmod(workdir, 0o755)  # servers run as other accounts
    base_home = Path(f"/tmp/{BASE}")  # SimpleLocalProcessSpawner's home_dir_template
    had_base_home = base_home.exists()
    ours_hub = Hub(workdir / "hubml")
    base_hub = Hub(workdir / "simple", extra_env={"HUBML_TEST_SPAWNER": "simple"})
    try:
        for hub, user in ((ours_hub, OURS), (base_hub, BASE)):
            hub.start()
            hub.add_user(user, PASSWORD)
        # warm-up (untimed, one each): creates the system account, fills caches
        ours, base = interleaved(RUNS, lambda: _spawn_once(ours_hub, OURS, True),
                                 lambda: _spawn_once(base_hub, BASE, False), "spawn")
        # the warm-up spawn is the first in each log
        ours_up = server_start_times(ours_hub.log_path)[1:]
        base_up = server_start_times(base_hub.log_path)[1:]
    finally:
        for hub in (ours_hub, base_hub):
            hub.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        if not had_base_home:
            shutil.rmtree(base_home, ignore_errors=True)
    note = (f"POST users/x/server until ready; p90 {p90(ours):.2f} vs {p90(base):.2f} s. "
            f"Of that, process start to 'is running at' (hub log): median "
            f"{median(ours_up):.2f} vs {median(base_up):.2f} s; the rest is mostly the hub's "
            f"readiness check (exponential backoff 0.2 s doubling to 5 s, with jitter), so "
            f"spawns fall into steps. Ours runs as system account hubmlt-{OURS}, the baseline as root")
    return [compare("Spawn: HubMLLocalSpawner + hubml vs SimpleLocalProcessSpawner + plain Lab",
                    ours, base, "s", "ratio", LIMIT, note)]
