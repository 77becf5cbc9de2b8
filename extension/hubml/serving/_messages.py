"""User-facing texts of the prediction service, keyed like ``hubml.messages`` ("serve.*").

Kept together so they can move into ``hubml.messages`` (the one catalogue translations read)
in one edit; ``msg`` looks there first, so a translated text there wins.
"""

from __future__ import annotations

from ..messages import catalogue

__all__ = ["MESSAGES", "msg"]

MESSAGES: dict[str, str] = {
    # auth
    "serve.auth.missing": "no token: send 'Authorization: Bearer <token>' (or 'token <token>')",
    "serve.auth.wrong": "the token sent is not allowed to call this service",
    "serve.auth.not_configured": "no token configured: set the environment variable {env} "
                                 "(or name another with --token-env) before starting the "
                                 "service; without a token nobody could call it",
    # routing
    "serve.route.unknown": "no endpoint {method} {path}; the endpoints are: POST /invocations, "
                           "POST /v1/models/{{name}}:predict, POST /v2/models/{{name}}/infer, "
                           "GET /ping, GET /v2/health/ready, GET /metrics",
    "serve.route.method": "{method} is not allowed on {path}; use {allowed}",
    "serve.model.unknown": "this service does not serve a model named {name!r}; it serves: "
                           "{known}",
    "serve.model.version": "model {name!r} is served at version {served}, not {version!r}",
    "serve.model.which": "this service serves several models ({known}); name one with the "
                         "header 'X-Model-Name: <name>' or use /v2/models/<name>/infer",
    "serve.model.loading": "model {name!r} is not loaded yet; retry in a moment",
    # payloads
    "serve.body.too_large": "the request body is larger than this service accepts "
                            "({limit} bytes); send fewer rows per request or start the "
                            "service with a larger --max-body-bytes",
    "serve.body.empty": "the request body is empty; send {expected}",
    "serve.body.json": "the request body is not valid JSON: {problem}",
    "serve.body.csv": "the CSV body cannot be read: {problem}",
    "serve.body.content_type": "unsupported Content-Type {content_type!r}; send "
                               "application/json or text/csv",
    "serve.body.not_object": "the JSON body must be an object with one of the keys {keys}, "
                             "not {got}",
    "serve.body.keys": "the JSON body must have exactly one of the keys {keys}; it has: "
                       "{found}",
    "serve.body.shape": "{field} must be {expected}, not {got}",
    "serve.body.no_rows": "the input has no rows; send at least one row",
    "serve.body.ragged": "row {row} has {got} values where {want} are expected ({columns})",
    "serve.columns.missing": "the input lacks the column(s) {missing}; the model takes: "
                             "{expected}",
    "serve.columns.count": "the input has {got} values per row; the model takes {want}: "
                           "{expected}",
    "serve.columns.type": "column {column!r} must be {want}, got {value!r} (row {row})",
    "serve.v2.inputs": "'inputs' must be a list of tensors like {{\"name\": \"input-0\", "
                       "\"shape\": [1, {width}], \"datatype\": \"FP64\", \"data\": [...]}}",
    "serve.v2.shape": "input {name!r}: shape {shape} does not match its {count} values",
    "serve.model.failed": "the model could not predict on this input: {problem}",
    # recipes on raw input
    "serve.recipe.numeric": "column {column!r} must be numeric, not {value}",
    "serve.recipe.missing_values": "column {column!r} has missing values, which the model's "
                                   "recipe cannot cast to int64",
    "serve.recipe.unseen": "column {column!r} has values not seen when the recipe was "
                           "fitted: {values}",
    "serve.recipe.not_made": "the recipe did not make the model's column(s) {missing}",
    # retraining
    "serve.retrain.missing": "retraining is not available in this installation "
                             "(hubml.serving.retrain is missing)",
    "serve.retrain.off": "retraining is not enabled for this service; start it with "
                         "--retrain-schedule CRON or --retrain-min-rows N",
    # CLI and start-up
    "serve.spec.bad": "cannot read the model {spec!r}: write NAME, NAME:VERSION or NAME@ALIAS",
    "serve.spec.twice": "model {name!r} is named twice; serve each model once",
    "serve.compile.hist": "{name} v{version}: skl2onnx cannot convert this model ({problem}); "
                          "the native model serves",
    "serve.compile.differs": "{name} v{version}: the ONNX form predicts differently from the "
                             "native model on {rows} checked rows; the native model serves",
    "serve.compile.used": "{name} v{version}: serving the ONNX form (predictions checked "
                          "equal on {rows} rows)",
    "batch.model_failed": "the model could not predict rows {first} to {last} of {dataset} "
                          "v{version} ({problem}); nothing was saved",
    "batch.output_columns": "the output dataset would have the column {column!r} twice; "
                            "choose another --prediction-column",
}

msg = catalogue(MESSAGES)
