"""Minimal stand-ins for ``hubml.widgets.DatasetExplorer`` and ``RunCompare`` while those
widgets (other issues' work) are not in the package: the dashboards use the real ones as soon
as ``hubml.widgets`` exports them (pages.build tries them first).

- DatasetExplorer: schema with the version's statistics, and a paged table of its rows
  (pages read through the server's preview reader: row groups, never the whole file).
- RunCompare: the project's runs with their metrics and params, one row each.
"""

from __future__ import annotations

import html

import ipywidgets as W

from ._messages import msg

__all__ = ["DatasetExplorer", "RunCompare"]

_PAGE = 20

_CSS = """<style>
.hubml-dash { color: var(--jp-ui-font-color1); font-family: var(--jp-ui-font-family);
  max-width: 1100px; overflow-wrap: anywhere; }
.hubml-dash h2 { margin: 8px 0 4px; color: var(--jp-ui-font-color0); }
.hubml-dash .hubml-wrap { max-width: 100%; overflow-x: auto; }
.hubml-dash table { border-collapse: collapse; font-size: 0.92em; }
.hubml-dash th, .hubml-dash td { padding: 3px 10px 3px 4px; text-align: left;
  border-bottom: 1px solid var(--jp-border-color2); white-space: nowrap; }
.hubml-dash th { color: var(--jp-ui-font-color2); font-weight: 600; }
.hubml-dash .hubml-muted { color: var(--jp-ui-font-color2); }
</style>"""


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return html.escape("" if value is None else str(value))


def _table(head: list[str], rows: list[list]) -> str:
    th = "".join(f"<th>{html.escape(str(h))}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>"
                   for row in rows)
    return f"<div class='hubml-wrap'><table><thead><tr>{th}</tr></thead><tbody>{body}" \
           "</tbody></table></div>"


class DatasetExplorer(W.VBox):
    """Schema, statistics and a paged table of one dataset version (read-only)."""

    def __init__(self, project, name: str, version=None, **kwargs):
        super().__init__(**kwargs)
        version = project.dataset(name).version(version)
        self.add_class("hubml-dash")
        self.add_class("hubml-dataset-explorer")
        self.project, self.dataset_version, self.offset = project, version, 0
        stats = version.statistics()
        keys = ["missing", "distinct", "min", "max", "mean", "std"]
        rows = [[c["name"], c["dtype"], *[stats.get(c["name"], {}).get(k) for k in keys]]
                for c in version.schema()]
        header = W.HTML(
            f"{_CSS}<h2 class='hubml-dataset-title'>{html.escape(version.name)} "
            f"v{version.version}</h2><p class='hubml-muted'>"
            f"{html.escape(msg('dashboard.explorer.rows', rows=version.rows, columns=len(rows)))}"
            f"</p><h3>{html.escape(msg('dashboard.explorer.schema'))}</h3>"
            + _table([msg("dashboard.column"), msg("dashboard.dtype"), *keys], rows))
        self.page = W.HTML()
        self.where = W.HTML()
        self.prev = W.Button(description=msg("dashboard.explorer.prev"), icon="arrow-left")
        self.next = W.Button(description=msg("dashboard.explorer.next"), icon="arrow-right")
        self.prev.on_click(lambda _: self.show(self.offset - _PAGE))
        self.next.on_click(lambda _: self.show(self.offset + _PAGE))
        self.children = [header, W.HBox([self.prev, self.next, self.where],
                                        layout=W.Layout(flex_flow="row wrap",
                                                        align_items="center")), self.page]
        self.show(0)

    def show(self, offset: int) -> None:
        from ..server.preview import preview

        total = self.dataset_version.rows
        self.offset = max(0, min(offset, max(total - 1, 0) // _PAGE * _PAGE))
        page = preview(self.dataset_version, self.offset, _PAGE)
        self.page.value = _table(page["columns"], page["rows"])
        last = self.offset + len(page["rows"])
        self.where.value = html.escape(msg("dashboard.explorer.preview", first=self.offset + 1,
                                           last=last, total=total))
        self.prev.disabled, self.next.disabled = self.offset == 0, last >= total


class RunCompare(W.VBox):
    """The project's runs side by side: name, start, metrics and params."""

    def __init__(self, project, runs=None, **kwargs):
        super().__init__(**kwargs)
        self.add_class("hubml-dash")
        self.add_class("hubml-run-compare")
        found = _runs(project, runs)
        title = f"{_CSS}<h2>{html.escape(msg('dashboard.runs.title', project=project.name))}</h2>"
        if not found:
            self.children = [W.HTML(title + f"<p class='hubml-muted'>"
                                    f"{html.escape(msg('dashboard.runs.none'))}</p>")]
            return
        metrics = sorted({k for r in found for k in r.data.metrics})
        params = sorted({k for r in found for k in r.data.params})
        rows = [[r.info.run_name or r.info.run_id[:8], *[r.data.metrics.get(m) for m in metrics],
                 *[r.data.params.get(p) for p in params]] for r in found]
        self.children = [W.HTML(title + _table(["run", *metrics, *params], rows))]


def _runs(project, wanted) -> list:
    from ..workspace.runs import Run
    from ..workspace.store import experiment_id, open_store

    if not open_store(project):
        return []
    experiment = experiment_id(project, False)
    if experiment is None:
        return []
    client = Run(project, "").client
    found = client.search_runs([experiment], max_results=200, order_by=["start_time DESC"])
    return [r for r in found if not wanted or r.info.run_id in wanted
            or r.info.run_name in wanted]
