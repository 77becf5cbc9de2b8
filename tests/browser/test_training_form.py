"""The training form in Chromium: a notebook with ``TrainingForm(p, dataset=...)`` on the demo
project run in JupyterLab — pick gradient boosting, mark a hyperparameter for search, train,
watch the live metrics and trials, see the result charts, register with an alias — and the same
notebook rendered by Voila on the same server, trained there too. The outcomes are checked
over REST. Screenshots: test-artifacts/browser/training-form-*.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.lab_ui import demo_lab, lab_session, run_notebook, write_notebook

pytestmark = pytest.mark.browser

NOTEBOOK = "training-form.ipynb"
RUN_TIMEOUT = 120_000    # ms: a kernel start, hubml, plotly and the first form
TRAIN_TIMEOUT = 240_000  # ms: a tuning job of a few trials on a shared machine


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with demo_lab(tmp_path_factory.mktemp("form-lab"), extra_env={
            "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}) as running:
        write_notebook(running.root / NOTEBOOK, "# Train a model on the demo iris data",
                       "import hubml\n\np = hubml.project('demo')\n"
                       "form = hubml.widgets.TrainingForm(p, dataset='iris')\n"
                       "form")
        yield running


def _field(form, name: str):
    return form.locator(f".hubml-tf-field-{name}")


def _type(locator, text: str) -> None:
    """Type into an ipywidgets Text that syncs on Enter (continuous_update off)."""
    locator.fill(text)
    locator.press("Enter")


def _configure(form, algorithm: str, model: str, search: bool) -> None:
    _field(form, "algorithm").locator("select").select_option(label=algorithm)
    # the fields of the algorithm picked before go; wait for one of gradient boosting's own
    expect(_field(form, "params-learning_rate")).to_be_visible()
    _type(_field(form, "params-max_iter").locator(".hubml-tf-value input"), "20")
    _type(_field(form, "model_name").locator("input"), model)
    if search:
        _field(form, "params-learning_rate").locator("button.hubml-tf-search").click()
        expect(form.locator(".hubml-tf-tuning")).to_be_visible()
        _type(_field(form, "tuning-n_trials").locator("input"), "3")
        _field(form, "tuning-sampler").locator("select").select_option("random")


def _train_and_register(page, form, shots: str, alias: str, trials: bool) -> None:
    form.locator("button.hubml-tf-train").click()
    live = form.locator(".hubml-tf-live")
    expect(live).to_be_visible(timeout=30_000)
    # live metrics: the chart gets its lines while the job runs
    expect(live.locator(".js-plotly-plot .scatterlayer .trace").first).to_be_attached(
        timeout=TRAIN_TIMEOUT)
    if trials:
        expect(form.locator(".hubml-tf-trials tbody tr")).to_have_count(3, timeout=TRAIN_TIMEOUT)
        expect(live.locator(".js-plotly-plot .parcoords").first).to_be_attached()
        form.locator(".hubml-tf-trials").scroll_into_view_if_needed()
        page.screenshot(path=shots + "-live.png")
    results = form.locator(".hubml-tf-results")
    expect(results).to_be_visible(timeout=TRAIN_TIMEOUT)
    expect(form.locator(".hubml-tf-progress-caption")).to_contain_text("succeeded")
    charts = results.locator(".hubml-tf-chart .js-plotly-plot")
    expect(charts.first).to_be_visible(timeout=30_000)
    assert charts.count() >= 4      # confusion matrix, ROC, PR, importance, learning curves
    expect(results.locator(".hubml-tf-chart .heatmaplayer, .hubml-tf-chart g.hm").first)\
        .to_be_attached()
    expect(results.locator(".hubml-tf-metrics")).to_contain_text("accuracy")
    results.locator(".hubml-tf-metrics").scroll_into_view_if_needed()
    page.screenshot(path=shots + "-results.png")
    charts.nth(1).scroll_into_view_if_needed()
    page.screenshot(path=shots + "-charts.png")
    box = form.locator(".hubml-tf-register-box")
    _type(box.locator("input[placeholder=production]"), alias)
    box.locator("button.hubml-tf-register").click()
    expect(form.locator(".hubml-tf-registered")).to_contain_text(f"({alias})", timeout=30_000)
    box.scroll_into_view_if_needed()
    page.screenshot(path=shots + "-registered.png")
    assert "Traceback" not in form.inner_text()


def _model(lab, name: str) -> dict:
    response = lab.api("GET", f"projects/demo/models/{name}")
    assert response.status_code == 200, response.text
    return response.json()


def test_training_form_in_jupyterlab(browser, lab, artifacts):
    with lab_session(browser, lab.lab_url) as page:
        run_notebook(page, f"{lab.url}/lab/tree/{NOTEBOOK}")
        form = page.locator(".hubml-training-form")
        expect(form).to_be_visible(timeout=RUN_TIMEOUT)
        expect(form.locator(".hubml-tf-column")).to_have_count(4)
        page.screenshot(path=str(artifacts / "training-form-lab-open.png"))
        _configure(form, "Histogram gradient boosting", "iris-form-lab", search=True)
        # a value out of the schema's bounds is marked at its field, nothing starts
        _type(_field(form, "params-max_depth").locator(".hubml-tf-value input"), "500")
        form.locator("button.hubml-tf-train").click()
        expect(_field(form, "params-max_depth").locator(".hubml-tf-error")).to_contain_text(
            "maximum 100")
        page.screenshot(path=str(artifacts / "training-form-lab-invalid.png"))
        _type(_field(form, "params-max_depth").locator(".hubml-tf-value input"), "3")
        _train_and_register(page, form, str(artifacts / "training-form-lab"), "production",
                            trials=True)
    model = _model(lab, "iris-form-lab")
    assert model["aliases"] == {"production": 1}


def test_training_form_in_voila(browser, lab, artifacts):
    assert lab.request("GET", "voila/").status_code == 200, "Voila is not enabled"
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        page.goto(f"{lab.url}/voila/render/{NOTEBOOK}?token={lab.token}",
                  timeout=RUN_TIMEOUT)
        form = page.locator(".hubml-training-form")
        expect(form).to_be_visible(timeout=RUN_TIMEOUT)
        expect(form.locator(".hubml-tf-column")).to_have_count(4)
        page.screenshot(path=str(artifacts / "training-form-voila-open.png"), full_page=True)
        _configure(form, "Histogram gradient boosting", "iris-form-voila", search=False)
        _train_and_register(page, form, str(artifacts / "training-form-voila"), "staging",
                            trials=False)
    finally:
        context.close()
    assert _model(lab, "iris-form-voila")["aliases"] == {"staging": 1}
