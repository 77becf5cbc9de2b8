"""Opening the hubml widgets from the panels in Chromium against a real ``jupyter lab`` with
the demo project: "Open in Data Studio" and "Open Training Form" create a notebook in the
project (a new name each time), open it in a kernel and run it, so the widget shows; "Open
Model Card" opens the model card's Voila page in a new tab. Screenshots:
test-artifacts/browser/widgets-*.png."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from playwright.sync_api import expect

from tests.support.lab import BIN
from tests.support.lab_ui import (
    close_all_tabs,
    demo_lab,
    lab_session,
    main_tab,
    select_project,
    show_tab,
)

pytestmark = pytest.mark.browser

RUN_TIMEOUT = 120_000  # ms: a kernel starts, imports hubml and the widget


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with demo_lab(tmp_path_factory.mktemp("widgets-lab")) as running:
        yield running


@pytest.fixture(scope="module")
def ui(browser, lab):
    with lab_session(browser, lab.lab_url) as page:
        select_project(page, "demo")
        yield page


def shot(page, artifacts, name: str) -> None:
    page.mouse.move(1300, 850)
    page.screenshot(path=str(artifacts / f"widgets-{name}.png"))


def context_menu(page, row, label: str) -> None:
    row.click(button="right")
    page.locator(".lm-Menu-item:visible", has_text=label).first.click()


def wait_until_run(page, cells: int) -> None:
    """Every code cell of the notebook shown got an execution count, and the kernel is idle."""
    notebook = page.locator(".jp-NotebookPanel:visible")
    prompts = notebook.locator(".jp-CodeCell .jp-InputArea-prompt")
    expect(prompts).to_have_count(cells)
    for i in range(cells):
        expect(prompts.nth(i)).to_have_text(re.compile(r"\[\d+\]:"), timeout=RUN_TIMEOUT)
    expect(page.get_by_role("contentinfo", name="Bottom Panel")).to_contain_text(
        "| Idle", timeout=RUN_TIMEOUT)


def widget_shown(page, widget: str) -> None:
    """The last cell shows the widget: an ipywidgets view and no error in its output."""
    output = page.locator(".jp-NotebookPanel:visible .jp-CodeCell").last.locator(
        ".jp-OutputArea-output")
    expect(output.locator(".jupyter-widgets, .widget-box, .lm-Widget.jupyter-widgets").first
           ).to_be_visible(timeout=RUN_TIMEOUT)
    errors = page.locator(".jp-NotebookPanel:visible "
                          ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, errors.all_inner_texts()


def save_and_close(page, lab) -> None:
    """Save the notebooks run (no "unsaved changes" question), close them, stop their kernels."""
    page.locator(".lm-MenuBar-itemLabel", has_text="File").click()
    page.locator(".lm-Menu-itemLabel", has_text="Save All").click()
    expect(page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-dirty")).to_have_count(0)
    close_all_tabs(page)
    for session in lab.server_api("GET", "sessions").json():
        lab.server_api("DELETE", f"sessions/{session['id']}")


def notebook_cells(path) -> list[str]:
    return ["".join(c["source"]) for c in json.loads(path.read_text())["cells"]
            if c["cell_type"] == "code"]


def test_open_in_data_studio_from_the_datasets_panel(ui, lab, artifacts):
    panel = show_tab(ui, "datasets")
    row = panel.locator(".jp-hubml-dataset-row[data-name='iris']")
    context_menu(ui, row, "Open in Data Studio")
    expect(main_tab(ui, "data-studio-iris.ipynb")).to_be_visible(timeout=30_000)
    path = lab.projects / "demo" / "notebooks" / "data-studio-iris.ipynb"
    cells = notebook_cells(path)
    assert cells[-1] == 'hubml.widgets.DataStudio(p, p.dataset("iris").version(1))'
    wait_until_run(ui, len(cells))
    shot(ui, artifacts, "data-studio")
    widget_shown(ui, "DataStudio")
    # again, from the dataset viewer's button: a new notebook, the first one kept
    save_and_close(ui, lab)
    saved = json.loads(path.read_text())["cells"][-1]
    assert saved["execution_count"] and saved["outputs"]  # it ran, and was saved
    show_tab(ui, "datasets").locator(".jp-hubml-dataset-row[data-name='iris']").click()
    ui.locator(".jp-hubml-dataset-viewer:visible .jp-hubml-open-data-studio").click()
    expect(main_tab(ui, "data-studio-iris-2.ipynb")).to_be_visible(timeout=30_000)
    assert path.is_file()
    wait_until_run(ui, len(cells))
    widget_shown(ui, "DataStudio")
    save_and_close(ui, lab)


def test_open_training_form_from_the_datasets_panel(ui, lab, artifacts):
    panel = show_tab(ui, "datasets")
    row = panel.locator(".jp-hubml-dataset-row[data-name='breast-cancer']")
    context_menu(ui, row, "Open Training Form")
    expect(main_tab(ui, "training-form-breast-cancer.ipynb")).to_be_visible(timeout=30_000)
    path = lab.projects / "demo" / "notebooks" / "training-form-breast-cancer.ipynb"
    cells = notebook_cells(path)
    assert cells[-1] == 'hubml.widgets.TrainingForm(p, dataset="breast-cancer")'
    wait_until_run(ui, len(cells))
    shot(ui, artifacts, "training-form")
    widget_shown(ui, "TrainingForm")
    save_and_close(ui, lab)


def test_open_model_card_opens_voila_in_a_new_tab(ui, lab, artifacts):
    panel = show_tab(ui, "models")
    panel.locator(".jp-hubml-model-row[data-name='iris-random-forest']").click()
    viewer = ui.locator(".jp-hubml-model-viewer[data-name='iris-random-forest']")
    expect(viewer.locator(".jp-hubml-model-version-detail")).to_be_visible()
    with ui.context.expect_page() as opened:
        viewer.locator(".jp-hubml-open-model-card").click()
    card = opened.value
    card.wait_for_url(re.compile(r"/voila/render/.*model_card\.ipynb\?"), timeout=30_000)
    assert "project=demo" in card.url and "model=iris-random-forest" in card.url, card.url
    expect(card.locator("body")).to_contain_text("iris-random-forest", timeout=RUN_TIMEOUT)
    expect(card.locator("body")).not_to_contain_text("Traceback")
    card.wait_for_timeout(1500)  # let the charts draw
    card.screenshot(path=str(artifacts / "widgets-model-card-tab.png"))
    card.close()
    close_all_tabs(ui)


def test_deployments_outside_a_hub_say_why(ui, lab, artifacts):
    panel = show_tab(ui, "models")
    answer = lab.api("GET", "projects/demo/deployments")
    assert answer.status_code == 409, answer.text
    message = answer.json()["error"]["message"]
    expect(panel.locator(".jp-hubml-deployments-unavailable")).to_have_text(message)
    shot(ui, artifacts, "deployments-no-hub")
    panel.locator(".jp-hubml-model-row[data-name='iris-random-forest']").click()
    ui.locator(".jp-hubml-model-viewer:visible .jp-hubml-serve").click()
    box = ui.locator(".jp-Dialog")
    expect(box).to_contain_text("Could not serve the model")
    expect(box).to_contain_text(message)
    box.locator(".jp-Dialog-button").first.click()
    expect(box).to_have_count(0)
    close_all_tabs(ui)


def test_runs_that_code_logged_show_beside_the_jobs(ui, lab, artifacts):
    script = ("import hubml\n"
              "p = hubml.project('demo')\n"
              "with p.start_run('my-own-run') as run:\n"
              "    run.log_params({'alpha': 0.1})\n"
              "    for step in range(6):\n"
              "        run.log_metric('loss', 1 / (step + 1), step=step)\n")
    done = subprocess.run([str(BIN / "python"), "-c", script], env=lab.env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    panel = show_tab(ui, "jobs")
    row = panel.locator(".jp-hubml-run-row[data-name='my-own-run']")
    expect(row).to_be_visible(timeout=15_000)  # the panel sees the MLflow store change
    expect(row).to_contain_text("loss 0.1667")
    row.click()
    view = ui.locator(".jp-hubml-run-viewer:visible")
    metric = view.locator(".jp-hubml-run-metrics tr[data-metric='loss']")
    expect(metric.locator("td").nth(0)).to_have_text("5")  # the last step
    expect(metric.locator("td").nth(2)).to_have_text("6")  # points
    expect(view.locator(".jp-hubml-run-params")).to_contain_text("alpha")
    expect(view.locator(".jp-hubml-run-curves svg").first).to_be_visible()
    shot(ui, artifacts, "run-view")
    close_all_tabs(ui)
