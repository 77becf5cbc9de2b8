"""The dataset viewer's grid in Chromium against a real ``jupyter lab``: a 54,321-row dataset,
its header stays in view while the rows scroll, the last page is one click away, a page or a
row number can be typed, a column header sorts (on the server) and a filter narrows the
total. Screenshots: test-artifacts/browser/grid-*.png."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import expect

import hubml
from tests.support.lab import Lab
from tests.support.lab_ui import lab_session, select_project, show_tab

pytestmark = pytest.mark.browser

ROWS = 54_321


def grid_frame() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    score = rng.normal(0, 10, ROWS).round(3)
    score[::97] = np.nan
    return pd.DataFrame({
        "id": np.arange(1, ROWS + 1),
        "score": score,
        "city": rng.choice(["Paris", "Lyon", "Nice", "Lille"], ROWS),
        "when": pd.date_range("2025-01-01", periods=ROWS, freq="min"),
    })


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    running = Lab(tmp_path_factory.mktemp("grid-lab"))
    hubml.create_project("grid", root=running.projects).save_dataset("big", grid_frame())
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def viewer(browser, lab):
    with lab_session(browser, lab.lab_url) as page:
        select_project(page, "grid")
        show_tab(page, "datasets").locator(".jp-hubml-dataset-row[data-name='big']").click()
        found = page.locator(".jp-hubml-dataset-viewer[data-name='big']")
        expect(found.locator(".jp-hubml-pager-text")).to_have_text(
            f"Rows 1–50 of {ROWS:,}", timeout=30_000)
        yield found


def shot(viewer, artifacts, name: str) -> None:
    viewer.page.mouse.move(1300, 850)
    viewer.page.screenshot(path=str(artifacts / f"grid-{name}.png"))


def first_cells(viewer, column: int, n: int = 5) -> list[str]:
    rows = viewer.locator(".jp-hubml-preview-table tbody tr")
    return [rows.nth(i).locator("td").nth(column).inner_text() for i in range(n)]


def test_header_stays_in_view_while_rows_scroll(viewer, artifacts):
    box = viewer.locator(".jp-hubml-preview-scroll")
    header = viewer.locator(".jp-hubml-preview-table th[data-column='score']")
    top = box.bounding_box()["y"]
    box.evaluate("node => { node.scrollTop = node.scrollHeight; }")
    assert box.evaluate("node => node.scrollTop") > 300  # the rows did scroll
    expect(header).to_be_visible()
    assert abs(header.bounding_box()["y"] - top) < 3, (header.bounding_box(), top)
    # the header is on top of the rows: what is at its centre is the header cell
    hit = header.evaluate("""th => { const r = th.getBoundingClientRect();
        return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)
               .closest('th') === th; }""")
    assert hit
    shot(viewer, artifacts, "sticky-header")


def test_last_page_page_number_and_row_number(viewer, artifacts):
    viewer.locator(".jp-hubml-page-size select").select_option("250")
    viewer.locator(".jp-hubml-last").click()
    expect(viewer.locator(".jp-hubml-pager-text")).to_have_text(
        f"Rows {54_251:,}–{ROWS:,} of {ROWS:,}")
    last = viewer.locator(".jp-hubml-preview-table tbody tr").last
    expect(last.locator("td").nth(1)).to_have_text(str(ROWS))  # the id column
    expect(viewer.locator(".jp-hubml-next")).to_be_disabled()
    expect(viewer.locator(".jp-hubml-page-number input")).to_have_value("218")
    shot(viewer, artifacts, "last-page")
    page_input = viewer.locator(".jp-hubml-page-number input")
    page_input.fill("100")
    page_input.press("Enter")
    expect(viewer.locator(".jp-hubml-pager-text")).to_have_text(
        f"Rows {24_751:,}–{25_000:,} of {ROWS:,}")
    row_input = viewer.locator(".jp-hubml-row-number input")
    row_input.fill("12345")
    row_input.press("Enter")
    marked = viewer.locator("tr.jp-hubml-marked-row")
    expect(marked).to_have_attribute("data-row", "12345")
    expect(marked.locator("td").nth(1)).to_have_text("12345")
    expect(marked).to_be_in_viewport()
    shot(viewer, artifacts, "row-number")
    viewer.locator(".jp-hubml-first").click()
    expect(viewer.locator(".jp-hubml-pager-text")).to_have_text(f"Rows 1–250 of {ROWS:,}")


def test_sort_by_a_column_shows_the_smallest_first(viewer, artifacts):
    df = grid_frame()
    header = viewer.locator(".jp-hubml-preview-table th[data-column='score']")
    header.click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    smallest = sorted(df["score"].dropna())[:5]
    expect(viewer.locator(".jp-hubml-preview-table tbody tr").first.locator("td").nth(2)
           ).to_have_text(str(smallest[0]))
    assert [float(t) for t in first_cells(viewer, 2)] == smallest
    shot(viewer, artifacts, "sorted")
    header.click()
    expect(header).to_have_attribute("aria-sort", "descending")
    expect(viewer.locator(".jp-hubml-preview-table tbody tr").first.locator("td").nth(2)
           ).to_have_text(str(df["score"].max()))
    viewer.locator(".jp-hubml-last").click()  # missing values come last
    expect(viewer.locator(".jp-hubml-preview-table tbody tr").last.locator("td").nth(2)
           ).to_have_class("jp-hubml-num jp-hubml-null")
    header.click()
    expect(header).to_have_attribute("aria-sort", "none")
    expect(viewer.locator(".jp-hubml-preview-table tbody tr").first.locator("td").nth(1)
           ).to_have_text("1")


def test_filter_narrows_the_total(viewer, artifacts):
    df = grid_frame()
    bar = viewer.locator(".jp-hubml-filter-bar")
    bar.locator(".jp-hubml-filter-column").select_option("city")
    bar.locator(".jp-hubml-filter-op").select_option("eq")
    bar.locator(".jp-hubml-filter-value").fill("Nice")
    bar.locator(".jp-hubml-filter-add").click()
    nice = int((df["city"] == "Nice").sum())
    expect(viewer.locator(".jp-hubml-pager-text")).to_contain_text(f"of {nice:,}")
    bar.locator(".jp-hubml-filter-column").select_option("score")
    bar.locator(".jp-hubml-filter-op").select_option("gt")
    bar.locator(".jp-hubml-filter-value").fill("15")
    bar.locator(".jp-hubml-filter-value").press("Enter")
    both = int(((df["city"] == "Nice") & (df["score"] > 15)).sum())
    expect(viewer.locator(".jp-hubml-pager-text")).to_contain_text(f"of {both:,}")
    expect(bar.locator(".jp-hubml-filter-chip")).to_have_count(2)
    expect(viewer.locator("tbody tr").first).to_have_attribute("data-row", "1")
    expect(viewer.locator("tbody tr").first).to_be_in_viewport()  # a new query starts at its top
    cities = set(first_cells(viewer, 3, 5))
    assert cities == {"Nice"}, cities
    assert all(float(t) > 15 for t in first_cells(viewer, 2, 5))
    shot(viewer, artifacts, "filtered")
    # a value of the wrong type: the server's message, plainly
    bar.locator(".jp-hubml-filter-column").select_option("score")
    bar.locator(".jp-hubml-filter-op").select_option("lt")
    bar.locator(".jp-hubml-filter-value").fill("ten")
    bar.locator(".jp-hubml-filter-add").click()
    expect(viewer.locator(".jp-hubml-error")).to_contain_text("needs a number")
    expect(bar.locator(".jp-hubml-filter-chip")).to_have_count(2)  # refused: undone
    expect(viewer.locator(".jp-hubml-pager-text")).to_contain_text(f"of {both:,}")
    shot(viewer, artifacts, "filter-error")
    bar.locator(".jp-hubml-filter-clear").click()
    expect(viewer.locator(".jp-hubml-pager-text")).to_have_text(f"Rows 1–250 of {ROWS:,}")
    expect(viewer.locator(".jp-hubml-error")).to_have_count(0)
