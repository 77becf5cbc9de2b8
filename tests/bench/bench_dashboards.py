"""Voila model-card page, request to first meaningful paint (the model name visible in
Chromium), against Voila rendering an empty notebook (an empty notebook's page shown) on the
same user server (real JupyterLab server with hubml and Voila, the demo project).

Each round opens a fresh browser context, so every page starts its own kernel as a visitor's
would. Target: at most +1.5 s over the empty notebook.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.support.lab import Lab

from .report import Row, compare, p90, paired_diff
from .timing import interleaved

RUNS = 5
LIMIT = 1.5            # seconds over the empty notebook
TIMEOUT = 180_000      # ms
MODEL = "iris-random-forest"
EMPTY = ('{"cells": [], "metadata": {"kernelspec": {"name": "python3", "display_name": '
         '"Python 3", "language": "python"}}, "nbformat": 4, "nbformat_minor": 5}')


def _open(browser, lab: Lab, path: str, selector: str) -> float:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        t0 = time.perf_counter()
        page.goto(f"{lab.url}/{path}&token={lab.token}", wait_until="commit", timeout=TIMEOUT)
        page.wait_for_selector(selector, state="visible", timeout=TIMEOUT)
        return time.perf_counter() - t0
    finally:
        context.close()


def run() -> list[Row]:
    from playwright.sync_api import sync_playwright

    lab = Lab(Path(tempfile.mkdtemp(prefix="hubml-bench-dash-")))
    made = subprocess.run([sys.executable, "-c", "from hubml.demo import create_demo; "
                           "create_demo(progress=False)"], env=lab.env, capture_output=True,
                          text=True, timeout=600)
    if made.returncode:
        raise RuntimeError(f"demo project: {made.stderr[-2000:]}")
    (lab.root / "empty.ipynb").write_text(EMPTY)
    lab.start()
    try:
        r = lab.api("POST", "projects/demo/dashboards", json={"kind": "model_card",
                                                              "model": MODEL})
        r.raise_for_status()
        card_path = r.json()["url"].lstrip("/")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                ours, base = interleaved(
                    RUNS,
                    lambda: _open(browser, lab, card_path, f".hubml-card-title:text('{MODEL}')"),
                    # Voila shows an empty notebook's page once its (empty) cells ran
                    lambda: _open(browser, lab, "voila/render/empty.ipynb?x=1",
                                  "#rendered_cells"),
                    "Voila model card")
            finally:
                browser.close()
    finally:
        lab.stop()
    note = (f"Chromium, fresh context per page (a kernel each), request to the model card's "
            f"title visible vs an empty notebook's page; paired difference "
            f"{paired_diff(ours, base):+.2f} s; p90 {p90(ours):.2f} vs {p90(base):.2f} s")
    return [compare("Voila model-card page, first meaningful paint, vs Voila empty notebook",
                    ours, base, "s", "diff", LIMIT, note)]
