"""Deployments through the real hub: the owner's Jupyter server asks the hub (hubml REST ->
hubml.deployments -> the hub's API with the server's own token) to publish a dashboard as a
named server; it is shared with a group; a member opens it with their token, a non-member and
an anonymous visitor are refused, a member cannot touch the owner's files; the idle culler
stops the idle JupyterLab and leaves the deployment running; stopping it ends its process."""

import os
import re
import subprocess
import time

import pytest
import requests

from hubml_spawner.hubconfig import culler_command
from tests.support.hub import HubError, remove_leftover_project, running_hub
from tests.support.kernel_ws import V1, KernelSocket, kernel_id_of

pytestmark = pytest.mark.hub

PASSWORD = "correct-horse-42"
OWNER, MEMBER, OUTSIDER = "dora", "mia", "nick"
PROJECT = "deploys"
NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "# Deployed page"},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": "import os\nprint('page for', os.environ.get('QUERY_STRING'))"},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": "import ipywidgets as w\nslider, label = w.IntSlider(), w.Label('none')\n"
                   "slider.observe(lambda c: setattr(label, 'value', f\"got {c['new']}\"), "
                   "'value')\nprint('slider', slider.model_id)\nw.VBox([slider, label])"},
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    with running_hub(tmp_path_factory, "deploy-hub", {"analysts": [MEMBER]}) as running:
        for name in (OWNER, MEMBER, OUTSIDER):
            running.add_user(name, PASSWORD)
        remove_leftover_project(OWNER, PROJECT)
        running.spawn(OWNER)
        try:
            yield running
        finally:  # the hub's stop waits for default servers only
            for name in running.api("GET", f"users/{OWNER}").json()["servers"]:
                if name:
                    running.api("DELETE", f"users/{OWNER}/servers/{name}",
                                json={"remove": True})


def api(hub, path, method="GET", **kwargs):
    """hubml's REST API on the owner's own Jupyter server."""
    return hub.user_api(OWNER, f"hubml/api/{path}", method=method, **kwargs)


def token_of(hub, user):
    r = hub.api("POST", f"users/{user}/tokens", json={"note": "deployment test"})
    assert r.status_code == 201, r.text
    return r.json()["token"]


def wait_status(hub, name, want, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = api(hub, f"projects/{PROJECT}/deployments/{name}")
        assert r.status_code == 200, r.text
        if r.json()["status"] == want:
            return r.json()
        time.sleep(0.3)
    raise HubError(f"{name} not {want} in {timeout}s: {r.json()}\n{hub.log_tail()}")


def server_pid(hub, name):
    state = hub.api("GET", f"users/{OWNER}").json()["servers"].get(name, {}).get("state") or {}
    return state.get("pid")


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie reads as alive until reaped; its state says it is gone
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture(scope="module")
def project(hub):
    r = api(hub, "projects", "POST", json={"name": PROJECT})
    assert r.status_code == 201, r.text
    return PROJECT


@pytest.fixture(scope="module")
def dashboard(hub, project):
    r = hub.user_api(OWNER, f"api/contents/projects/{PROJECT}/dashboards", method="PUT",
                     json={"type": "directory"})
    assert r.status_code in (200, 201), r.text
    r = hub.user_api(OWNER, f"api/contents/projects/{PROJECT}/dashboards/hello.ipynb",
                     method="PUT", json={"type": "notebook", "format": "json",
                                         "content": NOTEBOOK})
    assert r.status_code in (200, 201), r.text
    r = api(hub, f"projects/{PROJECT}/deployments", "POST",
            json={"kind": "dashboard", "path": "dashboards/hello.ipynb",
                  "query": {"model": "churn"}, "name": "hello"})
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["name"] == "dash-hello" and made["kind"] == "dashboard"
    assert made["status"] in ("starting", "running")
    assert made["url"].endswith(f"/user/{OWNER}/dash-hello/")
    running = wait_status(hub, "dash-hello", "running")
    # the first page starts a kernel; on a busy machine that can outlast the proxy's 20 s
    page = f"{hub.url}/user/{OWNER}/dash-hello/voila/render/dashboards/hello.ipynb"
    owner = {"Authorization": f"token {token_of(hub, OWNER)}"}
    for _attempt in range(3):
        if requests.get(page, headers=owner, timeout=60).status_code != 503:
            break
    return running


def test_bad_deployments_are_refused_and_start_nothing(hub, project):
    cases = [({"kind": "dashboard", "path": "nowhere.ipynb"}, 404),
             ({"kind": "dashboard", "path": "../../etc/x.ipynb"}, 404),
             ({"kind": "cron"}, 400),
             ({"kind": "model"}, 400),
             ({"kind": "model", "model": "no-such-model"}, 404),
             ({"kind": "dashboard", "model": "x", "path": "a.ipynb"}, 400)]
    for body, status in cases:
        r = api(hub, f"projects/{PROJECT}/deployments", "POST", json=body)
        assert r.status_code == status, (body, r.status_code, r.text)
        assert r.json()["error"]["message"]
    r = api(hub, "projects/no-such-project/deployments")
    assert r.status_code == 404
    # the hub refuses a deployment option it cannot run, also when asked directly
    r = hub.api("POST", f"users/{OWNER}/servers/dash-direct",
                json={"hubml_deployment": {"kind": "dashboard", "project": PROJECT,
                                           "path": "../x.ipynb"}})
    assert r.status_code == 400, r.text
    servers = hub.api("GET", f"users/{OWNER}").json()["servers"]
    assert set(servers) == {""} | ({"dash-hello"} & set(servers))


def test_published_dashboard_is_listed_and_renders_for_its_owner(hub, dashboard):
    listed = api(hub, f"projects/{PROJECT}/deployments").json()["deployments"]
    assert [d["name"] for d in listed] == ["dash-hello"]
    assert listed[0]["shared_with"] == {"users": [], "groups": []}
    assert listed[0]["path"] == "dashboards/hello.ipynb"
    owner = token_of(hub, OWNER)
    r = requests.get(f"{hub.url}/user/{OWNER}/dash-hello/", timeout=60,
                     headers={"Authorization": f"token {owner}"})
    assert r.status_code == 200, r.text[:500]
    assert "/voila/render/dashboards/hello.ipynb" in r.url
    assert "page for model=churn" in r.text


def browser_open(hub, user, url):
    """``url`` in a logged-in browser session of ``user``: a shared server asks the visitor
    once to authorize it (JupyterHub's OAuth page); accept it as a person would."""
    session, r = hub.login(user, PASSWORD)
    assert r.status_code == 302
    r = session.get(url, timeout=60)
    if "/hub/api/oauth2/authorize" in r.url and r.status_code == 200:
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', r.text)
        scopes = re.findall(r'name="scopes" value="([^"]+)"', r.text)
        assert xsrf, r.text[:500]
        r = session.post(r.url, data={"_xsrf": xsrf.group(1), "scopes": scopes}, timeout=60)
    return r


def test_shared_with_a_group_a_member_opens_it_and_others_are_refused(hub, dashboard):
    r = api(hub, f"projects/{PROJECT}/deployments/dash-hello/shares", "PUT",
            json={"groups": ["analysts"]})
    assert r.status_code == 200, r.text
    assert r.json()["shared_with"] == {"users": [], "groups": ["analysts"]}
    page = f"{hub.url}/user/{OWNER}/dash-hello/voila/render/dashboards/hello.ipynb"
    r = browser_open(hub, MEMBER, page)
    assert r.status_code == 200 and "page for" in r.text, (r.status_code, r.url)
    r = browser_open(hub, OUTSIDER, page)
    assert "page for" not in r.text and r.status_code in (403, 404), (r.status_code, r.url)
    r = requests.get(page, timeout=30, allow_redirects=False)  # anonymous: to the login
    assert r.status_code == 302 and "/hub/" in r.headers["location"]


def test_shared_with_a_user_their_token_opens_it_but_not_the_owners_files(hub, dashboard):
    r = api(hub, f"projects/{PROJECT}/deployments/dash-hello/shares", "PUT",
            json={"users": [OUTSIDER], "groups": ["analysts"]})
    assert r.json()["shared_with"] == {"users": [OUTSIDER], "groups": ["analysts"]}
    base = f"{hub.url}/user/{OWNER}/dash-hello"
    shared = {"Authorization": f"token {token_of(hub, OUTSIDER)}"}
    r = requests.get(f"{base}/voila/render/dashboards/hello.ipynb", headers=shared, timeout=60)
    assert r.status_code == 200 and "page for" in r.text
    # the page, not the owner's files, kernels or a terminal
    assert requests.get(f"{base}/api/contents/", headers=shared, timeout=30).status_code == 403
    r = requests.put(f"{base}/api/contents/planted.txt", headers=shared, timeout=30,
                     json={"type": "file", "format": "text", "content": "x"})
    assert r.status_code == 403
    assert requests.post(f"{base}/api/kernels", headers=shared, timeout=30).status_code == 403
    # the share reaches the dashboard only, not the owner's JupyterLab
    r = requests.get(f"{hub.url}/user/{OWNER}/api/contents/", headers=shared, timeout=30,
                     allow_redirects=False)
    assert r.status_code == 403
    # revoked (an empty list), a fresh token of theirs is refused again
    r = api(hub, f"projects/{PROJECT}/deployments/dash-hello/shares", "PUT",
            json={"groups": ["analysts"]})
    assert r.json()["shared_with"] == {"users": [], "groups": ["analysts"]}
    again = {"Authorization": f"token {token_of(hub, OUTSIDER)}"}
    r = requests.get(f"{base}/voila/render/dashboards/hello.ipynb", headers=again, timeout=30,
                     allow_redirects=False)
    assert r.status_code in (403, 404)


def test_shares_of_unknown_groups_are_refused(hub, dashboard):
    r = api(hub, f"projects/{PROJECT}/deployments/dash-hello/shares", "PUT",
            json={"groups": ["no-such-group"]})
    assert r.status_code == 400, r.text
    assert "no-such-group" in r.json()["error"]["message"]
    r = api(hub, f"projects/{PROJECT}/deployments/dash-nothing/shares", "PUT", json={})
    assert r.status_code == 404


PLANT = ("open('planted-by-viewer.txt', 'w').write('x'); planted = 1")


def replies_to(msg_id):
    return lambda m: m["parent_header"].get("msg_id") == msg_id and \
        m["header"]["msg_type"].endswith("_reply")


def server_target(hub, name):
    """Where the proxy sends ``/user/<owner>/<name>/`` (the hub logs each route it adds)."""
    routes = re.findall(rf"to proxy /user/{OWNER}/{name}/ => (http://[\d.:]+)",
                        hub.log_path.read_text(errors="replace"))
    assert routes, hub.log_tail()
    return routes[-1]


@pytest.mark.parametrize("protocol", [None, V1])
def test_a_viewer_moves_widgets_but_cannot_run_code_in_the_kernel(hub, dashboard, protocol):
    """The page's kernel runs as the owner: a viewer's socket carries widget traffic only,
    in the legacy JSON protocol (through the hub's proxy) and in the binary v1 protocol
    (straight to the server: the Python configurable-http-proxy relays a client's binary
    frames as text and does not echo the chosen subprotocol, so v1 cannot pass it)."""
    r = api(hub, f"projects/{PROJECT}/deployments/dash-hello/shares", "PUT",
            json={"groups": ["analysts"]})
    assert r.status_code == 200, r.text
    base = f"{hub.url}/user/{OWNER}/dash-hello"
    if protocol == V1:
        base = f"{server_target(hub, 'dash-hello')}/user/{OWNER}/dash-hello"
    member = token_of(hub, MEMBER)
    page = requests.get(f"{base}/voila/render/dashboards/hello.ipynb", timeout=60,
                        headers={"Authorization": f"token {member}"})
    assert page.status_code == 200 and "page for" in page.text, page.status_code
    kernel = kernel_id_of(page.text)
    sock = KernelSocket(base, kernel, member, protocol)
    try:
        info = sock.send("kernel_info_request", {})
        reply = sock.collect(replies_to(info))[-1]
        assert reply["content"].get("status") == "ok", reply
        assert sock.frames == ({"binary"} if protocol == V1 else {"text"})  # as negotiated
        ran = sock.send("execute_request", {"code": PLANT, "silent": False,
                                            "store_history": True, "user_expressions": {},
                                            "allow_stdin": False, "stop_on_error": True})
        reply = sock.collect(replies_to(ran))[-1]
        assert reply["header"]["msg_type"] == "execute_reply"
        assert reply["content"]["status"] == "error"
        assert reply["content"]["ename"] == "PermissionError"
        for other in ("complete_request", "inspect_request"):
            refused = sock.send(other, {"code": "os.", "cursor_pos": 3})
            assert sock.collect(replies_to(refused))[-1]["content"]["status"] == "error"
        # the widgets still answer: set the slider, the kernel's handler updates the label
        slider = re.search(r"slider ([0-9a-f]{32})", page.text)
        assert slider, page.text[:500]
        comms = sock.send("comm_info_request", {"target_name": "jupyter.widget"})
        known = sock.collect(replies_to(comms))[-1]["content"]["comms"]
        assert slider.group(1) in known, (slider.group(1), known)
        sock.send("comm_msg", {"comm_id": slider.group(1), "data": {
            "method": "update", "state": {"value": 7}, "buffer_paths": []}})
        updated = sock.collect(lambda m: m["header"]["msg_type"] == "comm_msg" and
                               m["content"]["data"].get("state", {}).get("value") == "got 7")
        assert updated and updated[-1]["header"]["msg_type"] == "comm_msg", sock.seen[-5:]
        assert not [m for m in sock.seen if m["header"]["msg_type"] == "execute_input"
                    or m["parent_header"].get("msg_id") == ran and
                    m["header"]["msg_type"] == "status"]
    finally:
        sock.close()
    owner_token = token_of(hub, OWNER)
    r = requests.get(f"{base}/api/contents/dashboards/planted-by-viewer.txt", timeout=30,
                     headers={"Authorization": f"token {owner_token}"})
    assert r.status_code == 404, r.text[:300]
    # the owner, on the same kernel, still runs code; the viewer's never ran there
    own = KernelSocket(base, kernel, owner_token, protocol)
    try:
        ran = own.send("execute_request", {"code": "print('planted' in globals(), 6 * 7)",
                                           "silent": False, "store_history": True,
                                           "user_expressions": {}, "allow_stdin": False,
                                           "stop_on_error": True})
        got = own.collect(replies_to(ran))
        assert got[-1]["content"]["status"] == "ok", got[-1]
        out = "".join(m["content"]["text"] for m in got if m["header"]["msg_type"] == "stream")
        assert out.strip() == "False 42", got
    finally:
        own.close()


def points_csv(rows=60):
    lines = ["x1,x2,label"]
    for i in range(rows):
        x1, x2 = (i % 7) - 3 + i / 100, (i % 5) - 2
        lines.append(f"{x1},{x2},{'yes' if x1 > 0 else 'no'}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def served(hub, project):
    """A model trained by a job in the owner's project, served as serve-points."""
    r = api(hub, f"projects/{PROJECT}/datasets?filename=points.csv", "POST",
            data=points_csv().encode())
    assert r.status_code == 201, r.text
    spec = {"framework": "sklearn", "algorithm": "sklearn.logistic_regression",
            "task": "binary", "dataset": "points", "target": "label", "model_name": "points"}
    r = api(hub, f"projects/{PROJECT}/jobs", "POST", json=spec)
    assert r.status_code == 201, r.text
    job = r.json()["id"]
    deadline = time.monotonic() + 180
    while api(hub, f"projects/{PROJECT}/jobs/{job}").json()["state"] in ("queued", "running"):
        assert time.monotonic() < deadline, "training did not end"
        time.sleep(0.5)
    assert api(hub, f"projects/{PROJECT}/jobs/{job}").json()["state"] == "succeeded"
    for _attempt in range(4):  # the server's first MLflow import can outlast the proxy's
        r = api(hub, f"projects/{PROJECT}/models/points/aliases/production", "PUT",
                json={"version": 1})  # 20 s on a busy machine (503); the PUT is idempotent
        if r.status_code != 503:
            break
    assert r.status_code == 200, r.text
    r = api(hub, f"projects/{PROJECT}/deployments", "POST",
            json={"kind": "model", "model": "points", "alias": "production"})
    assert r.status_code == 201, r.text
    assert r.json()["name"] == "serve-points"
    assert r.json()["model"] == {"name": "points", "alias": "production", "version": 1}
    running = wait_status(hub, "serve-points", "running")
    base = f"{hub.url}/user/{OWNER}/serve-points"
    deadline = time.monotonic() + 60
    while requests.get(f"{base}/v2/health/ready", timeout=10).status_code != 200:
        assert time.monotonic() < deadline, hub.log_tail()
        time.sleep(0.3)
    return running


ROWS = {"dataframe_split": {"columns": ["x1", "x2"], "data": [[2.5, 0.0], [-2.5, 1.0]]}}


def test_a_served_model_shared_with_a_group_answers_members_only(hub, served):
    url = f"{hub.url}/user/{OWNER}/serve-points/invocations"
    owner = {"Authorization": f"token {token_of(hub, OWNER)}"}
    r = requests.post(url, json=ROWS, headers=owner, timeout=30)
    assert r.status_code == 200, r.text
    assert r.json()["predictions"] == ["yes", "no"]
    member = {"Authorization": f"token {token_of(hub, MEMBER)}"}
    assert requests.post(url, json=ROWS, headers=member, timeout=30).status_code == 403
    r = api(hub, f"projects/{PROJECT}/deployments/serve-points/shares", "PUT",
            json={"groups": ["analysts"]})
    assert r.json()["shared_with"] == {"users": [], "groups": ["analysts"]}
    time.sleep(5.5)  # the service keeps a refusal for 5 s
    r = requests.post(url, json=ROWS, headers=member, timeout=30)
    assert r.status_code == 200, r.text
    assert r.json()["predictions"] == ["yes", "no"]
    outsider = {"Authorization": f"token {token_of(hub, OUTSIDER)}"}
    assert requests.post(url, json=ROWS, headers=outsider, timeout=30).status_code == 403
    assert requests.post(url, json=ROWS, timeout=30).status_code == 401
    # a token holding only the prediction scope of the owner's deployments is enough
    r = hub.api("POST", f"users/{OWNER}/tokens",
                json={"scopes": [f"custom:hubml:predict!user={OWNER}"]})
    assert r.status_code == 201, r.text
    narrow = {"Authorization": f"token {r.json()['token']}"}
    assert requests.post(url, json=ROWS, headers=narrow, timeout=30).status_code == 200
    listed = {d["name"]: d for d in
              api(hub, f"projects/{PROJECT}/deployments").json()["deployments"]}
    assert listed["serve-points"]["status"] == "running"
    assert listed["serve-points"]["kind"] == "model"


def test_hub_auth_asks_the_hub_and_keeps_answers_briefly(hub, served):
    """HubAuth as the deployment runs it, against the real hub and real tokens."""
    from hubml.serving.hub_auth import HubAuth

    def auth(cache):
        return HubAuth(api_url=f"{hub.url}/hub/api", owner=OWNER, server="serve-points",
                       cache_seconds=cache, refuse_cache_seconds=cache)

    member, outsider = token_of(hub, MEMBER), token_of(hub, OUTSIDER)
    cached = auth(60)
    assert cached.check(member) is True       # shared with the member's group
    assert cached.check(outsider) is False
    assert cached.check("not-a-token") is False
    shares = f"projects/{PROJECT}/deployments/serve-points/shares"
    r = api(hub, shares, "PUT", json={"groups": []})
    assert r.json()["shared_with"]["groups"] == []   # the group's share revoked
    assert cached.check(member) is True       # the answer kept for cache_seconds
    assert auth(0).check(member) is False     # asked again: refused
    assert api(hub, shares, "PUT", json={"groups": ["analysts"]}).status_code == 200


def test_deleting_a_model_deployment_ends_its_process_and_forgets_it(hub, served):
    pid = server_pid(hub, "serve-points")
    assert pid and pid_alive(pid)
    r = api(hub, f"projects/{PROJECT}/deployments/serve-points", "DELETE")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "stopped"
    deadline = time.monotonic() + 30
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not pid_alive(pid)
    while "serve-points" in hub.api("GET", f"users/{OWNER}").json()["servers"]:
        assert time.monotonic() < deadline, "the hub kept the removed server"
        time.sleep(0.2)  # removed once its stop completed
    r = api(hub, f"projects/{PROJECT}/deployments/serve-points")
    assert r.status_code == 404


def test_idle_culler_stops_jupyterlab_and_leaves_the_deployment(hub, dashboard):
    """The hub's own culler command (its config file included), with a 1 s timeout."""
    command = culler_command(1)
    env = {**os.environ, "JUPYTERHUB_API_TOKEN": hub.token,
           "JUPYTERHUB_API_URL": f"{hub.url}/hub/api"}
    time.sleep(1.5)  # both servers idle past the timeout
    proc = subprocess.Popen([*command, "--cull-every=1"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if "" not in hub.api("GET", f"users/{OWNER}").json()["servers"]:
                break
            time.sleep(0.3)
        time.sleep(2)  # a few more rounds of the culler
    finally:
        proc.terminate()
        out = proc.communicate(timeout=10)[0].decode(errors="replace")
    servers = hub.api("GET", f"users/{OWNER}").json()["servers"]
    assert "" not in servers, out
    assert servers["dash-hello"]["ready"], out


def test_stopping_the_deployment_ends_its_process(hub, dashboard):
    pid = server_pid(hub, "dash-hello")
    assert pid and pid_alive(pid)
    r = hub.api("DELETE", f"users/{OWNER}/servers/dash-hello")
    assert r.status_code in (202, 204), r.text
    deadline = time.monotonic() + 30
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not pid_alive(pid)
