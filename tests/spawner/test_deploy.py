"""Deployments on the hub side (hubml_spawner/deployments.py, hubconfig.py, kube.py): the
deployment option checked before anything starts, the command each kind runs, the culler's
rule, the hub configuration, and KubeSpawner pods of deployments validated for Kubernetes."""

import asyncio
from datetime import timedelta

import pytest
from traitlets.config import Config

from hubml_spawner import deployments as d
from hubml_spawner.hubconfig import (
    DEPLOYMENT_TOKEN_SCOPES,
    SERVER_TOKEN_SCOPES,
    configure_deployments,
    culler_command,
    server_token_scopes,
)
from tests.support.kube import as_dict, validate

MODEL = {"kind": "model", "project": "churn", "model": "gbdt", "alias": "production"}
DASH = {"kind": "dashboard", "project": "churn", "path": "dashboards/card.ipynb",
        "query": {"model": "gbdt", "n": 3}}


def test_a_model_deployment_runs_hubml_serve_behind_the_proxy():
    dep = d.parse_deployment(MODEL)
    assert dep.model_ref == "gbdt@production"
    assert d.parse_deployment({**MODEL, "alias": None, "version": 3}).model_ref == "gbdt:3"
    cmd = d.model_command(dep, bin_dir="/opt/hubml/bin", ip="127.0.0.1", port=5123,
                          base_url="/user/ann/serve-gbdt/")
    assert cmd == ["/opt/hubml/bin/python", "-m", "hubml.serving.deployment", "--project",
                   "churn", "gbdt@production", "--host", "127.0.0.1", "--port", "5123",
                   "--base-url", "/user/ann/serve-gbdt/"]
    env = d.model_environment(d.parse_deployment({**MODEL, "retrain": {"interval": 60}}))
    assert env["HUBML_RETRAIN"] == '{"interval": 60}'


def test_a_dashboard_runs_voila_only_rooted_at_the_project():
    dep = d.parse_deployment(DASH)
    args = d.dashboard_args(dep, "/home/ann/projects/churn")
    assert "--ServerApp.root_dir=/home/ann/projects/churn" in args
    assert "--ServerApp.default_url=/voila/render/dashboards/card.ipynb?model=gbdt&n=3" in args
    extensions = next(a for a in args if a.startswith("--ServerApp.jpserver_extensions="))
    value = eval(extensions.split("=", 1)[1])  # a Python literal, as traitlets reads it
    assert value["voila"] is True and value["jupyterlab"] is False and value["hubml"] is False
    assert "--ServerApp.authorizer_class=hubml.serving.hub_auth.DashboardAuthorizer" in args
    assert ("--ServerApp.kernel_websocket_connection_class="
            "hubml.serving.dashboard_ws.DashboardKernelConnection") in args


@pytest.mark.parametrize("raw, words", [
    ("x", "must be an object"),
    ({"kind": "cron"}, "'model' or 'dashboard'"),
    ({**MODEL, "project": "Bad"}, "'project'"),
    ({**MODEL, "model": "../x"}, "'model'"),
    ({**MODEL, "version": 0}, "'version'"),
    ({**MODEL, "version": 2}, "either 'alias' or 'version'"),
    ({**MODEL, "shell": "rm"}, "unknown field 'shell'"),
    ({**DASH, "path": "../../etc/passwd.ipynb"}, "leaves the project"),
    ({**DASH, "path": "/etc/x.ipynb"}, "leaves the project"),
    ({**DASH, "path": "notes.txt"}, "notebook"),
    ({**DASH, "query": {"a": [1]}}, "'query'"),
    ({**MODEL, "retrain": {"cmd": "x"}}, "'retrain' takes"),
])
def test_bad_deployment_options_are_refused_with_what_to_change(raw, words):
    with pytest.raises(d.DeploymentRefused, match=words.replace("(", r"\(")):
        d.parse_deployment(raw)


def test_a_deployment_runs_only_as_its_kinds_named_server():
    d.check_server_name(d.parse_deployment(MODEL), "serve-gbdt")
    for name in ("", "gbdt", "dash-gbdt", "serve-"):
        with pytest.raises(d.DeploymentRefused, match="serve-<name>"):
            d.check_server_name(d.parse_deployment(MODEL), name)
    options, dep = d.split_options({"profile": "sklearn", d.KEY: MODEL})
    assert options == {"profile": "sklearn"} and dep.kind == "model"
    assert d.split_options({"profile": "sklearn"}) == ({"profile": "sklearn"}, None)


def test_the_culler_leaves_deployments_and_stops_idle_jupyter_servers():
    idle = timedelta(hours=5)
    assert d.cull_arbiter(inactive=idle, inactive_limit=3600,
                          server={"name": "serve-gbdt", "user_options": {d.KEY: MODEL}}) is False
    assert d.cull_arbiter(inactive=idle, inactive_limit=3600,
                          server={"name": "", "user_options": {"profile": "sklearn"}}) is True
    assert d.cull_arbiter(inactive=timedelta(minutes=1), inactive_limit=3600,
                          server={"name": "", "user_options": None}) is False
    command = culler_command(600)
    config = command[-1].split("=", 1)[1]
    assert command[-2] == "--timeout=600"
    assert "cull_arbiter_hook = cull_arbiter" in open(config).read()


def test_hub_config_enables_named_servers_sharing_and_scoped_tokens():
    c = Config()
    configure_deployments(c)
    assert c.JupyterHub.allow_named_servers is True
    assert c.JupyterHub.named_server_limit_per_user >= 2
    assert "custom:hubml:predict" in c.JupyterHub.custom_scopes

    class Spawner:
        name = ""
    assert server_token_scopes(Spawner) == SERVER_TOKEN_SCOPES
    assert {"servers!user", "shares!user"} <= set(SERVER_TOKEN_SCOPES)
    Spawner.name = "serve-gbdt"
    assert server_token_scopes(Spawner) == DEPLOYMENT_TOKEN_SCOPES
    assert "servers!user" not in DEPLOYMENT_TOKEN_SCOPES


def named_spawner(make_spawner, server_name):
    user = make_spawner("ann").user
    user._new_orm_spawner(server_name, server_name)  # as the hub does for a new named server
    return user.spawners[server_name]


def test_kube_pod_of_a_model_deployment_runs_the_service(make_spawner):
    async def build():
        spawner = named_spawner(make_spawner, "serve-gbdt")
        await spawner._run_apply_user_options({d.KEY: MODEL})
        await spawner.load_user_options()
        return spawner, await as_dict(await spawner.get_pod_manifest())

    spawner, pod = asyncio.run(build())
    validate(pod)
    container = pod["spec"]["containers"][0]
    command = container.get("command") or container.get("args")
    assert command[:3] == ["python", "-m", "hubml.serving.deployment"]
    assert "gbdt@production" in command and "/user/ann/serve-gbdt/" in command
    assert spawner.user_options[d.KEY] == MODEL   # listed with the server
    assert spawner.cmd == ["jupyterhub-singleuser"]  # restored for the next start


def test_kube_pod_of_a_dashboard_runs_voila_on_the_users_volume(make_spawner):
    async def build():
        spawner = named_spawner(make_spawner, "dash-card")
        await spawner._run_apply_user_options({d.KEY: DASH})
        await spawner.load_user_options()
        return await as_dict(await spawner.get_pod_manifest())

    pod = asyncio.run(build())
    validate(pod)
    args = pod["spec"]["containers"][0]["args"]
    assert args[0] == "jupyterhub-singleuser"
    assert "--ServerApp.root_dir=/home/jovyan/projects/churn" in args


def test_kube_refuses_a_deployment_on_the_wrong_server(make_spawner):
    async def build():
        spawner = make_spawner("ann")  # the default server
        await spawner._run_apply_user_options({d.KEY: DASH})

    with pytest.raises(Exception, match="dash-<name>"):
        asyncio.run(build())
