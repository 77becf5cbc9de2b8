"""Dashboards rendered by Voila on the user's own Jupyter server (real JupyterLab server with
hubml and Voila, real Chromium): the model card shows the model's name, metrics and charts, its
prediction form answers and refuses a value of the wrong type at the field; the dataset
explorer and run comparison show their objects; a bad address shows a not-found page without
a traceback. Pages load nothing from another host (no CDN), and work in the dark theme and on
a 400 px wide screen. Screenshots: test-artifacts/dashboards/dashboard-*.png."""

from __future__ import annotations

import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.support.hub import REPO
from tests.support.lab import Lab

pytestmark = pytest.mark.browser

SETUP = """
from hubml.demo import create_demo
create_demo(progress=False)
"""
# not test-artifacts/browser, which every browser session empties when it starts
SHOTS = REPO / "test-artifacts" / "dashboards"
RENDER_TIMEOUT = 180_000   # ms: Voila starts a kernel and runs the notebook (busy machines)
MODEL = "iris-random-forest"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    SHOTS.mkdir(parents=True, exist_ok=True)
    running = Lab(tmp_path_factory.mktemp("dash-lab"))
    made = subprocess.run([sys.executable, "-c", SETUP], env=running.env, capture_output=True,
                          text=True, timeout=300)
    assert made.returncode == 0, made.stderr[-3000:]
    running.start()
    try:
        yield running
    finally:
        running.stop()


def _dashboard(lab, **body) -> str:
    r = lab.api("POST", "projects/demo/dashboards", json=body)
    assert r.status_code == 200, r.text
    return r.json()["url"]


class Page:
    """A Chromium page that records every request it makes."""

    def __init__(self, browser, lab, width=1280, height=900):
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.context.set_default_timeout(30_000)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.page.on("request", lambda req: self.requests.append(req.url))
        self.lab = lab

    def open(self, url: str, **extra) -> None:
        query = "".join(f"&{k}={v}" for k, v in extra.items())
        # Voila streams the page while the kernel runs: wait for the content, not "load"
        self.page.goto(f"{self.lab.url}{url}{query}&token={self.lab.token}",
                       wait_until="commit")

    def off_host(self) -> list[str]:
        host = urlsplit(self.lab.url).netloc
        return [u for u in self.requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")
                and urlsplit(u).netloc != host]

    def close(self):
        self.context.close()


@pytest.fixture
def open_page(browser, lab):
    made = []

    def make(**kw):
        made.append(Page(browser, lab, **kw))
        return made[-1]

    yield make
    for p in made:
        p.close()


def _wait_card(page):
    expect(page.locator(".hubml-card-title")).to_have_text(MODEL, timeout=RENDER_TIMEOUT)
    # the header paints first (the name from the address); the card replaces it when ready
    expect(page.locator(".hubml-chart .js-plotly-plot .main-svg").first).to_be_visible(
        timeout=RENDER_TIMEOUT)


def _charts_fit(page) -> None:
    """Every chart is drawn and as wide as its box (not plotly's default 700 px cut off)."""
    page.wait_for_timeout(500)
    sizes = page.evaluate("""() => [...document.querySelectorAll('.hubml-chart')].map(box => {
        const svg = box.querySelector('.js-plotly-plot .main-svg');
        return {box: box.clientWidth, svg: svg ? svg.getBoundingClientRect().width : -1,
                height: box.clientHeight};
    })""")
    assert sizes and all(s["svg"] > 0 for s in sizes), sizes
    assert all(s["height"] >= 250 for s in sizes), sizes       # not collapsed to 0 px
    assert all(abs(s["svg"] - s["box"]) <= 24 for s in sizes), sizes


def _shot(page, artifacts, name):
    """The whole page: Voila scrolls inside #rendered_cells, so the viewport is made as tall
    as its content for the picture (full_page alone shows only the first screen)."""
    size = page.viewport_size
    height = page.evaluate("() => { const c = document.querySelector('#rendered_cells');"
                           " return Math.max(c ? c.scrollHeight + 40 : 0,"
                           " document.documentElement.scrollHeight); }")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], height)})
    page.mouse.move(0, 0)
    page.wait_for_timeout(800)      # plotly's resize after the layout settles
    page.screenshot(path=str(SHOTS / f"dashboard-{name}.png"), full_page=True)
    page.set_viewport_size(size)


def test_model_card_light(lab, open_page, artifacts):
    url = _dashboard(lab, kind="model_card", model=MODEL, alias="production")
    assert url.startswith("/voila/render/hubml-dashboards/model_card.ipynb?project=demo")
    view = open_page()
    view.open(url)
    page = view.page
    _wait_card(page)
    metrics = page.locator(".hubml-metrics-table")
    expect(metrics).to_contain_text("accuracy")
    expect(metrics).to_contain_text("f1_macro")
    assert page.locator(".hubml-chart .js-plotly-plot").count() >= 3
    _charts_fit(page)
    expect(page.locator(".hubml-card-lineage")).to_contain_text("iris v1")
    expect(page.locator("a.hubml-export[data-format='joblib']")).to_have_attribute(
        "href", f"/hubml/api/projects/demo/models/{MODEL}/versions/1/export/joblib")
    # a prediction: the defaults are the training means
    page.locator(".hubml-predict-button").click()
    expect(page.locator(".hubml-predict-value")).to_be_visible(timeout=30_000)
    assert page.locator(".hubml-predict-value").inner_text() in ("setosa", "versicolor",
                                                                 "virginica")
    assert page.locator(".hubml-proba-row").count() == 3
    _shot(page, artifacts, "model-card-light")
    # a value of the wrong type: refused at the field, next to it
    field = page.locator(".hubml-predict-field input").first
    field.fill("abc")
    field.press("Enter")
    expect(page.locator(".hubml-predict-note .hubml-field-error").first).to_have_text(
        "enter a number")
    page.locator(".hubml-predict-button").click()
    expect(page.locator(".hubml-predict-status")).to_contain_text("Fix the marked fields")
    _shot(page, artifacts, "model-card-refused")
    assert view.off_host() == [], view.off_host()


def test_model_card_dark_and_narrow(lab, open_page, artifacts):
    url = _dashboard(lab, kind="model_card", model="breast-cancer-logistic-regression")
    view = open_page()
    view.open(url, theme="dark")
    page = view.page
    expect(page.locator(".hubml-card-title")).to_have_text(
        "breast-cancer-logistic-regression", timeout=RENDER_TIMEOUT)
    expect(page.locator(".hubml-chart .js-plotly-plot .main-svg").first).to_be_visible(
        timeout=RENDER_TIMEOUT)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background not in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), background
    _charts_fit(page)
    _shot(page, artifacts, "model-card-dark")
    assert view.off_host() == [], view.off_host()

    narrow = open_page(width=400, height=860)
    narrow.open(_dashboard(lab, kind="model_card", model=MODEL))
    _wait_card(narrow.page)
    overflow = narrow.page.evaluate("""() => {
        const card = document.querySelector('.hubml-card');
        return {doc: document.documentElement.scrollWidth, view: window.innerWidth,
                card: card.scrollWidth, cardBox: card.clientWidth};
    }""")
    assert overflow["doc"] <= overflow["view"], overflow
    assert overflow["card"] <= overflow["cardBox"] + 1, overflow
    _charts_fit(narrow.page)
    _shot(narrow.page, artifacts, "model-card-narrow")


def test_dataset_explorer_and_run_compare(lab, open_page, artifacts):
    view = open_page()
    view.open(_dashboard(lab, kind="dataset_explorer", dataset="iris"))
    expect(view.page.locator(".hubml-dataset-explorer")).to_be_visible(timeout=RENDER_TIMEOUT)
    expect(view.page.locator(".hubml-dataset-explorer")).to_contain_text("sepal_length")
    _shot(view.page, artifacts, "dataset-explorer")
    runs = open_page()
    runs.open(_dashboard(lab, kind="run_compare"))
    expect(runs.page.locator(".hubml-run-compare").first).to_be_visible(timeout=RENDER_TIMEOUT)
    expect(runs.page.locator(".hubml-run-compare").first).to_contain_text("demo-iris")
    _shot(runs.page, artifacts, "run-compare")
    assert view.off_host() == [] and runs.off_host() == []


@pytest.mark.parametrize("query,says", [
    ("project=demo&model=ghost", "no model named 'ghost'"),
    ("project=nowhere&model=x", "nowhere"),
    (f"project=demo&model={MODEL}&alias=staging", "no alias 'staging'"),
    (f"project=demo&model={MODEL}&version=9", "version 9"),
])
def test_bad_address_not_found_page(lab, open_page, artifacts, query, says):
    _dashboard(lab, kind="model_card", model=MODEL)        # the notebook is in place
    view = open_page()
    view.open(f"/voila/render/hubml-dashboards/model_card.ipynb?{query}")
    error = view.page.locator(".hubml-dashboard-error")
    expect(error).to_be_visible(timeout=RENDER_TIMEOUT)
    expect(error).to_contain_text("Not found")
    expect(error).to_contain_text(says)
    body = view.page.locator("body").inner_text()
    assert "Traceback" not in body and "NotFound" not in body
    if "ghost" in query:
        _shot(view.page, artifacts, "not-found")
