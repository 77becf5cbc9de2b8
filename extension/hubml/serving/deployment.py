"""A model deployment as the hub runs it: ``hubml serve`` behind JupyterHub's proxy.

The hub's spawner (hubml_spawner/deployments.py) starts::

    python -m hubml.serving.deployment --project P MODEL@ALIAS --host IP --port PORT \
        --base-url /user/<owner>/<server>/

which serves the model with the service of :mod:`hubml.serving.server` (one worker),
JupyterHub tokens checked by :class:`hubml.serving.hub_auth.HubAuth`, every route answered
under the base URL (the proxy forwards the full path: ``/user/ann/serve-churn/invocations``),
and retraining configured from ``HUBML_RETRAIN`` (JSON: schedule, interval, min_new_rows,
metric) held here, in the deployment, not in a Jupyter server the culler stops.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

__all__ = ["PrefixApp", "main", "retrain_settings"]

RETRAIN_ENV = "HUBML_RETRAIN"


class PrefixApp:
    """ASGI: requests under ``prefix`` reach ``app`` with the prefix taken off their path;
    others get 404 (the hub's proxy sends only ours)."""

    def __init__(self, app, prefix: str):
        self.app = app
        self.prefix = "/" + prefix.strip("/") if prefix.strip("/") else ""

    async def __call__(self, scope, receive, send):
        if scope["type"] in ("http", "websocket") and self.prefix:
            path = scope["path"]
            if path != self.prefix and not path.startswith(self.prefix + "/"):
                await _not_found(send, path)
                return
            scope = {**scope, "path": path[len(self.prefix):] or "/",
                     "root_path": scope.get("root_path", "") + self.prefix}
        await self.app(scope, receive, send)

    # the service's lifespan hooks, if it has them, are reached through __call__


async def _not_found(send, path: str) -> None:
    body = json.dumps({"error": {"code": "not_found", "message": f"nothing at {path}",
                                 "details": {}}}).encode()
    await send({"type": "http.response.start", "status": 404,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def retrain_settings(env=os.environ) -> dict:
    """The deployment's retraining settings (empty when it does not retrain)."""
    raw = env.get(RETRAIN_ENV)
    if not raw:
        return {}
    value = json.loads(raw)
    return value if isinstance(value, dict) else {}


def app_factory():
    """uvicorn's factory: the service, under the base URL."""
    from .server import app_from_env

    return PrefixApp(app_from_env(), os.environ.get("HUBML_DEPLOY_BASE_URL", "/"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hubml.serving.deployment")
    parser.add_argument("model", metavar="MODEL", help="NAME@ALIAS or NAME:VERSION")
    parser.add_argument("--project", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--base-url", default=os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/"))
    parser.add_argument("--log-level", default="warning")
    args = parser.parse_args(argv)

    import uvicorn

    from ..errors import HubMLError
    from .server import CONFIG_ENV, ServeConfig, check

    retrain = retrain_settings()
    config = ServeConfig(project=args.project, models=[args.model], host=args.host,
                         port=args.port, auth="hubml.serving.hub_auth:HubAuth",
                         retrain_schedule=retrain.get("schedule"),
                         retrain_min_rows=retrain.get("min_new_rows"),
                         log_level=args.log_level, extra={"retrain": retrain})
    try:
        check(config)
    except HubMLError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from dataclasses import asdict

    os.environ[CONFIG_ENV] = json.dumps(asdict(config))
    os.environ["HUBML_DEPLOY_BASE_URL"] = args.base_url
    uvicorn.run("hubml.serving.deployment:app_factory", factory=True, host=args.host,
                port=args.port, loop="uvloop", http="httptools", lifespan="on",
                access_log=False, log_level=args.log_level, timeout_keep_alive=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
