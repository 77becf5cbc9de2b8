"""``hubml serve`` and ``hubml batch-predict`` (added to the ``hubml`` command by cli.py)."""

from __future__ import annotations

import sys

__all__ = ["add_parsers"]


def _serve(args) -> int:
    from ..errors import HubMLError
    from .server import ServeConfig, serve

    config = ServeConfig(project=args.project, root=args.root, models=args.models,
                         host=args.host, port=args.port, workers=args.workers,
                         token_env=args.token_env, auth=args.auth, max_body=args.max_body_bytes,
                         compile=args.compile, poll=args.poll,
                         retrain_schedule=args.retrain_schedule,
                         retrain_min_rows=args.retrain_min_rows, log_level=args.log_level)
    try:
        serve(config)
    except HubMLError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _batch(args) -> int:
    import hubml

    from ..errors import HubMLError
    from .batch import batch_predict
    from .registry import parse_spec

    try:
        project = hubml.project(args.project, root=args.root)
        name, _, version = args.dataset.partition(":")
        out = batch_predict(project, parse_spec(args.model), name,
                            int(version) if version.isdigit() else None, args.output,
                            keep=[c for c in (args.keep or "").split(",") if c],
                            prediction_column=args.prediction_column,
                            batch_rows=args.batch_rows, progress=not args.quiet)
    except HubMLError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote dataset {out.name} version {out.version} ({out.rows} rows)")
    return 0


def add_parsers(sub) -> None:
    serve = sub.add_parser("serve", help="serve registered models over REST (MLflow scoring, "
                           "TensorFlow Serving, Open Inference Protocol)")
    serve.add_argument("models", nargs="+", metavar="MODEL",
                       help="NAME (latest version, followed), NAME:VERSION or NAME@ALIAS "
                            "(followed when the alias moves)")
    serve.add_argument("--project", required=True, help="the project the models belong to")
    serve.add_argument("--root", default=None, help="project root (default: all roots)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=5000, help="port (default 5000)")
    serve.add_argument("--workers", type=int, default=1, help="worker processes")
    serve.add_argument("--token-env", default=None,
                       help="environment variable holding the token (default "
                            "HUBML_SERVE_TOKEN)")
    serve.add_argument("--auth", default=None, metavar="MODULE:NAME",
                       help="an authenticate(headers) hook instead of the token "
                            "(see hubml.serving.auth)")
    serve.add_argument("--max-body-bytes", type=int, default=16 << 20,
                       help="larger request bodies get 413 (default 16 MiB)")
    serve.add_argument("--compile", choices=("auto", "off"), default="auto",
                       help="auto: serve an ONNX form of scikit-learn models when its "
                            "predictions are checked equal; off: always the native model")
    serve.add_argument("--poll", type=float, default=1.0,
                       help="seconds between looks at the registry for moved aliases")
    serve.add_argument("--retrain-schedule", default=None, metavar="CRON",
                       help="retrain on this cron schedule")
    serve.add_argument("--retrain-min-rows", type=int, default=None, metavar="N",
                       help="retrain when the dataset gained N rows")
    serve.add_argument("--log-level", default="warning",
                       choices=("debug", "info", "warning", "error"))
    serve.set_defaults(func=_serve)

    batch = sub.add_parser("batch-predict", help="score a dataset version into a new dataset "
                           "version")
    batch.add_argument("model", metavar="MODEL", help="NAME, NAME:VERSION or NAME@ALIAS")
    batch.add_argument("--project", required=True, help="the project")
    batch.add_argument("--root", default=None, help="project root (default: all roots)")
    batch.add_argument("--dataset", required=True, metavar="NAME[:VERSION]",
                       help="the dataset version to score (default: its latest)")
    batch.add_argument("--output", required=True, metavar="NAME",
                       help="the dataset to write the predictions to (a new version)")
    batch.add_argument("--keep", default=None, metavar="COL,COL",
                       help="input columns to copy next to the predictions (e.g. an id)")
    batch.add_argument("--prediction-column", default="prediction",
                       help="name of the predictions' column")
    batch.add_argument("--batch-rows", type=int, default=65536,
                       help="rows per chunk (bounds memory)")
    batch.add_argument("--quiet", action="store_true", help="no progress bar")
    batch.set_defaults(func=_batch)
