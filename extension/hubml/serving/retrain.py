"""Retraining held by a model deployment: by request, on a schedule, or when the dataset grew.

``Retrainer(project, model_name, alias="production")`` retrains the model version the alias
points at: its saved TrainingSpec (the job that trained it, found through the version's run)
runs again as a job on the latest version of its dataset. When the job ends, the new version
and the current one are scored on the same holdout rows (the new job's test part, else its
validation part) with ``metric`` (default: accuracy for classification, r2 for regression);
the alias moves to the new version only when it scores at least as well. Every decision is
appended to ``<project>/.hubml/retrain/<model>.jsonl`` and tagged on the new version's run
(``hubml.retrain.*``).

Triggers: :meth:`trigger` (``POST /train`` of the service), ``schedule`` (cron; six fields
take seconds, last: ``"* * * * * */5"``), ``interval`` (seconds), and ``min_new_rows`` (the
dataset's latest version has that many more rows than the version the current model was
trained on; checked every ``poll_seconds``). :meth:`start` runs the triggers in a thread,
:meth:`stop` ends it. Lives in the deployment process, never in a Jupyter server.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from datetime import datetime, timezone

from ..errors import Conflict, InvalidInput, NotFound

__all__ = ["LOWER_IS_BETTER", "Retrainer", "better_or_equal"]

log = logging.getLogger("hubml.serving")
LOWER_IS_BETTER = {"mae", "mse", "rmse", "log_loss", "davies_bouldin"}
DEFAULT_METRIC = {"binary": "accuracy", "multiclass": "accuracy", "regression": "r2",
                  "clustering": "silhouette"}
RETRAIN_ENV = "HUBML_RETRAIN"


def better_or_equal(metric: str, new: float, current: float) -> bool:
    """Whether ``new`` is at least as good as ``current`` for ``metric``."""
    return new <= current if metric in LOWER_IS_BETTER else new >= current


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _env_settings() -> dict:
    try:
        value = json.loads(os.environ.get(RETRAIN_ENV) or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


class Retrainer:
    def __init__(self, project, model_name: str, alias: str | None = "production",
                 schedule: str | None = None, min_new_rows: int | None = None,
                 metric: str | None = None, interval: float | None = None,
                 poll_seconds: float | None = None):
        import hubml

        env = _env_settings()  # a deployment's settings the service does not pass on
        self.project = hubml.project(project) if isinstance(project, str) else project
        self.model_name, self.alias = model_name, alias or "production"
        self.schedule = schedule if schedule is not None else env.get("schedule")
        self.interval = interval if interval is not None else env.get("interval")
        self.min_new_rows = min_new_rows if min_new_rows is not None else \
            env.get("min_new_rows")
        self.metric = metric or env.get("metric")
        self.poll_seconds = float(poll_seconds or env.get("poll_seconds") or 10)
        self._check_settings()
        self._lock = threading.Lock()
        self._job = None            # the running job
        self._last: dict | None = None
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._triggered_dataset_version: int | None = None

    def _check_settings(self) -> None:
        if self.schedule:
            from croniter import croniter

            if not croniter.is_valid(self.schedule):
                raise InvalidInput(f"schedule {self.schedule!r} is not a cron expression "
                                   "(5 fields, or 6 with seconds last)",
                                   details={"field": "schedule"})
        for name in ("interval", "min_new_rows"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(
                    value, (int, float)) or value <= 0):
                raise InvalidInput(f"{name} must be a positive number (got {value!r})",
                                   details={"field": name})

    # -- what the alias points at ------------------------------------------------------
    def _current(self):
        return self.project.model(self.model_name).version(alias=self.alias)

    def _client(self):
        from mlflow.tracking import MlflowClient

        from ..workspace.store import tracking_uri

        uri = tracking_uri(self.project)
        return MlflowClient(tracking_uri=uri, registry_uri=uri)  # no global state: threads

    def _spec_of(self, version):
        """The TrainingSpec that made ``version`` (its run names the job)."""
        run_id = version.info.run_id
        job_id = self._client().get_run(run_id).data.tags.get("hubml.job") if run_id else None
        if not job_id:
            raise Conflict(f"{self.model_name} version {version.version} was not trained by a "
                           "hubml job, so there is no TrainingSpec to retrain it with; train "
                           "it with p.train(spec) (or the training form) first",
                           details={"model": self.model_name, "version": version.version})
        return self.project.job(job_id).spec

    def _trained_dataset_version(self, version) -> tuple[str, int] | None:
        datasets = version.lineage().get("datasets") or []
        first = datasets[0] if datasets else None
        return (first["dataset"], int(first["version"])) if first else None

    # -- triggers ------------------------------------------------------------------------
    def trigger(self, reason: str = "request") -> dict:
        """Start a retraining job now; 409 while one runs. Answers :meth:`status`."""
        with self._lock:
            if self._job is not None:
                raise Conflict(f"a retraining job ({self._job.id}) is running; wait for it "
                               "(GET /training)", details={"job": self._job.id})
            current = self._current()
            spec = self._spec_of(current)
            spec.dataset_version = None  # the latest version of its dataset
            if getattr(spec, "datasets", None) and "train" in spec.datasets:
                name = str(spec.datasets["train"]).split(":")[0].split("@")[0]
                spec.datasets = {**spec.datasets, "train": name}
            spec.model_name = self.model_name
            spec.run_name = f"retrain-{self.model_name}"
            job = self.project.train(spec)
            self._job = job
        thread = threading.Thread(target=self._finish, args=(job, current, spec, reason),
                                  name=f"hubml-retrain-{job.id}", daemon=True)
        thread.start()
        return self.status()

    def status(self) -> dict:
        job = self._job
        return {"model": self.model_name, "alias": self.alias,
                "running": job is not None, "job": job.id if job is not None else None,
                "last": self._last or self._read_last(),
                "triggers": {"schedule": self.schedule, "interval": self.interval,
                             "min_new_rows": self.min_new_rows},
                "metric": self.metric}

    def wait(self, timeout: float = 300) -> dict:
        """Block until no retraining runs (tests, scripts); the last decision."""
        deadline = time.monotonic() + timeout
        while self._job is not None and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.status()["last"]

    def start(self) -> None:
        """Run the schedule, interval and data triggers in background threads."""
        self._stop.clear()
        if self.schedule or self.interval:
            self._spawn(self._timed)
        if self.min_new_rows:
            self._spawn(self._watch_rows)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads = []

    def _spawn(self, target) -> None:
        thread = threading.Thread(target=target, daemon=True, name=f"hubml-{target.__name__}")
        self._threads.append(thread)
        thread.start()

    def _next_delay(self, base: datetime) -> float:
        if self.interval:
            return float(self.interval)
        from croniter import croniter

        fire = croniter(self.schedule, base).get_next(datetime)
        return max(0.0, (fire - base).total_seconds())

    def _timed(self) -> None:
        while not self._stop.wait(self._next_delay(datetime.now(timezone.utc))):
            self._quiet_trigger("schedule" if self.schedule else "interval")

    def new_rows(self) -> int:
        """Rows the dataset's latest version has beyond the current model's version."""
        trained = self._trained_dataset_version(self._current())
        if trained is None:
            return 0
        dataset = self.project.dataset(trained[0])
        return dataset.latest.rows - dataset.version(trained[1]).rows

    def _watch_rows(self) -> None:
        while not self._stop.wait(self.poll_seconds):
            try:
                trained = self._trained_dataset_version(self._current())
                if trained is None or self._job is not None:
                    continue
                latest = self.project.dataset(trained[0]).latest.version
                if latest == self._triggered_dataset_version:
                    continue  # once per new dataset version
                if self.new_rows() >= self.min_new_rows:
                    self._triggered_dataset_version = latest
                    self._quiet_trigger(f"{self.new_rows()} new rows")
            except Exception as exc:  # noqa: BLE001 - the watcher goes on; the log says why
                log.warning("retrain row check of %s: %s", self.model_name, exc)

    def _quiet_trigger(self, reason: str) -> None:
        try:
            self.trigger(reason)
        except Conflict as exc:
            log.info("retrain of %s skipped: %s", self.model_name, exc.message)
        except Exception as exc:  # noqa: BLE001 - a trigger thread must not die
            log.warning("retrain of %s failed to start: %s", self.model_name, exc)

    # -- the decision ------------------------------------------------------------------
    def decide(self, new_version: int, reason: str = "request") -> dict:
        """Score ``new_version`` against the alias's version on the holdout of the current
        version's spec run on the latest data; move the alias if not worse; record it."""
        current = self._current()
        spec = self._spec_of(current)
        spec.dataset_version = None
        decision = {"at": _now(), "reason": reason, "job": None,
                    "current_version": current.version,
                    **self._decide(current, int(new_version), spec)}
        self._record(decision)
        self._last = decision
        return decision

    def _finish(self, job, current, spec, reason: str) -> None:
        decision = {"at": _now(), "reason": reason, "job": job.id,
                    "current_version": current.version}
        try:
            job.wait()
            status = job.status
            if status.get("state") != "succeeded":
                decision.update(decision="failed", state=status.get("state"),
                                error=status.get("error"))
            else:
                decision.update(self._decide(current, int(status["model"]["version"]), spec))
        except Exception as exc:  # noqa: BLE001 - recorded as the decision, never lost
            decision.update(decision="error", error=str(exc)[:500])
        self._record(decision)
        with self._lock:
            self._last, self._job = decision, None

    def _decide(self, current, new_version: int, spec) -> dict:
        from ..training.evaluate import evaluate
        from ..training.parts import load_parts
        from ..training.script import evaluation_part

        new = self.project.model(self.model_name).version(new_version)
        resolved = spec.validate(self.project)
        part, holdout = evaluation_part(*load_parts(spec, resolved))
        metric = self.metric or DEFAULT_METRIC.get(spec.task, "accuracy")
        y = holdout[spec.target] if spec.target is not None else None
        X = holdout[resolved.features]
        scores = {}
        for label, version in (("new", new), ("current", current)):
            model = version.load()
            proba = None
            try:
                proba = model.predict_proba(X)
            except Exception:  # noqa: BLE001 - models without probabilities
                proba = None
            report = evaluate(spec.task, y, model.predict(X), y_proba=proba,
                              classes=_classes(model), X=X)
            if report["metrics"].get(metric) is None:
                known = sorted(k for k, v in report["metrics"].items() if v is not None)
                raise NotFound(f"metric {metric!r} is not one of this task's: {known}")
            scores[label] = float(report["metrics"][metric])
        promoted = better_or_equal(metric, scores["new"], scores["current"])
        if promoted:
            self.project.model(self.model_name).set_alias(self.alias, new_version)
        return {"decision": "promoted" if promoted else "kept", "new_version": new_version,
                "metric": metric, "new": scores["new"], "current": scores["current"],
                "holdout": {"part": part, "rows": len(holdout),
                            "dataset": spec.dataset, "dataset_version":
                                resolved.version.version},
                "alias": self.alias,
                "alias_version": new_version if promoted else current.version}

    def _log_path(self):
        return self.project.path / ".hubml" / "retrain" / f"{self.model_name}.jsonl"

    def _record(self, decision: dict) -> None:
        path = self._log_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(decision, default=str) + "\n"
        with open(path, "a", encoding="utf-8") as f:  # one write of one line: no torn lines
            f.write(line)
            f.flush()
            os.fsync(f.fileno())
        if decision.get("new_version"):
            try:
                run_id = self.project.model(self.model_name).version(
                    decision["new_version"]).info.run_id
                client = self._client()
                for key in ("decision", "metric", "new", "current", "reason"):
                    client.set_tag(run_id, f"hubml.retrain.{key}", str(decision.get(key)))
                client.set_tag(run_id, "hubml.retrain.current_version",
                               str(decision["current_version"]))
            except Exception as exc:  # noqa: BLE001 - the JSON log has it already
                log.warning("retrain decision not tagged on the run: %s", exc)
        log.info("retrain of %s: %s", self.model_name, decision)

    def decisions(self) -> list[dict]:
        """Every recorded decision, oldest first."""
        path = self._log_path()
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]

    def _read_last(self) -> dict | None:
        found = self.decisions()
        return found[-1] if found else None


def _classes(model):
    try:
        return model.classes()
    except Exception:  # noqa: BLE001 - regression and clustering models have none
        return None
