"""The one conformance suite: every (framework, algorithm, task) of every framework adapter.

For each triple: fit on small data, predict (shape, labels from the training labels,
probabilities that sum to 1), log with the framework's MLflow flavor and load back (adapter and
pyfunc give the same predictions), write every export format and load it with that format's own
runtime (``exports.LOADERS``), and refuse bad hyperparameters with InvalidInput naming the
field. A framework whose adapter does not import fails ``test_framework_loads`` loudly (not a
skip), while the other frameworks' cases still run (``-k sklearn`` selects one framework).
"""

from __future__ import annotations

import traceback

import numpy as np
import pytest

from hubml import frameworks
from hubml.errors import InvalidInput
from hubml.frameworks import NAMES, validate_params

from .datasets import dataset
from .exports import LOADERS, assert_same_predictions, plain_labels

CLASSIFICATION = ("binary", "multiclass")


def _collect():
    """Triples and export cases from each adapter's algorithms() (plain data, cheap)."""
    triples, exports, broken = [], [], {}
    for name in NAMES:
        try:
            fw = frameworks.get(name)
            algorithms = fw.algorithms()
        except Exception:  # reported by test_framework_loads, with the traceback
            broken[name] = traceback.format_exc()
            continue
        for algorithm in algorithms:
            formats = fw.formats_for(algorithm.id)
            for task in algorithm.tasks:
                triples.append(pytest.param(name, algorithm.id, task, id=f"{algorithm.id}-{task}"))
                exports += [pytest.param(name, algorithm.id, task, fmt,
                                         id=f"{algorithm.id}-{task}-{fmt}") for fmt in formats]
    return triples, exports, broken


TRIPLES, EXPORTS, BROKEN = _collect()
# AutoML's defaults search for half a minute; the suite checks the interface, not the search
SMALL = {"h2o.automl": {"max_models": 2, "nfolds": 0, "max_runtime_secs": 20,
                        "exclude_algos": ["DeepLearning", "StackedEnsemble"]}}
_FITTED: dict = {}


def fitted(name: str, algorithm_id: str, task: str):
    """(framework, data, model, callback calls); fitted once per triple for all tests."""
    key = (name, algorithm_id, task)
    if key not in _FITTED:
        fw, data, calls = frameworks.get(name), dataset(task), []
        params = validate_params(fw.algorithm(algorithm_id), SMALL.get(algorithm_id, {}))
        model = fw.fit(algorithm_id, task, params, data.X_train, data.y_train, data.X_valid,
                       data.y_valid, callbacks=[lambda step, metrics: calls.append((step, metrics))])
        _FITTED[key] = (fw, data, model, calls)
    return _FITTED[key]


@pytest.mark.parametrize("name", NAMES)
def test_framework_loads(name):
    assert name not in BROKEN, f"hubml.frameworks.get({name!r}) failed:\n{BROKEN.get(name)}"
    fw = frameworks.get(name)
    assert fw.name == name and fw.algorithms(), f"{name} lists no algorithms"
    assert "mlflow" in fw.export_formats


ALGORITHMS = [pytest.param(name, a, id=a.id) for name in NAMES if name not in BROKEN
              for a in frameworks.get(name).algorithms()]


@pytest.mark.parametrize("name, algorithm", ALGORITHMS)
def test_schema_has_defaults_and_bounds(name, algorithm):
    assert algorithm.id.startswith(f"{name}.") and set(algorithm.tasks) <= set(frameworks.TASKS)
    for field, prop in algorithm.schema["properties"].items():
        assert "default" in prop, f"{field} has no default"
        types = prop.get("type", ())
        if "integer" in types or "number" in types:
            low = "minimum" in prop or "exclusiveMinimum" in prop
            high = "maximum" in prop or "exclusiveMaximum" in prop
            assert low and high, f"{field} needs a lower and an upper bound"
    assert validate_params(algorithm, {}) == algorithm.defaults()


@pytest.mark.parametrize("name, algorithm_id, task", TRIPLES)
def test_fit_predict(name, algorithm_id, task):
    fw, data, model, calls = fitted(name, algorithm_id, task)
    pred = fw.predict(model, data.X_valid)
    assert pred.shape == (len(data.X_valid),)
    assert calls and all(isinstance(step, int) and isinstance(metrics, dict)
                         for step, metrics in calls), "callbacks were not called"
    if task == "regression":
        assert np.isfinite(pred.astype(float)).all()
    elif task == "clustering":
        assert all(isinstance(v, int) and v >= 0 for v in plain_labels(pred)), "cluster ids"
    else:
        assert set(plain_labels(pred)) <= set(plain_labels(data.y_train)), "unknown label"
        assert set(plain_labels(fw.classes(model))) == set(plain_labels(data.y_train))
    proba = fw.predict_proba(model, data.X_valid)
    if task in CLASSIFICATION:
        assert proba is not None, "classifiers give class probabilities"
    if proba is not None:
        assert proba.shape == (len(data.X_valid), len(fw.classes(model)))
        np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-5)


@pytest.mark.parametrize("name, algorithm_id, task", TRIPLES)
def test_mlflow_roundtrip(name, algorithm_id, task, mlflow_store):
    import mlflow
    from mlflow.models import Model, infer_signature

    fw, data, model, _ = fitted(name, algorithm_id, task)
    X = data.X_valid
    expected = fw.predict(model, X)
    with mlflow.start_run():
        info = fw.log_model(model, "model", signature=infer_signature(X, expected),
                            input_example=X.head(2), metadata={"hubml_test": algorithm_id})
    assert Model.load(info.model_uri).metadata["hubml_test"] == algorithm_id
    assert_same_predictions(task, expected, fw.predict(fw.load_model(info.model_uri), X),
                            "load_model")
    pyfunc = mlflow.pyfunc.load_model(info.model_uri)
    assert_same_predictions(task, expected, fw.decode_pyfunc(pyfunc, pyfunc.predict(X)),
                            "pyfunc")


@pytest.mark.parametrize("name, algorithm_id, task, fmt", EXPORTS)
def test_export_loads_in_its_runtime(name, algorithm_id, task, fmt, tmp_path):
    fw, data, model, _ = fitted(name, algorithm_id, task)
    assert fmt in LOADERS, f"no loader for export format {fmt!r} in tests/frameworks/exports.py"
    path = fw.export(model, fmt, tmp_path / fmt)
    got = LOADERS[fmt](path, data.X_valid)
    assert_same_predictions(task, fw.predict(model, data.X_valid), got, f"{fmt} export")


def _bad_cases(algorithm) -> list:
    """(kind, field, params): an unknown name, a value out of bounds, a value of a wrong type."""
    import jsonschema

    def invalid(value, prop):
        return not jsonschema.Draft202012Validator(prop).is_valid(value)

    props = algorithm.schema.get("properties", {})
    cases = [("unknown", "no_such_hyperparameter", {"no_such_hyperparameter": 1})]
    for field, prop in props.items():
        bound = next((prop[k] for k in ("minimum", "exclusiveMinimum") if k in prop), None)
        if bound is not None and invalid(bound - 1, prop):
            cases.append(("out_of_bounds", field, {field: bound - 1}))
            break
    for wrong in ("not-a-number", 12345, [[1]]):
        field = next((f for f, p in props.items() if invalid(wrong, p)), None)
        if field is not None:
            cases.append(("wrong_type", field, {field: wrong}))
            break
    return cases


BAD_PARAMS = [pytest.param(name, a, a.tasks[0], kind, field, params, id=f"{a.id}-{kind}")
              for name in NAMES if name not in BROKEN
              for a in frameworks.get(name).algorithms()
              for kind, field, params in _bad_cases(a)]


@pytest.mark.parametrize("name, algorithm, task, kind, field, params", BAD_PARAMS)
def test_invalid_hyperparameters_name_the_field(name, algorithm, task, kind, field, params):
    with pytest.raises(InvalidInput) as caught:
        validate_params(algorithm, params)
    assert field in caught.value.message and caught.value.details["field"] == field
    data = dataset(task)     # fit() validates too, before any training
    with pytest.raises(InvalidInput) as caught:
        frameworks.get(name).fit(algorithm.id, task, params, data.X_train, data.y_train)
    assert field in caught.value.message


@pytest.mark.parametrize("name", [n for n in NAMES if n not in BROKEN])
def test_every_algorithm_has_bad_value_cases(name):
    """Each algorithm has hyperparameters to check: at least an unknown name and a wrong type."""
    for algorithm in frameworks.get(name).algorithms():
        kinds = {kind for kind, _, _ in _bad_cases(algorithm)}
        assert {"unknown", "wrong_type"} <= kinds, f"{algorithm.id}: {kinds}"
