"""A published dashboard through the real hub, in Chromium, as the people it is shared with
see it: a member of the group opens its URL, logs in on the hub's login page and gets the
Voila page (its widgets answer, no JupyterLab); a non-member logged in is refused; an
anonymous visitor ends on the login page.

The hub, the owner's project and the published ``dash-hello`` come from
tests/hub/test_deployments.py (its module-scoped fixtures, imported: one hub for this
module). Screenshots: test-artifacts/published/.
"""

from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import Page, expect

from tests.hub import test_deployments as deployments
from tests.hub.test_deployments import MEMBER, OUTSIDER, OWNER, PASSWORD, PROJECT, api
from tests.support.hub import REPO

pytestmark = [pytest.mark.browser, pytest.mark.hub]

# the deployments module's fixtures, by name: its hub (dora owns the dashboard, mia is in
# analysts, nick is not), the project and the published dash-hello
hub, project, dashboard = deployments.hub, deployments.project, deployments.dashboard

SHOTS = REPO / "test-artifacts" / "published"
PAGE_TIMEOUT = 90_000  # ms: the page's kernel starts on the first visit
NOTEBOOK = "dashboards/hello.ipynb"


@pytest.fixture(scope="module")
def shots():
    shutil.rmtree(SHOTS, ignore_errors=True)  # only this run's pictures
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


@pytest.fixture(scope="module")
def shared(hub, dashboard):
    """dash-hello shared with the group analysts (the member is in it, the outsider not)."""
    r = api(hub, f"projects/{PROJECT}/deployments/dash-hello/shares", "PUT",
            json={"groups": ["analysts"]})
    assert r.status_code == 200, r.text
    assert r.json()["shared_with"] == {"users": [], "groups": ["analysts"]}
    # the deployment's URL as published: the server's root, which opens its Voila page
    return f"{hub.url}/user/{OWNER}/dash-hello/"


def log_in_on_the_hub_page(page: Page, user: str) -> None:
    expect(page.locator("#login_submit")).to_be_visible()
    page.fill("#username_input", user)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")


def accept_authorization(page: Page) -> None:
    """A shared server asks a visitor once to let it know who they are (the hub's OAuth
    page): accept it as a person would."""
    page.wait_for_load_state()
    if "/hub/api/oauth2/authorize" in page.url:
        page.locator("form button[type=submit], form input[type=submit]").first.click()


# JupyterLab's chrome: menus, side bars, file browser, notebook toolbar, code editors
LAB_CHROME = ("#jp-top-panel, #jp-menu-panel, .jp-SideBar, .jp-FileBrowser, "
              ".jp-NotebookPanel-toolbar, .jp-Launcher, .cm-editor, .jp-InputArea-editor")


def assert_no_jupyterlab(page: Page) -> None:
    """Voila 0.5's own page shell (VoilaShell) carries the class jp-LabShell too, with its
    #voila-top-panel; any jp-LabShell on the page must be that one, and none of
    JupyterLab's UI may be there."""
    shells = page.locator(".jp-LabShell")
    expect(shells).to_have_count(page.locator(".jp-LabShell:has(#voila-top-panel)").count())
    expect(page.locator(LAB_CHROME)).to_have_count(0)


def test_a_group_member_logs_in_and_uses_the_page_without_jupyterlab(hub, shared, page,
                                                                     shots):
    page.set_default_timeout(PAGE_TIMEOUT)
    page.goto(shared)
    # not logged in yet: the hub's login page, which brings them back to the dashboard
    page.wait_for_url(re.compile(r"/hub/login"))
    log_in_on_the_hub_page(page, MEMBER)
    accept_authorization(page)
    page.wait_for_url(re.compile(rf"/user/{OWNER}/dash-hello/voila/render/{NOTEBOOK}"
                                 r"\?model=churn"))
    expect(page.get_by_role("heading", name="Deployed page")).to_be_visible()
    expect(page.get_by_text("page for model=churn")).to_be_visible()
    slider = page.locator(".widget-slider").first
    label = page.locator(".widget-label", has_text=re.compile(r"^(none|got \d+)$")).first
    expect(slider).to_be_visible()
    expect(label).to_have_text("none")
    expect(page.locator("#voila-top-panel")).to_have_count(1)  # Voila's own page shell
    assert_no_jupyterlab(page)
    # the widget answers: the kernel's observer writes the slider's new value into the label
    handle = slider.locator(".noUi-handle").first
    handle.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(label).to_have_text("got 3")
    expect(slider.locator(".widget-readout")).to_have_text("3")
    page.mouse.move(5, 5)
    page.screenshot(path=str(shots / "member-view.png"), full_page=True)
    # a narrow screen shows the same page
    page.set_viewport_size({"width": 390, "height": 760})
    expect(label).to_be_visible()
    page.screenshot(path=str(shots / "member-view-narrow.png"), full_page=True)
    # and the page is all they reach: the owner's files on this server are refused
    response = page.request.get(f"{hub.url}/user/{OWNER}/dash-hello/api/contents/")
    assert response.status == 403, response.status


def test_a_logged_in_non_member_is_refused(hub, shared, page, shots):
    page.set_default_timeout(PAGE_TIMEOUT)
    page.goto(f"{hub.url}/hub/login")
    log_in_on_the_hub_page(page, OUTSIDER)
    page.wait_for_url(re.compile(r"/hub/(spawn|home)"))
    response = page.goto(shared)
    page.wait_for_load_state()
    assert response is not None and response.status == 403, (response and response.status,
                                                             page.url)
    expect(page.get_by_text("page for model=churn")).to_have_count(0)
    expect(page.locator(".widget-slider")).to_have_count(0)
    assert_no_jupyterlab(page)
    expect(page.get_by_text("403")).not_to_have_count(0)
    page.screenshot(path=str(shots / "refused-view.png"), full_page=True)


def test_an_anonymous_visitor_ends_on_the_hub_login_page(hub, shared, page, shots):
    response = page.goto(shared)
    page.wait_for_url(re.compile(r"/hub/login"))
    assert response is not None and response.status == 200
    expect(page.locator("#login_submit")).to_be_visible()
    expect(page.locator("#username_input")).to_be_visible()
    expect(page.get_by_text("page for model=churn")).to_have_count(0)
    expect(page.locator(".widget-slider")).to_have_count(0)
    page.screenshot(path=str(shots / "anonymous-view.png"), full_page=True)
