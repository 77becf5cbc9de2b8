"""The prediction form's way to a deployed model: when ``hubml.deployments`` (the serving
issue's module) lists a running model deployment of this project serving this model version,
the row goes to its MLflow scoring endpoint (``POST <url>invocations``, dataframe_split) with
this server's hub token. Anything else (no such module, no hub, no running deployment, the
service not answering or answering something else) gives None, and the form predicts in the
kernel instead, so a card works the same with or without a deployment.
"""

from __future__ import annotations

import json
import os
from urllib.parse import urljoin

__all__ = ["service_predict"]

_TIMEOUT = 10   # seconds for the service's answer


def _serves(deployment: dict, model_version) -> bool:
    model = deployment.get("model") or {}
    if deployment.get("kind") != "model" or deployment.get("status") != "running" or \
            model.get("name") != model_version.name:
        return False
    if model.get("version") is not None:
        return int(model["version"]) == model_version.version
    alias = model.get("alias")
    try:
        return bool(alias) and model_version.project.model(model_version.name).aliases().get(
            alias) == model_version.version
    except Exception:
        return False


def _service_url(model_version) -> str | None:
    if not os.environ.get("JUPYTERHUB_API_URL"):
        return None               # deployments are named servers of a hub: none without one
    try:
        from .. import deployments

        found = [d for d in deployments.list(model_version.project.name)
                 if _serves(d, model_version)]
    except Exception:             # no deployments module, or the hub did not answer
        return None
    if not found:
        return None
    url = str(found[0].get("url") or "")
    if url.startswith("/"):       # a path on the hub's proxy: needs the hub's public address
        public = os.environ.get("JUPYTERHUB_PUBLIC_URL") or \
            os.environ.get("JUPYTERHUB_PUBLIC_HUB_URL")
        url = urljoin(public, url) if public else ""
    return url if url.startswith("http") else None


def service_predict(model_version, df) -> dict | None:
    """{"prediction", "probabilities": None, "source": "service", "where"} or None."""
    url = _service_url(model_version)
    if url is None:
        return None
    import urllib.request

    body = json.dumps({"dataframe_split": json.loads(df.to_json(orient="split", index=False,
                                                                date_format="iso"))})
    headers = {"Content-Type": "application/json"}
    token = os.environ.get("JUPYTERHUB_API_TOKEN")
    if token:
        headers["Authorization"] = f"token {token}"
    request = urllib.request.Request(url.rstrip("/") + "/invocations", data=body.encode(),
                                     headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=_TIMEOUT) as answer:
            payload = json.loads(answer.read())
        prediction = payload["predictions"][0]
    except Exception:   # the service is down or answered something else: predict in the kernel
        return None
    if isinstance(prediction, dict) and len(prediction) == 1:
        prediction = next(iter(prediction.values()))
    return {"prediction": prediction, "probabilities": None, "source": "service", "where": url}
