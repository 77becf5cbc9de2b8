"""Published dashboard start against a JupyterLab spawn of the same user, through one real hub.

Ours: the named server ``dash-bench`` (a dashboard deployment: jupyterhub-singleuser with
only Voila, HubMLLocalSpawner), timed from the start request (POST
users/<owner>/servers/dash-bench with the ``hubml_deployment`` option, as
hubml.deployments sends it) until its Voila page answers 200 through the proxy (the page's
kernel has run the notebook by then). Baseline: the same user's default server, from POST
users/<owner>/server until /user/<owner>/lab answers 200. Each server is stopped (the
deployment removed) before the next round; the two alternate.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import requests

from tests.support.hub import Hub, HubError, remove_leftover_project

from .report import Row, compare, p90
from .timing import interleaved

__all__ = ["run"]

RUNS = 3
LIMIT = 1.0
PASSWORD = "bench-password-123"
OWNER, PROJECT, SERVER = "benchpub", "benchpub", "dash-bench"
PATH = "dashboards/page.ipynb"
TIMEOUT = 180  # s per start
NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "# Published page"},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": "import ipywidgets as w\nprint('page ready')\nw.IntSlider()"},
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}
SPEC = {"hubml_deployment": {"kind": "dashboard", "project": PROJECT, "path": PATH,
                             "query": {}}}


def _wait_200(url: str, headers: dict, expect: str, t0: float) -> None:
    """Poll ``url`` (no redirects followed: a 200 comes from the server itself, not from the
    hub's pending page) until it answers 200 with ``expect`` in its body."""
    while time.perf_counter() - t0 < TIMEOUT:
        try:
            r = requests.get(url, headers=headers, timeout=TIMEOUT, allow_redirects=False)
        except requests.RequestException:
            r = None
        if r is not None and r.status_code == 200:
            if expect not in r.text:
                raise HubError(f"{url} answered 200 without {expect!r}: {r.text[:300]}")
            return
        time.sleep(0.1)
    raise HubError(f"{url} did not answer 200 in {TIMEOUT} s")


def _wait_gone(hub: Hub, name: str) -> None:
    deadline = time.monotonic() + 60
    while name in hub.api("GET", f"users/{OWNER}").json().get("servers", {}):
        if time.monotonic() > deadline:
            raise HubError(f"{OWNER}/{name} did not stop:\n{hub.log_tail()}")
        time.sleep(0.2)


def _publish_once(hub: Hub, headers: dict) -> float:
    page = f"{hub.url}/user/{OWNER}/{SERVER}/voila/render/{PATH}"
    t0 = time.perf_counter()
    r = hub.api("POST", f"users/{OWNER}/servers/{SERVER}", json=SPEC)
    if r.status_code not in (201, 202):
        raise HubError(f"start of {SERVER} answered {r.status_code}: {r.text}")
    _wait_200(page, headers, "page ready", t0)
    elapsed = time.perf_counter() - t0
    hub.api("DELETE", f"users/{OWNER}/servers/{SERVER}", json={"remove": True})
    _wait_gone(hub, SERVER)
    return elapsed


def _lab_once(hub: Hub, headers: dict) -> float:
    t0 = time.perf_counter()
    r = hub.api("POST", f"users/{OWNER}/server", json={})
    if r.status_code not in (201, 202):
        raise HubError(f"spawn of {OWNER} answered {r.status_code}: {r.text}")
    _wait_200(f"{hub.url}/user/{OWNER}/lab", headers, "JupyterLab", t0)
    elapsed = time.perf_counter() - t0
    hub.stop_server(OWNER)
    return elapsed


def _make_project(hub: Hub) -> None:
    """The owner's project with the page's notebook, made through their own server."""
    remove_leftover_project(OWNER, PROJECT)
    hub.spawn(OWNER)
    r = hub.user_api(OWNER, "hubml/api/projects", method="POST", json={"name": PROJECT})
    if r.status_code != 201:
        raise HubError(f"project: {r.status_code} {r.text}")
    base = f"api/contents/projects/{PROJECT}"
    for path, body in ((f"{base}/dashboards", {"type": "directory"}),
                       (f"{base}/{PATH}", {"type": "notebook", "format": "json",
                                           "content": NOTEBOOK})):
        r = hub.user_api(OWNER, path, method="PUT", json=body)
        if r.status_code not in (200, 201):
            raise HubError(f"{path}: {r.status_code} {r.text}")
    hub.stop_server(OWNER)


def run() -> list[Row]:
    workdir = Path(tempfile.mkdtemp(prefix="hubml-bench-publish-"))
    os.chmod(workdir, 0o755)  # servers run as other accounts
    hub = Hub(workdir / "hub")
    try:
        hub.start()
        hub.add_user(OWNER, PASSWORD)
        _make_project(hub)
        r = hub.api("POST", f"users/{OWNER}/tokens", json={"note": "bench publish"})
        if r.status_code != 201:
            raise HubError(f"token: {r.status_code} {r.text}")
        headers = {"Authorization": f"token {r.json()['token']}"}
        ours, base = interleaved(RUNS, lambda: _publish_once(hub, headers),
                                 lambda: _lab_once(hub, headers), "publish vs Lab")
    finally:
        try:
            hub.api("DELETE", f"users/{OWNER}/servers/{SERVER}", json={"remove": True})
        except requests.RequestException:
            pass
        hub.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        remove_leftover_project(OWNER, PROJECT)
    note = (f"one hub, user {OWNER}: POST servers/{SERVER} (hubml_deployment option) until the "
            f"Voila page answers 200 (its kernel ran the notebook: a print and a slider) vs "
            f"POST server until /lab answers 200; polled every 0.1 s without following "
            f"redirects; p90 {p90(ours):.2f} vs {p90(base):.2f} s")
    return [compare("Published dashboard start (named server dash-*) vs JupyterLab spawn, "
                    "same user", ours, base, "s", "ratio", LIMIT, note)]
