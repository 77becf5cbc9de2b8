"""Who may call a deployment (serving/hub_auth.py), and the deployment's base URL
(serving/deployment.py). The checks against a real hub are in tests/hub/test_deployments.py."""

import asyncio
import json

import pytest

from hubml.serving.deployment import PrefixApp, retrain_settings
from hubml.serving.hub_auth import PREDICT_SCOPE, HubAuth, token_allows


@pytest.mark.parametrize("scopes, allowed", [
    (["access:servers!server=ann/serve-churn"], True),     # a share of this server
    (["access:servers!user=ann"], True),                   # all of ann's servers
    (["access:servers"], True),                            # an admin's
    ([f"{PREDICT_SCOPE}!user=ann"], True),                 # ann's narrow prediction token
    ([f"{PREDICT_SCOPE}!server=ann/serve-churn"], True),
    ([PREDICT_SCOPE], True),
    (["access:servers!server=ann/serve-other"], False),    # another deployment of ann's
    (["access:servers!server=bob/serve-churn"], False),    # bob's server of the same name
    ([f"{PREDICT_SCOPE}!user=bob"], False),
    (["read:users!user=ann", "self"], False),
    ([], False),
    (None, False),
])
def test_token_scopes_that_reach_the_deployment(scopes, allowed):
    assert token_allows(scopes, "ann", "serve-churn") is allowed


def test_hub_auth_needs_the_hub_environment(monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_API_URL", raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    with pytest.raises(RuntimeError, match="HUBML_SERVE_TOKEN"):
        HubAuth()


def test_hub_auth_refuses_a_request_without_token_without_asking(monkeypatch):
    auth = HubAuth(api_url="http://127.0.0.1:9/hub/api", owner="ann", server="serve-churn")

    class Headers:
        token = None
    assert asyncio.run(auth(Headers())) is False


def call(app, path):
    """One HTTP request through an ASGI app; (status, scope the inner app saw or None)."""
    seen, sent = {}, []

    async def inner(scope, receive, send):
        seen.update(scope)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "path": path, "method": "GET", "headers": [], "root_path": ""}
    asyncio.run(app(inner, "/user/ann/serve-churn/")(scope, receive, send))
    return sent[0]["status"], (seen or None)


def test_the_service_answers_under_the_hubs_route_only():
    app = lambda inner, prefix: PrefixApp(inner, prefix)  # noqa: E731
    status, scope = call(app, "/user/ann/serve-churn/invocations")
    assert status == 200 and scope["path"] == "/invocations"
    assert scope["root_path"] == "/user/ann/serve-churn"
    assert call(app, "/user/ann/serve-churn/")[1]["path"] == "/"
    assert call(app, "/user/ann/serve-churn")[1]["path"] == "/"
    status, scope = call(app, "/user/ann/serve-churnX/invocations")
    assert status == 404 and scope is None
    assert call(app, "/invocations") == (404, None)


def test_retrain_settings_of_a_deployment():
    assert retrain_settings({}) == {}
    assert retrain_settings({"HUBML_RETRAIN": json.dumps({"interval": 5})}) == {"interval": 5}
    assert retrain_settings({"HUBML_RETRAIN": "[1]"}) == {}
