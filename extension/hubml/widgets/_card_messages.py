"""User-facing texts of the model card and its prediction form ("card.*", "predict.*"),
keyed like ``hubml.messages``; ``msg`` looks there first, so a translated text there wins."""

from __future__ import annotations

__all__ = ["MESSAGES", "msg"]

MESSAGES: dict[str, str] = {
    "card.version": "version {version}",
    "card.no_description": "No description.",
    "card.framework": "Framework",
    "card.algorithm": "Algorithm",
    "card.task": "Task",
    "card.created": "Registered",
    "card.unknown": "not recorded",
    "card.section.lineage": "Lineage",
    "card.section.metrics": "Metrics",
    "card.section.charts": "Evaluation",
    "card.section.params": "Parameters",
    "card.section.exports": "Export formats",
    "card.section.predict": "Try a prediction",
    "card.lineage.dataset": "{dataset} v{version}",
    "card.lineage.rows": "{rows:,} rows",
    "card.lineage.deleted": "(deleted since)",
    "card.lineage.none": "No dataset recorded (registered without dataset=).",
    "card.lineage.datasets": "Trained on",
    "card.lineage.recipe": "Recipe",
    "card.lineage.no_recipe": "none",
    "card.lineage.run": "Run",
    "card.metrics.evaluated_on": "Evaluated on the {part} rows ({rows:,}).",
    "card.metrics.from_run": "Metrics logged by the run (no evaluation report was logged).",
    "card.metrics.none": "No metrics were logged for this model.",
    "card.metrics.name": "Metric",
    "card.metrics.value": "Value",
    "card.charts.none": "No evaluation report was logged (models trained by a hubml job, or "
                        "whose run logs evaluation.json, get charts here).",
    "card.params.name": "Parameter",
    "card.exports.none": "No export format for this model.",
    "card.exports.hint": "Download the model in a deployment format.",
    "predict.button": "Predict",
    "predict.no_signature": "This model's signature does not name its input columns, so no form "
                            "can be made for it; predict from code with "
                            "p.model({name!r}).load().predict(X).",
    "predict.range": "{low} to {high} in training",
    "predict.choices": "{count} values in training",
    "predict.need_number": "enter a number",
    "predict.need_integer": "enter a whole number",
    "predict.need_bool": "choose true or false",
    "predict.need_date": "enter a date like 2024-01-31",
    "predict.required": "a value is required",
    "predict.outside": "outside the training range {low} to {high}",
    "predict.fix_fields": "Fix the marked fields first.",
    "predict.running": "Predicting...",
    "predict.result": "Prediction",
    "predict.probabilities": "Class probabilities",
    "predict.class": "class",
    "predict.probability": "probability",
    "predict.failed": "The model could not predict these values: {error}",
    "predict.via_service": "answered by the deployed service {where}",
    "predict.in_process": "answered by the model loaded in this kernel",
}


def msg(key: str, **fields) -> str:
    from .. import messages

    template = messages.MESSAGES.get(key) or MESSAGES[key]
    return template.format(**fields)
