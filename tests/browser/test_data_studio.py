"""The Data Studio in Chromium: a notebook with ``DataStudio(p, p.dataset("iris"))`` on the
demo data, run in JupyterLab (impute a column, one-hot encode another, the heatmap, save) and
the same notebook rendered by Voila on the same server; the saved versions are checked with
the SDK. Screenshots: test-artifacts/browser/data-studio-*.png.
"""

from __future__ import annotations

import contextlib
import re

import pytest
from playwright.sync_api import expect

from tests.support.lab_ui import demo_lab, lab_session, run_notebook, write_notebook

pytestmark = pytest.mark.browser

NOTEBOOK = "studio.ipynb"
RUN_TIMEOUT = 120_000  # ms: a kernel start, hubml and pandas imports, the first page
COLUMN = "sepal_length_(cm)"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with demo_lab(tmp_path_factory.mktemp("studio-lab")) as running:
        write_notebook(running.root / NOTEBOOK, "# Data Studio on the demo iris data",
                       "import hubml\n\np = hubml.project('demo')\n"
                       "studio = hubml.widgets.DataStudio(p, p.dataset('iris'))\n"
                       "studio")
        yield running


@contextlib.contextmanager
def _shot_on_failure(page, artifacts, name: str):
    try:
        yield
    except BaseException:
        (artifacts / "failures").mkdir(exist_ok=True)
        page.screenshot(path=str(artifacts / "failures" / f"{name}.png"), full_page=True)
        raise


def _project(lab):
    import hubml

    return hubml.project("demo", root=lab.projects)


def _tab(studio, title: str) -> None:
    studio.locator(".lm-TabBar-tab", has_text=title).first.click()


def _step(studio, kind: str, column: str, **selects) -> None:
    """Pick a step type, its columns and other dropdowns; preview; apply."""
    step_type = studio.locator(".hubml-step-type select")
    if step_type.input_value() != kind:
        step_type.select_option(kind)
    form = studio.locator(f".hubml-form-{kind}")  # the form the kernel built for this type
    columns = form.locator(".hubml-field-columns select")
    expect(columns.locator("option", has_text=column)).to_have_count(1)
    columns.select_option(label=column)
    for name, value in selects.items():
        form.locator(f".hubml-field-{name} select").select_option(value)
    studio.locator("button.hubml-preview").click()
    expect(studio.locator(".hubml-diff table.hubml-grid")).to_be_visible()


def _apply(studio, index: int, kind: str) -> None:
    studio.locator("button.hubml-apply").click()
    expect(studio.locator(".hubml-studio-banner")).to_contain_text(
        f"Step {index} ({kind}) applied", timeout=30_000)


def _heatmap(studio, page, shot) -> None:
    _tab(studio, "Explore")
    heatmap = studio.locator(".hubml-heatmap .js-plotly-plot")
    expect(heatmap).to_be_visible(timeout=60_000)
    expect(heatmap.locator(".hm, .heatmaplayer image, g.hm")).not_to_have_count(0)
    heatmap.scroll_into_view_if_needed()
    page.screenshot(path=str(shot))


def _save(studio, name: str) -> None:
    _tab(studio, "Save")
    studio.locator(".hubml-save-name input").fill(name)
    studio.locator(".hubml-save-description textarea").fill("made in the Data Studio")
    studio.locator("button.hubml-save-button").click()
    expect(studio.locator(".hubml-save-result")).to_contain_text(f"Saved {name} version 1",
                                                                 timeout=30_000)


def test_data_studio_in_jupyterlab(browser, lab, artifacts):
    with lab_session(browser, lab.lab_url,
                     permissions=["clipboard-read", "clipboard-write"]) as page, \
            _shot_on_failure(page, artifacts, "data-studio-lab"):
        run_notebook(page, f"{lab.url}/lab/tree/{NOTEBOOK}")
        studio = page.locator(".hubml-data-studio")
        expect(studio).to_be_visible(timeout=RUN_TIMEOUT)
        grid = studio.locator(".hubml-table-grid table.hubml-grid")
        expect(grid).to_be_visible()
        expect(grid.locator("thead th")).to_have_count(6)  # row number + 5 columns
        expect(grid.locator("thead svg.spark").first).to_be_visible()
        page.screenshot(path=str(artifacts / "data-studio-lab-table.png"))

        _tab(studio, "Transform")
        _step(studio, "impute", COLUMN, strategy="mean")
        page.screenshot(path=str(artifacts / "data-studio-lab-preview.png"))
        _apply(studio, 1, "impute")
        _step(studio, "one_hot", "species")
        expect(studio.locator(".hubml-diff th.added")).to_have_count(3)  # three species
        _apply(studio, 2, "one_hot")

        _heatmap(studio, page, artifacts / "data-studio-lab-heatmap.png")
        _tab(studio, "Recipe")
        expect(studio.get_by_text("learned:").first).to_be_visible()
        page.screenshot(path=str(artifacts / "data-studio-lab-recipe.png"))
        _tab(studio, "Code")
        expect(studio.locator(".hubml-code textarea")).to_have_value(re.compile("get_dummies"))
        studio.locator("button.hubml-copy").click()
        expect(studio.locator("button.hubml-copy")).to_have_text("Copied")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert "get_dummies" in copied and 'p.dataset("iris").load(version=1)' in copied
        page.screenshot(path=str(artifacts / "data-studio-lab-code.png"))
        _save(studio, "iris-studio")
        page.screenshot(path=str(artifacts / "data-studio-lab-saved.png"))
        assert "Traceback" not in studio.inner_text()

    version = _project(lab).dataset("iris-studio").latest
    assert [s["step"] for s in version.meta["recipe"]] == ["impute", "one_hot"]
    assert version.meta["source"] == {"type": "dataset", "dataset": "iris", "version": 1}
    data = version.load()
    assert {"species_setosa", "species_versicolor", "species_virginica"} <= set(data.columns)
    assert len(data) == 150 and data[COLUMN].notna().all()


def test_data_studio_in_voila(browser, lab, artifacts):
    assert lab.request("GET", "voila/").status_code == 200, "Voila is not enabled"
    with lab_session(browser, lab.lab_url) as page, \
            _shot_on_failure(page, artifacts, "data-studio-voila"):
        page.goto(f"{lab.url}/voila/render/{NOTEBOOK}")
        studio = page.locator(".hubml-data-studio")
        expect(studio).to_be_visible(timeout=RUN_TIMEOUT)
        expect(studio.locator(".hubml-table-grid table.hubml-grid")).to_be_visible()
        page.screenshot(path=str(artifacts / "data-studio-voila-table.png"))
        _tab(studio, "Transform")
        _step(studio, "one_hot", "species")
        _apply(studio, 1, "one_hot")
        _heatmap(studio, page, artifacts / "data-studio-voila-heatmap.png")
        _save(studio, "iris-voila")
        page.screenshot(path=str(artifacts / "data-studio-voila-saved.png"))
        assert "Traceback" not in studio.inner_text()
    version = _project(lab).dataset("iris-voila").latest
    assert [s["step"] for s in version.meta["recipe"]] == ["one_hot"]
    assert "species_setosa" in version.load().columns
