"""Before/after of a step on the visible page: the rows shown, matched by index label, with
added columns, removed columns and rows, and changed cells (old value struck through)."""

from __future__ import annotations

from .._grid_html import cell_text, grid_html
from .._messages import msg

__all__ = ["page_diff"]


def _same(a, b) -> bool:
    import pandas as pd

    try:
        if pd.isna(a) and pd.isna(b):
            return True
    except (TypeError, ValueError):
        pass
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def page_diff(before_page, before_all, after, first_row: int = 1) -> tuple[str, str]:
    """(summary text, HTML table) for the page ``before_page`` of ``before_all``."""
    import pandas as pd

    added = [c for c in after.columns if c not in before_all.columns]
    removed = [c for c in before_page.columns if c not in after.columns]
    labels = before_page.index
    if after.index.is_unique and before_all.index.is_unique:
        kept = labels[labels.isin(after.index)]
        gone = labels[~labels.isin(after.index)]
        after_rows = after.loc[kept]
    else:  # duplicate labels: match by position on the page
        kept, gone = labels, labels[:0]
        after_rows = after.iloc[:len(labels)]
    shown_cols = [c for c in after.columns if c in before_page.columns or c in added]
    page = after_rows[shown_cols]
    for col in removed:
        page = page.assign(**{str(col): before_page.loc[kept, col].to_numpy()}) if len(kept) \
            else page.assign(**{str(col): []})
    if len(gone):
        page = pd.concat([page, before_page.loc[gone, [c for c in page.columns
                                                       if c in before_page.columns]]])
    marks = {}
    cells = 0
    for col in added:
        marks[(None, col)] = ("added", "")
    for col in removed:
        marks[(None, str(col))] = ("removed", "")
    for label in gone:
        marks[(label, None)] = ("removed", "")
    common = [c for c in shown_cols if c in before_page.columns]
    if len(kept) and after.index.is_unique and before_all.index.is_unique:
        old = before_page.loc[kept, common]
        new = after_rows[common]
        for col in common:
            for label, a, b in zip(kept, old[col].tolist(), new[col].tolist(), strict=True):
                if not _same(a, b):
                    marks[(label, col)] = ("changed", cell_text(a)[0])
                    cells += 1
    summary = msg("studio.diff_summary", rows_before=f"{len(before_all):,}",
                  rows_after=f"{len(after):,}",
                  added=", ".join(map(str, added)) or msg("studio.none"),
                  removed=", ".join(map(str, removed)) or msg("studio.none"), cells=cells)
    return summary, grid_html(page, None, first_row, marks)
