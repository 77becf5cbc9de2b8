"""ModelCard built without a kernel over the demo project and over a model from the user's own
code: its parts, the prediction form (same answer as ``load().predict``, refusals at the field),
and NotFound for unknown versions and aliases."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

from hubml.errors import NotFound
from hubml.widgets._card_charts import figures
from hubml.widgets._predict_form import parse_value

MiB = 1 << 20


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from hubml.demo import create_demo

    root = tmp_path_factory.mktemp("card-root")
    saved = os.environ.get("HUBML_PROJECT_ROOTS")
    os.environ["HUBML_PROJECT_ROOTS"] = str(root)
    try:
        yield create_demo(progress=False)
    finally:
        if saved is None:
            os.environ.pop("HUBML_PROJECT_ROOTS", None)
        else:
            os.environ["HUBML_PROJECT_ROOTS"] = saved


def _own_frame(n=120, seed=0):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"age": rng.integers(18, 80, n).astype("int64"),
                       "plan": rng.choice(["basic", "plus", "pro"], n),
                       "amount": rng.normal(50, 10, n).round(2)})
    df["churned"] = ((df["plan"] == "basic") & (df["age"] < 40)).map({True: "yes", False: "no"})
    return df


@pytest.fixture(scope="module")
def own(demo):
    """A scikit-learn Pipeline of the user's own registered with run metrics, no evaluation."""
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    df = _own_frame()
    v = demo.save_dataset("customers", df)
    X, y = df.drop(columns=["churned"]), df["churned"]
    pipe = make_pipeline(ColumnTransformer([("num", StandardScaler(), ["age", "amount"]),
                                            ("cat", OneHotEncoder(), ["plan"])]),
                         LogisticRegression())
    pipe.fit(X, y)
    with demo.start_run("own-code") as run:
        run.log_params({"C": 1.0})
        run.log_metric("train_accuracy", float((pipe.predict(X) == y).mean()))
        demo.register_model("own-churn", pipe, framework="sklearn", run=run, dataset=v,
                            X_example=X)
    return demo


def _card(project, name, **kw):
    from hubml.widgets import ModelCard

    return ModelCard(project, name, **kw)


def _html(widget) -> str:
    """All HTML text under a widget (the parts a person reads)."""
    import ipywidgets as W

    out = []
    stack = [widget]
    while stack:
        w = stack.pop()
        if isinstance(w, W.HTML):
            out.append(w.value)
        stack.extend(getattr(w, "children", ()) or ())
    return "\n".join(out)


@pytest.mark.parametrize("name,task,metric,charts", [
    ("iris-random-forest", "multiclass", "accuracy", {"confusion_matrix", "roc", "pr"}),
    ("breast-cancer-logistic-regression", "binary", "roc_auc", {"calibration", "roc"}),
    ("diabetes-ridge", "regression", "rmse", {"predicted_actual", "residuals"}),
    ("iris-features-kmeans", "clustering", "silhouette", {"cluster_sizes"}),
])
def test_demo_cards(demo, name, task, metric, charts):
    from hubml.widgets._charts import PLOTLY_MIME, ChartView

    card = _card(demo, name, alias="production", base_url="/user/ann/")
    text = _html(card)
    assert card.model_name == name and card.version == 1
    assert f">{name}</h2>" in text and "production" in text
    assert f"<span>{metric}</span>" in text      # the evaluation report's metric table
    assert card.facts.task == task
    grid = card.charts.children[0]
    keys = {c for box in grid.children for c in box._dom_classes}
    assert {f"hubml-chart-{k}" for k in charts} <= keys
    assert all(isinstance(view, ChartView) and view.figure.data for view in grid.children)
    for view in grid.children:     # plotly's MIME bundle, responsive: no fixed width
        (output,) = view.output.outputs
        figure = output["data"][PLOTLY_MIME]
        assert figure["data"] and "width" not in figure["layout"]
        assert figure["config"]["responsive"] is True
    # lineage: the dataset version it was trained on, the run
    dataset = name.rsplit("-", 2)[0] if task != "clustering" else "iris-features"
    assert f"{dataset} v1" in text and "demo-" in text
    # export links go to the REST export route under the base URL
    for fmt in card.facts.formats:
        assert (f"href='/user/ann/hubml/api/projects/demo/models/{name}/versions/1/export/"
                f"{fmt}'") in text
    assert card.form is not None and len(card.form.fields) == len(card.facts.columns)


def _tree(widget):
    """The widget and every widget under it (children, and widgets held in traits)."""
    import ipywidgets as W

    seen, stack = {}, [widget]
    while stack:
        w = stack.pop()
        if w.model_id in seen:
            continue
        seen[w.model_id] = w
        for name in w.keys:
            value = getattr(w, name)
            values = value if isinstance(value, (list, tuple)) else [value]
            stack.extend(v for v in values if isinstance(v, W.Widget))
    return list(seen.values())


@pytest.mark.parametrize("name,theme", [("iris-random-forest", "light"),
                                        ("breast-cancer-logistic-regression", "dark")])
def test_no_widget_message_over_1_mib(demo, name, theme):
    """Every widget of the card (its state is its first message to the browser) stays under
    the Data Studio's 1 MiB-per-message rule; the charts are among them."""
    from hubml.widgets._charts import ChartView, message_bytes

    card = _card(demo, name, theme=theme)
    widgets = _tree(card)
    views = [w for w in widgets if isinstance(w, ChartView)]
    assert len(views) >= 2 and len(widgets) > 20
    sizes = {w.model_id: message_bytes(w) for w in widgets}
    assert max(sizes.values()) < MiB, max(sizes.values())
    assert sum(sizes.values()) < MiB         # the whole card: a few hundred kB at most
    assert all(message_bytes(v.output) > 1000 for v in views)   # the figures are in there


def test_form_answer_equals_load_predict(demo):
    card = _card(demo, "iris-random-forest")
    row = demo.dataset("iris").load().iloc[[77]].drop(columns=["species"])
    for column, value in row.iloc[0].items():
        card.form.fields[column].value = str(value)
    card.form.button.click()
    expected = demo.model("iris-random-forest").load().predict(row.astype("float64"))
    assert card.form.error == ""
    assert card.form.result["prediction"] == expected[0]
    assert card.form.result["source"] == "kernel"
    proba = demo.model("iris-random-forest").load().predict_proba(row.astype("float64"))[0]
    assert list(card.form.result["probabilities"].values()) == pytest.approx(list(proba))
    assert str(expected[0]) in card.form.output.value


def test_regression_form_default_values_predict(demo):
    card = _card(demo, "diabetes-ridge", version=1)
    values = {c: float(f.value) for c, f in card.form.fields.items()}
    answer = card.form.predict()
    expected = demo.model("diabetes-ridge").load(version=1).predict(pd.DataFrame([values]))
    assert answer["prediction"] == pytest.approx(float(expected[0]))
    assert answer["probabilities"] is None


def test_value_of_wrong_type_is_refused_at_the_field(demo):
    card = _card(demo, "iris-random-forest")
    field = next(iter(card.form.fields))
    card.form.fields[field].value = "abc"
    assert "enter a number" in card.form.notes[field].value
    assert "hubml-invalid" in card.form.fields[field]._dom_classes
    assert card.form.predict() is None and card.form.result == {}
    assert "Fix the marked fields" in card.form.status.value
    card.form.fields[field].value = "5.1"          # fixed: the note goes, prediction works
    assert card.form.notes[field].value == ""
    assert card.form.predict()["source"] == "kernel"


def test_own_code_model_card(own):
    card = _card(own, "own-churn")
    text = _html(card)
    assert card.facts.evaluation is None
    assert "<span>train_accuracy</span>" in text and "no evaluation report was logged" in text
    assert "<td>C</td>" in text                                  # params from the run
    assert "customers v1" in text
    cols = {c.name: c for c in card.facts.columns}
    assert cols["age"].type == "long" and cols["amount"].type == "double"
    assert cols["plan"].type == "string" and set(cols["plan"].categories) == {
        "basic", "plus", "pro"}
    assert cols["age"].minimum >= 18 and cols["age"].maximum <= 79
    form = card.form
    form.fields["age"].value = "35.5"
    assert "whole number" in form.notes["age"].value and form.predict() is None
    form.fields["age"].value = "35"
    form.fields["plan"].value = "basic"
    form.fields["amount"].value = "49.5"
    answer = form.predict()
    frame = pd.DataFrame({"age": [35], "plan": ["basic"], "amount": [49.5]})
    assert answer["prediction"] == own.model("own-churn").load().predict(frame)[0]
    assert set(answer["probabilities"]) == {"no", "yes"}
    form.fields["age"].value = "130"                              # a warning, not a refusal
    assert "outside the training range" in form.notes["age"].value
    assert form.predict() is not None


def test_unknown_version_and_alias(demo):
    with pytest.raises(NotFound, match="no alias 'staging'"):
        _card(demo, "iris-random-forest", alias="staging")
    with pytest.raises(NotFound):
        _card(demo, "iris-random-forest", version=9)
    with pytest.raises(NotFound, match="no model named 'nope'"):
        _card(demo, "nope")
    with pytest.raises(NotFound):
        _card("no-such-project", "iris-random-forest")


def test_parse_value():
    from hubml.widgets._card_facts import Column

    assert parse_value(Column("x", "double"), " 2.5 ") == 2.5
    assert parse_value(Column("x", "long"), "3") == 3
    assert parse_value(Column("x", "long"), "3.0") == 3
    assert parse_value(Column("x", "boolean"), "no") is False
    assert parse_value(Column("x", "string"), "a b") == "a b"
    assert parse_value(Column("x", "double", required=False), "") is None
    for kind, bad in [("double", "nan"), ("double", "1,5"), ("long", "2.5"), ("long", "x"),
                      ("boolean", "maybe"), ("datetime", "not a date"), ("double", "")]:
        with pytest.raises(ValueError):
            parse_value(Column("x", kind), bad)


def test_figures_dark_theme_and_no_report():
    report = {"task": "clustering", "cluster_sizes": [{"cluster": 0, "size": 3}],
              "metrics": {}}
    (key, fig), = figures(report, theme="dark")
    assert key == "cluster_sizes" and fig.layout.template.layout.paper_bgcolor is not None
    assert fig.layout.paper_bgcolor == "rgba(0,0,0,0)"
    assert figures(None) == [] and figures({"task": "regression"}) == []
