"""Evaluation charts of a model card: the training form's result charts (``_results.py``,
evaluation report -> plotly figures per task type), keyed for the card's CSS and restyled for
the card's theme (light or dark, transparent so the page's colours show, the card's height).
Pure: ``figures(report)`` builds ``go.Figure`` objects and touches no widget, so it is tested
without a kernel; the card shows them with ``_charts.ChartView`` (plotly's MIME bundle).
"""

from __future__ import annotations

from . import _results

__all__ = ["HEIGHT", "figures"]

HEIGHT = 300
# _results' figure functions of each task, in its order, with the key the card's CSS uses
_KEYS = {"confusion_figure": "confusion_matrix", "roc_figure": "roc", "pr_figure": "pr",
         "calibration_figure": "calibration", "predicted_figure": "predicted_actual",
         "residuals_figure": "residuals", "cluster_sizes_figure": "cluster_sizes",
         "importance_figure": "importance"}


def figures(report: dict | None, theme: str = "light") -> list[tuple[str, object]]:
    """[(key, go.Figure)] for ``report`` (empty for None or a report without chart data)."""
    if not report:
        return []
    out = []
    for make in _results._BY_TASK.get(report.get("task"), ()):
        fig = make(report)
        if fig is not None:
            _style(fig, theme)
            out.append((_KEYS.get(make.__name__, make.__name__), fig))
    return out


def _style(fig, theme: str) -> None:
    fig.update_layout(template="plotly_dark" if theme == "dark" else "plotly_white",
                      height=HEIGHT, autosize=True, margin={"l": 56, "r": 16, "t": 44, "b": 48},
                      paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)")
