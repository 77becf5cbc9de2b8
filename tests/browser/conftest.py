"""A real hub and a real Chromium (Debian's, driven by Playwright for Python).

- ``hub``: our real JupyterHub (tests/support/hub.py), one per package; groups gpu-users = [gina].
- ``browser``: Chromium launched once per module, closed at the end.
- ``context`` / ``page``: a fresh browser context (cookies, storage) per test.
- On a failed test the page is saved to test-artifacts/browser/failures/<test>.png.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.support.hub import REPO, running_hub

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




@pytest.fixture(scope="session")
def artifacts() -> Path:
    shutil.rmtree(ARTIFACTS, ignore_errors=True)  # only this run's pictures, nothing stale
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="package")
def hub(tmp_path_factory):
    """One real hub for the browser tests: groups gpu-users = [gina]."""
    with running_hub(tmp_path_factory, "browser-hub-state", {"gpu-users": ["gina"]}) as running:
        yield running


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


@pytest.fixture
def jp_asyncio_loop():
    """Override pytest-jupyter's autouse fixtures (declared in tests/conftest.py): they close
    or run the current event loop after each test, which here is Playwright's running loop.
    The browser tests start their servers as processes and need neither."""
    yield None


@pytest.fixture
def jp_server_cleanup():
    yield
