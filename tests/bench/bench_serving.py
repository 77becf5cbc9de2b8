"""Serving: ``hubml serve`` against ``mlflow models serve`` and against a minimal ASGI app
calling the same model, 2 workers against 1, the recipe on raw input, and batch scoring.

One model for all: HistGradientBoosting, 20 features, 100 trees, one-row ``dataframe_split``
requests. Every server runs at once (idle ones cost nothing but memory) and the load rounds
alternate between them, all through one client (tests/bench/http_load.py: uvloop, keep-alive,
closed loop) at 8 connections. The client shares the 2 cores with the servers, so the
figures are what one machine does with client and server on it, not the server alone.
The project is built once and cached under ``$TMPDIR/hubml-bench-cache/serving-v1``.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson
import psutil
import requests

from tests.support.ports import free_port

from .http_load import request_bytes, run_load
from .report import Row, median
from .timing import BIN, bench_env

REPO = Path(__file__).resolve().parents[2]
CACHE = Path(tempfile.gettempdir()) / "hubml-bench-cache" / "serving-v1"
FEATURES = [f"f{i}" for i in range(20)]
ROUNDS, CONNECTIONS = 3, 8
OURS_REQUESTS, MLFLOW_REQUESTS = 3000, 400
TOKEN = secrets.token_hex(16)
BIG_ROWS = 1_000_000


def _build(root: Path) -> None:
    import numpy as np
    import pandas as pd
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

    import hubml
    from hubml.recipes import Recipe
    from tests.serving.test_recipe_input import STEPS, raw_frame

    os.environ["HUBML_PROJECT_ROOTS"] = str(root)
    p = hubml.create_project("bench")
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(5000, 20)), columns=FEATURES)
    y = np.where(X.f0 + X.f1 * X.f2 - X.f3 > 0, "yes", "no")
    train = p.save_dataset("train", X.assign(y=y))
    p.register_model("gbdt", HistGradientBoostingClassifier(max_iter=100, random_state=0)
                     .fit(X, y), framework="sklearn", dataset=train, X_example=X)
    raw = raw_frame(2000, 0)
    fitted = Recipe(STEPS).fit(raw)
    Xr = fitted.transform(raw)
    model = HistGradientBoostingRegressor(max_iter=50).fit(Xr, raw.visits * 2.0)
    p.register_model("spend", model, framework="sklearn", X_example=Xr, recipe=fitted)
    p.register_model("spend-plain", model, framework="sklearn", X_example=Xr)
    big = pd.DataFrame(rng.normal(size=(BIG_ROWS, 20)), columns=FEATURES)
    p.save_dataset("big", big)


def _project_root() -> Path:
    if not (CACHE / "ready").exists():
        shutil.rmtree(CACHE, ignore_errors=True)
        (CACHE / "projects").mkdir(parents=True)
        _build(CACHE / "projects")
        (CACHE / "ready").write_text("ok")
    return CACHE / "projects"


class Server:
    def __init__(self, name, cmd, ready, env, workers=1, cwd=None):
        self.name, self.ready_path, self.workers = name, ready, workers
        self.port = free_port()
        self.cmd = [c.replace("{port}", str(self.port)) for c in cmd]
        self.log = tempfile.NamedTemporaryFile(prefix=f"bench-{name}-", suffix=".log",
                                               delete=False)
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(self.cmd, env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT, cwd=cwd or REPO,
                                     start_new_session=True)
        self.ready_s = self._wait(t0)

    def _wait(self, t0) -> float:
        deadline = t0 + 180
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {Path(self.log.name).read_text()[-800:]}")
            try:
                if requests.get(f"http://127.0.0.1:{self.port}{self.ready_path}",
                                timeout=2).status_code == 200:
                    return time.perf_counter() - t0
            except requests.RequestException:
                pass
            time.sleep(0.02)
        raise RuntimeError(f"{self.name} not ready in 180 s")

    def memory_mb(self) -> tuple[float, float]:
        """(largest process's RSS, whole tree's RSS) in MB: a worker's and the service's."""
        root = psutil.Process(self.proc.pid)
        rss = [p.memory_info().rss for p in [root, *root.children(recursive=True)]]
        return max(rss) / 2**20, sum(rss) / 2**20

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)


def _servers(root: Path, env: dict) -> dict[str, Server]:
    import mlflow

    project = root / "bench"
    store = f"sqlite:///{project}/.hubml/mlflow.db"
    mlflow.set_tracking_uri(store)
    local = mlflow.artifacts.download_artifacts("models:/gbdt/1",
                                                dst_path=tempfile.mkdtemp(prefix="floor-"))
    hubml = [sys.executable, "-m", "hubml.cli", "serve", "--project", "bench", "--port",
             "{port}"]
    out = {}
    out["mlflow"] = Server("mlflow", [str(BIN / "mlflow"), "models", "serve", "-m",
                                      "models:/gbdt/1", "--env-manager", "local", "-h",
                                      "127.0.0.1", "-p", "{port}", "-w", "1"], "/ping",
                           {**env, "MLFLOW_TRACKING_URI": store, "MLFLOW_REGISTRY_URI": store})
    out["ours"] = Server("ours", [*hubml, "gbdt:1"], "/v2/health/ready", env)
    out["ours-native"] = Server("ours-native", [*hubml, "gbdt:1", "--compile", "off"],
                                "/v2/health/ready", env)
    out["ours-2"] = Server("ours-2", [*hubml, "gbdt:1", "--workers", "2"],
                           "/v2/health/ready", env, workers=2)
    out["floor"] = Server("floor", [sys.executable, "-m", "uvicorn",
                                    "tests.bench.serving_floor:app", "--loop", "uvloop",
                                    "--http", "httptools", "--no-access-log", "--host",
                                    "127.0.0.1", "--port", "{port}", "--log-level", "warning"],
                          "/", {**env, "FLOOR_MODEL": local, "OMP_NUM_THREADS": "1"})
    out["recipe"] = Server("recipe", [*hubml, "spend:1"], "/v2/health/ready", env)
    out["recipe-plain"] = Server("recipe-plain", [*hubml, "spend-plain:1"],
                                 "/v2/health/ready", env)
    return out


def _one_row() -> bytes:
    return orjson.dumps({"dataframe_split": {"columns": FEATURES,
                                             "data": [[0.1 * i - 1 for i in range(20)]]}})


def _measure(servers, names, body, total_for, connections, rounds=ROUNDS, path="/invocations"):
    results = {n: [] for n in names}
    for name in names:   # warm-up: caches, first-request imports
        run_load(servers[name].port, request_bytes(path, body[name] if isinstance(body, dict)
                                                   else body, TOKEN), 100, connections)
    for r in range(rounds):
        for name in (names if r % 2 == 0 else names[::-1]):
            b = body[name] if isinstance(body, dict) else body
            res = run_load(servers[name].port, request_bytes(path, b, TOKEN),
                           total_for(name), connections)
            if res.errors:
                raise RuntimeError(f"{name}: {res.errors} errors in the load")
            results[name].append(res)
    return results


def _recipe_bodies():
    from hubml.recipes import Recipe
    from tests.serving.test_recipe_input import STEPS, raw_frame

    raw = raw_frame(2000, 0)
    fitted = Recipe(STEPS).fit(raw)
    one = raw_frame(3, 5).iloc[[1]]
    record = {k: (None if isinstance(v, float) and v != v else v)
              for k, v in one.to_dict(orient="records")[0].items()}
    plain = fitted.transform(one)
    return ({"recipe": orjson.dumps({"dataframe_records": [record]}),
             "recipe-plain": orjson.dumps({"dataframe_split": plain.to_dict(
                 orient="split", index=False)})}, fitted, one)


def _recipe_in_process(fitted, one) -> float:
    """Median microseconds of the recipe's numpy form on one raw row (columns + transform)."""
    from hubml.serving.payload import Input
    from hubml.serving.recipe_fast import compile_recipe, required_columns
    from hubml.serving.recipe_input import _column

    features = list(fitted.transform(one).columns)
    fast = compile_recipe(fitted, features)
    need = required_columns(fitted, features)
    inp = Input(rows=[one[need].iloc[0].tolist()], names=need)
    times = []
    for _ in range(3000):
        t0 = time.perf_counter()
        fast.transform({c: _column([row[i] for row in inp.rows], False)
                        for i, c in enumerate(need)})
        times.append(time.perf_counter() - t0)
    return median(times) * 1e6


def _batch(root: Path) -> tuple[float, float, str]:
    import hubml
    from hubml.serving import batch_predict
    from hubml.serving.registry import parse_spec

    os.environ["HUBML_PROJECT_ROOTS"] = str(root)
    p = hubml.project("bench")
    ours, base = [], []
    for _ in range(2):
        t0 = time.perf_counter()
        out = batch_predict(p, parse_spec("gbdt:1"), "big", 1, "big-scored", progress=False)
        ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        frame = p.dataset("big").load(version=1)
        model = p.model("gbdt").load(version=1)
        model.predict(frame[FEATURES])
        base.append(time.perf_counter() - t0)
        del frame
    return BIG_ROWS / median(ours), BIG_ROWS / median(base), f"output v{out.version}"


def run() -> list[Row]:
    from .serving_rows import rows_from

    root = _project_root()
    env = bench_env(HUBML_PROJECT_ROOTS=str(root), HUBML_SERVE_TOKEN=TOKEN,
                    HUBML_DEMO_PROJECT="0")
    env.pop("HUBML_TRACKING_URI", None)
    servers = _servers(root, env)
    try:
        ready = {n: s.ready_s for n, s in servers.items()}
        names = ["ours", "mlflow", "ours-native", "floor", "ours-2"]
        eight = _measure(servers, names, _one_row(),
                         lambda n: MLFLOW_REQUESTS if n == "mlflow" else OURS_REQUESTS,
                         CONNECTIONS)
        single = _measure(servers, ["ours", "ours-2"], _one_row(), lambda n: 1500, 1)
        memory = {n: servers[n].memory_mb()
                  for n in ("ours", "ours-native", "mlflow", "ours-2", "floor")}
        bodies, fitted, one = _recipe_bodies()
        recipe = _measure(servers, ["recipe", "recipe-plain"], bodies, lambda n: 1500, 1,
                          rounds=4)
        micro = _recipe_in_process(fitted, one)
        logs = {n: Path(s.log.name).read_text()[-2000:] for n, s in servers.items()}
    finally:
        for s in servers.values():
            s.stop()
    batch = _batch(root)
    return rows_from(eight, single, memory, ready, recipe, micro, batch, logs)
