"""HTML for one page of a table: a sticky header with per-column statistics and a small
histogram (inline SVG), cells escaped and shortened. Colours come from JupyterLab's CSS
variables (with fallbacks for Voila and other front ends), so dark themes read well.
"""

from __future__ import annotations

import html
import math

from ._messages import msg

__all__ = ["CSS", "cell_text", "grid_html", "spark_svg", "stats_lines"]

CELL_CHARS = 80

CSS = """<style>
.hubml-grid-wrap{max-height:560px;overflow:auto;border:1px solid var(--jp-border-color2,#ddd);}
.hubml-grid{border-collapse:separate;border-spacing:0;font-size:12px;
  font-family:var(--jp-ui-font-family,sans-serif);color:var(--jp-ui-font-color1,#222);}
.hubml-grid th,.hubml-grid td{padding:3px 8px;border-bottom:1px solid var(--jp-border-color2,#eee);
  white-space:nowrap;text-align:left;vertical-align:top;}
.hubml-grid thead th{position:sticky;top:0;z-index:1;background:var(--jp-layout-color2,#f4f4f4);
  border-bottom:2px solid var(--jp-border-color1,#bbb);}
.hubml-grid td.num{text-align:right;font-variant-numeric:tabular-nums;}
.hubml-grid td.idx,.hubml-grid th.idx{color:var(--jp-ui-font-color2,#777);
  background:var(--jp-layout-color1,#fff);position:sticky;left:0;}
.hubml-grid thead th.idx{z-index:2;background:var(--jp-layout-color2,#f4f4f4);}
.hubml-grid .na{color:var(--jp-ui-font-color3,#aaa);font-style:italic;}
.hubml-grid .colname{font-weight:600;}
.hubml-grid .dtype{color:var(--jp-ui-font-color2,#777);font-weight:400;margin-left:4px;}
.hubml-grid .stat{color:var(--jp-ui-font-color2,#666);font-weight:400;font-size:11px;}
.hubml-grid .spark rect{fill:var(--jp-brand-color1,#1976d2);}
.hubml-grid .added{background:rgba(46,160,67,.15);}
.hubml-grid .removed{background:rgba(248,81,73,.15);text-decoration:line-through;}
.hubml-grid .changed{background:rgba(210,153,34,.22);}
.hubml-grid .old{color:var(--jp-ui-font-color2,#777);text-decoration:line-through;margin-right:4px;}
.hubml-banner{padding:6px 10px;border-radius:3px;margin:4px 0;font-size:13px;}
.hubml-banner.error{background:rgba(248,81,73,.15);border-left:4px solid #d73a49;}
.hubml-banner.info{background:rgba(25,118,210,.10);border-left:4px solid #1976d2;}
.hubml-banner.warn{background:rgba(210,153,34,.18);border-left:4px solid #d29922;}
.hubml-note{color:var(--jp-ui-font-color2,#666);font-size:12px;}
</style>"""


def _number(value) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return f"{value:.1f}"
        return f"{value:.6g}"
    return str(value)


def cell_text(value) -> tuple[str, bool]:
    """(escaped text, is missing)."""
    try:
        import pandas as pd

        missing = value is None or (not hasattr(value, "__len__") and bool(pd.isna(value)))
    except (TypeError, ValueError):
        missing = False
    if missing:
        return "—" if value is None else html.escape(str(value)), True
    text = _number(value) if isinstance(value, float) else str(value)
    if len(text) > CELL_CHARS:
        text = text[:CELL_CHARS - 1] + "…"
    return html.escape(text), False


def spark_svg(summary: dict, width: int = 110, height: int = 26) -> str:
    """A tiny bar chart: the histogram of a number column or the top values of others."""
    if summary.get("top") and (summary["kind"] != "number" or "histogram" not in summary
                               or len(summary["top"]) <= 12):
        counts = [c for _, c in summary["top"]]
        labels = [f"{v}: {c}" for v, c in summary["top"]]
    elif summary.get("histogram"):
        counts = summary["histogram"]["counts"]
        edges = summary["histogram"]["edges"]
        labels = [f"{_number(edges[i])} - {_number(edges[i + 1])}: {c}"
                  for i, c in enumerate(counts)]
    else:
        return ""
    top = max(counts) or 1
    bar = width / max(len(counts), 1)
    rects = []
    for i, (count, label) in enumerate(zip(counts, labels, strict=True)):
        h = max(1.0, height * count / top) if count else 0
        rects.append(f'<rect x="{i * bar:.1f}" y="{height - h:.1f}" width="{max(bar - 1, 1):.1f}"'
                     f' height="{h:.1f}"><title>{html.escape(label)}</title></rect>')
    return (f'<svg class="spark" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">{"".join(rects)}</svg>')


def stats_lines(summary: dict) -> list[str]:
    if summary.get("kind") == "empty":
        return [msg("table.stats_empty")]
    distinct = summary.get("distinct")
    lines = [msg("table.stats_nulls", nulls=f"{summary['nulls']:,}",
                 distinct="?" if distinct is None else f"{distinct:,}")]
    if "min" in summary:
        lines.append(f"{_short(summary['min'])} … {_short(summary['max'])}")
    if summary.get("kind") == "number" and summary.get("mean") is not None:
        median = summary.get("quantiles", {}).get("0.5")
        lines.append(f"mean {_number(float(summary['mean']))} · median "
                     f"{_number(float(median)) if median is not None else '?'}")
    elif summary.get("kind") == "bool":
        lines.append(f"true {summary['mean']:.1%}")
    return lines


def _short(value, chars: int = 16) -> str:
    text = _number(value) if isinstance(value, float) else str(value)
    return text if len(text) <= chars else text[:chars - 1] + "…"


def _tooltip(summary: dict) -> str:
    parts = [f"{summary['dtype']}, {summary['rows']:,} rows"]
    for q, v in (summary.get("quantiles") or {}).items():
        parts.append(f"q{float(q) * 100:g}: {_short(v, 24)}")
    if summary.get("std") is not None:
        parts.append(f"std: {_number(summary['std'])}")
    if summary.get("top"):
        parts.append("top: " + ", ".join(f"{_short(v)} ({c:,})" for v, c in summary["top"]))
    return html.escape("\n".join(parts))


def grid_html(page, summaries: dict | None = None, first_row: int = 1, marks=None,
              css: bool = True) -> str:
    """One page as an HTML table; ``summaries`` maps column -> column_summary (header),
    ``marks`` maps (row label, column) -> (css class, old text) for a diff view."""
    from pandas.api import types

    summaries = summaries or {}
    marks = marks or {}
    head = ['<th class="idx">#</th>']
    for col in page.columns:
        summary = summaries.get(str(col))
        dtype = html.escape(str(page[col].dtype))
        cls = marks.get((None, col), ("", ""))[0]
        cell = [f'<span class="colname">{html.escape(str(col))}</span>'
                f'<span class="dtype">{dtype}</span>']
        if summary is None and str(col) in summaries:  # being computed in the kernel
            cell.append(f'<div class="stat">{html.escape(msg("table.stats_pending"))}</div>')
        if summary:
            cell.append(f"<div>{spark_svg(summary)}</div>")
            cell += [f'<div class="stat">{html.escape(line)}</div>'
                     for line in stats_lines(summary)]
        title = f' title="{_tooltip(summary)}"' if summary else ""
        head.append(f'<th class="{cls}"{title}>{"".join(cell)}</th>')
    numeric = {c: types.is_numeric_dtype(page[c].dtype) and not types.is_bool_dtype(page[c].dtype)
               for c in page.columns}
    body = []
    columns = list(page.columns)
    rows = zip(page.index, page.itertuples(index=False, name=None), strict=True)
    for offset, (label, row) in enumerate(rows):
        row_cls = marks.get((label, None), ("", ""))[0]
        cells = [f'<td class="idx {row_cls}" title="index {html.escape(str(label))}">'
                 f"{first_row + offset:,}</td>"]
        for col, value in zip(columns, row, strict=True):
            text, missing = cell_text(value)
            classes = ["num"] if numeric[col] else []
            if missing:
                text = f'<span class="na">{text or "NaN"}</span>'
            mark = marks.get((label, col)) or marks.get((None, col))
            if mark:
                classes.append(mark[0])
                if mark[1]:
                    text = f'<span class="old">{mark[1]}</span>{text}'
            if row_cls:
                classes.append(row_cls)
            cells.append(f'<td class="{" ".join(classes)}">{text}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(columns) + 1}" class="na">'
                    f'{html.escape(msg("table.no_rows"))}</td></tr>')
    table = (f'<div class="hubml-grid-wrap"><table class="hubml-grid"><thead><tr>{"".join(head)}'
             f'</tr></thead><tbody>{"".join(body)}</tbody></table></div>')
    return (CSS if css else "") + table
