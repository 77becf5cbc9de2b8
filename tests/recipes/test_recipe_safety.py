"""User input must not become code: derive expressions are whitelisted before pandas sees
them, and names and values reach the exported code only as Python literals."""

import json

import pandas as pd
import pytest

from hubml.recipes import Derive, Recipe, RecipeError

UNSAFE = [
    "__import__('os').system('touch pwned')",
    "df.to_csv('x')",
    "@x",
    "a + @x",
    "a.__class__",
    "a.__class__.__mro__[1].__subclasses__()",
    "a[0]",
    "a.values",
    "open('x')",
    "eval('1')",
    "exec('import os')",
    "getattr(a, 'sum')",
    "log(a, base=2)",
    "abs(a, a)",
    "abs()",
    "(lambda: 1)()",
    "[x for x in a]",
    "a if b else 1",
    "a = b + 1",
    "a := 1",
    "a; b",
    "a\nb = 1",
    "f'{a}'",
    "b'x' == a",
    "None",
    "a is None",
    "a in [1, 2]",
    "{1: 2}",
    "(a, b)",
    "a @ b",
    "a << 2",
    "a ^ b",
    "9 ** 9 ** 9",
    "a ** (9 ** 99)",
    "'x' * 10 ** 9",
    "'ab' + a",
    "-'x'",
    "1j + a",
    "__builtins__",
    "__import__",
    "sum(a)",
    "`a`.b",
    "`unclosed",
    "a +",
    "x" * 1001,
    "+".join(["a"] * 150),
]

SAFE = [
    ("a + b * 2", [5, 10, 15]),
    ("(a - b) / 2", [-0.5, -1.0, -1.5]),
    ("a ** 2 // 3 % 2", [0, 1, 1]),
    ("abs(a - b) + sqrt(b) ** 2", [3.0, 6.0, 9.0]),
    ("log(exp(a))", [1.0, 2.0, 3.0]),
    ("floor(a / 2) + ceil(b / 4)", [1.0, 2.0, 3.0]),
    ("a > 1 and b < 6", [False, True, False]),
    ("~(a > 1) | (b == 6)", [True, False, True]),
    ("not a > 2", [True, True, False]),
    ("-a", [-1, -2, -3]),
    ("0 < a <= 2", [True, True, False]),
    ("name == 'b@x.org'", [False, True, False]),
    ("`my col` * 10", [10, 20, 30]),
    ("`it's \"odd\"` + 1", [2, 3, 4]),
    ("a * 1e3", [1000.0, 2000.0, 3000.0]),
    ("True", True),
]


@pytest.fixture
def frame():
    return pd.DataFrame({"a": [1, 2, 3], "b": [2, 4, 6], "name": ["a@x.org", "b@x.org", "c@x.org"],
                         "my col": [1, 2, 3], "it's \"odd\"": [1, 2, 3]})


@pytest.mark.parametrize("expression", UNSAFE)
def test_unsafe_expressions_are_refused_before_pandas_sees_them(expression, frame, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(pd.DataFrame, "eval", lambda *a, **k: pytest.fail("DataFrame.eval was called"))
    with pytest.raises(RecipeError) as info:
        Derive("x", expression)
    assert info.value.details == {"type": "derive", "field": "expression"}
    with pytest.raises(RecipeError) as info:
        Recipe.from_json(json.dumps([{"step": "derive", "new_column": "x", "expression": expression}])).apply(frame)
    assert str(info.value).startswith("step 1 (derive), field 'expression': ")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("expression", "expected"), SAFE)
def test_safe_expressions_compute_and_export_the_same(expression, expected, frame):
    recipe = Recipe([Derive("x", expression)])
    out = recipe.apply(frame)
    if isinstance(expected, list):
        assert out["x"].tolist() == pytest.approx(expected)
    else:
        assert (out["x"] == expected).all()
    namespace = {"df": frame.copy()}
    exec(recipe.to_code(), namespace)  # noqa: S102
    pd.testing.assert_frame_equal(namespace["df"], out, check_exact=True)


def test_unsafe_messages_say_what_is_allowed():
    with pytest.raises(RecipeError) as info:
        Derive("x", "a.__class__")
    text = str(info.value)
    assert "attribute access (a.b) is not allowed" in text
    assert "abs, sqrt, exp, log" in text
    with pytest.raises(RecipeError, match="function 'sum' is not allowed; the functions are: abs"):
        Derive("x", "sum(a)")
    with pytest.raises(RecipeError, match="a power of constants"):
        Derive("x", "2 ** 3")


HOSTILE = "x']); open('pwned', 'w'); (df['"


def test_hostile_names_and_values_stay_literals_in_exported_code(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    frame = pd.DataFrame({HOSTILE: [1.0, None, 3.0], "s": ["a", "b\n#", HOSTILE]})
    newline = "y\nimport os\nos.system('touch pwned')"
    recipe = Recipe([
        {"step": "impute", "columns": [HOSTILE], "strategy": "constant", "value": 0},
        {"step": "filter_rows", "column": "s", "op": "!=", "value": "');open('pwned','w');('"},
        {"step": "derive", "new_column": HOSTILE + "2", "expression": f"`{HOSTILE}` * 2"},
        {"step": "rename", "mapping": {"s": newline}},
        {"step": "ordinal_encode", "column": newline, "categories": [HOSTILE, "a"]},
        {"step": "sort", "columns": [HOSTILE]},
    ])
    out = recipe.apply(frame)
    code = recipe.to_code()
    namespace = {"df": frame.copy()}
    exec(code, namespace)  # noqa: S102
    pd.testing.assert_frame_equal(namespace["df"], out, check_exact=True)
    assert list(tmp_path.iterdir()) == []
    assert out[HOSTILE + "2"].tolist() == [0.0, 2.0, 6.0]
    assert all(line.startswith(("import ", "#", "df", "")) for line in code.splitlines())
