"""Uploading under an existing name in Chromium against a real ``jupyter lab``: the same file
again says the dataset is unchanged; a file with other columns opens a dialog listing the
differences, and saving it makes version 2. Screenshots: test-artifacts/browser/upload-*.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.lab import Lab
from tests.support.lab_ui import dialog, lab_session, select_project, show_tab

pytestmark = pytest.mark.browser

# an R export (unnamed row numbers first), NA strings, ISO dates, free text
PENGUINS = ('"","species","island","bill_length_mm","sex","year","observed","comments"\n'
            + "".join(f'"{i}","{["Adelie", "Gentoo", "Chinstrap"][i % 3]}","Biscoe",'
                      f'{"NA" if i % 7 == 0 else 38 + i % 12},{"NA" if i % 5 == 0 else "male"},'
                      f'{2007 + i % 3},2008-11-{1 + i % 28:02d},'
                      f'{"NA" if i % 4 else chr(34) + "Nest " + str(i) + ", see notes" + chr(34)}'
                      "\n" for i in range(1, 61)))
# a later export: sex dropped, body mass added, year written as text
PENGUINS_V2 = ('"","species","island","bill_length_mm","body_mass_g","year","observed",'
               '"comments"\n'
               + "".join(f'"{i}","Adelie","Dream",{39 + i % 9}.{i % 10},{3500 + 10 * i},'
                         f'"y{2007 + i % 3}",2009-11-{1 + i % 28:02d},"Nest {i}"\n'
                         for i in range(1, 41)))


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    running = Lab(tmp_path_factory.mktemp("upload-lab"))
    running.start()
    try:
        assert running.api("POST", "projects", json={"name": "penguins"}).status_code == 201
        yield running
    finally:
        running.stop()


@pytest.fixture
def ui(browser, lab, artifacts, request):
    with lab_session(browser, lab.lab_url) as page:
        yield page
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            (artifacts / "failures").mkdir(exist_ok=True)
            page.screenshot(path=str(artifacts / "failures" / f"{request.node.name}.png"))


def _upload(page, name: str, text: str) -> None:
    page.set_input_files(".jp-hubml-file-input", files=[
        {"name": name, "mimeType": "text/csv", "buffer": text.encode()}])


def _versions(lab) -> list[int]:
    answer = lab.api("GET", "projects/penguins/datasets/penguins-raw").json()
    return [v["version"] for v in answer["versions"]]


def test_same_file_is_unchanged_and_other_columns_ask_first(ui, lab, artifacts):
    select_project(ui, "penguins")
    panel = show_tab(ui, "datasets")
    status = panel.locator(".jp-hubml-upload")

    _upload(ui, "penguins-raw.csv", PENGUINS)
    expect(status).to_have_attribute("data-state", "done", timeout=30_000)
    expect(status).to_contain_text("Saved penguins-raw.csv as version 1 of penguins-raw")
    expect(status.locator(".jp-hubml-upload-note")).to_contain_text(
        "dropped the unnamed first column")
    expect(panel.locator(".jp-hubml-dataset-row[data-name='penguins-raw']")).to_be_visible()
    columns = [c["name"] for c in lab.api(
        "GET", "projects/penguins/datasets/penguins-raw/versions/1").json()["columns"]]
    assert columns[0] == "species" and "Unnamed: 0" not in columns

    # the same file again: a notification, no version 2
    _upload(ui, "penguins-raw.csv", PENGUINS)
    toast = ui.locator(".Toastify__toast", has_text="is unchanged")
    expect(toast).to_be_visible(timeout=30_000)
    expect(toast).to_contain_text("version 1 already holds the data of penguins-raw.csv")
    expect(status).to_contain_text("is unchanged: version 1 of penguins-raw")
    ui.mouse.move(1300, 840)
    ui.screenshot(path=str(artifacts / "upload-unchanged.png"))
    assert _versions(lab) == [1]

    # other columns under the same name: the dialog lists them; Cancel saves nothing
    _upload(ui, "penguins-raw.csv", PENGUINS_V2)
    box = dialog(ui)
    expect(box.locator(".jp-Dialog-header")).to_contain_text("penguins-raw version 1")
    rows = box.locator(".jp-hubml-schema-diff-table tbody tr")
    expect(rows).to_have_count(3)
    expect(box.locator("tr[data-change='added']")).to_contain_text("body_mass_g")
    expect(box.locator("tr[data-change='added']")).to_contain_text("int64")
    expect(box.locator("tr[data-change='removed']")).to_contain_text("sex")
    changed = box.locator("tr[data-change='changed']")
    expect(changed).to_contain_text("year")
    expect(changed).to_contain_text("int64")
    expect(box.locator(".jp-Dialog-button.jp-mod-accept")).to_have_text("Save as new version")
    ui.mouse.move(1300, 840)
    box.screenshot(path=str(artifacts / "upload-schema-dialog.png"))
    ui.screenshot(path=str(artifacts / "upload-schema-dialog-page.png"))
    box.locator(".jp-Dialog-button", has_text="Cancel").click()
    expect(box).to_have_count(0)
    expect(status).to_have_attribute("data-state", "cancelled")
    assert _versions(lab) == [1]

    # again, and save it: version 2
    _upload(ui, "penguins-raw.csv", PENGUINS_V2)
    box = dialog(ui)
    box.locator(".jp-Dialog-button.jp-mod-accept").click()
    expect(box).to_have_count(0)
    expect(status).to_have_attribute("data-state", "done", timeout=30_000)
    expect(status).to_contain_text(re.compile(r"as version 2 of penguins-raw"))
    assert _versions(lab) == [1, 2]
    row = panel.locator(".jp-hubml-dataset-row[data-name='penguins-raw']")
    expect(row).to_contain_text("v2")
    ui.mouse.move(1300, 840)
    ui.screenshot(path=str(artifacts / "upload-version-2.png"))
