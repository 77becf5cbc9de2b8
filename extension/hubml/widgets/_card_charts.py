"""Evaluation charts of a model card: an evaluation report (training/evaluate.py) -> plotly
figures, by task type. Pure: ``figures(report)`` builds ``go.Figure`` objects and touches no
widget, so it is tested without a kernel; the card wraps them in ``go.FigureWidget``.

Classification: confusion matrix, ROC and precision-recall curves, calibration (binary).
Regression: predicted against actual, residual histogram. Clustering: cluster sizes. Any task:
permutation importance (the largest drops first).
"""

from __future__ import annotations

from ._card_messages import msg

__all__ = ["HEIGHT", "figures"]

HEIGHT = 300
_TOP_FEATURES = 15


def figures(report: dict | None, theme: str = "light") -> list[tuple[str, object]]:
    """[(key, go.Figure)] for ``report`` (empty for None or a report without chart data)."""
    if not report:
        return []
    out = []
    task = report.get("task")
    if task in ("binary", "multiclass"):
        out += _classification(report)
    elif task == "regression":
        out += _regression(report)
    elif task == "clustering":
        out += _clustering(report)
    importance = report.get("permutation_importance")
    if importance and importance.get("features"):
        out.append(("importance", _importance(importance)))
    for _, fig in out:
        _style(fig, theme)
    return out


def _style(fig, theme: str) -> None:
    fig.update_layout(template="plotly_dark" if theme == "dark" else "plotly_white",
                      height=HEIGHT, autosize=True, margin={"l": 56, "r": 16, "t": 44, "b": 48},
                      paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
                      legend={"orientation": "h", "y": -0.22}, title={"x": 0.02,
                                                                       "font": {"size": 14}})


def _classification(report: dict) -> list:
    import plotly.graph_objects as go

    out = []
    cm = report.get("confusion_matrix")
    if cm:
        labels = [str(x) for x in cm["labels"]]
        fig = go.Figure(go.Heatmap(z=cm["matrix"], x=labels, y=labels, colorscale="Blues",
                                   texttemplate="%{z}", showscale=False,
                                   hovertemplate="true %{y}, predicted %{x}: %{z}<extra></extra>"))
        fig.update_layout(title=msg("card.chart.confusion"))
        fig.update_xaxes(title=msg("card.chart.predicted"), type="category")
        fig.update_yaxes(title=msg("card.chart.actual"), type="category", autorange="reversed")
        out.append(("confusion_matrix", fig))
    curves = report.get("curves") or {}
    if curves.get("roc"):
        fig = go.Figure()
        for c in curves["roc"]:
            fig.add_trace(go.Scatter(x=c["fpr"], y=c["tpr"], mode="lines",
                                     name=f"{c['class']} (AUC {c['auc']:.3f})"))
        fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", showlegend=False,
                                 line={"dash": "dot", "color": "gray"}, hoverinfo="skip"))
        fig.update_layout(title=msg("card.chart.roc"))
        fig.update_xaxes(title=msg("card.chart.fpr"), range=[0, 1])
        fig.update_yaxes(title=msg("card.chart.tpr"), range=[0, 1.02])
        out.append(("roc", fig))
    if curves.get("pr"):
        fig = go.Figure()
        for c in curves["pr"]:
            fig.add_trace(go.Scatter(x=c["recall"], y=c["precision"], mode="lines",
                                     name=f"{c['class']} (AP {c['average_precision']:.3f})"))
        fig.update_layout(title=msg("card.chart.pr"))
        fig.update_xaxes(title=msg("card.chart.recall"), range=[0, 1])
        fig.update_yaxes(title=msg("card.chart.precision"), range=[0, 1.02])
        out.append(("pr", fig))
    cal = curves.get("calibration")
    if cal:
        fig = go.Figure([go.Scatter(x=cal["prob_pred"], y=cal["prob_true"], mode="lines+markers",
                                    name=str(cal["class"])),
                         go.Scatter(x=[0, 1], y=[0, 1], mode="lines", showlegend=False,
                                    line={"dash": "dot", "color": "gray"}, hoverinfo="skip")])
        fig.update_layout(title=msg("card.chart.calibration"))
        fig.update_xaxes(title=msg("card.chart.mean_predicted"), range=[0, 1])
        fig.update_yaxes(title=msg("card.chart.observed"), range=[0, 1])
        out.append(("calibration", fig))
    return out


def _regression(report: dict) -> list:
    import plotly.graph_objects as go

    res = report.get("residuals")
    if not res or not res.get("y_true"):
        return []
    low = min(min(res["y_true"]), min(res["y_pred"]))
    high = max(max(res["y_true"]), max(res["y_pred"]))
    scatter = go.Figure([go.Scatter(x=res["y_true"], y=res["y_pred"], mode="markers",
                                    marker={"size": 6, "opacity": 0.7}, name="rows",
                                    showlegend=False),
                         go.Scatter(x=[low, high], y=[low, high], mode="lines",
                                    line={"dash": "dot", "color": "gray"}, showlegend=False,
                                    hoverinfo="skip")])
    scatter.update_layout(title=msg("card.chart.predicted_actual"))
    scatter.update_xaxes(title=msg("card.chart.actual"))
    scatter.update_yaxes(title=msg("card.chart.predicted"))
    hist = go.Figure(go.Histogram(x=res["residual"], nbinsx=30, name="residual",
                                  showlegend=False))
    hist.update_layout(title=msg("card.chart.residuals"), bargap=0.05)
    hist.update_xaxes(title=msg("card.chart.residual"))
    hist.update_yaxes(title=msg("card.chart.rows"))
    return [("predicted_actual", scatter), ("residuals", hist)]


def _clustering(report: dict) -> list:
    import plotly.graph_objects as go

    sizes = report.get("cluster_sizes")
    if not sizes:
        return []
    fig = go.Figure(go.Bar(x=[str(s["cluster"]) for s in sizes], y=[s["size"] for s in sizes]))
    fig.update_layout(title=msg("card.chart.cluster_sizes"))
    fig.update_xaxes(title=msg("card.chart.cluster"), type="category")
    fig.update_yaxes(title=msg("card.chart.rows"))
    return [("cluster_sizes", fig)]


def _importance(importance: dict):
    import plotly.graph_objects as go

    top = importance["features"][:_TOP_FEATURES][::-1]   # largest at the top of the bars
    fig = go.Figure(go.Bar(x=[f["mean"] for f in top], y=[f["feature"] for f in top],
                           orientation="h", error_x={"type": "data",
                                                     "array": [f["std"] for f in top]}))
    fig.update_layout(title=msg("card.chart.importance", scoring=importance.get("scoring", "")))
    fig.update_xaxes(title=msg("card.chart.importance_drop"))
    fig.update_yaxes(type="category", automargin=True)
    return fig
