"""The tuning part of a TrainingSpec, checked against the algorithm's hyperparameter schema.

``spec.tuning`` is ``None`` (no search) or::

    {"search_space": {name: {"type": "int", "low": 2, "high": 10, "step": 1, "log": False}
                            | {"type": "float", "low": 1e-3, "high": 0.3, "log": True}
                            | {"choices": [value, ...]}},
     "sampler": "tpe" | "random" | "grid",  "pruner": "median" | "none",
     "n_trials": 20, "timeout": seconds or null,
     "metric": "accuracy" (a metric of the task, measured on the validation rows),
     "direction": "maximize" | "minimize" (default: the metric's own)}

The hyperparameter JSON Schema stays the single source of what is allowed: a range must lie
inside the parameter's schema (both ends validate against it), every choice must validate
against it. Errors are :class:`~hubml.errors.InvalidInput` naming ``tuning.<field>`` or
``tuning.search_space.<name>``. Running the search is :mod:`.tuner` (Optuna).
"""

from __future__ import annotations

import json
import math

from ..errors import InvalidInput

__all__ = ["DEFAULT_METRIC", "METRICS", "MINIMIZE", "PRUNERS", "SAMPLERS", "TUNING_SCHEMA",
           "check_structure", "check_against", "grid_of", "intermediate_key"]

SAMPLERS = ("tpe", "random", "grid")
PRUNERS = ("median", "none")
MAX_TRIALS = 1000
MAX_CHOICES = 1000
MAX_GRID = 10_000
_CLASSIFY = ("accuracy", "balanced_accuracy", "f1_macro", "f1_weighted", "log_loss",
             "matthews_corrcoef", "pr_auc", "precision_macro", "precision_weighted",
             "recall_macro", "recall_weighted", "roc_auc")
METRICS = {"binary": _CLASSIFY, "multiclass": _CLASSIFY,
           "regression": ("explained_variance", "mae", "mape", "median_absolute_error", "mse",
                          "r2", "rmse"),
           "clustering": ("silhouette", "calinski_harabasz", "davies_bouldin",
                          "adjusted_rand", "normalized_mutual_info")}
DEFAULT_METRIC = {"binary": "accuracy", "multiclass": "accuracy", "regression": "r2",
                  "clustering": "silhouette"}
MINIMIZE = {"log_loss", "mae", "mape", "median_absolute_error", "mse", "rmse", "davies_bouldin"}
_KEYS = ("search_space", "sampler", "pruner", "n_trials", "timeout", "metric", "direction")

_RANGE = {"type": "object", "required": ["type", "low", "high"], "additionalProperties": False,
          "properties": {"type": {"enum": ["int", "float"]}, "low": {"type": "number"},
                         "high": {"type": "number"}, "step": {"type": "number"},
                         "log": {"type": "boolean"}}}
_CHOICES = {"type": "object", "required": ["choices"], "additionalProperties": False,
            "properties": {"choices": {"type": "array", "minItems": 1,
                                       "maxItems": MAX_CHOICES}}}
TUNING_SCHEMA = {
    "type": ["object", "null"], "additionalProperties": False,
    "description": "hyperparameter search with Optuna: one MLflow child run per trial, the "
                   "best parameters used for the final fit; null: no search",
    "required": ["search_space"],
    "properties": {
        "search_space": {"type": "object", "minProperties": 1,
                         "additionalProperties": {"oneOf": [_RANGE, _CHOICES]},
                         "description": "hyperparameter -> range or choices, inside the "
                                        "bounds of its schema in GET frameworks"},
        "sampler": {"enum": list(SAMPLERS), "default": "tpe",
                    "description": "how trials pick values: tpe (Bayesian), random, or grid "
                                   "(every combination of choices and range steps)"},
        "pruner": {"enum": list(PRUNERS), "default": "median",
                   "description": "stop unpromising trials early (iterative algorithms)"},
        "n_trials": {"type": "integer", "minimum": 1, "maximum": MAX_TRIALS, "default": 20,
                     "description": "how many trials at most (timeout may end it sooner)"},
        "timeout": {"type": ["number", "null"], "exclusiveMinimum": 0, "maximum": 7 * 86400,
                    "description": "seconds for the whole search; null: no limit"},
        "metric": {"type": ["string", "null"], "description": "metric measured on the "
                   "validation rows; default accuracy, r2 or silhouette by task"},
        "direction": {"enum": ["maximize", "minimize", None],
                      "description": "default: the metric's own (minimize for losses and "
                                     "errors)"},
    }}


def _bad(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, details={"field": field})


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and \
        math.isfinite(value)


def check_structure(tuning) -> dict | None:
    """Types of the tuning object (no algorithm needed); returns it with defaults filled in."""
    if tuning is None:
        return None
    if not isinstance(tuning, dict):
        raise _bad("tuning", "tuning must be an object with a search_space, or null")
    for key in tuning:
        if key not in _KEYS:
            raise _bad(f"tuning.{key}", f"unknown tuning field {str(key)[:40]!r}; fields are: "
                                        f"{', '.join(_KEYS)}")
    out = {"sampler": "tpe", "pruner": "median", "n_trials": 20, "timeout": None,
           "metric": None, "direction": None, **tuning}
    space = out.get("search_space")
    if not isinstance(space, dict) or not space:
        raise _bad("tuning.search_space", "tuning needs a search_space: hyperparameter -> "
                                          "{type, low, high} or {choices}")
    for name, entry in space.items():
        _check_entry(f"tuning.search_space.{name}", entry)
    if out["sampler"] not in SAMPLERS:
        raise _bad("tuning.sampler", f"sampler must be one of {', '.join(SAMPLERS)}")
    if out["pruner"] not in PRUNERS:
        raise _bad("tuning.pruner", f"pruner must be one of {', '.join(PRUNERS)}")
    n = out["n_trials"]
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_TRIALS:
        raise _bad("tuning.n_trials", f"n_trials must be a whole number from 1 to {MAX_TRIALS}")
    t = out["timeout"]
    if t is not None and (not _number(t) or not 0 < t <= 7 * 86400):
        raise _bad("tuning.timeout", "timeout must be a number of seconds above 0, or null")
    if out["metric"] is not None and not isinstance(out["metric"], str):
        raise _bad("tuning.metric", "metric must be a metric name or null")
    if out["direction"] not in ("maximize", "minimize", None):
        raise _bad("tuning.direction", "direction must be maximize or minimize (or null)")
    if out["sampler"] == "grid":
        grid_of(out["search_space"])     # a grid needs finite, not too many points
    return out


def _check_entry(field: str, entry) -> None:
    if not isinstance(entry, dict):
        raise _bad(field, "a search range is {type: int|float, low, high} or {choices: [...]}")
    if "choices" in entry:
        choices = entry["choices"]
        if set(entry) != {"choices"} or not isinstance(choices, list) or not choices \
                or len(choices) > MAX_CHOICES:
            raise _bad(field, f"choices must be the only key, a list of 1 to {MAX_CHOICES} "
                              "values")
        try:
            json.dumps(choices, allow_nan=False)
        except (TypeError, ValueError):
            raise _bad(field, "choices must be JSON values") from None
        return
    unknown = set(entry) - {"type", "low", "high", "step", "log"}
    if unknown:
        raise _bad(field, f"unknown key {sorted(unknown)[0]!r}; a range has type, low, high, "
                          "step, log")
    kind = entry.get("type")
    if kind not in ("int", "float"):
        raise _bad(field, "a range needs type 'int' or 'float' (or give choices)")
    low, high, step = entry.get("low"), entry.get("high"), entry.get("step")
    whole = (lambda v: _number(v) and float(v).is_integer()) if kind == "int" else _number
    if not whole(low) or not whole(high):
        raise _bad(field, f"low and high of an {kind} range must be "
                          f"{'whole numbers' if kind == 'int' else 'numbers'}")
    if low > high or (kind == "float" and low == high):
        raise _bad(field, f"low ({low}) must be below high ({high})")
    if step is not None and (not whole(step) or step <= 0):
        raise _bad(field, "step must be a positive number")
    log = entry.get("log", False)
    if not isinstance(log, bool):
        raise _bad(field, "log must be true or false")
    if log and low <= 0:
        raise _bad(field, "a log-scale range needs low above 0")
    if log and step is not None:
        raise _bad(field, "a range is either log-scale or stepped, not both")


def _types(prop: dict) -> set[str]:
    """JSON types a hyperparameter accepts (its own type, or those of anyOf/oneOf branches)."""
    types = prop.get("type")
    out = set([types] if isinstance(types, str) else types or [])
    for branch in prop.get("anyOf", []) + prop.get("oneOf", []):
        out |= _types(branch)
    return out


def check_against(tuning: dict, algorithm, task: str) -> dict:
    """Check the search space against ``algorithm``'s schema and the metric against ``task``;
    returns the tuning with metric and direction filled in."""
    import jsonschema

    props = algorithm.schema.get("properties", {})
    for name, entry in tuning["search_space"].items():
        field = f"tuning.search_space.{name}"
        if name not in props:
            raise _bad(field, f"{algorithm.id} has no hyperparameter {name!r}; it has: "
                              f"{', '.join(props)}")
        prop, types = props[name], _types(props[name])
        validator = jsonschema.Draft202012Validator(prop)
        if "choices" in entry:
            values = entry["choices"]
        else:
            allowed = {"int": {"integer", "number"}, "float": {"number"}}[entry["type"]]
            if not types & allowed or "enum" in prop:
                raise _bad(field, f"{name!r} of {algorithm.id} is not a "
                                  f"{'whole number' if entry['type'] == 'int' else 'number'}"
                                  f" range ({prop.get('type') or 'see its schema'}); give "
                                  "choices instead")
            values = [entry["low"], entry["high"]]
            if entry["type"] == "int":
                values = [int(v) for v in values]
        for value in values:
            error = next(iter(validator.iter_errors(value)), None)
            if error is not None:
                raise _bad(field, f"{name!r} of {algorithm.id}: {error.message}")
    metric = tuning["metric"] or DEFAULT_METRIC[task]
    if metric not in METRICS[task]:
        raise _bad("tuning.metric", f"unknown metric {metric!r} for {task}; choose one of: "
                                    f"{', '.join(METRICS[task])}")
    direction = tuning["direction"] or ("minimize" if metric in MINIMIZE else "maximize")
    return {**tuning, "metric": metric, "direction": direction}


def grid_of(space: dict) -> dict:
    """The points of every dimension, for the grid sampler (choices, or a stepped range)."""
    grid, size = {}, 1
    for name, entry in space.items():
        field = f"tuning.search_space.{name}"
        if "choices" in entry:
            grid[name] = list(entry["choices"])
        elif entry.get("step") is None and entry["type"] == "float":
            raise _bad(field, "the grid sampler needs choices or a step for a float range")
        else:
            step = entry.get("step") or 1
            count = int(math.floor((entry["high"] - entry["low"]) / step + 1e-9)) + 1
            if count > MAX_GRID:
                raise _bad(field, f"the grid has {count} points here; at most {MAX_GRID}")
            grid[name] = [entry["low"] + i * step for i in range(count)]
            if entry["type"] == "int":
                grid[name] = [int(v) for v in grid[name]]
        size *= len(grid[name])
        if size > MAX_GRID:
            raise _bad(field, f"the grid has more than {MAX_GRID} points; use fewer values")
    return grid


def intermediate_key(metrics: dict, metric: str, direction: str) -> str | None:
    """The per-epoch / per-iteration metric that stands for ``metric`` while fitting."""
    for key in (f"valid_{metric}", f"val_{metric}"):
        if key in metrics:
            return key
    if direction == "minimize":
        for key in ("val_loss", "valid_loss"):
            if key in metrics:
                return key
    return None
