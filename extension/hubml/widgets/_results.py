"""Result charts of an evaluation report (``hubml.evaluate`` / ``job.evaluation()``), per task.

Pure functions from the report dict (and, where a chart needs more, plain arrays) to plotly
figures; no widgets, no project, no file access, so the training form, the model card and a
user's own notebook draw the same charts from the same report::

    for title, fig in report_figures(job.evaluation(), curves=job.metrics()):
        fig.show()

Each ``*_figure`` returns a ``plotly.graph_objects.Figure`` or None when the report has no data
for it (e.g. ROC curves without class probabilities: the report lists why under ``skipped``).
"""

from __future__ import annotations

__all__ = ["calibration_figure", "cluster_sizes_figure", "confusion_figure",
           "importance_figure", "learning_figure", "metric_rows", "pr_figure",
           "predicted_figure", "projection_figure", "report_figures", "residuals_figure",
           "roc_figure"]

HEIGHT = 340
_LAYOUT = {"height": HEIGHT, "margin": {"l": 60, "r": 20, "t": 46, "b": 50},
           "template": "plotly_white", "legend": {"orientation": "h", "y": -0.22}}


def _figure(title: str, **layout):
    import plotly.graph_objects as go

    fig = go.Figure()
    fig.update_layout(title={"text": title, "x": 0.02}, **{**_LAYOUT, **layout})
    return fig


def metric_rows(report: dict) -> list[tuple[str, float | None]]:
    """(name, value) of the report's scalar metrics, in the report's order."""
    return [(name, value) for name, value in (report.get("metrics") or {}).items()]


def confusion_figure(report: dict):
    cm = report.get("confusion_matrix")
    if not cm:
        return None
    import plotly.graph_objects as go

    labels = [str(label) for label in cm["labels"]]
    matrix = cm["matrix"]
    fig = _figure("Confusion matrix", xaxis={"title": "predicted", "type": "category"},
                  yaxis={"title": "actual", "type": "category", "autorange": "reversed"})
    fig.add_trace(go.Heatmap(z=matrix, x=labels, y=labels, colorscale="Blues",
                             text=matrix, texttemplate="%{text}", showscale=False,
                             hovertemplate="actual %{y}<br>predicted %{x}: %{z}<extra></extra>"))
    return fig


def _curves(report: dict, key: str) -> list:
    return (report.get("curves") or {}).get(key) or []


def roc_figure(report: dict):
    curves = _curves(report, "roc")
    if not curves:
        return None
    import plotly.graph_objects as go

    fig = _figure("ROC curve", xaxis={"title": "false positive rate", "range": [0, 1]},
                  yaxis={"title": "true positive rate", "range": [0, 1.02]})
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="chance",
                             line={"dash": "dot", "color": "#999"}))
    for curve in curves:
        auc = curve.get("auc")
        name = f"{curve['class']}" + (f" (AUC {auc:.3f})" if auc is not None else "")
        fig.add_trace(go.Scatter(x=curve["fpr"], y=curve["tpr"], mode="lines", name=name))
    return fig


def pr_figure(report: dict):
    curves = _curves(report, "pr")
    if not curves:
        return None
    import plotly.graph_objects as go

    fig = _figure("Precision-recall curve", xaxis={"title": "recall", "range": [0, 1]},
                  yaxis={"title": "precision", "range": [0, 1.02]})
    for curve in curves:
        ap = curve.get("average_precision")
        name = f"{curve['class']}" + (f" (AP {ap:.3f})" if ap is not None else "")
        fig.add_trace(go.Scatter(x=curve["recall"], y=curve["precision"], mode="lines",
                                 name=name))
    return fig


def calibration_figure(report: dict):
    curve = (report.get("curves") or {}).get("calibration")
    if not curve:
        return None
    import plotly.graph_objects as go

    fig = _figure(f"Calibration (class {curve['class']})",
                  xaxis={"title": "mean predicted probability", "range": [0, 1]},
                  yaxis={"title": "observed rate", "range": [0, 1.02]})
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="perfect",
                             line={"dash": "dot", "color": "#999"}))
    fig.add_trace(go.Scatter(x=curve["prob_pred"], y=curve["prob_true"], mode="lines+markers",
                             name="model", text=curve.get("bin_counts"),
                             hovertemplate="predicted %{x:.2f}<br>observed %{y:.2f}<br>"
                                           "%{text} rows<extra></extra>"))
    return fig


def residuals_figure(report: dict):
    res = report.get("residuals")
    if not res:
        return None
    import plotly.graph_objects as go

    fig = _figure("Residuals", xaxis={"title": "predicted"},
                  yaxis={"title": "actual - predicted"})
    fig.add_trace(go.Scatter(x=res["y_pred"], y=res["residual"], mode="markers",
                             name="rows", marker={"size": 6, "opacity": 0.7}))
    fig.add_hline(y=0, line={"dash": "dot", "color": "#999"})
    return fig


def predicted_figure(report: dict):
    res = report.get("residuals")
    if not res:
        return None
    import plotly.graph_objects as go

    values = [v for v in res["y_true"] + res["y_pred"] if v is not None]
    low, high = (min(values), max(values)) if values else (0, 1)
    fig = _figure("Predicted vs actual", xaxis={"title": "actual"},
                  yaxis={"title": "predicted"})
    fig.add_trace(go.Scatter(x=[low, high], y=[low, high], mode="lines", name="perfect",
                             line={"dash": "dot", "color": "#999"}))
    fig.add_trace(go.Scatter(x=res["y_true"], y=res["y_pred"], mode="markers", name="rows",
                             marker={"size": 6, "opacity": 0.7}))
    return fig


def importance_figure(report: dict, top: int = 20):
    imp = report.get("permutation_importance")
    if not imp or not imp.get("features"):
        return None
    import plotly.graph_objects as go

    features = imp["features"][:top][::-1]   # the largest at the top of the bars
    fig = _figure(f"Permutation importance (drop in {imp.get('scoring', 'score')})",
                  xaxis={"title": "mean drop"}, yaxis={"automargin": True},
                  height=max(HEIGHT, 26 * len(features) + 120), showlegend=False)
    fig.add_trace(go.Bar(x=[f["mean"] for f in features], y=[f["feature"] for f in features],
                         orientation="h",
                         error_x={"type": "data", "array": [f["std"] for f in features]}))
    return fig


def cluster_sizes_figure(report: dict):
    sizes = report.get("cluster_sizes")
    if not sizes:
        return None
    import plotly.graph_objects as go

    fig = _figure("Cluster sizes", xaxis={"title": "cluster", "type": "category"},
                  yaxis={"title": "rows"}, showlegend=False)
    fig.add_trace(go.Bar(x=[str(s["cluster"]) for s in sizes], y=[s["size"] for s in sizes],
                         text=[s["size"] for s in sizes], textposition="auto"))
    return fig


def projection_figure(X, labels, random_state: int = 0, limit: int = 2000):
    """Rows of ``X`` (numeric) projected on their first two principal components, coloured
    by ``labels`` (clusters or classes); at most ``limit`` rows are drawn."""
    import numpy as np
    import plotly.graph_objects as go
    from sklearn.decomposition import PCA

    from ..training.evaluate import numeric_matrix

    values, labels = numeric_matrix(X), np.asarray(labels)
    if len(values) > limit:
        keep = np.sort(np.random.default_rng(random_state).choice(len(values), limit,
                                                                  replace=False))
        values, labels = values[keep], labels[keep]
    if values.shape[1] < 2 or len(values) < 3:
        return None
    pca = PCA(n_components=2, random_state=random_state)
    points = pca.fit_transform((values - values.mean(0)) / (values.std(0) + 1e-12))
    share = pca.explained_variance_ratio_
    fig = _figure("2-D projection (PCA)", xaxis={"title": f"PC1 ({share[0]:.0%})"},
                  yaxis={"title": f"PC2 ({share[1]:.0%})"})
    for label in sorted(set(labels.tolist()), key=str):
        rows = labels == label
        fig.add_trace(go.Scatter(x=points[rows, 0], y=points[rows, 1], mode="markers",
                                 name=str(label), marker={"size": 6, "opacity": 0.75}))
    return fig


def learning_figure(curves: dict, title: str = "Learning curves"):
    """``{metric: [(step, value), ...]}`` (``job.metrics()``) as one line per metric; losses
    and scores on separate axes would mislead less, so losses get the right-hand axis."""
    if not curves:
        return None
    import plotly.graph_objects as go

    fig = _figure(title, xaxis={"title": "step"}, yaxis={"title": "score"},
                  yaxis2={"title": "loss", "overlaying": "y", "side": "right",
                          "showgrid": False})
    for name, points in curves.items():
        loss = "loss" in name or name.endswith(("mse", "rmse", "mae", "deviance"))
        fig.add_trace(go.Scatter(x=[s for s, _ in points], y=[v for _, v in points],
                                 mode="lines+markers" if len(points) < 30 else "lines",
                                 name=name, yaxis="y2" if loss else "y"))
    return fig


_BY_TASK = {
    "binary": (confusion_figure, roc_figure, pr_figure, calibration_figure, importance_figure),
    "multiclass": (confusion_figure, roc_figure, pr_figure, importance_figure),
    "regression": (predicted_figure, residuals_figure, importance_figure),
    "clustering": (cluster_sizes_figure, importance_figure),
}


def report_figures(report: dict, curves: dict | None = None, projection=None) -> list:
    """[(title, figure)] for the report's task: what the report has data for, then the
    learning curves (``curves``) and a 2-D projection (``projection=(X, labels)``)."""
    out = []
    for make in _BY_TASK.get(report.get("task"), ()):
        fig = make(report)
        if fig is not None:
            out.append((fig.layout.title.text, fig))
    if curves:
        out.append(("Learning curves", learning_figure(curves)))
    if projection is not None:
        fig = projection_figure(*projection)
        if fig is not None:
            out.append((fig.layout.title.text, fig))
    return out
