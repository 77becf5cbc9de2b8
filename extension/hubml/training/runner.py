"""Run one training job: ``python -m hubml.training.runner <project>/.hubml/jobs/<id>``.

Loads the dataset version, splits train/validation/test, fits with callbacks (each appended to
metrics.jsonl and logged to the MLflow run, progress by tqdm in log.txt), evaluates with
:func:`hubml.evaluate` (scalars to MLflow, the full report as evaluation.json), registers the
model with its lineage and marks the job succeeded. Any exception marks it failed with a
one-line message; the traceback goes to log.txt. SIGTERM (``job.cancel()``) marks it cancelled,
except while the model is being registered: then the job finishes as succeeded.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import socket
import sys
import time
import traceback
from pathlib import Path
from types import SimpleNamespace

from ..errors import HubMLError
from ..workspace.storage import write_json_atomic
from .jobs import now, read_status, update_status

__all__ = ["Cancelled", "main", "run"]


class Cancelled(BaseException):
    """Raised in the main thread by SIGTERM; not an Exception, so nothing swallows it."""


class _Guard:
    """SIGTERM handling. Raising at an arbitrary point could leave a database transaction of
    MLflow open (the run then cannot be closed: "database is locked"), so the handler raises
    :class:`Cancelled` at once only inside ``interruptible()`` (data loading, fitting,
    evaluating: no I/O to the store); elsewhere it records the request and ``check()`` raises
    at the next safe point. Once ``critical`` (registering the model) it is ignored."""

    def __init__(self):
        self.requested = self.raising = self.critical = False

    def __call__(self, signum, frame):
        self.requested = True
        if self.raising and not self.critical:
            self.raising = False
            raise Cancelled()

    def check(self) -> None:
        if self.requested and not self.critical:
            raise Cancelled()

    @contextlib.contextmanager
    def interruptible(self):
        self.check()
        self.raising = True
        try:
            yield
        finally:
            self.raising = False
        self.check()

    @contextlib.contextmanager
    def deferred(self):
        """Inside ``interruptible()``: a section that must not be cut (a callback's writes)."""
        raising, self.raising = self.raising, False
        try:
            yield
        finally:
            self.raising = raising
        self.check()


class _Lines:
    """A file for tqdm that writes each refresh as its own line (log files have no ``\\r``)."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> None:
        text = text.strip("\r\n").rstrip()
        if text:
            self.stream.write(text + "\n")

    def flush(self) -> None:
        self.stream.flush()


class Recorder:
    """The fit callback: metrics.jsonl line, MLflow metrics of the run, tqdm progress.

    metrics.jsonl gets every call at once (the live charts read it); MLflow gets them in
    batches (at most every :data:`FLUSH_SECONDS`, :data:`FLUSH_METRICS` per batch, and at
    ``close``): a store write per call would cost milliseconds each, and a fit that reports
    thousands of points would spend its time in SQLite."""

    FLUSH_SECONDS = 1.0
    FLUSH_METRICS = 1000        # MLflow's log_batch limit

    def __init__(self, path: Path, run, total: int | None, guard: _Guard):
        from tqdm import tqdm

        self.path, self.run, self.guard = path, run, guard
        self.file = open(path, "a", encoding="utf-8", buffering=1)
        self.pending: list = []
        self.flushed = time.monotonic()
        self.bar = tqdm(total=total, desc="training", unit="step", file=_Lines(sys.stdout),
                        mininterval=1.0, ascii=True)

    def __call__(self, step: int, metrics: dict) -> None:
        with self.guard.deferred():     # a cancel waits for these writes, then stops the fit
            self._record(step, metrics)

    def _record(self, step: int, metrics: dict) -> None:
        from mlflow.entities import Metric

        values = {k: (float(v) if math.isfinite(float(v)) else None) for k, v in metrics.items()}
        self.file.write(json.dumps({"step": int(step), "time": now(), "metrics": values}) + "\n")
        stamp = int(time.time() * 1000)
        self.pending.extend(Metric(k, float(v), stamp, int(step)) for k, v in metrics.items())
        if len(self.pending) >= self.FLUSH_METRICS or \
                time.monotonic() - self.flushed >= self.FLUSH_SECONDS:
            self.flush()
        self.bar.set_postfix({k: f"{v:.4g}" for k, v in values.items() if v is not None},
                             refresh=False)
        self.bar.update(max(0, int(step) - self.bar.n))

    def flush(self) -> None:
        while self.pending:
            batch, self.pending = self.pending[:self.FLUSH_METRICS], \
                self.pending[self.FLUSH_METRICS:]
            try:
                self.run.client.log_batch(self.run.id, metrics=batch)
            except Exception as exc:   # metrics.jsonl has them; MLflow may be busy
                print(f"warning: {len(batch)} metric values not logged to MLflow: {exc}",
                      flush=True)
        self.flushed = time.monotonic()

    def close(self) -> None:
        self.flush()
        self.file.close()
        self.bar.close()


def one_line(exc: BaseException) -> str:
    """A readable one-line message: hubml's own message, else the type and first line."""
    text = exc.message if isinstance(exc, HubMLError) else str(exc)
    first = (text.strip().splitlines() or [""])[0]
    if not isinstance(exc, HubMLError):
        first = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
    return first if len(first) <= 300 else first[:297] + "..."


def _init_store(project) -> None:
    """Create the project's MLflow store once: concurrent jobs would race on its schema."""
    from ..workspace.runs import tracking

    with tracking(project):  # takes the store's lock while it creates the schema
        pass


def _train(folder: Path, guard: _Guard) -> dict:
    from ..workspace.projects import Project
    from .evaluate import evaluate
    from .parts import load_parts
    from .script import evaluation_part, run_params
    from .spec import TrainingSpec

    project, job_id = Project(folder.parents[2]), folder.name
    spec = TrainingSpec.from_json(json.loads((folder / "spec.json").read_text("utf-8")))
    with guard.interruptible():
        r = spec.validate(project)
        fw, algorithm_id, task, target = r.framework, r.algorithm.id, spec.task, spec.target
        print(f"job {job_id}: {algorithm_id} ({task}) on dataset {spec.dataset!r} "
              f"v{r.version.version}, model {r.model_name!r}", flush=True)
        train, valid, test = load_parts(spec, r)
        part, scored = evaluation_part(train, valid, test)
    print(f"{len(train)} training, {len(valid)} validation, {len(test)} test rows", flush=True)
    fit_y = task != "clustering"
    _init_store(project)
    with project.start_run(spec.run_name or f"job-{job_id}",
                           tags={"hubml.job": job_id}) as run:
        update_status(folder, run_id=run.id)

        user = None
        if spec.script:
            from .user_script import fit_with, load

            print(f"running the model of script {spec.script!r}", flush=True)
            with guard.interruptible():
                user = load(project, spec.script)

        def fit(params, callbacks, X, y, Xv, yv):
            with guard.interruptible():
                if user is not None:
                    return fit_with(user, spec, fw, params, X, y, Xv, yv, callbacks)
                return fw.fit(algorithm_id, task, params, X, y, Xv, yv, callbacks=callbacks)

        params = r.params
        if r.tuning is not None:
            from .tuner import tune

            tuned = tune(SimpleNamespace(
                tuning=r.tuning, task=task, framework=fw, algorithm=r.algorithm,
                params=r.params, features=r.features, target=target, train=train,
                valid=valid, run=run, job_id=job_id, folder=folder, guard=guard, fit=fit,
                seed=spec.random_state))
            params, summary = tuned["params"], tuned["summary"]
            run.set_tags({"hubml.tuning": json.dumps(summary, default=str)[:5000]})
            run.log_metrics({f"tuning_best_valid_{summary['metric']}": summary["best_value"]})
            print(f"best trial {summary['best_trial']}: {summary['metric']}="
                  f"{summary['best_value']:.4g}; final fit with {summary['best_params']}",
                  flush=True)
        from mlflow.entities import Param

        # one store write for all of them (a write per parameter cost a second per job)
        run.client.log_batch(run.id, params=[Param(k, str(v)) for k, v in {
            **run_params(spec, params), "dataset_version": r.version.version}.items()])
        if spec.custom_params:
            run.set_tags({"hubml.custom_params": json.dumps(spec.custom_params)})
        run.log_artifact(folder / "spec.json")
        recorder = Recorder(folder / "metrics.jsonl", run, params.get("epochs"), guard)
        try:
            model = fit(params, [recorder], train[r.features],
                        train[target] if fit_y else None,
                        valid[r.features] if len(valid) else None,
                        valid[target] if fit_y and len(valid) else None)
        finally:
            recorder.close()
        print(f"evaluating on the {part} rows", flush=True)
        X = scored[r.features]
        with guard.interruptible():
            report = evaluate(task, scored[target] if target is not None else None,
                              fw.predict(model, X), y_proba=fw.predict_proba(model, X),
                              classes=fw.classes(model), X=X,
                              model_predict=lambda rows: fw.predict(model, rows))
        report["evaluated_on"] = part
        write_json_atomic(folder / "evaluation.json", report)
        run.log_artifact(folder / "evaluation.json")
        run.log_metrics({f"{part}_{k}": v for k, v in report["metrics"].items()
                         if v is not None})   # None: not finite (e.g. r2 of a constant)
        guard.check()
        print("registering the model", flush=True)
        guard.critical = True    # a cancel now would leave a registered model behind
        version = project.register_model(
            r.model_name, model, framework=fw.name, run=run,
            dataset=[r.version, *r.parts.values()],
            X_example=train[r.features], algorithm=algorithm_id, task=task,
            description=f"trained by job {job_id}")
    print(f"registered {version.name} version {version.version}", flush=True)
    return {"model": {"name": version.name, "version": version.version},
            "metrics": report["metrics"], "evaluated_on": part}


def _mark_killed(folder: Path) -> None:
    """The MLflow run of a cancelled job ends as KILLED (MLflow marked it FAILED)."""
    run_id = read_status(folder).get("run_id")
    if not run_id:
        return
    try:
        from ..workspace.projects import Project
        from ..workspace.runs import Run

        run = Run(Project(folder.parents[2]), run_id)
        run.client.set_terminated(run_id, "KILLED")
    except Exception:
        traceback.print_exc()


def _preload(folder: Path) -> None:
    """Import the libraries the job needs before it reads as running, so "running" means
    training can start (a warm worker's runner has them already; a cold one loads them now)."""
    import importlib

    try:
        name = json.loads((folder / "spec.json").read_text("utf-8")).get("framework")
        from .. import frameworks

        modules = ["pandas", "mlflow", "hubml.training.evaluate",
                   f"hubml.frameworks.{name}", frameworks.get(name).module]
    except Exception:    # the job fails with a readable message when it validates its spec
        modules = ["pandas", "mlflow"]
    for module in modules:
        try:
            importlib.import_module(module)
        except Exception:
            pass


def run(folder: Path) -> str:
    """Run the job in ``folder``; returns its final state."""
    folder = Path(folder).resolve()
    status = read_status(folder)
    if status.get("state") != "queued" or status.get("cancel_requested"):
        print(f"job {folder.name} is {status.get('state')}; nothing to run", flush=True)
        return status.get("state", "failed")
    guard = _Guard()
    signal.signal(signal.SIGTERM, guard)
    try:
        with guard.interruptible():      # a cancel while the libraries load stops at once
            _preload(folder)
    except Cancelled:
        print("cancelled", flush=True)
        update_status(folder, state="cancelled", finished=now(), error="cancelled")
        return "cancelled"
    from .warm import process_start

    status = update_status(folder, state="running", started=now(), pid=os.getpid(),
                           pid_start=process_start(os.getpid()), host=socket.gethostname())
    if status.get("state") != "running":     # cancelled while it was starting
        return status.get("state", "cancelled")
    try:
        result = _train(folder, guard)
    except Cancelled:
        print("cancelled", flush=True)
        update_status(folder, state="cancelled", finished=now(), error="cancelled")
        _mark_killed(folder)
        return "cancelled"
    except BaseException as exc:
        traceback.print_exc()
        sys.stdout.flush()
        update_status(folder, state="failed", finished=now(), error=one_line(exc))
        return "failed"
    update_status(folder, state="succeeded", finished=now(), error=None, **result)
    return "succeeded"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m hubml.training.runner <project>/.hubml/jobs/<id>",
              file=sys.stderr)
        return 2
    state = run(Path(args[0]))
    _start_next(Path(args[0]))
    return {"succeeded": 0, "cancelled": 143}.get(state, 1)


def _start_next(folder: Path) -> None:
    """This job has ended: start the next one waiting in the user's queue (any project)."""
    try:
        from .queue import schedule

        schedule()
    except Exception:   # the job's own outcome is recorded; a status read retries this
        traceback.print_exc()


if __name__ == "__main__":
    sys.exit(main())
