"""Event loop: p99 latency of Jupyter's own ``GET /api/status`` while the hubml panels watch
a big project, against the same server idle, in the same run.

The project: 300 registered models x 3 versions (tiny sklearn models) and 300 datasets. It is
built once and cached under ``$TMPDIR/hubml-bench-cache/`` (one version is registered with
the SDK; the others copy its tags and artifact through MLflow's client, so the store looks
like the SDK's own; the datasets copy one saved version's meta.json).

Two panels are simulated from a client with the frontend's exact request pattern: one on the
Datasets tab, one on the Models tab. Each loads GET projects, GET changes and its listing,
then long-polls ``GET changes?project=bench&since=<token>&wait=25`` and fetches its listing
again when the fingerprint changed. Phases, interleaved in rounds:

- idle: no panel;
- panels, busy: a helper touches ``mlflow.db`` and a dataset folder every 1.5 s, so both
  listings are fetched every 1.5 s: the old fixed polling's load (the row's figure);
- panels, quiet: nothing changes, the panels only wait on GET changes (the usual case).

A probe asks ``GET /api/status`` every 20 ms throughout.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

import requests

from tests.support.jupyter import live_jupyter_server

from .report import Row, median

MODELS, VERSIONS, DATASETS = 300, 3, 300
ROUNDS, PHASE_S, PROBE_EVERY_S, CHANGE_EVERY_S = 4, 6.0, 0.02, 1.5
LIMIT = 2.0
CACHE = Path(tempfile.gettempdir()) / "hubml-bench-cache" / f"event-loop-{MODELS}x{VERSIONS}"


def p99(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=100, method="inclusive")[-1]


def _build(workdir: Path) -> None:
    import numpy as np
    import pandas as pd
    from sklearn.linear_model import LogisticRegression

    import hubml
    from hubml.workspace.runs import tracking_uri

    root = workdir / "projects"
    root.mkdir(parents=True)
    os.environ["HUBML_PROJECT_ROOTS"] = str(root)
    p = hubml.create_project("bench", root=root)
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=40), "b": rng.normal(size=40)})
    y = (X["a"] > 0).astype(int)
    template = p.save_dataset("template", X.assign(y=y), description="a small dataset")
    meta = json.loads((template.path / "meta.json").read_text())
    for d in range(DATASETS):
        folder = p.path / "datasets" / f"ds-{d:03d}" / "1"
        folder.mkdir(parents=True)
        os.link(template.path / "data.parquet", folder / "data.parquet")
        (folder / "meta.json").write_text(json.dumps({**meta, "name": f"ds-{d:03d}"}))
    shutil.rmtree(p.path / "datasets" / "template")

    first = p.register_model("m-000", LogisticRegression().fit(X, y), framework="sklearn",
                             X_example=X)
    import mlflow

    uri = tracking_uri(p)
    client = mlflow.MlflowClient(tracking_uri=uri, registry_uri=uri)
    info = client.get_model_version("m-000", str(getattr(first, "version", 1)))
    registered = client.get_registered_model("m-000")
    # the saved model's folder (a models:/ source would need a logged model per version)
    source = next(p.hubml_dir.rglob("MLmodel")).parent.as_uri()
    for m in range(MODELS):
        name = f"m-{m:03d}"
        if m:
            client.create_registered_model(name, tags=dict(registered.tags))
        for v in range(VERSIONS):
            if m == 0 and v == 0:
                continue
            client.create_model_version(name, source, run_id=info.run_id,
                                        tags=dict(info.tags))
        if m % 3 == 0:
            client.set_registered_model_alias(name, "production", "1")


def _project() -> Path:
    if not (CACHE / "complete").exists():
        shutil.rmtree(CACHE, ignore_errors=True)
        CACHE.mkdir(parents=True)
        saved = os.environ.get("HUBML_PROJECT_ROOTS")
        try:
            _build(CACHE)
        finally:
            if saved is None:
                os.environ.pop("HUBML_PROJECT_ROOTS", None)
            else:
                os.environ["HUBML_PROJECT_ROOTS"] = saved
        (CACHE / "complete").write_text("ok")
    return CACHE


class Panel(threading.Thread):
    """One sidebar with one tab open, as the frontend asks: first load, then the long-poll."""

    def __init__(self, server, listing: str, stop: threading.Event):
        super().__init__(daemon=True)
        self.server, self.listing, self.stop = server, listing, stop
        self.session = requests.Session()
        self.session.headers.update(server.headers)
        self.fetches = 0
        self.listing_ms: list[float] = []

    def _get(self, path: str, **params) -> dict:
        r = self.session.get(self.server.api(path), params=params, timeout=120)
        r.raise_for_status()
        return r.json()

    def _fetch_listing(self) -> None:
        t0 = time.perf_counter()
        self._get(f"projects/bench/{self.listing}")
        self.listing_ms.append((time.perf_counter() - t0) * 1000)
        self.fetches += 1

    def run(self) -> None:
        self._get("projects")
        seen = self._get("changes", project="bench")
        self._fetch_listing()
        while not self.stop.is_set():
            now = self._get("changes", project="bench", since=seen["token"], wait=25)
            if self.stop.is_set():
                break
            part = "datasets" if self.listing == "datasets" else "models"
            if now["projects"] != seen["projects"]:
                self._get("projects")
            if now["project"]["bench"][part] != seen["project"]["bench"][part]:
                self._fetch_listing()
            seen = now


def _touch(project: Path) -> None:
    os.utime(project / ".hubml" / "mlflow.db")
    os.utime(project / "datasets" / "ds-000")


def _phase(server, project: Path, kind: str) -> tuple[list[float], list[Panel]]:
    stop = threading.Event()
    panels = [] if kind == "idle" else [Panel(server, "datasets", stop),
                                        Panel(server, "models", stop)]
    for panel in panels:
        panel.start()
    probe = requests.Session()
    probe.headers.update(server.headers)
    url = f"{server.url}api/status"
    probe.get(url, timeout=30)
    samples: list[float] = []
    start = time.monotonic()
    next_change = start + CHANGE_EVERY_S
    while time.monotonic() - start < PHASE_S:
        t0 = time.perf_counter()
        probe.get(url, timeout=30).raise_for_status()
        samples.append((time.perf_counter() - t0) * 1000)
        if kind == "busy" and time.monotonic() >= next_change:
            _touch(project)
            next_change += CHANGE_EVERY_S
        time.sleep(max(0.0, PROBE_EVERY_S - (time.perf_counter() - t0)))
    stop.set()
    if panels:
        _touch(project)  # wakes the waiting long-polls so the threads end
        for panel in panels:
            panel.join(150)
    return samples, panels


def run() -> list[Row]:
    t0 = time.perf_counter()
    workdir = _project()
    setup_s = time.perf_counter() - t0
    project = workdir / "projects" / "bench"
    with live_jupyter_server(workdir) as server:
        session = requests.Session()
        session.headers.update(server.headers)
        cold = time.perf_counter()
        body = session.get(server.api("projects/bench/models"), timeout=300).json()
        cold_ms = (time.perf_counter() - cold) * 1000
        assert len(body["models"]) == MODELS, body
        assert len(session.get(server.api("projects/bench/datasets"), timeout=60)
                   .json()["datasets"]) == DATASETS
        results: dict[str, list[float]] = {"idle": [], "busy": [], "quiet": []}
        fetches = {"busy": 0, "quiet": 0}
        listing_ms: dict[str, list[float]] = {"datasets": [], "models": []}
        order = ["idle", "busy", "quiet"]
        for r in range(ROUNDS):
            for kind in (order if r % 2 == 0 else order[::-1]):
                samples, panels = _phase(server, project, kind)
                results[kind] += samples
                for panel in panels:
                    fetches[kind] += panel.fetches
                    if kind == "busy":
                        listing_ms[panel.listing] += panel.listing_ms
    idle, busy, quiet = results["idle"], results["busy"], results["quiet"]
    value, baseline = p99(busy), p99(idle)
    note = (f"p99 GET /api/status: idle {baseline:.1f} ms, panels with listings refetched every "
            f"{CHANGE_EVERY_S:g} s {value:.1f} ms, panels waiting on GET changes (nothing "
            f"changes) {p99(quiet):.1f} ms; p50 {median(idle):.1f}/{median(busy):.1f}/"
            f"{median(quiet):.1f} ms; {len(idle)}/{len(busy)}/{len(quiet)} probes in {ROUNDS} "
            f"interleaved rounds of {PHASE_S:g} s; listing fetches busy {fetches['busy']}, "
            f"quiet {fetches['quiet']} (first loads only); listing p50 models "
            f"{median(listing_ms['models'] or [0]):.0f} ms, datasets "
            f"{median(listing_ms['datasets'] or [0]):.0f} ms; first models listing after start "
            f"{cold_ms:.0f} ms; setup {setup_s:.0f} s (cached in {CACHE})")
    row = Row(f"Event loop: p99 of GET /api/status while the Models and Datasets tabs watch "
              f"{MODELS} models x {VERSIONS} versions and {DATASETS} datasets, vs idle",
              value, baseline, "ms", "ratio", f"ratio <= {LIMIT:g}", value / baseline <= LIMIT,
              note, min(len(idle), len(busy)))
    return [row]
