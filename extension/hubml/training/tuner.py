"""Run a spec's hyperparameter search with Optuna inside the job runner.

Each trial fits on the training rows with the sampled parameters and is scored on the
validation rows with :func:`hubml.evaluate`'s metric. Iterative algorithms (epochs, boosting
iterations, trees) report their per-step validation metric to the trial, so the pruner stops
unpromising trials early. Every trial becomes an MLflow child run of the job's run (tag
``mlflow.parentRunId``: params, the metric, the intermediate values) and one line of the job's
``trials.jsonl``; status.json carries a summary (``tuning``) that grows as trials end.
"""

from __future__ import annotations

import json
import math
import time

from .jobs import update_status

__all__ = ["TRIALS_FILE", "read_trials", "tune"]

TRIALS_FILE = "trials.jsonl"
STATES = {"COMPLETE": "complete", "PRUNED": "pruned", "FAIL": "failed"}
_RUN_STATUS = {"complete": "FINISHED", "pruned": "KILLED", "failed": "FAILED"}


def read_trials(folder) -> list[dict]:
    """The finished trials of a job so far, in the order they ended."""
    try:
        text = (folder / TRIALS_FILE).read_text("utf-8")
    except FileNotFoundError:
        return []
    out = []
    for line in text.splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            continue       # a line being written right now
    return out


def _suggest(trial, space: dict) -> dict:
    """Parameters for a trial; choices that are not scalars (layer lists) go through JSON."""
    params = {}
    for name, entry in space.items():
        if "choices" in entry:
            choices = entry["choices"]
            if all(c is None or isinstance(c, (bool, int, float, str)) for c in choices):
                params[name] = trial.suggest_categorical(name, choices)
            else:
                text = trial.suggest_categorical(name, [json.dumps(c) for c in choices])
                params[name] = json.loads(text)
        elif entry["type"] == "int":
            params[name] = trial.suggest_int(name, int(entry["low"]), int(entry["high"]),
                                             step=int(entry.get("step") or 1),
                                             log=entry.get("log", False))
        else:
            params[name] = trial.suggest_float(name, entry["low"], entry["high"],
                                               step=entry.get("step"),
                                               log=entry.get("log", False))
    return params


def _grid_point(trial, space: dict) -> dict:
    """The grid sampler fixes each value; JSON-encoded choices are decoded."""
    from .tuning import grid_of

    grid = grid_of(space)
    out = {}
    for name, values in grid.items():
        if all(v is None or isinstance(v, (bool, int, float, str)) for v in values):
            out[name] = trial.suggest_categorical(name, values)
        else:
            out[name] = json.loads(trial.suggest_categorical(name, [json.dumps(v)
                                                                    for v in values]))
    return out


def _sampler(tuning: dict, seed):
    import optuna

    if tuning["sampler"] == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    if tuning["sampler"] == "grid":
        from .tuning import grid_of

        grid = grid_of(tuning["search_space"])
        plain = {k: v if all(x is None or isinstance(x, (bool, int, float, str)) for x in v)
                 else [json.dumps(x) for x in v] for k, v in grid.items()}
        return optuna.samplers.GridSampler(plain, seed=seed)
    return optuna.samplers.TPESampler(seed=seed)


def _pruner(tuning: dict):
    import optuna

    if tuning["pruner"] == "none":
        return optuna.pruners.NopPruner()
    # a few complete trials first, then compare each step against their median
    return optuna.pruners.MedianPruner(n_startup_trials=3, n_warmup_steps=1)


def tune(ctx) -> dict:
    """Run the search of ``ctx`` (see runner._TuneContext); returns the best params merged into
    the base params and a summary for status.json and the parent run."""
    import optuna
    from mlflow.entities import Metric, Param, RunTag

    from .. import frameworks
    from .evaluate import evaluate

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    tuning, task, fw, algorithm = ctx.tuning, ctx.task, ctx.framework, ctx.algorithm
    metric, direction = tuning["metric"], tuning["direction"]
    client, parent = ctx.run.client, ctx.run.id
    experiment = client.get_run(parent).info.experiment_id
    fit_y = task != "clustering"
    X, Xv = ctx.train[ctx.features], ctx.valid[ctx.features]
    y, yv = (ctx.train[ctx.target], ctx.valid[ctx.target]) if fit_y else (None, None)
    intermediate: dict[int, list] = {}
    durations: dict[int, float] = {}
    fit_seconds: dict[int, float] = {}
    summary = {"n_trials": tuning["n_trials"], "finished": 0, "pruned": 0, "failed": 0,
               "metric": metric, "direction": direction, "best_value": None,
               "best_params": None, "best_trial": None}
    pruned_error = optuna.TrialPruned

    def objective(trial):
        grid = tuning["sampler"] == "grid"
        sampled = _grid_point(trial, tuning["search_space"]) if grid else \
            _suggest(trial, tuning["search_space"])
        trial.set_user_attr("params", sampled)
        params = frameworks.validate_params(algorithm, {**ctx.params, **sampled})
        points = intermediate.setdefault(trial.number, [])
        state = {"key": None}

        def report(step, metrics):
            key = state["key"] or intermediate_key_of(metrics)
            if key is None or metrics.get(key) is None:
                return
            state["key"] = key
            value = float(metrics[key])
            if not math.isfinite(value):
                return
            points.append((int(step), value))
            trial.report(value, int(step))
            if trial.should_prune():
                raise pruned_error()

        start = time.perf_counter()
        try:
            model = ctx.fit(params, [report], X, y, Xv, yv)
            fit_seconds[trial.number] = time.perf_counter() - start
            with ctx.guard.interruptible():
                proba = fw.predict_proba(model, Xv) if fit_y else None
                result = evaluate(task, yv, fw.predict(model, Xv), y_proba=proba,
                                  classes=fw.classes(model),
                                  X=Xv if task == "clustering" else None)
        finally:
            durations[trial.number] = time.perf_counter() - start
        value = result["metrics"].get(metric)
        if value is None or not math.isfinite(value):
            raise ValueError(f"{metric} could not be computed for this trial: "
                             f"{result['skipped'].get(metric, 'not finite')}")
        return float(value)

    def intermediate_key_of(metrics):
        from .tuning import intermediate_key

        return intermediate_key(metrics, metric, direction)

    def record(study, frozen):
        state = STATES.get(frozen.state.name, frozen.state.name.lower())
        sampled = frozen.user_attrs.get("params", frozen.params)
        error = frozen.user_attrs.get("error")
        line = {"number": frozen.number, "params": sampled, "value": frozen.value,
                "state": state, "duration": round(durations.get(frozen.number, 0.0), 4),
                "fit_duration": round(fit_seconds.get(frozen.number, 0.0), 4),
                "run_id": None, "intermediate": intermediate.get(frozen.number, []),
                "error": error}
        summary["finished"] += 1
        summary["pruned"] += state == "pruned"
        summary["failed"] += state == "failed"
        complete = [t for t in study.trials if t.state.name == "COMPLETE"]
        if complete:
            best = study.best_trial
            summary.update(best_value=best.value, best_trial=best.number,
                           best_params=best.user_attrs.get("params", best.params))
        # the store writes (milliseconds each) overlap the next trial's fit
        writes.put((line, dict(summary), (frozen.number, sampled, state, frozen.value,
                                          intermediate.get(frozen.number, []), error)))
        shown = "-" if frozen.value is None else f"{frozen.value:.4g}"
        print(f"trial {frozen.number}: {state} {metric}={shown} {sampled}"
              + (f" ({error})" if error else ""), flush=True)

    study = optuna.create_study(direction=direction, sampler=_sampler(tuning, ctx.seed),
                                pruner=_pruner(tuning))
    update_status(ctx.folder, tuning=summary)
    print(f"tuning: {tuning['n_trials']} trials ({tuning['sampler']} sampler, "
          f"{tuning['pruner']} pruner), {direction} validation {metric}", flush=True)
    began = time.perf_counter()

    def write(line, snapshot, child):
        line["run_id"] = _child_run(client, Metric, Param, RunTag, experiment, parent,
                                    ctx.job_id, child[0], child[1], child[2], metric, *child[3:])
        with open(ctx.folder / TRIALS_FILE, "a", encoding="utf-8") as f:
            f.write(json.dumps(line, allow_nan=False, default=str) + "\n")
        update_status(ctx.folder, tuning=snapshot)

    writes = _Writer(write)
    try:
        study.optimize(_failing(objective), n_trials=tuning["n_trials"],
                       timeout=tuning["timeout"], catch=(Exception,), callbacks=[record],
                       gc_after_trial=False)
    finally:
        with ctx.guard.deferred():      # the trials so far reach the store, even on cancel
            writes.close()
    summary["seconds"] = round(time.perf_counter() - began, 3)
    update_status(ctx.folder, tuning=summary)
    if summary["best_params"] is None:
        raise ValueError(f"no tuning trial completed ({summary['failed']} failed, "
                         f"{summary['pruned']} pruned); see the trials in the log")
    return {"params": frameworks.validate_params(algorithm, {**ctx.params,
                                                             **summary["best_params"]}),
            "summary": summary}


class _Writer:
    """One thread that records finished trials in order (MLflow child run, trials.jsonl,
    status.json) while the main thread fits the next trial. Signals reach the main thread
    only, so a cancel never cuts a store transaction here."""

    def __init__(self, write):
        import queue
        import threading

        self.write, self.queue = write, queue.Queue()
        self.thread = threading.Thread(target=self._loop, name="hubml-trials", daemon=True)
        self.thread.start()

    def put(self, item) -> None:
        self.queue.put(item)

    def _loop(self) -> None:
        while (item := self.queue.get()) is not None:
            try:
                self.write(*item)
            except Exception as exc:     # the next trials still get recorded
                print(f"warning: a trial was not recorded: {exc}", flush=True)

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join(timeout=120)


def _failing(objective):
    """The objective, recording a failed trial's one-line error for its row."""
    import optuna

    from .runner import one_line

    def wrapped(trial):
        try:
            return objective(trial)
        except optuna.TrialPruned:
            raise
        except Exception as exc:
            trial.set_user_attr("error", one_line(exc))
            raise
    return wrapped


def _child_run(client, Metric, Param, RunTag, experiment, parent, job_id, number, params,
               state, metric, value, points, error) -> str | None:
    """One MLflow run per trial, nested under the job's run: 3 store calls."""
    try:
        now = int(time.time() * 1000)
        run = client.create_run(experiment, run_name=f"trial-{number}", start_time=now, tags={
            "mlflow.parentRunId": parent, "hubml.job": job_id, "hubml.trial": str(number),
            "hubml.trial_state": state})
        metrics = [Metric(f"valid_{metric}_step", v, now, s) for s, v in points]
        if value is not None:
            metrics.append(Metric(f"valid_{metric}", float(value), now, 0))
        tags = [RunTag("hubml.trial_error", error[:5000])] if error else []
        client.log_batch(run.info.run_id, metrics=metrics, tags=tags,
                         params=[Param(k, json.dumps(v) if not isinstance(v, str) else v)
                                 for k, v in params.items()])
        client.set_terminated(run.info.run_id, _RUN_STATUS.get(state, "FAILED"),
                              end_time=int(time.time() * 1000))
        return run.info.run_id
    except Exception as exc:   # the trial is in trials.jsonl either way
        print(f"warning: trial {number} not logged to MLflow: {exc}", flush=True)
        return None
