"""A dashboard page that paints at once and fills in when its data is ready.

Voila shows a page only when every cell has run. A model card needs MLflow, pandas and plotly
(seconds of imports) before it can show anything, so ``show_soon`` displays the page's header
at once (the model's name and project from the address, with cheap imports only) and a
loading line, and lets the cell end: the page shows. A thread does the slow part (imports,
the registry, the run's metrics and evaluation report, the chart figures); the widgets are
then made on the kernel's event loop (the main thread: ipywidgets' registry of widgets is not
safe to grow from another thread while the browser asks for every widget's state) and put in
place of the loading line. A wrong address gives the same not-found page as ``show``.

Without a running event loop (a plain script), ``show_soon`` is ``show``.
"""

from __future__ import annotations

import html
import sys

from ..errors import HubMLError
from ._messages import msg
from .pages import _needs, _version, base_url, error_page, query, show, theme

__all__ = ["loading_header", "show_soon"]


def loading_header(args: dict):
    """The card's header from the address alone, and a loading line (no registry access)."""
    import ipywidgets as W

    from ..widgets._card_style import CSS

    version = args.get("version")
    tag = msg("dashboard.loading.version", version=version) if version else \
        args.get("alias") or ""
    chip = f"<span class='hubml-chip'>{html.escape(tag)}</span>" if tag else ""
    head = W.HTML(
        f"{CSS}<div class='hubml-card-header'><h2 class='hubml-card-title'>"
        f"{html.escape(args['model'])}</h2>{chip}<span class='hubml-card-project'>"
        f"{html.escape(args['project'])}</span></div>"
        f"<div class='hubml-loading' role='status'><span class='hubml-loading-bar'></span>"
        f"<span class='hubml-muted'>{html.escape(msg('dashboard.loading'))}</span></div>"
        "<style>.hubml-loading { display: flex; align-items: center; gap: 10px; margin: 12px 0; }"
        " .hubml-loading-bar { width: 120px; height: 4px; border-radius: 2px; overflow: hidden;"
        " background: var(--jp-layout-color3); position: relative; }"
        " .hubml-loading-bar::after { content: ''; position: absolute; left: -40%; width: 40%;"
        " height: 100%; background: var(--jp-brand-color1, #1976d2);"
        " animation: hubml-slide 1.2s infinite ease-in-out; }"
        " @keyframes hubml-slide { to { left: 100%; } }</style>")
    box = W.VBox([head], layout=W.Layout(width="100%", max_width="1100px"))
    box.add_class("hubml-card")
    box.add_class("hubml-card-loading")
    return box


def _gather(args: dict) -> dict:
    """The slow part, in the thread: what ModelCard needs, gathered (no widget made)."""
    from ..widgets._card_charts import figures
    from ..widgets._card_facts import gather
    from ..workspace.projects import project as open_project

    p = open_project(args["project"])
    mv = p.model(args["model"]).version(_version(args), args.get("alias") or None)
    facts = gather(p, mv.name, model_version=mv)
    return {"project": p, "model": mv.name, "facts": facts, "model_version": mv,
            "chart_figures": figures(facts.evaluation, theme(args))}


def _log(error: BaseException) -> None:
    import traceback

    # the kernel's own stderr (not the cell's): it goes to the Jupyter server's log
    traceback.print_exception(type(error), error, error.__traceback__, file=sys.__stderr__)


def _finish(page, kind: str, args: dict, result) -> None:
    """On the event loop: the card (or the error page) in place of the loading header."""
    widget = None
    if not isinstance(result, BaseException):
        from ..widgets.model_card import ModelCard

        try:
            widget = ModelCard(theme=theme(args), base_url=base_url(), **result)
        except Exception as exc:  # noqa: BLE001 - shown as a page, never a traceback
            result = exc
    if widget is None:
        if not isinstance(result, HubMLError):
            _log(result)
        widget = error_page(kind, result)
    page.children = [widget]
    page.remove_class("hubml-dashboard-loading")


def show_soon(kind: str, query_string: str | None = None):
    """Like ``pages.show``, for the model card: the header now, the rest when ready. Returns
    the page widget (a box whose child becomes the card or the error page)."""
    import asyncio
    import threading

    import ipywidgets as W
    from IPython.display import display

    sys.modules.setdefault("rfc3987_syntax", None)    # see pages.show
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    if kind != "model_card" or loop is None:
        return show(kind, query_string)
    try:
        args = query(query_string)
        _needs(kind, args)
        _version(args)
        if args.get("version") and args.get("alias"):
            from ..errors import InvalidInput

            raise InvalidInput(msg("dashboard.both"), details={"field": "alias"})
    except HubMLError as exc:
        widget = error_page(kind, exc)
        display(widget)
        return widget
    page = W.VBox([loading_header(args)], layout=W.Layout(width="100%"))
    page.add_class("hubml-dashboard-loading")

    def work():
        try:
            result = _gather(args)
        except BaseException as exc:  # noqa: BLE001 - handed to _finish, which shows a page
            result = exc
        loop.call_soon_threadsafe(_finish, page, kind, args, result)

    display(page)
    threading.Thread(target=work, name="hubml-dashboard", daemon=True).start()
    return page
