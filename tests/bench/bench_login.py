"""Login to JupyterLab ready in Chromium, first start of a new user (demo project included),
against plain JupyterHub (SimpleLocalProcessSpawner, plain JupyterLab, no hubml).

Each round signs up and approves a fresh user on each hub (untimed), then times what a
person waits for: from pressing "Sign in" until JupyterLab's shell and file browser are
shown (on hubml, pressing Start on the options form is included, as a person must).
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import time
from pathlib import Path

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.support.hub import Hub

from .report import Row, compare, p90
from .timing import interleaved

RUNS = 4
LIMIT = 1.0
PASSWORD = "bench-password-123"
LAB_TIMEOUT = 180_000


def _login_to_lab(browser, hub: Hub, user: str, options_form: bool) -> float:
    hub.add_user(user, PASSWORD)
    context = browser.new_context(viewport={"width": 1366, "height": 860})
    page = context.new_page()
    page.set_default_timeout(LAB_TIMEOUT)
    try:
        page.goto(f"{hub.url}/hub/login")
        page.fill("#username_input", user)
        page.fill("#password_input", PASSWORD)
        t0 = time.perf_counter()
        page.click("#login_submit")
        if options_form:
            page.locator("#spawn_form input[type=submit], #spawn_form button[type=submit]") \
                .click()
        page.wait_for_selector(".jp-LabShell .jp-DirListing-content", timeout=LAB_TIMEOUT)
        return time.perf_counter() - t0
    finally:
        context.close()
        hub.stop_server(user)


def run() -> list[Row]:
    from playwright.sync_api import sync_playwright

    workdir = Path(tempfile.mkdtemp(prefix="hubml-bench-login-"))
    os.chmod(workdir, 0o755)  # servers run as other accounts
    ours_hub = Hub(workdir / "hubml", extra_env={"HUBML_DEMO": "1"})
    base_hub = Hub(workdir / "simple", extra_env={"HUBML_TEST_SPAWNER": "simple"})
    counter = itertools.count()
    try:
        for hub in (ours_hub, base_hub):
            hub.start()
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                ours, base = interleaved(
                    RUNS, lambda: _login_to_lab(browser, ours_hub, f"lo{next(counter)}", True),
                    lambda: _login_to_lab(browser, base_hub, f"lb{next(counter)}", False),
                    "login to Lab")
            finally:
                browser.close()
    finally:
        for hub in (ours_hub, base_hub):
            hub.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        for n in range(next(counter)):  # SimpleLocalProcessSpawner's homes
            shutil.rmtree(f"/tmp/lb{n}", ignore_errors=True)
    note = (f"Chromium, new user each round (first start; hubml makes the demo project in the "
            f"background), from Sign in to Lab's file browser; hubml includes pressing Start "
            f"on the options form; p90 {p90(ours):.2f} vs {p90(base):.2f} s")
    return [compare("Login to JupyterLab ready (first start), hubml vs plain JupyterHub + Lab",
                    ours, base, "s", "ratio", LIMIT, note)]
