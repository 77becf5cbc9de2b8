"""Concurrent writers and killed writers: no version lost, duplicated or half-written."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

WRITER = """
import sys, pandas as pd, hubml
p = hubml.project("churn")
worker, count = int(sys.argv[1]), int(sys.argv[2])
print("ready", flush=True)
sys.stdin.readline()  # start together
for i in range(count):
    p.save_dataset("events", pd.DataFrame({"worker": [worker] * 10, "i": [i] * 10}))
"""

ENDLESS_WRITER = """
import numpy as np, pandas as pd, hubml
p = hubml.project("churn")
df = pd.DataFrame(np.random.default_rng(0).random((400_000, 8)), columns=list("abcdefgh"))
print("ready", flush=True)
while True:
    p.save_dataset("big", df, force=True)  # the same data: a new version only when forced
"""


def test_eight_processes_fifty_versions_each(project):
    env = {**os.environ, "HUBML_PROJECT_ROOTS": str(project.root)}
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(w), "50"], env=env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
             for w in range(8)]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        assert proc.wait(timeout=300) == 0
    versions = project.dataset("events").versions()
    assert [v.version for v in versions] == list(range(1, 401))
    payloads = set()
    for v in versions:
        assert v.verify(), f"version {v.version} does not match its sha256"
        df = v.load()
        payloads.add((int(df["worker"].iloc[0]), int(df["i"].iloc[0])))
    assert payloads == {(w, i) for w in range(8) for i in range(50)}


def test_sigkill_during_saves_leaves_a_readable_store(project):
    env = {**os.environ, "HUBML_PROJECT_ROOTS": str(project.root)}
    folder = Path(project.path / "datasets" / "big")
    interrupted = 0
    rng = random.Random(1)
    for _ in range(4):
        proc = subprocess.Popen([sys.executable, "-c", ENDLESS_WRITER], env=env,
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.3, 1.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if folder.is_dir() and any(p.name.startswith(".tmp-") for p in folder.iterdir()):
            interrupted += 1  # killed in the middle of writing a version
        for v in project.dataset("big").versions():
            assert v.verify() and v.load().shape == (400_000, 8)
    assert interrupted >= 1, "no kill landed in the middle of a save; the test proved nothing"
    numbers = [v.version for v in project.dataset("big").versions()]
    assert numbers == list(range(1, len(numbers) + 1))
    after = project.save_dataset("big", pd.DataFrame({"a": [1.0]}), allow_schema_change=True)
    assert after.version == len(numbers) + 1 and after.verify()


RUN_STARTER = """
import sys, hubml
p = hubml.project("churn")
print("ready", flush=True)
sys.stdin.readline()  # start together
with p.start_run(f"first-{sys.argv[1]}") as run:
    run.log_metric("loss", 0.5)
print(run.id, flush=True)
"""


def test_first_runs_at_once_create_one_store(project):
    # a job and a notebook starting the project's first runs together: MLflow's migrations of
    # a new SQLite store must not run twice at once (one of them used to fail)
    env = {**os.environ, "HUBML_PROJECT_ROOTS": str(project.root)}
    procs = [subprocess.Popen([sys.executable, "-c", RUN_STARTER, str(w)], env=env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for w in range(3)]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    run_ids = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err[-2000:]
        run_ids.append(out.strip())
    listed = {run["id"] for run in project.runs()}
    assert set(run_ids) <= listed and len(set(run_ids)) == 3
