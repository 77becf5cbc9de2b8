"""The hubml panels in Chromium against a real ``jupyter lab`` (and one test through the hub).

One JupyterLab server and one page serve the module (JupyterLab loads once); the demo
project is made first because the templates run against it. Screenshots:
test-artifacts/browser/panels-*.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.lab_ui import (
    Terminal,
    accept_dialog,
    close_all_tabs,
    demo_lab,
    dialog,
    dismiss_dialog,
    lab_session,
    main_tab,
    new_launcher,
    open_lab,
    select_project,
    show_tab,
)

pytestmark = pytest.mark.browser

CSV = "id,age,city,income\n" + "".join(
    f"{i},{20 + i % 50},{['Paris', 'Lyon', ''][i % 3]},{'' if i % 10 == 0 else 1000 + i}\n"
    for i in range(1, 121))
# template -> the line of the file that names what it makes ("model" or "dataset")
OUTPUT = {"data-preparation": ("dataset", r'OUTPUT = \\?"([a-z0-9_-]+)'),
          "train-sklearn": ("model", r'MODEL_NAME = "([a-z0-9_-]+)"'),
          "train-keras": ("model", r'MODEL_NAME = "([a-z0-9_-]+)"'),
          "train-pytorch": ("model", r'MODEL_NAME = "([a-z0-9_-]+)"'),
          "train-h2o": ("model", r'MODEL_NAME = "([a-z0-9_-]+)"'),
          "predict": ("dataset", r'OUTPUT = "([a-z0-9_-]+)"')}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with demo_lab(tmp_path_factory.mktemp("panels-lab")) as running:
        yield running


@pytest.fixture(scope="module")
def lab_page(browser, lab):
    with lab_session(browser, lab.lab_url) as page:
        yield page


@pytest.fixture
def ui(lab_page, request, artifacts):
    """The module's page; saved to test-artifacts/browser/failures/ when a test fails."""
    yield lab_page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        (artifacts / "failures").mkdir(exist_ok=True)
        lab_page.screenshot(path=str(artifacts / "failures" / f"{name}.png"))


@pytest.fixture(scope="module")
def terminal(lab_page, lab):
    return Terminal(lab_page, lab.base / "terminal")


def shot(page, artifacts, name: str) -> None:
    page.mouse.move(1300, 840)  # no hover state in the picture
    page.screenshot(path=str(artifacts / f"panels-{name}.png"))


def test_create_a_project_in_the_ui(ui, lab, artifacts):
    panel = show_tab(ui, "projects")
    expect(panel.locator(".jp-hubml-project-row[data-name='demo']")).to_be_visible()
    panel.locator(".jp-hubml-new-project").click()
    box = dialog(ui)
    box.locator(".jp-hubml-project-name").fill("churn")
    box.locator(".jp-hubml-project-description").fill("Which customers leave, and why")
    shot(ui, artifacts, "create-project-dialog")
    accept_dialog(ui)
    row = panel.locator(".jp-hubml-project-row[data-name='churn']")
    expect(row).to_have_attribute("data-current", "true")
    expect(row).to_contain_text("Which customers leave, and why")
    expect(panel.locator(".jp-hubml-project-select")).to_have_value("churn")
    assert (lab.projects / "churn" / "hubml-project.yaml").is_file()
    # search narrows the list, and a name that is taken is refused with the server's reason
    panel.locator(".jp-hubml-search-input").fill("leave")
    expect(panel.locator(".jp-hubml-project-row")).to_have_count(1)
    panel.locator(".jp-hubml-search-input").fill("")
    panel.locator(".jp-hubml-new-project").click()
    dialog(ui).locator(".jp-hubml-project-name").fill("demo")
    expect(dialog(ui)).to_contain_text("already exists")  # as one types (tests/browser/
    expect(dialog(ui).locator(".jp-Dialog-button.jp-mod-accept")).to_be_disabled()  # dialogs)
    dismiss_dialog(ui)
    shot(ui, artifacts, "projects")


def test_upload_a_csv_and_see_its_preview(ui, lab, artifacts):
    if lab.api("GET", "projects/churn").status_code == 404:
        assert lab.api("POST", "projects", json={"name": "churn"}).status_code == 201
    select_project(ui, "churn")
    panel = show_tab(ui, "datasets")
    ui.set_input_files(".jp-hubml-file-input", files=[
        {"name": "customers.csv", "mimeType": "text/csv", "buffer": CSV.encode()}])
    expect(panel.locator(".jp-hubml-upload")).to_have_attribute("data-state", "done",
                                                                  timeout=30_000)
    expect(panel.locator(".jp-hubml-dataset-row[data-name='customers']")).to_be_visible()
    viewer = ui.locator(".jp-hubml-dataset-viewer[data-name='customers']")
    table = viewer.locator(".jp-hubml-preview-table")
    expect(table.locator("tbody tr").first).to_contain_text("Lyon")
    expect(table.locator("tbody tr")).to_have_count(50)
    expect(viewer.locator(".jp-hubml-pager-text")).to_have_text("Rows 1–50 of 120")
    viewer.locator(".jp-hubml-next").click()
    expect(viewer.locator(".jp-hubml-pager-text")).to_have_text("Rows 51–100 of 120")
    expect(table.locator("tbody tr").first.locator("td").nth(1)).to_have_text("51")
    shot(ui, artifacts, "upload-preview")
    viewer.locator(".jp-hubml-tab[data-tab='schema']").click()
    income = viewer.locator(".jp-hubml-schema-table tr[data-column='income']")
    expect(income.locator(".jp-hubml-missing")).to_have_attribute("data-missing", "12")
    shot(ui, artifacts, "schema")
    viewer.locator(".jp-hubml-tab[data-tab='lineage']").click()
    expect(viewer.locator(".jp-hubml-lineage-source")).to_contain_text("customers.csv")
    # drag and drop a second file onto the Datasets tab
    ui.evaluate("""text => {
        const target = document.querySelector('.jp-hubml-dropzone');
        const data = new DataTransfer();
        data.items.add(new File([text], 'scores.csv', {type: 'text/csv'}));
        for (const type of ['dragenter', 'dragover', 'drop']) {
          target.dispatchEvent(new DragEvent(type, {dataTransfer: data, bubbles: true,
                                                    cancelable: true}));
        }
    }""", "student,score\nana,9\nben,7\n")
    expect(panel.locator(".jp-hubml-dataset-row[data-name='scores']")).to_be_visible(
        timeout=30_000)
    expect(ui.locator(".jp-hubml-dataset-viewer[data-name='scores'] .jp-hubml-preview-table")
           ).to_contain_text("ana")
    # "Open in Data Studio" makes and runs a notebook: tests/browser/test_open_widgets.py
    close_all_tabs(ui)


@pytest.mark.parametrize("template", list(OUTPUT))
def test_script_from_a_template_runs_in_a_terminal(ui, lab, terminal, artifacts, template):
    select_project(ui, "demo")
    new_launcher(ui).locator(".jp-LauncherCard[data-category='hubml']",
                             has_text="New script").click()
    box = dialog(ui)
    box.locator(f".jp-hubml-template[data-template='{template}']").click()
    expect(box.locator(".jp-hubml-script-name")).to_have_value(template)
    box.locator(".jp-hubml-script-dataset").select_option("breast-cancer")
    box.locator(".jp-hubml-script-target").select_option("diagnosis")
    if template == "train-sklearn":
        shot(ui, artifacts, "template-picker")
    accept_dialog(ui)
    kind = "notebook" if template == "data-preparation" else "script"
    relative = (f"notebooks/{template}.ipynb" if kind == "notebook"
                else f"scripts/{template}.py")
    expect(main_tab(ui, relative.split("/")[1])).to_be_visible()  # opened for editing
    text = (lab.projects / "demo" / relative).read_text()
    what, pattern = OUTPUT[template]
    made = re.search(pattern, text).group(1)

    panel = show_tab(ui, "models" if what == "model" else "datasets")
    row = panel.locator(f".jp-hubml-{what}-row[data-name='{made}']")
    path = f"projects/demo/{relative}"
    # a script says how to run it from any folder; a notebook runs in its own folder
    command = (f"jupyter execute {path}" if kind == "notebook"
               else re.search(r"^ {4}(python .+)$", text, re.MULTILINE).group(1))
    log, rc = terminal.run(template, command)
    Terminal.wait(template, log, rc, timeout=300)
    expect(row).to_be_visible(timeout=2_500)  # the panel polls: within 2 s of the script's end
    if what == "model":
        row.click()
        viewer = ui.locator(f".jp-hubml-model-viewer[data-name='{made}']")
        expect(viewer.locator(".jp-hubml-model-version-detail")).to_be_visible()
        expect(viewer.locator(".jp-hubml-metrics")).to_be_visible()
        terminal.show()
    shot(ui, artifacts, f"template-{template}")


def test_set_an_alias_on_a_model(ui, lab, artifacts):
    select_project(ui, "demo")
    panel = show_tab(ui, "models")
    panel.locator(".jp-hubml-model-row[data-name='iris-random-forest']").click()
    viewer = ui.locator(".jp-hubml-model-viewer[data-name='iris-random-forest']")
    expect(viewer.locator(".jp-hubml-model-version-detail")).to_be_visible()
    viewer.locator(".jp-hubml-alias-input").fill("staging")
    viewer.locator(".jp-hubml-set-alias").click()
    chip = viewer.locator(".jp-hubml-aliases .jp-hubml-alias[data-alias='staging']")
    expect(chip).to_have_attribute("data-version", "1")
    expect(panel.locator(".jp-hubml-model-row[data-name='iris-random-forest'] "
                         ".jp-hubml-alias[data-alias='staging']")).to_be_visible(timeout=3_000)
    aliases = lab.api("GET", "projects/demo/models/iris-random-forest").json()["aliases"]
    assert aliases["staging"] == 1
    shot(ui, artifacts, "model-alias")
    chip.locator(".jp-hubml-remove-alias").click()
    expect(chip).to_have_count(0)
    assert "staging" not in lab.api("GET", "projects/demo/models/iris-random-forest"
                                    ).json()["aliases"]
    # outside a hub, Serve says what deployments need and starts nothing
    viewer.locator(".jp-hubml-serve").click()
    expect(dialog(ui)).to_contain_text("deployments need JupyterHub")
    dismiss_dialog(ui)


def test_jobs_show_state_and_curves_and_cancel(ui, lab, artifacts):
    spec = {"framework": "torch", "algorithm": "torch.linear", "task": "regression",
            "dataset": "diabetes", "target": "progression", "model_name": "diabetes-job"}
    done = lab.api("POST", "projects/demo/jobs", json={**spec, "params": {"epochs": 40}})
    assert done.status_code == 201, done.text
    select_project(ui, "demo")
    panel = show_tab(ui, "jobs")
    row = panel.locator(f".jp-hubml-job-row[data-id='{done.json()['id']}']")
    expect(row).to_be_visible(timeout=5_000)
    row.click()
    expect(panel.locator(".jp-hubml-sparkline[data-metric='loss'] path")).to_be_visible(
        timeout=60_000)
    expect(row).to_have_attribute("data-state", "succeeded", timeout=120_000)
    shot(ui, artifacts, "jobs")
    slow = lab.api("POST", "projects/demo/jobs",
                   json={**spec, "model_name": "diabetes-slow",
                         "params": {"epochs": 1000, "batch_size": 1, "early_stopping": False}})
    assert slow.status_code == 201, slow.text
    slow_row = panel.locator(f".jp-hubml-job-row[data-id='{slow.json()['id']}']")
    expect(slow_row).to_have_attribute("data-state", "running", timeout=30_000)
    # the server runs one job at a time: the next one waits, showing its place in the queue
    waiting = lab.api("POST", "projects/demo/jobs", json={**spec, "model_name": "diabetes-wait"})
    assert waiting.status_code == 201 and waiting.json()["queue_position"] == 1, waiting.text
    waiting_row = panel.locator(f".jp-hubml-job-row[data-id='{waiting.json()['id']}']")
    expect(waiting_row).to_have_attribute("data-state", "queued", timeout=10_000)
    expect(waiting_row.locator(".jp-hubml-queue-position")).to_have_text(
        re.compile(r"#1 in queue"), timeout=10_000)
    cancel = lab.api("POST", f"projects/demo/jobs/{waiting.json()['id']}/cancel")
    assert cancel.status_code == 200 and cancel.json()["state"] == "cancelled", cancel.text
    expect(waiting_row).to_have_attribute("data-state", "cancelled", timeout=10_000)
    expect(waiting_row.locator(".jp-hubml-queue-position")).to_have_count(0)
    slow_row.click()
    panel.locator(".jp-hubml-cancel-job").click()
    accept_dialog(ui)
    expect(slow_row).to_have_attribute("data-state", "cancelled", timeout=20_000)


def test_dark_theme(ui, lab, artifacts):
    theme = "@jupyterlab/apputils-extension:themes"
    lab.request("PUT", f"lab/api/settings/{theme}",
                json={"raw": '{"theme": "JupyterLab Dark"}'}).raise_for_status()
    try:
        open_lab(ui, lab.lab_url)
        expect(ui.locator("body")).to_have_attribute("data-jp-theme-light", "false")
        select_project(ui, "demo")
        show_tab(ui, "datasets").locator(".jp-hubml-dataset-row[data-name='iris']").click()
        expect(ui.locator(".jp-hubml-preview-table")).to_be_visible()
        shot(ui, artifacts, "dark-datasets")
        show_tab(ui, "models").locator(".jp-hubml-model-row").first.click()
        expect(ui.locator(".jp-hubml-model-version-detail")).to_be_visible()
        shot(ui, artifacts, "dark-models")
    finally:
        lab.request("PUT", f"lab/api/settings/{theme}",
                    json={"raw": '{"theme": "JupyterLab Light"}'})


HUB_PASSWORD = "correct-horse-42"


def test_through_the_hub_a_user_sees_their_projects(hub, page, artifacts):
    hub.add_user("paula", HUB_PASSWORD)
    hub.spawn("paula", {"profile": "sklearn"})
    try:
        for name, description in [("churn", "Customers who leave"), ("pricing", "")]:
            r = hub.user_api("paula", "hubml/api/projects", "POST",
                             json={"name": name, "description": description})
            # paula's system account (and home) outlives a test run: her projects may exist
            assert r.status_code in (201, 409), r.text
        r = hub.user_api("paula", "hubml/api/projects/churn/datasets", "POST",
                         params={"filename": "customers.csv"}, data=CSV.encode())
        # 200 "unchanged" when an earlier run left the same data in her project
        assert r.status_code == 201 or (r.status_code == 200 and r.json()["unchanged"]), r.text
        page.goto(f"{hub.url}/hub/login")
        page.fill("#username_input", "paula")
        page.fill("#password_input", HUB_PASSWORD)
        page.click("#login_submit")
        page.wait_for_url(re.compile(r"/(hub/home|user/paula)"))
        open_lab(page, f"{hub.url}/user/paula/lab?reset")
        panel = show_tab(page, "projects")
        rows = panel.locator(".jp-hubml-project-row")
        expect(panel.locator(".jp-hubml-project-row[data-name='churn']")).to_contain_text(
            "Customers who leave")
        names = set(rows.evaluate_all("els => els.map(e => e.dataset.name)"))
        assert {"churn", "pricing"} <= names, names
        select_project(page, "pricing")
        expect(show_tab(page, "datasets").locator(".jp-hubml-empty")).to_contain_text("pricing")
        select_project(page, "churn")
        show_tab(page, "datasets").locator(".jp-hubml-dataset-row[data-name='customers']").click()
        expect(page.locator(".jp-hubml-preview-table")).to_contain_text("Lyon")
        show_tab(page, "projects")
        shot(page, artifacts, "hub-projects")
        show_tab(page, "environment")
        expect(panel.locator(".jp-hubml-profile-name")).to_have_attribute("data-profile",
                                                                          "sklearn")
    finally:
        hub.stop_server("paula")
