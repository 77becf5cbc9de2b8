"""The recipe contract, for every registered step type: apply == exec(to_code), exact JSON
round trip, input unchanged, schema fits the parameters, bad parameters name step and field."""

import copy
import itertools
import json
import pickle
import subprocess
import sys

import jsonschema
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hubml.errors import InvalidInput
from hubml.recipes import STEPS, Impute, Recipe, RecipeError, Standardize, Step
from hubml.recipes.base import REQUIRED
from tests.recipes.cases import BAD, CASES, FRAME_FREE, make_frame

ALL_CASES = [(name, params) for name in sorted(set(STEPS) - FRAME_FREE) for params in CASES.get(name, [])]
ALL_BAD = [(name, *bad) for name in sorted(STEPS) for bad in BAD.get(name, [])]


def run_code(recipe: Recipe, df: pd.DataFrame, var: str = "df") -> pd.DataFrame:
    namespace = {var: df.copy()}
    exec(recipe.to_code(var), namespace)  # noqa: S102 - the point of the test
    return namespace[var]


def assert_plain_json(value):
    if isinstance(value, dict):
        assert all(isinstance(k, str) for k in value)
        for item in value.values():
            assert_plain_json(item)
    elif isinstance(value, list):
        for item in value:
            assert_plain_json(item)
    else:
        assert value is None or type(value) in (str, int, float, bool), repr(value)


@pytest.mark.parametrize("name", sorted(STEPS))
def test_every_step_has_cases_and_bad_cases(name):
    assert CASES.get(name), f"add {name!r} to CASES in tests/recipes/cases.py"
    assert BAD.get(name), f"add {name!r} to BAD in tests/recipes/cases.py"


@pytest.mark.parametrize(("name", "params"), ALL_CASES, ids=lambda v: v if isinstance(v, str) else None)
def test_step_apply_equals_exported_code(name, params):
    frame = make_frame()
    before = frame.copy(deep=True)
    recipe = Recipe([{"step": name, **params}])

    out = recipe.apply(frame)

    pd.testing.assert_frame_equal(frame, before)  # the input is unchanged
    assert out is not frame
    pd.testing.assert_frame_equal(run_code(recipe, frame), out, check_exact=True)
    pd.testing.assert_frame_equal(run_code(recipe, frame, var="data"), out, check_exact=True)
    step = recipe[0]
    pd.testing.assert_frame_equal(step.apply(frame), out, check_exact=True)


@pytest.mark.parametrize(("name", "params"), ALL_CASES, ids=lambda v: v if isinstance(v, str) else None)
def test_step_json_round_trip_is_exact(name, params):
    recipe = Recipe([{"step": name, **params}])
    obj = recipe.to_json()

    assert_plain_json(obj)
    assert json.loads(json.dumps(obj, allow_nan=False)) == obj
    again = Recipe.from_json(json.loads(json.dumps(obj)))
    assert again == recipe and again.to_json() == obj
    assert Recipe.from_json(json.dumps(obj)).to_json() == obj
    assert {k: v for k, v in obj[0].items() if k in params} == params
    pd.testing.assert_frame_equal(again.apply(make_frame()), recipe.apply(make_frame()))


@pytest.mark.parametrize(("name", "params"), ALL_CASES, ids=lambda v: v if isinstance(v, str) else None)
def test_schema_accepts_the_step_json(name, params):
    schema = STEPS[name].schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    stored = {k: v for k, v in Recipe([{"step": name, **params}]).to_json()[0].items() if k != "step"}
    jsonschema.validate(stored, schema)
    for param in STEPS[name].params:  # defaults a form shows are the ones the step uses
        if "default" in schema["properties"][param.name]:
            assert schema["properties"][param.name]["default"] == param.default


@pytest.mark.parametrize(("name", "params", "field", "fragment"), ALL_BAD,
                         ids=lambda v: v if isinstance(v, str) else None)
def test_bad_parameters_name_step_and_field(name, params, field, fragment):
    frame = make_frame()
    with pytest.raises(RecipeError) as info:
        Recipe([{"step": "sort", "columns": ["age"]}, {"step": name, **params}]).apply(frame)
    error = info.value
    assert isinstance(error, InvalidInput) and error.status == 400
    assert error.details == {"step": 2, "type": name, "field": field}
    assert str(error).startswith(f"step 2 ({name}), field '{field}': ")
    assert fragment in str(error)
    pd.testing.assert_frame_equal(frame, make_frame())


@pytest.mark.parametrize("name", sorted(STEPS))
def test_unknown_and_missing_parameters_are_refused(name):
    cls = STEPS[name]
    with pytest.raises(RecipeError, match=r"unknown parameter 'bogus'; the parameters are: ") as info:
        cls(bogus=1)
    assert info.value.details == {"type": name, "field": "bogus"}
    assert str(info.value).startswith(f"{name} step, field 'bogus'")
    required = [p.name for p in cls.params if p.default is REQUIRED]
    if required:
        with pytest.raises(RecipeError, match="a value is required") as info:
            Recipe([{"step": name}])
        assert info.value.details == {"step": 1, "type": name, "field": required[0]}


def test_unknown_step_type_lists_the_known_ones():
    with pytest.raises(RecipeError) as info:
        Recipe.from_json([{"step": "impute", "columns": ["a"], "strategy": "mean"}, {"step": "pivot"}])
    text = str(info.value)
    assert text.startswith("step 2, field 'step': unknown step type 'pivot'; the known steps are: ")
    assert text.endswith(", ".join(sorted(STEPS)))
    assert info.value.details == {"step": 2, "field": "step"}


@pytest.mark.parametrize("bad", [{"step": "impute"}, "impute", [1], {"columns": ["a"]}, None, {"step": 3}])
def test_malformed_recipe_json_is_refused(bad):
    with pytest.raises(RecipeError):
        Recipe.from_json([bad])
    with pytest.raises(RecipeError, match="a JSON list of steps"):
        Recipe.from_json({"steps": []} if bad is None else "{not json")


def test_a_failing_step_is_reported_with_its_position():
    recipe = Recipe([
        {"step": "drop_missing", "columns": ["name"]},
        {"step": "rename", "mapping": {"age": "years"}},
        {"step": "impute", "columns": ["age"], "strategy": "mean"},
    ])
    with pytest.raises(RecipeError) as info:
        recipe.apply(make_frame())
    assert str(info.value).startswith(
        "step 3 (impute), field 'columns': column 'age' not found; "
        "columns are: 'years', 'income', 'city', 'name'")
    assert info.value.details == {"step": 3, "type": "impute", "field": "columns"}


def test_a_whole_pipeline_applies_and_exports_the_same():
    recipe = Recipe([
        {"step": "cast", "column": "code", "dtype": "float64", "errors": "coerce"},
        {"step": "cast", "column": "when", "dtype": "datetime64[ns]", "errors": "coerce"},
        {"step": "drop_missing", "columns": ["name"]},
        {"step": "impute", "columns": ["age", "code"], "strategy": "median"},
        {"step": "impute", "columns": ["city"], "strategy": "most_frequent"},
        {"step": "derive", "new_column": "per_year", "expression": "income / (age + 1)"},
        {"step": "log_transform", "columns": ["income"]},
        {"step": "standardize", "columns": ["age", "per_year"]},
        {"step": "bin", "column": "score", "bins": [0, 1, 2, 4], "labels": ["low", "mid", "high"]},
        {"step": "ordinal_encode", "column": "score"},
        {"step": "one_hot", "columns": ["city"]},
        {"step": "filter_rows", "column": "active", "op": "==", "value": True},
        {"step": "deduplicate"},
        {"step": "sort", "columns": ["per_year"], "ascending": False},
        {"step": "drop_columns", "columns": ["joined"]},
        {"step": "rename", "mapping": {"score": "score_level"}},
        {"step": "select_columns", "columns": ["name", "age", "per_year", "score_level", "city_Paris"]},
    ])
    frame = make_frame()
    out = recipe.apply(frame)
    assert list(out.columns) == ["name", "age", "per_year", "score_level", "city_Paris"]
    # bob is inactive, dee's repeat and the unnamed row are gone; highest income per year first
    assert list(out["name"]) == ["fay", "ann", "dee", "cy"]
    assert out["score_level"].tolist() == [0, 0, 2, 2]  # low, low, high, high
    pd.testing.assert_frame_equal(run_code(recipe, frame), out, check_exact=True)
    code = recipe.to_code()
    assert code.startswith("import numpy as np\nimport pandas as pd\n")
    assert code.count("\n# step ") == len(recipe) == 17
    pd.testing.assert_frame_equal(Recipe.from_json(json.dumps(recipe.to_json())).apply(frame), out)


def test_code_imports_only_what_it_needs_and_empty_recipe_is_identity():
    assert Recipe([]).to_code() == "import pandas as pd\n"
    assert "numpy" not in Recipe([Standardize(["age"])]).to_code()
    frame = make_frame()
    out = Recipe().apply(frame)
    assert out is not frame
    pd.testing.assert_frame_equal(out, frame)
    pd.testing.assert_frame_equal(run_code(Recipe(), frame), frame)
    with pytest.raises(RecipeError, match="var must be a Python identifier"):
        Recipe().to_code("df; import os")
    with pytest.raises(RecipeError, match="var must be a Python identifier"):
        Standardize(["age"]).to_code("class")
    with pytest.raises(RecipeError, match="standardize step: a recipe applies to a pandas DataFrame, not dict"):
        Standardize(["age"]).apply({"age": [1]})


def test_recipe_is_an_immutable_sequence():
    first = Recipe([Impute(["age"], "mean")])
    second = first.append({"step": "standardize", "columns": ["age"]})
    assert len(first) == 1 and len(second) == 2
    assert [s.type for s in second] == ["impute", "standardize"]
    assert second[1] == Standardize(columns=["age"]) and second[:1] == first
    assert first + Recipe([Standardize(["age"])]) == second
    assert repr(second) == ("Recipe([\n    Impute(columns=['age'], strategy='mean'),\n"
                            "    Standardize(columns=['age']),\n])")
    columns = ["age"]
    step = Standardize(columns)
    columns.append("income")  # the caller's list is not shared
    assert step.columns == ["age"]
    step.columns.append("x")  # nor is what it hands out
    assert step.to_json() == {"step": "standardize", "columns": ["age"]}
    with pytest.raises(AttributeError, match="immutable"):
        step.columns = ["income"]
    with pytest.raises(RecipeError, match="step 2, field 'step'"):
        first.append({"step": "nope"})
    with pytest.raises(RecipeError, match="a recipe applies to a pandas DataFrame, not list"):
        first.apply([1, 2])
    with pytest.raises(RecipeError, match="a JSON list of steps"):
        Recipe("impute")


def test_steps_and_recipes_pickle_and_copy():
    recipe = Recipe([Impute(["age"], "mean"), {"step": "bin", "column": "age", "bins": 3}])
    assert pickle.loads(pickle.dumps(recipe)) == recipe
    assert copy.deepcopy(recipe) == recipe and copy.copy(recipe[1]) == recipe[1]


def test_frames_with_duplicate_column_names_are_refused():
    frame = pd.DataFrame([[1, 2]], columns=["a", "a"])
    with pytest.raises(RecipeError, match="step 1 \\(standardize\\): the DataFrame has duplicate column names \\('a'\\)"):
        Recipe([Standardize(["a"])]).apply(frame)


def test_steps_are_subclasses_with_declared_params():
    assert set(STEPS) >= {"select_columns", "drop_columns", "rename", "cast", "drop_missing", "impute",
                          "filter_rows", "one_hot", "ordinal_encode", "standardize", "min_max_scale",
                          "log_transform", "bin", "derive", "sort", "deduplicate", "sample"}
    for name, cls in STEPS.items():
        assert issubclass(cls, Step) and cls.type == name and cls.__doc__


def test_import_hubml_recipes_does_not_import_pandas():
    code = ("import sys, hubml; hubml.recipes.Recipe([{'step': 'impute', 'columns': ['a'], "
            "'strategy': 'mean'}]).to_code(); assert 'pandas' not in sys.modules, 'pandas imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    import hubml

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HUBML_PROJECT_ROOTS", str(tmp_path_factory.mktemp("projects")))
        yield hubml.create_project("recipes")


def test_recipe_is_stored_as_dataset_lineage(project):
    recipe = Recipe([{"step": name, **CASES[name][0]} for name in ("impute", "derive", "bin")])
    out = recipe.apply(make_frame())
    project.save_dataset("clean", out, recipe=recipe)
    stored = project.dataset("clean").version(1).meta["recipe"]
    assert Recipe.from_json(stored) == recipe and stored == recipe.to_json()
    pd.testing.assert_frame_equal(Recipe.from_json(stored).apply(make_frame()), out)


_CASE = itertools.count()


@pytest.mark.parametrize(("name", "params"), ALL_CASES, ids=lambda v: v if isinstance(v, str) else None)
def test_every_step_output_saves_as_a_dataset_and_reads_back_equal(project, name, params):
    recipe = Recipe([{"step": name, **params}])
    out = recipe.apply(make_frame())
    # one dataset per case: cases of one step make other columns (a new version of the same
    # dataset would need allow_schema_change)
    version = project.save_dataset(f"{name.replace('_', '-')}-{next(_CASE)}", out, recipe=recipe)
    pd.testing.assert_frame_equal(version.load(), out)


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, width=64)
column = st.lists(st.one_of(finite, st.none()), min_size=1, max_size=30)
step_choices = st.sampled_from([
    {"step": "impute", "columns": ["a"], "strategy": "mean"},
    {"step": "impute", "columns": ["b"], "strategy": "median"},
    {"step": "standardize", "columns": ["a", "b"]},
    {"step": "min_max_scale", "columns": ["a"]},
    {"step": "derive", "new_column": "c", "expression": "a * 2 - b / 3"},
    {"step": "filter_rows", "column": "a", "op": ">", "value": 0},
    {"step": "sort", "columns": ["b", "a"]},
    {"step": "drop_missing", "how": "all"},
])


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=column, b=column, steps=st.lists(step_choices, min_size=1, max_size=5))
def test_property_apply_equals_exported_code_on_random_numeric_frames(a, b, steps):
    size = min(len(a), len(b))
    frame = pd.DataFrame({"a": np.array(a[:size], dtype="float64"),
                          "b": pd.array([None if v is None else round(v) for v in b[:size]], dtype="Int64")})
    before = frame.copy(deep=True)
    recipe = Recipe(steps)
    try:
        out = recipe.apply(frame)
    except RecipeError as exc:  # a scaler or imputer refuses to learn from no values
        assert "has no values to compute" in str(exc) or "no rows to learn from" in str(exc)
        return
    pd.testing.assert_frame_equal(frame, before)
    pd.testing.assert_frame_equal(run_code(recipe, frame), out, check_exact=True)
    assert Recipe.from_json(json.loads(json.dumps(recipe.to_json()))) == recipe
