"""Check the scikit-learn hyperparameter schemas against the estimators' own
``_parameter_constraints``, so the schema (the single source for forms, validation and tuning
ranges) never allows a value that scikit-learn would refuse.

``problems(algorithm)`` lists every disagreement: a schema key that is no constructor
parameter, a numeric bound outside the estimator's ``Interval`` constraints, an enum value
missing from its ``StrOptions``, null or booleans the estimator does not take. Values hubml
translates before scikit-learn sees them are listed in :data:`HUBML_VALUES`.
"""

from __future__ import annotations

import math

from ._sklearn_algorithms import ALGORITHMS, build, estimator_name

__all__ = ["HUBML_VALUES", "all_problems", "estimators", "problems"]

# (algorithm name, parameter) -> schema values hubml maps to something else (see build)
HUBML_VALUES = {("decision_tree", "criterion"): {"auto"},
                ("logistic_regression", "penalty"): {"none"}}


def estimators(algorithm, tasks=None) -> list:
    """The scikit-learn estimator classes an algorithm builds (for ``tasks``: default all of
    its tasks), one per kind of task."""
    out = []
    for task in tasks or algorithm.tasks:
        estimator = build(algorithm, task, algorithm.defaults()).steps[-1][1]
        if type(estimator).__name__ == "CalibratedClassifierCV":   # the SVC inside it
            estimator = estimator.estimator
        if type(estimator) not in out:
            out.append(type(estimator))
    return out


def _lower(prop):
    if "exclusiveMinimum" in prop:
        return prop["exclusiveMinimum"], True
    return prop.get("minimum"), False


def _upper(prop):
    if "exclusiveMaximum" in prop:
        return prop["exclusiveMaximum"], True
    return prop.get("maximum"), False


def _inside(interval, prop) -> bool:
    """Are the schema's bounds of ``prop`` inside ``interval`` (a scikit-learn Interval)?"""
    low, low_open = _lower(prop)
    high, high_open = _upper(prop)
    left, right = interval.left, interval.right
    closed = interval.closed
    if left is not None:
        if low is None:
            return False
        if low < left or (low == left and not low_open and closed in ("right", "neither")):
            return False
    if right is not None:
        if high is None or (isinstance(high, float) and math.isinf(high)):
            return False
        if high > right or (high == right and not high_open and closed in ("left", "neither")):
            return False
    return True


def _branches(prop: dict) -> list[dict]:
    return prop.get("anyOf", []) + prop.get("oneOf", []) or [prop]


def _types(prop: dict) -> set[str]:
    t = prop.get("type")
    return set([t] if isinstance(t, str) else t or [])


def _check(name, key, prop, constraints, options: set) -> list[str]:
    """Problems of one schema property against one estimator's constraints; ``options`` are
    the strings any of the algorithm's estimators takes (one schema serves all its tasks, and
    build() refuses a value that does not fit the task)."""
    from numbers import Integral, Real

    from sklearn.utils._param_validation import Interval

    out = []
    intervals = [c for c in constraints if isinstance(c, Interval)]
    for branch in _branches(prop):
        types = _types(branch)
        takes_none = None in constraints or "random_state" in constraints
        if "null" in types and not takes_none:
            out.append(f"{name}.{key}: the schema allows null, scikit-learn does not")
        if "boolean" in types and "boolean" not in constraints and bool not in constraints:
            out.append(f"{name}.{key}: the schema allows booleans, scikit-learn does not")
        if types & {"integer", "number"} and "enum" not in branch:
            kind = Integral if types & {"integer", "number"} == {"integer"} else Real
            fitting = [i for i in intervals if issubclass(kind, i.type) or i.type is Real]
            if key == "random_state" and "random_state" in constraints:
                fitting = [Interval(Integral, 0, 2**32 - 1, closed="both")]
            if not any(_inside(i, branch) for i in fitting):
                found = ", ".join(str(i) for i in intervals) or "no numeric range"
                out.append(f"{name}.{key}: schema bounds {_lower(branch)[0]}..{_upper(branch)[0]} "
                           f"are not inside scikit-learn's {found}")
        if "string" in types:
            allowed = options | HUBML_VALUES.get((name, key), set())
            extra = {v for v in branch.get("enum", []) if v is not None} - allowed
            if extra or "enum" not in branch:
                out.append(f"{name}.{key}: schema strings {sorted(extra) or 'unbounded'} are "
                           f"not among scikit-learn's options {sorted(options)}")
    return out


def problems(algorithm) -> list[str]:
    """Every way ``algorithm``'s schema disagrees with its estimators' constraints."""
    from sklearn.utils._param_validation import StrOptions

    name = estimator_name(algorithm.id)
    classes = estimators(algorithm)
    out = []
    for key, prop in algorithm.schema.get("properties", {}).items():
        options = set()
        for cls in classes:
            for c in cls._parameter_constraints.get(key, []):
                if isinstance(c, StrOptions):   # deprecated values are hidden: not offered
                    options |= set(c.options) - set(c.deprecated)
        tasks = [t for t in prop.get("x-hubml-tasks", algorithm.tasks) if t in algorithm.tasks]
        for cls in estimators(algorithm, tasks):     # a classification-only parameter
            if key not in cls().get_params():
                out.append(f"{name}.{key}: not a parameter of {cls.__name__}")
                continue
            out += [f"{p} ({cls.__name__})" for p in _check(
                name, key, prop, cls._parameter_constraints.get(key, []), options)]
    return out


def all_problems() -> dict[str, list[str]]:
    """``{algorithm id: problems}`` over every scikit-learn algorithm (empty lists: agreement)."""
    return {a.id: problems(a) for a in ALGORITHMS}
