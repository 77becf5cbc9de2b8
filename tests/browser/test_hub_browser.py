"""A person in Chromium: log in, choose a profile on the options form, see it in JupyterLab.

Screenshots go to test-artifacts/browser/ (git-ignored): the login page, the options form
and JupyterLab with the hubml panel open.
"""

from __future__ import annotations

import glob
import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-42"
ALL_PROFILES = ["sklearn", "tensorflow", "torch", "h2o", "full", "torch-gpu"]
LAB_TIMEOUT = 90_000  # ms: spawn + JupyterLab's first load


@pytest.fixture(scope="module")
def users(hub):
    """dana and erin: signed up, approved by the admin, neither in gpu-users."""
    for name in ("dana", "erin"):
        hub.add_user(name, PASSWORD)
    return ["dana", "erin"]


def log_in(page: Page, hub, user: str, password: str) -> None:
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", password)
    page.click("#login_submit")


def profile_values(page: Page) -> list[str]:
    return page.locator("label.hubml-profile input[type=radio][name=profile]").evaluate_all(
        "els => els.map(e => e.value)")


def submit_button(page: Page):
    return page.locator("#spawn_form").locator("input[type=submit], button[type=submit]")


def assert_hubml_labextension_loaded(page: Page) -> None:
    """Fail with the cause when the server does not offer our labextension at all."""
    names = page.evaluate(
        "() => JSON.parse(document.getElementById('jupyter-config-data').textContent)"
        ".federated_extensions.map(e => e.name)")
    if "hubml" not in names:
        pytest.fail(
            "JupyterLab in the user's server does not load the hubml labextension (federated "
            f"extensions: {sorted(names)}). The environment that runs users' servers has no "
            "share/jupyter/labextensions/hubml/package.json: after `pip install -e .` the built "
            "extension (extension/hubml/labextension) must be linked in, e.g. "
            "`jupyter-builder develop --overwrite .` (or `jupyter labextension develop "
            "--overwrite .`), or installed with a non-editable `pip install .`")


def settle_main_area(page: Page) -> None:
    """Give JupyterLab a moment to open its Launcher, so the screenshot is not half-drawn."""
    try:
        page.locator(".jp-Launcher").first.wait_for(state="visible", timeout=10_000)
    except Exception:
        pass  # a restored layout may have no Launcher; the picture is still useful


def test_log_in_choose_pytorch_and_see_it_in_the_hubml_panel(hub, users, page, artifacts):
    page.goto(f"{hub.url}/hub/login")
    expect(page.locator("#login_submit")).to_be_visible()
    page.screenshot(path=str(artifacts / "hub-login.png"), full_page=True)

    log_in(page, hub, "dana", PASSWORD)
    # a user without a running server lands on the options form
    page.wait_for_url(re.compile(r"/hub/spawn"))
    expect(page.locator("label.hubml-profile").first).to_be_visible()
    assert profile_values(page) == ["sklearn", "tensorflow", "torch", "h2o", "full"]
    # the catalog's default is chosen until the person picks another card
    expect(page.locator("input[name=profile][value=sklearn]")).to_be_checked()
    page.screenshot(path=str(artifacts / "hub-options-form.png"), full_page=True)
    # JupyterHub follows the system's colour scheme; our form's CSS must hold up in both
    page.emulate_media(color_scheme="dark")
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
    page.screenshot(path=str(artifacts / "hub-options-form-dark.png"), full_page=True)
    page.emulate_media(color_scheme="light")
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "light")

    torch_card = page.locator("label.hubml-profile", has=page.locator("input[value=torch]"))
    expect(torch_card).to_contain_text("PyTorch")
    torch_card.click()  # on the card's text, not on the radio button itself
    expect(page.locator("input[name=profile][value=torch]")).to_be_checked()
    expect(page.locator("input[name=profile][value=sklearn]")).not_to_be_checked()
    page.mouse.move(10, 400)
    page.screenshot(path=str(artifacts / "hub-options-form-torch-chosen.png"), full_page=True)

    try:
        submit_button(page).click()
        page.wait_for_url(re.compile(r"/user/dana/lab"), timeout=LAB_TIMEOUT)
        expect(page.locator(".jp-LabShell")).to_be_visible(timeout=LAB_TIMEOUT)
        assert hub.api("GET", "users/dana").json()["servers"][""]["user_options"] == {
            "profile": "torch"}
        # dana's system account keeps her JupyterLab workspace between runs; start from
        # the default layout (file browser open) so the test always opens the panel itself
        page.goto(f"{hub.url}/user/dana/lab?reset")
        expect(page.locator(".jp-LabShell")).to_be_visible(timeout=LAB_TIMEOUT)
        assert_hubml_labextension_loaded(page)

        panel = page.locator("#hubml-panel")
        tab = page.locator(".jp-SideBar.jp-mod-left li.lm-TabBar-tab[data-id='hubml-panel']")
        expect(tab).to_have_count(1, timeout=30_000)
        assert tab.get_attribute("title") == "hubml"
        if not panel.is_visible():
            tab.click()
        expect(panel).to_be_visible()
        expect(tab).to_have_class(re.compile(r"\blm-mod-current\b"))
        # the profile and frameworks are on the sidebar's Environment tab
        panel.locator("[data-tab='environment']").click()

        name = panel.locator(".jp-hubml-profile-name")
        expect(name).to_have_attribute("data-profile", "torch", timeout=30_000)
        expect(name).to_have_text("PyTorch")
        frameworks = panel.locator(".jp-hubml-framework")
        expect(frameworks.first).to_be_visible()
        importable = {
            fw.get_attribute("data-framework"): fw.get_attribute("data-importable")
            for fw in frameworks.all()
        }
        # the profile's own frameworks must be importable in the server it started
        assert importable.get("sklearn") == "true", importable
        assert importable.get("torch") == "true", importable
        chips = panel.locator(".jp-hubml-chip").evaluate_all(
            "els => els.map(e => e.dataset.framework)")
        assert chips == ["sklearn", "torch"]
        expect(panel.locator(".jp-hubml-error")).to_have_count(0)
        expect(panel.locator(".jp-hubml-refresh")).to_be_enabled()
        expect(panel.locator(".jp-hubml-footer")).to_contain_text("dana")

        # refresh asks the server again and keeps showing the same profile
        panel.locator(".jp-hubml-refresh").click()
        expect(panel.locator(".jp-hubml-refresh")).to_be_enabled()
        expect(name).to_have_attribute("data-profile", "torch")

        page.mouse.move(700, 400)  # no hover state on the refresh button in the picture
        settle_main_area(page)
        page.screenshot(path=str(artifacts / "hub-lab-hubml-panel.png"), full_page=True)
    finally:
        if hub.api("GET", "users/dana").json().get("servers"):
            hub.stop_server("dana")


@pytest.mark.parametrize("who", ["erin", "admin"])
def test_gpu_profile_card_only_for_gpu_users_and_admins(hub, users, page, artifacts, who):
    password = hub.admin_password if who == "admin" else PASSWORD
    log_in(page, hub, who, password)
    page.wait_for_url(re.compile(r"/hub/(spawn|home)"))
    if "/hub/spawn" not in page.url:
        page.goto(f"{hub.url}/hub/spawn")
    expect(page.locator("label.hubml-profile").first).to_be_visible()
    expect(submit_button(page)).to_be_visible()
    gpu_card = page.locator("label.hubml-profile", has=page.locator("input[value='torch-gpu']"))
    if who == "erin":  # not in gpu-users
        assert profile_values(page) == ["sklearn", "tensorflow", "torch", "h2o", "full"]
        expect(gpu_card).to_have_count(0)
        expect(page.get_by_text("PyTorch on GPU")).to_have_count(0)
    else:  # admins see every profile, the group-restricted one with its badge
        assert profile_values(page) == ALL_PROFILES
        expect(gpu_card).to_be_visible()
        expect(gpu_card).to_contain_text("PyTorch on GPU")
        expect(gpu_card.locator(".hubml-badge")).to_have_text("gpu-users only")
        if not glob.glob("/dev/nvidia[0-9]*"):  # shown, but it cannot be chosen here
            expect(gpu_card.locator("input")).to_be_disabled()
            expect(gpu_card).to_contain_text("This machine has no GPU")
    page.screenshot(path=str(artifacts / f"hub-options-form-{who}.png"), full_page=True)


def test_wrong_password_shows_the_error_and_stays_on_the_login_page(hub, users, page,
                                                                    artifacts):
    log_in(page, hub, "dana", "not-her-password")
    error = page.get_by_text("Invalid username or password")
    expect(error).to_be_visible()
    assert re.search(r"/hub/login", page.url), page.url
    expect(page.locator("#login_submit")).to_be_visible()
    expect(page.locator("#username_input")).to_be_visible()
    expect(page.locator(".jp-LabShell")).to_have_count(0)
    page.screenshot(path=str(artifacts / "hub-login-wrong-password.png"), full_page=True)
    # and no session: the hub's API does not know this browser
    response = page.request.get(f"{hub.url}/hub/api/user")
    assert response.status == 403


def test_admin_sees_waiting_sign_ups_on_the_home_page(hub, users, page, artifacts):
    assert hub.signup("wanda", PASSWORD).status_code == 200
    log_in(page, hub, "admin", hub.admin_password)
    page.wait_for_url(re.compile(r"/hub/(spawn|home)"))
    page.goto(f"{hub.url}/hub/home")
    banner = page.locator(".hubml-pending-signups")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("waiting for your approval")
    page.screenshot(path=str(artifacts / "hub-home-pending-signups.png"), full_page=True)
    banner.get_by_role("link", name="Review sign-ups").click()
    page.wait_for_url(re.compile(r"/hub/authorize"))
    expect(page.get_by_text("wanda")).to_be_visible()
