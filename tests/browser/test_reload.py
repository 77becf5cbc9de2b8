"""The sidebar's first load in Chromium against a real ``jupyter lab``: reopened by the layout
restorer after a reload it shows the projects every time (it used to stay on "Loading…" with
the picker at "(none)" about once in ten reloads), and the refresh button recovers from a
failed load."""

from __future__ import annotations

import json
import re
import time

import pytest
from playwright.sync_api import expect

from tests.support.lab import Lab
from tests.support.lab_ui import LAB_TIMEOUT, open_lab, open_panel

pytestmark = pytest.mark.browser

RELOADS = 12
PROJECTS_URL = re.compile(r".*/hubml/api/projects(\?.*)?$")  # GET projects, any query
PROJECTS = ("alpha", "beta")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    running = Lab(tmp_path_factory.mktemp("reload-lab")).start()
    try:
        for name in PROJECTS:
            r = running.api("POST", "projects", json={"name": name})
            assert r.status_code == 201, r.text
        yield running
    finally:
        running.stop()


def _panel_saved_open(lab: Lab) -> bool:
    """Whether JupyterLab saved a layout with the hubml panel open in the left area."""
    r = lab.request("GET", "lab/api/workspaces/default")
    if r.status_code != 200:
        return False
    left = r.json().get("data", {}).get("layout-restorer:data", {}).get("left", {})
    return left.get("current") == "hubml-panel" and not left.get("collapsed", False)


def _wait_for_saved_layout(lab: Lab, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not _panel_saved_open(lab):
        if time.monotonic() > deadline:
            r = lab.request("GET", "lab/api/workspaces/default")
            raise AssertionError(f"the layout with the panel open was never saved: "
                                 f"{json.dumps(r.json())[:2000] if r.ok else r.status_code}")
        time.sleep(0.2)


def test_the_panel_shows_the_projects_after_every_reload(page, lab):
    open_lab(page, lab.lab_url)  # a fresh layout; open_lab opens the panel
    panel = page.locator("#hubml-panel")
    expect(panel.locator(".jp-hubml-project-row[data-name='alpha']")).to_be_visible()
    _wait_for_saved_layout(lab)
    for reload in range(RELOADS):
        page.goto(f"{lab.url}/lab")  # no ?reset: the layout restorer reopens the panel
        expect(page.locator(".jp-LabShell")).to_be_visible(timeout=LAB_TIMEOUT)
        expect(panel).to_be_visible()  # restored open, nobody clicked its tab
        for name in PROJECTS:
            expect(panel.locator(f".jp-hubml-project-row[data-name='{name}']")).to_be_visible()
        expect(panel.locator(".jp-hubml-project-select")).not_to_have_value("")
        expect(panel.locator(".jp-hubml-projects .jp-hubml-muted",
                             has_text="Loading")).to_have_count(0)
        assert panel.locator(".jp-hubml-project-row").count() == len(PROJECTS), reload


def test_the_refresh_button_recovers_from_a_failed_load(page, lab):
    failed = []

    def drop(route):  # the connection fails, as when the server is briefly unreachable
        failed.append(route.request.url)
        route.abort("connectionrefused")

    page.route(PROJECTS_URL, drop)
    open_lab(page, lab.lab_url)
    panel = open_panel(page)
    error = panel.locator(".jp-hubml-projects .jp-hubml-error")
    expect(error).to_contain_text("Could not load the projects")
    assert failed
    page.unroute(PROJECTS_URL)
    panel.locator(".jp-hubml-refresh-all").click()
    expect(panel.locator(".jp-hubml-project-row[data-name='alpha']")).to_be_visible()
    expect(error).to_have_count(0)
    expect(panel.locator(".jp-hubml-project-select")).not_to_have_value("")
