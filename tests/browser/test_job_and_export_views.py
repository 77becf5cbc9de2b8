"""A model version's export chips download the export; a training job opens in the main area
with its metric names in full, a chart per curve and its log. Real JupyterLab, real Chromium.
Screenshots: test-artifacts/browser/views-*.png (light and dark theme)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.support.lab import Lab
from tests.support.lab_ui import lab_session, open_lab, select_project, show_tab

pytestmark = pytest.mark.browser

THEMES = "@jupyterlab/apputils-extension:themes"

SETUP = """
import hubml
from sklearn.datasets import load_diabetes, load_iris

p = hubml.create_project("views")
df = load_diabetes(as_frame=True).frame.rename(columns={"target": "progression"})
p.save_dataset("diabetes", df)
iris = load_iris(as_frame=True).frame.rename(columns=lambda c: c.replace(" (cm)", "")
                                             .replace(" ", "_"))
fw = hubml.frameworks.get("sklearn")
X, y = iris.drop(columns=["target"]), iris["target"]
model = fw.fit("sklearn.random_forest", "multiclass", {"n_estimators": 5}, X, y)
p.register_model("iris-forest", model, framework="sklearn", X_example=X,
                 algorithm="sklearn.random_forest", task="multiclass")
iris.to_csv(p.path / "iris.csv", index=False)
"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    running = Lab(tmp_path_factory.mktemp("views-lab"))
    made = subprocess.run([sys.executable, "-c", SETUP], env=running.env, capture_output=True,
                          text=True, timeout=300)
    assert made.returncode == 0, made.stderr[-3000:]
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def ui(browser, lab):
    with lab_session(browser, lab.lab_url, accept_downloads=True) as page:
        yield page


def shot(page, artifacts, name: str) -> None:
    page.mouse.move(1300, 840)
    page.screenshot(path=str(artifacts / f"views-{name}.png"))


def test_an_export_chip_downloads_the_export(ui, lab, artifacts, tmp_path):
    import joblib
    import pandas as pd

    select_project(ui, "views")
    show_tab(ui, "models").locator(".jp-hubml-model-row[data-name='iris-forest']").click()
    viewer = ui.locator(".jp-hubml-model-viewer[data-name='iris-forest']")
    chip = viewer.locator("button.jp-hubml-format[data-format='joblib']")
    expect(chip).to_be_visible()
    expect(chip).to_have_attribute("title", re.compile("joblib.load"))
    with ui.expect_download(timeout=60_000) as info:
        chip.click()
    download = info.value
    assert download.suggested_filename == "iris-forest-v1.joblib"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    iris = pd.read_csv(lab.projects / "views" / "iris.csv")
    X = iris.drop(columns=["target"])
    assert (joblib.load(target).predict(X) == iris["target"]).mean() > 0.9
    expect(viewer.locator(".jp-hubml-export-saved")).to_contain_text("iris-forest-v1.joblib")
    with ui.expect_download(timeout=60_000) as info:
        viewer.locator("button.jp-hubml-format[data-format='mlflow']").click()
    assert info.value.suggested_filename == "iris-forest-v1-mlflow.zip"
    shot(ui, artifacts, "model-exports")


def _job_view(ui, lab, spec: dict):
    started = lab.api("POST", "projects/views/jobs", json=spec)
    assert started.status_code == 201, started.text
    job_id = started.json()["id"]
    select_project(ui, "views")
    panel = show_tab(ui, "jobs")
    row = panel.locator(f".jp-hubml-job-row[data-id='{job_id}']")
    expect(row).to_be_visible(timeout=10_000)
    row.click()
    view = ui.locator(f".jp-hubml-job-viewer[data-id='{job_id}']")
    expect(view).to_be_visible()
    return job_id, view


def test_a_job_opens_in_the_main_area_with_curves_and_log(ui, lab, artifacts):
    spec = {"framework": "torch", "algorithm": "torch.linear", "task": "regression",
            "dataset": "diabetes", "target": "progression", "model_name": "diabetes-linear",
            "params": {"epochs": 40}}
    job_id, view = _job_view(ui, lab, spec)
    expect(view.locator(".jp-hubml-line-chart[data-metric='loss'] path")).to_be_visible(
        timeout=90_000)
    expect(view).to_have_attribute("data-state", "succeeded", timeout=120_000)
    names = lab.api("GET", f"projects/views/jobs/{job_id}/metrics").json()["metrics"]
    final = lab.api("GET", f"projects/views/jobs/{job_id}").json()["metrics"]
    assert names and final
    for name in names:   # every curve: its row shows the whole name, and a chart is drawn
        cell = view.locator(f".jp-hubml-job-curve-table tr[data-metric='{name}'] th")
        expect(cell).to_have_text(name)
        assert cell.evaluate("e => e.scrollWidth <= e.clientWidth"), name
        expect(view.locator(f".jp-hubml-line-chart[data-metric='{name}'] circle")).to_have_count(1)
    for name in final:   # the final evaluation's metrics, names in full
        expect(view.locator(f".jp-hubml-job-final-metrics tr[data-metric='{name}'] th")
               ).to_have_text(name)
    log = view.locator(".jp-hubml-job-log-full")
    text = lab.api("GET", f"projects/views/jobs/{job_id}").json()["log"]
    last_line = [line for line in text.splitlines() if line.strip()][-1]
    expect(log).to_contain_text(last_line.strip())
    longest = max(text.splitlines(), key=len)
    assert len(longest) > 25
    # not wrapped: the longest line is one line of the box (scrolls sideways if it must)
    assert log.evaluate("e => getComputedStyle(e).whiteSpace") == "pre"
    assert log.evaluate("e => e.clientWidth") > 600
    shot(ui, artifacts, "job-light")
    theme(lab, "JupyterLab Dark")
    try:
        open_lab(ui, lab.lab_url)
        expect(ui.locator("body")).to_have_attribute("data-jp-theme-light", "false")
        _, dark = _job_view(ui, lab, {**spec, "model_name": "diabetes-dark",
                                      "params": {"epochs": 30}})
        expect(dark.locator(".jp-hubml-line-chart[data-metric='loss'] path")).to_be_visible(
            timeout=90_000)
        expect(dark).to_have_attribute("data-state", "succeeded", timeout=120_000)
        shot(ui, artifacts, "job-dark")
    finally:
        theme(lab, "JupyterLab Light")


def test_a_running_job_follows_the_tail_and_can_be_cancelled(ui, lab, artifacts):
    spec = {"framework": "torch", "algorithm": "torch.linear", "task": "regression",
            "dataset": "diabetes", "target": "progression", "model_name": "diabetes-slow",
            "params": {"epochs": 1000, "batch_size": 1, "early_stopping": False}}
    job_id, view = _job_view(ui, lab, spec)
    expect(view).to_have_attribute("data-state", "running", timeout=60_000)
    expect(view.locator(".jp-hubml-following")).to_be_visible()
    expect(view.locator(".jp-hubml-line-chart[data-metric='loss'] path")).to_be_visible(
        timeout=60_000)
    shot(ui, artifacts, "job-running")
    view.locator(".jp-hubml-cancel-job").click()
    ui.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept").click()
    expect(view).to_have_attribute("data-state", "cancelled", timeout=30_000)


def theme(lab, name: str) -> None:
    lab.request("PUT", f"lab/api/settings/{THEMES}",
                json={"raw": f'{{"theme": "{name}"}}'}).raise_for_status()
