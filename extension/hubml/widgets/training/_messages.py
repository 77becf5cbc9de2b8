"""User-facing texts of the training form and run comparison ("tf.*" keys).

Kept together so they can move into ``hubml.messages`` (the one catalogue translations read)
in one edit; ``t`` looks there first, so a translated text there wins.
"""

from __future__ import annotations

__all__ = ["MESSAGES", "t"]

MESSAGES: dict[str, str] = {
    # columns and fields
    "tf.col.data": "1 · Task and data",
    "tf.col.basic": "2 · Basic parameters",
    "tf.col.hyper": "3 · Hyperparameters",
    "tf.col.custom": "4 · Custom parameters",
    "tf.task_name": "Task name",
    "tf.task_name_hint": "the MLflow run's name",
    "tf.framework": "Framework",
    "tf.algorithm": "Algorithm",
    "tf.task": "Task type",
    "tf.dataset": "Dataset",
    "tf.version": "Version",
    "tf.latest": "latest when the job starts",
    "tf.validation": "Validation share",
    "tf.test": "Test share",
    "tf.target": "Target",
    "tf.no_target": "(none: clustering)",
    "tf.features": "Features",
    "tf.features_hint": "numeric columns; none selected = every numeric column but the target",
    "tf.split_seed": "Split seed",
    "tf.split_seed_hint": "seed of the train/validation/test split; empty = random",
    "tf.model_name": "Model name",
    "tf.model_name_hint": "the registered model's name; empty = <dataset>-<algorithm>",
    "tf.script": "Script (optional)",
    "tf.script_hint": "a Python file in the project that defines the model or the fit",
    "tf.script_unsupported": "this hubml's TrainingSpec has no script field yet",
    "tf.no_basic": "this algorithm has no basic parameters",
    "tf.no_hyper": "this algorithm has no hyperparameters",
    "tf.tuning": "Tuning",
    "tf.tuning_hint": "turn on 'search' at a hyperparameter to tune it",
    "tf.tuning_unsupported": "tuning needs a hubml whose TrainingSpec has a tuning field; turn "
                             "'search' off",
    "tf.sampler": "Sampler",
    "tf.pruner": "Pruner",
    "tf.trials": "Trials",
    "tf.timeout": "Time limit (s)",
    "tf.metric": "Metric",
    "tf.direction": "Direction",
    "tf.custom_hint": "name -> value, recorded with the run (values are JSON or text)",
    "tf.add_row": "Add",
    "tf.key": "name",
    "tf.value": "value",
    "tf.custom_key": "custom parameter names must be unique and non-empty",
    # buttons and status
    "tf.train": "Train",
    "tf.cancel": "Cancel",
    "tf.export": "Export script",
    "tf.save": "Save spec",
    "tf.load": "Load spec",
    "tf.spec_name": "spec name",
    "tf.invalid": "Fix the {count} marked field(s) first: {fields}",
    "tf.started": "Job {job} started: {algorithm} on {dataset}",
    "tf.queued": "Job {job} is waiting in the queue (position {position})",
    "tf.running": "Job {job} is running",
    "tf.succeeded": "Job {job} succeeded: model {model} version {version}",
    "tf.failed": "Job {job} failed: {error}",
    "tf.cancelled": "Job {job} was cancelled",
    "tf.no_job": "no job is running",
    "tf.saved": "Saved the spec as {path}",
    "tf.loaded": "Loaded the spec {name}",
    "tf.download": "Download {name}.json",
    "tf.no_specs": "no saved specs in this project yet",
    "tf.script_shown": "The script below trains the same model; copy it into a file, or run "
                       "it as it is",
    "tf.no_dataset": "this project has no datasets yet; save one with p.save_dataset",
    # field checks
    "field.search": "search",
    "field.search_tip": "tune this hyperparameter over a range",
    "field.bounds": "from {low} to {high}",
    "field.empty_null": "empty = none",
    "field.json": "a JSON value, e.g. [32, 32]",
    "field.low": "low",
    "field.high": "high",
    "field.log": "log scale",
    "field.choices_json": "a JSON list of choices, e.g. [[32], [64, 64]]",
    "field.not_number": "{value!r} is not a number",
    "field.not_whole": "{value!r} is not a whole number",
    "field.required": "a value is required",
    "field.bad_json": "{value!r} is not a JSON value",
    "field.low_high": "low ({low}) must be below high ({high})",
    "field.log_positive": "a log-scale range needs low above 0, not {low}",
    "field.two_choices": "pick at least two choices to search over",
    "field.min": "{value} is below the minimum {low}",
    "field.xmin": "{value} must be above {low}",
    "field.max": "{value} is above the maximum {high}",
    "field.xmax": "{value} must be below {high}",
    "field.enum": "{value!r} is not one of: {known}",
    # live view and results
    "tf.progress": "{done} of {total} steps",
    "tf.live": "Live metrics",
    "tf.trials_title": "Tuning trials",
    "tf.results": "Results on the {part} rows",
    "tf.metric_col": "metric",
    "tf.value_col": "value",
    "tf.skipped": "not computed: {names}",
    "tf.register": "Register",
    "tf.register_name": "Name",
    "tf.alias": "Alias",
    "tf.formats": "Export formats",
    "tf.registered": "Model {name} version {version}{aliases}",
    "tf.exported": "exported {format}: {file}",
    "tf.register_needs_job": "train a model first: Register works on a succeeded job",
    # run comparison
    "rc.pick": "Runs",
    "rc.refresh": "Refresh",
    "rc.none": "no runs in this project yet",
    "rc.pick_two": "pick runs to compare",
    "rc.params": "Parameters",
    "rc.metrics": "Metrics",
    "rc.curves": "{metric} per step",
    "rc.parallel": "Parameters and metrics of the picked runs",
    "rc.by_code": "code",
    "rc.by_job": "job {job}",
    "rc.unknown_run": "no run {run!r} in project {project!r}",
}


def t(key: str, **fields) -> str:
    from ... import messages

    template = messages.MESSAGES.get(key) or MESSAGES[key]
    return template.format(**fields)
