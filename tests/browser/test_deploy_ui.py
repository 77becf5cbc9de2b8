"""Serving a model from the JupyterLab model view through the real hub, in Chromium: "Serve"
starts a deployment (a named server of the user), the Models panel lists it until it runs,
"Share…" shares it with a hub group (the hub says so), "Stop" stops it and the list empties.
Screenshots: test-artifacts/browser/deploy-*.png."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.support.hub import remove_leftover_project
from tests.support.lab_ui import LAB_TIMEOUT, open_panel, select_project, show_tab

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-42"
USER, PROJECT, GROUP = "vera", "ui-deploys", "gpu-users"
SERVE_TIMEOUT = 120_000  # ms: the hub starts the named server, which loads the model


def points_csv(rows: int = 60) -> str:
    lines = ["x1,x2,label"]
    for i in range(rows):
        x1, x2 = (i % 7) - 3 + i / 100, (i % 5) - 2
        lines.append(f"{x1},{x2},{'yes' if x1 > 0 else 'no'}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def trained(hub):
    """vera's server runs, with project ui-deploys and model "points" v1 trained by a job."""
    hub.add_user(USER, PASSWORD)
    remove_leftover_project(USER, PROJECT)
    hub.spawn(USER)

    def api(path, method="GET", **kwargs):
        return hub.user_api(USER, f"hubml/api/{path}", method=method, **kwargs)

    assert api("projects", "POST", json={"name": PROJECT}).status_code == 201
    r = api(f"projects/{PROJECT}/datasets?filename=points.csv", "POST",
            data=points_csv().encode())
    assert r.status_code == 201, r.text
    r = api(f"projects/{PROJECT}/jobs", "POST", json={
        "framework": "sklearn", "algorithm": "sklearn.logistic_regression", "task": "binary",
        "dataset": "points", "target": "label", "model_name": "points"})
    assert r.status_code == 201, r.text
    job = r.json()["id"]
    deadline = time.monotonic() + 180
    while api(f"projects/{PROJECT}/jobs/{job}").json()["state"] in ("queued", "running"):
        assert time.monotonic() < deadline, "training did not end"
        time.sleep(0.5)
    assert api(f"projects/{PROJECT}/jobs/{job}").json()["state"] == "succeeded"
    try:
        yield api
    finally:
        for name in hub.api("GET", f"users/{USER}").json().get("servers", {}):
            if name:
                hub.api("DELETE", f"users/{USER}/servers/{name}", json={"remove": True})


def test_serve_share_and_stop_from_the_model_view(hub, trained, page, artifacts):
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", USER)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")
    page.wait_for_url(lambda url: "/hub/login" not in url)
    page.goto(f"{hub.url}/user/{USER}/lab?reset")
    expect(page.locator(".jp-LabShell")).to_be_visible(timeout=LAB_TIMEOUT)
    open_panel(page)
    select_project(page, PROJECT)
    panel = show_tab(page, "models")
    expect(panel.locator(".jp-hubml-deployments-unavailable")).to_have_count(0)  # in a hub
    panel.locator(".jp-hubml-model-row[data-name='points']").click()
    viewer = page.locator(".jp-hubml-model-viewer[data-name='points']")
    expect(viewer.locator(".jp-hubml-model-version-detail")).to_be_visible()
    viewer.locator(".jp-hubml-serve").click()

    row = panel.locator(".jp-hubml-deployment-row[data-name='serve-points']")
    expect(row).to_be_visible(timeout=30_000)
    expect(row).to_have_attribute("data-status", "running", timeout=SERVE_TIMEOUT)
    expect(row).to_contain_text("model points v1")
    href = row.locator(".jp-hubml-deployment-url").get_attribute("href")
    assert href.rstrip("/").endswith(f"/user/{USER}/serve-points"), href
    page.screenshot(path=str(artifacts / "deploy-running.png"))

    row.locator(".jp-hubml-share-deployment").click()
    box = page.locator(".jp-Dialog")
    groups = box.locator(".jp-hubml-share-groups")
    groups.click()
    expect(groups).to_be_focused()
    groups.press_sequentially(GROUP)
    expect(box.locator(".jp-hubml-share-groups")).to_have_value(GROUP)
    expect(box.locator(".jp-hubml-share-users")).to_have_value("")
    page.screenshot(path=str(artifacts / "deploy-share-dialog.png"))
    box.locator(".jp-Dialog-button.jp-mod-accept").click()
    expect(box).to_have_count(0)
    expect(row.locator(".jp-hubml-share")).to_have_text([GROUP])
    shared = trained(f"projects/{PROJECT}/deployments/serve-points").json()["shared_with"]
    assert shared["groups"] == [GROUP], shared

    row.locator(".jp-hubml-stop-deployment").click()
    box.locator(".jp-Dialog-button.jp-mod-warn").click()
    expect(row).to_have_count(0, timeout=60_000)
    listed = trained(f"projects/{PROJECT}/deployments").json()["deployments"]
    assert [d["name"] for d in listed if d["status"] != "stopped"] == [], listed
    page.screenshot(path=str(artifacts / "deploy-stopped.png"))
