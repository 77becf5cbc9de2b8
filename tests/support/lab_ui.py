"""Driving JupyterLab and the hubml sidebar with Playwright, as a person would.

Selectors are the stable ids and classes the hubml frontend promises to tests:
``#hubml-panel``, ``.jp-hubml-tab[data-tab=...]``, ``.jp-hubml-project-row[data-name=...]``,
``.jp-hubml-dataset-row[data-name=...]``, ``.jp-hubml-model-row[data-name=...]``,
``.jp-hubml-job-row[data-state=...]``, ``.jp-hubml-preview-table``, ``.jp-hubml-alias``.
"""

from __future__ import annotations

import contextlib
import subprocess
import time
from pathlib import Path

import nbformat
from playwright.sync_api import Page, expect

from .lab import BIN, Lab

LAB_TIMEOUT = 90_000  # ms: JupyterLab's first load
VIEWPORT = {"width": 1366, "height": 860}


@contextlib.contextmanager
def demo_lab(base: Path, extra_env: dict | None = None):
    """A running ``jupyter lab`` in ``base`` with the demo project (``hubml demo`` runs while
    the server starts); stopped at the end."""
    running = Lab(base, extra_env=extra_env)
    demo = subprocess.Popen([str(BIN / "hubml"), "demo"], env=running.env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        running.start()
        out, _ = demo.communicate(timeout=300)
        assert demo.returncode == 0, out.decode(errors="replace")[-2000:]
        yield running
    finally:
        if demo.poll() is None:
            demo.kill()
        running.stop()


def write_notebook(path: Path, title: str, code: str) -> None:
    """A Python 3 notebook at ``path``: a markdown cell ``title``, then one code cell."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell(title), nbformat.v4.new_code_cell(code)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(notebook, path)


@contextlib.contextmanager
def lab_session(browser, url: str, **context_options):
    """A fresh browser context (cookies, storage) with JupyterLab open at ``url`` and the
    hubml panel shown; closed at the end."""
    context = browser.new_context(viewport=VIEWPORT, **context_options)
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        open_lab(page, url)
        yield page
    finally:
        context.close()


def run_notebook(page: Page, url: str) -> None:
    """Open the notebook at ``url`` (``.../lab/tree/<file>``), wait for its kernel to be idle
    and start Run All Cells (it does not wait for the cells to finish)."""
    page.goto(url)
    expect(page.locator(".jp-Notebook")).to_be_visible(timeout=60_000)
    kernel = page.locator(".jp-Dialog", has_text="Select Kernel")
    status = page.get_by_text("| Idle")
    expect(kernel.or_(status).first).to_be_visible(timeout=60_000)
    if kernel.is_visible():  # JupyterLab may ask once which kernel to start
        kernel.locator(".jp-Dialog-button.jp-mod-accept").click()
    expect(status).to_be_visible(timeout=60_000)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()


def open_lab(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator(".jp-LabShell")).to_be_visible(timeout=LAB_TIMEOUT)
    open_panel(page)


def open_panel(page: Page):
    """Show the hubml sidebar (its tab in the left bar) and return it."""
    panel = page.locator("#hubml-panel")
    tab = page.locator(".jp-SideBar.jp-mod-left li.lm-TabBar-tab[data-id='hubml-panel']")
    expect(tab).to_have_count(1, timeout=30_000)
    if not panel.is_visible():
        tab.click()
    expect(panel).to_be_visible()
    return panel


def show_tab(page: Page, name: str):
    """Show one tab of the sidebar: projects, datasets, models, jobs or environment."""
    panel = open_panel(page)
    button = panel.locator(f"[data-tab='{name}']")
    if button.get_attribute("aria-selected") != "true":
        button.click()
    expect(button).to_have_attribute("aria-selected", "true")
    return panel


def select_project(page: Page, name: str) -> None:
    panel = show_tab(page, "projects")
    row = panel.locator(f".jp-hubml-project-row[data-name='{name}']")
    expect(row).to_be_visible(timeout=10_000)
    row.click()
    expect(row).to_have_attribute("data-current", "true")
    expect(panel.locator(".jp-hubml-project-select")).to_have_value(name)


def dialog(page: Page):
    box = page.locator(".jp-Dialog")
    expect(box).to_be_visible()
    return box


def accept_dialog(page: Page) -> None:
    box = dialog(page)
    box.locator(".jp-Dialog-button.jp-mod-accept").click()
    expect(box).to_have_count(0)


def dismiss_dialog(page: Page, another: bool = False) -> None:
    """Press the dialog's first button (Cancel, or the only one); ``another``: a dialog follows."""
    box = dialog(page)
    handle = box.element_handle()
    box.locator(".jp-Dialog-button").first.click()
    handle.wait_for_element_state("hidden")
    if not another:
        expect(box).to_have_count(0)


def new_launcher(page: Page):
    """Open a Launcher in the main area (the + of the tab bar) and return it."""
    page.locator(".lm-DockPanel .lm-TabBar-addButton:visible").first.click()
    launcher = page.locator(".jp-Launcher:visible")
    expect(launcher).to_have_count(1)
    return launcher


def main_tab(page: Page, text: str):
    return page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=text)


def close_all_tabs(page: Page) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text="File").click()
    page.locator(".lm-Menu-itemLabel", has_text="Close All Tabs").click()
    # JupyterLab opens a Launcher when the main area empties
    expect(page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab:not(:has-text('Launcher'))")
           ).to_have_count(0)


class Terminal:
    """One JupyterLab terminal; commands are typed into xterm like a person does."""

    def __init__(self, page: Page, scratch: Path):
        self.page = page
        self.scratch = scratch
        self.scratch.mkdir(parents=True, exist_ok=True)
        self.tab = None

    def show(self) -> None:
        if self.tab is None or self.tab.count() == 0:
            new_launcher(self.page).locator(".jp-LauncherCard", has_text="Terminal").click()
            self.tab = main_tab(self.page, "Terminal").last
            expect(self.page.locator(".jp-Terminal:visible .xterm-helper-textarea")).to_have_count(1)
            self._wait_ready()
        else:
            self.tab.click()
        expect(self.page.locator(".jp-Terminal:visible")).to_have_count(1)

    def type(self, command: str) -> None:
        self.page.locator(".jp-Terminal:visible .xterm-screen").click()
        self.page.keyboard.type(command)
        self.page.keyboard.press("Enter")

    def _wait_ready(self, timeout: float = 30) -> None:
        """Type until the shell answers: keys typed before it started are lost."""
        marker = self.scratch / "terminal-ready"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.type(f"echo ok > {marker}")
            for _ in range(15):
                if marker.exists():
                    self.type("clear")
                    return
                time.sleep(0.2)
        raise AssertionError("the JupyterLab terminal did not start a shell")

    def run(self, name: str, command: str) -> tuple[Path, Path]:
        """Start ``command``; its output goes to the screen and to <scratch>/<name>.log."""
        log, rc = self.scratch / f"{name}.log", self.scratch / f"{name}.rc"
        self.show()
        self.type(f"{command} 2>&1 | tee {log}; echo ${{PIPESTATUS[0]}} > {rc}")
        return log, rc

    @staticmethod
    def wait(name: str, log: Path, rc: Path, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if rc.exists() and rc.read_text().strip():
                code = rc.read_text().strip()
                if code != "0":
                    tail = "\n".join(log.read_text(errors="replace").splitlines()[-25:])
                    raise AssertionError(f"{name} exited with {code} in the terminal:\n{tail}")
                return
            time.sleep(0.5)
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else "(no output)"
        raise AssertionError(f"{name} did not finish in {timeout:.0f}s:\n{tail}")
