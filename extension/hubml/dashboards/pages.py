"""What a dashboard notebook runs: the page for the URL it was opened with.

Voila gives the page's query string to the kernel as ``$QUERY_STRING`` and the page's path as
``$SCRIPT_NAME``, so one notebook serves every project and object::

    voila/render/hubml-dashboards/model_card.ipynb?project=demo&model=iris-random-forest&alias=production

``show(kind)`` builds the widget for it and displays it; a project, model, version, alias or
dataset that does not exist, or an incomplete address, displays a page saying what was not
found, never a traceback (the dashboards' one cell calls ``show`` and lets nothing escape).
"""

from __future__ import annotations

import html
import os
from urllib.parse import parse_qs

from ..errors import HubMLError, InvalidInput
from ._messages import msg

__all__ = ["KINDS", "base_url", "build", "error_page", "query", "show", "theme"]

# kind -> (required query fields, optional ones, an example address)
KINDS = {
    "model_card": (("project", "model"), ("version", "alias"),
                   "?project=demo&model=iris-random-forest&alias=production"),
    "dataset_explorer": (("project", "dataset"), ("version",),
                         "?project=demo&dataset=iris&version=1"),
    "run_compare": (("project",), ("runs",), "?project=demo"),
}
_WHAT = {"model_card": "model", "dataset_explorer": "dataset", "run_compare": "runs"}


def query(text: str | None = None) -> dict[str, str]:
    """The page's query arguments (``$QUERY_STRING`` by default), one value each."""
    text = os.environ.get("QUERY_STRING", "") if text is None else text
    out = {}
    for key, values in parse_qs(text, keep_blank_values=True).items():
        if len(values) > 1:
            raise InvalidInput(msg("dashboard.query_twice", field=key), details={"field": key})
        out[key] = values[0].strip()
    return out


def base_url() -> str:
    """The Jupyter server's base URL: the page's path up to ``voila/``, else the hub's prefix."""
    script = os.environ.get("SCRIPT_NAME", "")
    for marker in ("voila/render/", "voila/"):
        if marker in script:
            return script[:script.index(marker)]
    return os.environ.get("JUPYTERHUB_SERVICE_PREFIX") or "/"


def theme(args: dict) -> str:
    return "dark" if "dark" in args.get("theme", "").lower() else "light"


def _version(args: dict):
    value = args.get("version") or None
    if value is None or value == "latest":
        return value
    if not value.isdigit() or int(value) < 1:
        raise InvalidInput(msg("dashboard.bad_version", value=value[:40]),
                           details={"field": "version"})
    return int(value)


def _needs(kind: str, args: dict) -> None:
    required, _, example = KINDS[kind]
    missing = [f for f in required if not args.get(f)]
    if missing:
        needs = " and ".join(f"{f}=" for f in missing)
        raise InvalidInput(msg("dashboard.needs", needs=needs, example=example),
                           details={"field": missing[0]})


def build(kind: str, args: dict):
    """The widget of dashboard ``kind`` for the query ``args``; HubMLError for bad ones."""
    from ..workspace.projects import project as open_project

    if kind not in KINDS:
        raise InvalidInput(msg("dashboard.unknown_kind", kind=kind, known=", ".join(KINDS)))
    _needs(kind, args)
    p = open_project(args["project"])
    if kind == "model_card":
        from ..widgets.model_card import ModelCard

        if args.get("version") and args.get("alias"):
            raise InvalidInput(msg("dashboard.both"), details={"field": "alias"})
        return ModelCard(p, args["model"], version=_version(args),
                         alias=args.get("alias") or None, theme=theme(args),
                         base_url=base_url())
    if kind == "dataset_explorer":
        name, version = args["dataset"], _version(args)
        p.dataset(name).version(version)       # NotFound names the dataset or version
        return _widget("DatasetExplorer", p, name, version=version)
    runs = [r.strip() for r in args.get("runs", "").split(",") if r.strip()]
    return _widget("RunCompare", p, runs=runs) if runs else _widget("RunCompare", p)


def _widget(name: str, *args, **kwargs):
    """``hubml.widgets.<name>`` (other issues' widgets) when the package has it and it builds,
    else the minimal one of _fallbacks.py: the page shows something useful either way."""
    from . import _fallbacks

    try:
        from .. import widgets

        real = getattr(widgets, name)
    except (ImportError, AttributeError):
        return getattr(_fallbacks, name)(*args, **kwargs)
    try:
        return real(*args, **kwargs)
    except HubMLError:
        raise
    except Exception:
        import sys
        import traceback

        traceback.print_exc(file=sys.__stderr__)   # the server's log, not the page
        return getattr(_fallbacks, name)(*args, **kwargs)


def error_page(kind: str, error: Exception):
    """A friendly page for ``error``: what was not found or what the address lacks."""
    import ipywidgets as W

    if isinstance(error, HubMLError):
        title = msg("dashboard.not_found") if error.status == 404 else \
            msg("dashboard.bad_request")
        text = error.message
    else:
        title, text = msg("dashboard.failed"), msg("dashboard.failed_detail",
                                                   kind=type(error).__name__)
    hint = msg("dashboard.hint", what=_WHAT.get(kind, "object"))
    page = W.HTML(
        "<div class='hubml-dashboard-error' role='alert' style='max-width:720px;"
        "margin:48px auto;padding:24px 28px;border-radius:8px;"
        "border:1px solid var(--jp-border-color1);background:var(--jp-layout-color1);"
        "color:var(--jp-ui-font-color1);font-family:var(--jp-ui-font-family);"
        "overflow-wrap:anywhere'>"
        f"<h2 style='margin-top:0;color:var(--jp-ui-font-color0)'>{html.escape(title)}</h2>"
        f"<p class='hubml-dashboard-error-message' style='font-size:1.1em'>"
        f"{html.escape(text, quote=False)}</p>"
        f"<p style='color:var(--jp-ui-font-color2)'>{html.escape(hint)}</p></div>")
    page.add_class("hubml-dashboard-error-page")
    return page


def show(kind: str, query_string: str | None = None):
    """Display dashboard ``kind`` for the page's query (or ``query_string``); returns the
    widget shown (the error page when the address is wrong)."""
    import sys

    from IPython.display import display

    # jsonschema (imported by plotly's FigureWidget through nbformat) imports rfc3987_syntax
    # if it can, which compiles a grammar for IRI checks: seconds of a dashboard's first paint
    # for a check nothing here uses. A dashboard kernel goes without it.
    sys.modules.setdefault("rfc3987_syntax", None)
    try:
        widget = build(kind, query(query_string))
    except HubMLError as exc:
        widget = error_page(kind, exc)
    except Exception as exc:  # a traceback would show on the page: the server's log gets it
        import sys
        import traceback

        # the kernel process's own stderr (not the cell's): it goes to the Jupyter server's log
        traceback.print_exc(file=sys.__stderr__)
        widget = error_page(kind, exc)
    display(widget)
    return widget
