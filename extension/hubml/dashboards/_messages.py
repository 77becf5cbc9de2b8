"""User-facing texts of the dashboards ("dashboard.*"), keyed like ``hubml.messages``; ``msg``
looks there first, so a translated text there wins."""

from __future__ import annotations

__all__ = ["MESSAGES", "msg"]

MESSAGES: dict[str, str] = {
    "dashboard.not_found": "Not found",
    "dashboard.bad_request": "This page's address is not complete",
    "dashboard.failed": "This dashboard could not be shown",
    "dashboard.failed_detail": "hubml hit an unexpected error ({kind}); the Jupyter server's log "
                               "has the details.",
    "dashboard.needs": "This dashboard needs {needs} in its address, e.g. {example}",
    "dashboard.query_twice": "{field!r} is given more than once in the address",
    "dashboard.bad_version": "version must be a whole number from 1, not {value!r}",
    "dashboard.both": "give either version or alias in the address, not both",
    "dashboard.hint": "Check the address: the project, {what} and version or alias come from "
                      "its ?query. Open the dashboard again from the hubml panel to get a "
                      "fresh link.",
    "dashboard.unknown_kind": "unknown dashboard kind {kind!r}; the kinds are: {known}",
    "dashboard.path_needed": "kind 'notebook' needs path: a notebook (.ipynb) inside the project",
    "dashboard.not_notebook": "path must name a notebook (.ipynb), not {path!r}",
    "dashboard.bad_path": "path {path!r} must stay inside the project (no '..', no absolute "
                          "path, no hidden folder)",
    "dashboard.no_notebook": "project {project!r} has no notebook {path!r}",
    "dashboard.outside_root": "project {project!r} is not under this server's root folder, "
                              "so Voila cannot render its notebooks; publish the notebook as a "
                              "dashboard instead",
    "dashboard.field_for": "{field!r} does not apply to kind {kind!r}; its fields are: {known}",
    "dashboard.explorer.schema": "Columns",
    "dashboard.explorer.rows": "{rows:,} rows, {columns} columns",
    "dashboard.explorer.preview": "Rows {first:,} to {last:,} of {total:,}",
    "dashboard.explorer.prev": "Previous",
    "dashboard.explorer.next": "Next",
    "dashboard.runs.title": "Runs of {project}",
    "dashboard.runs.none": "No runs in this project yet.",
    "dashboard.loading": "Loading the model's metrics, charts and prediction form…",
    "dashboard.loading.version": "version {version}",
    "dashboard.column": "column",
    "dashboard.dtype": "type",
}


def msg(key: str, **fields) -> str:
    from .. import messages

    template = messages.MESSAGES.get(key) or MESSAGES[key]
    return template.format(**fields)
