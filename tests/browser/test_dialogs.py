"""The New project and New script dialogs in Chromium against a real ``jupyter lab``.

New project checks the name as one types with the server's rule (GET status "names"), shows
why under the field, disables Create while the name cannot be used, and keeps what was typed
when the server refuses it. New script offers the project's datasets and the chosen one's
columns, defaulting to the dataset created last. Screenshots:
test-artifacts/browser/dialogs-*.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.lab import Lab
from tests.support.lab_ui import dialog, new_launcher, open_lab, select_project, show_tab

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1366, "height": 860}
CSV = "bill_mm,island,comments,date_egg,species\n" + "".join(
    f"{'NA' if i % 9 == 0 else 40 + i % 7},{['Biscoe', 'Dream', ''][i % 3]},note {i},"
    f"2008-11-{1 + i % 28:02d},{['Adelie', 'Gentoo'][i % 2]}\n" for i in range(1, 61))


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    running = Lab(tmp_path_factory.mktemp("dialogs-lab")).start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def console(browser):
    return []


@pytest.fixture(scope="module")
def ui(browser, lab, console):
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    open_lab(page, lab.lab_url)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(autouse=True)
def failure_shot(request, artifacts):
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed and "ui" in request.fixturenames:
        page = request.getfixturevalue("ui")
        (artifacts / "failures").mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        page.screenshot(path=str(artifacts / "failures" / f"{name}.png"))


def shot(page, artifacts, name: str) -> None:
    page.mouse.move(1300, 840)  # no hover state in the picture
    page.screenshot(path=str(artifacts / f"dialogs-{name}.png"))


def test_new_project_checks_the_name_as_one_types_and_keeps_it(ui, lab, console, artifacts):
    assert lab.api("POST", "projects", json={"name": "taken"}).status_code == 201
    panel = show_tab(ui, "projects")
    expect(panel.locator(".jp-hubml-project-row[data-name='taken']")).to_be_visible()
    panel.locator(".jp-hubml-new-project").click()
    box = dialog(ui)
    name = box.locator(".jp-hubml-project-name")
    create = box.locator(".jp-Dialog-button.jp-mod-accept")
    help_text = box.locator("#jp-hubml-project-name-help")
    expect(create).to_be_disabled()                      # nothing typed yet
    name.press_sequentially("My Churn")
    expect(help_text).to_have_class(re.compile("jp-hubml-field-error"))
    expect(help_text).to_contain_text("lower-case letters")
    expect(create).to_be_disabled()
    box.locator(".jp-hubml-project-description").fill("Who leaves, and why")
    shot(ui, artifacts, "new-project-invalid")
    name.press("Enter")                                  # refused while invalid
    expect(box).to_be_visible()
    name.fill("")
    name.press_sequentially("my-churn_2")
    expect(help_text).not_to_have_class(re.compile("jp-hubml-field-error"))
    expect(create).to_be_enabled()
    name.fill("taken")                                   # known to the panel: said at once
    expect(help_text).to_contain_text("already exists")
    expect(create).to_be_disabled()
    # a name the panel cannot know yet is taken: the server's 409 keeps what was typed
    assert lab.api("POST", "projects", json={"name": "late-comer"}).status_code == 201
    name.fill("late-comer")
    expect(create).to_be_enabled()
    create.click()
    box = dialog(ui)
    expect(box.locator("#jp-hubml-project-name-help")).to_contain_text("already exists")
    expect(box.locator(".jp-hubml-project-name")).to_have_value("late-comer")
    expect(box.locator(".jp-hubml-project-description")).to_have_value("Who leaves, and why")
    shot(ui, artifacts, "new-project-taken")
    box.locator(".jp-hubml-project-name").fill("penguins")
    box.locator(".jp-Dialog-button.jp-mod-accept").click()
    expect(ui.locator(".jp-Dialog")).to_have_count(0)
    row = panel.locator(".jp-hubml-project-row[data-name='penguins']")
    expect(row).to_have_attribute("data-current", "true")
    assert (lab.projects / "penguins" / "hubml-project.yaml").is_file()
    bad = [line for line in console if "pattern" in line.lower() or "regular expression"
           in line.lower()]
    assert bad == [], bad


def test_new_script_offers_the_projects_datasets_and_columns(ui, lab, artifacts):
    for name, text in (("older", "a,b\n1,x\n2,y\n"), ("penguins-raw", CSV)):
        answer = lab.api("POST", "projects/penguins/datasets", params={"name": name},
                         files={"file": (f"{name}.csv", text.encode(), "text/csv")})
        assert answer.status_code == 201, answer.text
    select_project(ui, "penguins")
    show_tab(ui, "datasets")
    new_launcher(ui).locator(".jp-LauncherCard[data-category='hubml']",
                             has_text="New script").click()
    box = dialog(ui)
    box.locator(".jp-hubml-template[data-template='train-sklearn']").click()
    dataset = box.locator(".jp-hubml-script-dataset")
    target = box.locator(".jp-hubml-script-target")
    expect(dataset).to_have_value("penguins-raw")         # created last
    expect(target).to_have_value("species")               # the last column
    expect(target.locator("option")).to_have_count(5)
    target.select_option("island")
    shot(ui, artifacts, "new-script")
    box.locator(".jp-Dialog-button.jp-mod-accept").click()
    expect(ui.locator(".jp-Dialog")).to_have_count(0)
    script = lab.projects / "penguins" / "scripts" / "train-sklearn.py"
    expect(ui.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text="train-sklearn.py")
           ).to_be_visible()
    text = script.read_text()
    assert 'DATASET = "penguins-raw"' in text and 'TARGET = "island"' in text
