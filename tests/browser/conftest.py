"""A real hub and a real Chromium (Debian's, driven by Playwright for Python).

- ``hub``: our real JupyterHub (tests/support/hub.py), one per package; groups gpu-users = [gina].
- ``browser``: Chromium launched once per module, closed at the end.
- ``context`` / ``page``: a fresh browser context (cookies, storage) per test.
- On a failed test the page is saved to test-artifacts/browser/failures/<test>.png.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from pathlib import Path

import pytest

from tests.support.hub import REPO, Hub

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
ARTIFACTS = REPO / "test-artifacts" / "browser"
VIEWPORT = {"width": 1366, "height": 860}


def _world_can_enter(path: Path) -> bool:
    for part in [path, *path.parents]:
        if not part.stat().st_mode & stat.S_IXOTH:
            return False
    return True


@pytest.fixture(scope="session")
def artifacts() -> Path:
    shutil.rmtree(ARTIFACTS, ignore_errors=True)  # only this run's pictures, nothing stale
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="package")
def hub(tmp_path_factory):
    """One real hub for the browser tests: groups gpu-users = [gina]."""
    if os.geteuid() == 0 and not _world_can_enter(REPO):
        pytest.fail(f"running as root, users' servers run as other accounts, which cannot enter "
                    f"{REPO}; clone the repository under a folder others can read (e.g. /opt)")
    state = tmp_path_factory.mktemp("browser-hub-state")
    os.chmod(state.parent, 0o755)
    running = Hub(state, groups={"gpu-users": ["gina"]}).start()
    try:
        yield running
    finally:
        running.stop()  # stops every user's server, then the hub and its proxy


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}; install it with "
                    "`apt-get install chromium` (as root), then run the browser tests again")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                      headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport=VIEWPORT)
    ctx.set_default_timeout(20_000)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context, request, artifacts):
    pg = context.new_page()
    yield pg
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        save_failure_screenshot(pg, request.node.nodeid, artifacts)


def save_failure_screenshot(page, nodeid: str, artifacts: Path) -> Path | None:
    folder = artifacts / "failures"
    folder.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("::", 1)[-1]).strip("_")
    path = folder / f"{name}.png"
    try:
        page.screenshot(path=str(path), full_page=True)
    except Exception as exc:  # the page may be gone; the test's own error matters more
        print(f"could not save a failure screenshot: {exc}")
        return None
    print(f"failure screenshot: {path} (url {page.url})")
    return path


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixtures can see whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
