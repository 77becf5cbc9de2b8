"""What a model card shows, gathered from the SDK in one place: the version, its run's metrics
and params, its export formats, its signature, its evaluation report and the training data's
ranges and categories. The card and the prediction form are built from this plain object, so
they never read files themselves and can be tested on hand-made facts.

A model registered from a user's own code has no ``evaluation.json`` (only jobs log one) and
perhaps no dataset lineage: those parts are None/empty and the card shows what there is.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field

__all__ = ["CATEGORY_LIMIT", "CardFacts", "Column", "gather", "quiet_downloads"]

CATEGORY_LIMIT = 50      # distinct values up to which a text column gets a list of choices


@dataclass
class Column:
    """One input column of the model's signature, with what the training data says of it."""

    name: str
    type: str      # MLflow's: double, float, long, integer, string, boolean, datetime
    required: bool = True
    minimum: float | None = None
    maximum: float | None = None
    mean: float | None = None
    categories: list | None = None     # observed values of a text/bool column (few enough)

    @property
    def numeric(self) -> bool:
        return self.type in ("double", "float", "long", "integer")


@dataclass
class CardFacts:
    project: str
    name: str
    version: int
    body: dict                          # ModelVersion.to_json()
    metrics: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    formats: list = field(default_factory=list)
    columns: list[Column] | None = None   # None: the signature does not name its columns
    evaluation: dict | None = None
    datasets: list[dict] = field(default_factory=list)  # {dataset, version, rows, columns}
    run_name: str | None = None

    @property
    def task(self) -> str | None:
        return self.body.get("task") or (self.evaluation or {}).get("task")


def gather(project, model: str, version=None, alias: str | None = None,
           model_version=None) -> CardFacts:
    """The facts of ``project.model(model)`` at ``version`` or ``alias`` (default: latest).
    NotFound (hubml.errors) names what is missing: the model, the version or the alias."""
    with quiet_downloads():
        return _gather(project, model, version, alias, model_version)


@contextlib.contextmanager
def quiet_downloads():
    """No MLflow download progress bars (in Voila they would print on the page)."""
    name = "MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR"
    saved = os.environ.get(name)
    os.environ[name] = "false"
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = saved


def _gather(project, model, version, alias, model_version) -> CardFacts:
    from ..workspace.model_exports import formats_of

    mv = model_version or project.model(model).version(version, alias)
    body = mv.to_json()
    facts = CardFacts(project.name, mv.name, mv.version, body, formats=formats_of(mv, body))
    run_id = body.get("run_id")
    if run_id:
        facts.metrics, facts.params, facts.run_name = _run_data(project, run_id)
        facts.evaluation = _evaluation(project, run_id)
    facts.datasets = _datasets(project, body["lineage"]["datasets"])
    facts.columns = _columns(project, mv, facts.datasets)
    return facts


def _run_data(project, run_id: str) -> tuple[dict, dict, str | None]:
    from ..workspace.runs import Run

    run = Run(project, run_id)
    try:
        info = run.client.get_run(run_id)
    except Exception:  # a run deleted from the store: the card still shows the model
        return {}, {}, None
    return dict(info.data.metrics), dict(info.data.params), info.info.run_name


def _evaluation(project, run_id: str) -> dict | None:
    """The job's full evaluation report (logged as the run's evaluation.json), or None."""
    import mlflow.artifacts

    from ..workspace.runs import tracking

    try:
        with tracking(project, create=False):
            return mlflow.artifacts.load_dict(f"runs:/{run_id}/evaluation.json")
    except Exception:  # not logged (a model from the user's own code): no charts of it
        return None


def _datasets(project, lineage: list[dict]) -> list[dict]:
    from ..errors import NotFound

    out = []
    for item in lineage:
        entry = {"dataset": item["dataset"], "version": item["version"], "rows": None,
                 "statistics": {}, "schema": [], "missing": False}
        try:
            dv = project.dataset(item["dataset"]).version(item["version"])
            entry.update(rows=dv.rows, statistics=dv.statistics(), schema=dv.schema(),
                         dv=dv)
        except NotFound:      # the dataset version was deleted since: lineage stays a name
            entry["missing"] = True
        out.append(entry)
    return out


def _signature_inputs(project, mv):
    from mlflow.models import Model as MLmodel

    from ..workspace.runs import tracking

    try:
        with tracking(project, create=False):
            signature = MLmodel.load(mv.uri).signature
    except Exception:
        return None
    if signature is None or signature.inputs is None or signature.inputs.is_tensor_spec():
        return None
    return [(spec.name, _type_name(spec.type), getattr(spec, "required", True))
            for spec in signature.inputs.inputs if spec.name]


def _type_name(kind) -> str:
    return getattr(kind, "name", None) or str(kind)


def _columns(project, mv, datasets: list[dict]) -> list[Column] | None:
    inputs = _signature_inputs(project, mv)
    if inputs is None:
        return None
    source = next((d for d in datasets if not d["missing"]), None)
    stats = source["statistics"] if source else {}
    schema = {c["name"]: c for c in source["schema"]} if source else {}
    out = []
    for name, kind, required in inputs:
        col = Column(name, kind, required)
        s = stats.get(name, {})
        if col.numeric:
            col.minimum, col.maximum, col.mean = s.get("min"), s.get("max"), s.get("mean")
        elif kind == "boolean":
            col.categories = [True, False]
        elif "categories" in schema.get(name, {}):
            col.categories = list(schema[name]["categories"])
        elif source and s.get("distinct") is not None and s["distinct"] <= CATEGORY_LIMIT:
            col.categories = _observed(source["dv"], name)
        out.append(col)
    return out


def _observed(dv, name: str) -> list | None:
    """The values a text column takes in the training data, most frequent first."""
    try:
        counts = dv.load(columns=[name])[name].dropna().astype(str).value_counts()
    except Exception:
        return None
    return [str(v) for v in counts.index[:CATEGORY_LIMIT]]
