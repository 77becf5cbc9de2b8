"""A pod spec from HubMLKubeSpawner, run for real with ``podman kube play``.

No Kubernetes API server runs here, so the test plays the cluster's part:
- the image is a small one built here (``podman_image.py``: a debootstrap root file system,
  a venv with jupyter_server + jupyterhub, and this checkout's wheel), cached across runs;
  the pod's ``image`` is replaced by its local tag, the only change to the spawner's spec;
- the user's PVC (``claim-<user>``) is a podman volume made before the pod, as KubeSpawner
  makes the PVC before the pod;
- the hub is :class:`FakeHub` on this machine, which the spawner is told is at
  ``host.containers.internal`` (podman's name for the host), so the container runs its own
  command, ``jupyterhub-singleuser``, with the environment the spawner wrote.
Then ``{base_url}hubml/api/status`` must answer, through the pod's IP, with the profile.
Timings (image layers, spawn) go to ``test-artifacts/podman.json``.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import time

import kubernetes_asyncio.config.kube_config as kube_config
import pytest
import requests
import yaml

from hubml_spawner.catalog import load_catalog
from tests.images.conftest import REPO
from tests.images.fake_hub import FakeHub
from tests.images.podman_image import build_test_image, podman
from tests.support.kube import KUBECONFIG, validate

pytestmark = [pytest.mark.container, pytest.mark.timeout(900)]

USER, GROUP, PROFILE = "podtest", "gpu-users", "torch"  # the catalog shares a volume with gpu-users
API_TOKEN, USER_TOKEN = "server-token-0123456789", "user-token-0123456789"
ARTIFACTS = REPO / "test-artifacts"


def _missing() -> str | None:
    if os.geteuid() != 0:
        return "needs root (debootstrap, rootful podman)"
    for tool in ("podman", "debootstrap", "runc"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (make system-packages installs it as root)"
    return None


@pytest.fixture(scope="module")
def image():
    missing = _missing()
    if missing:
        pytest.fail(f"the container test cannot run: {missing}")
    return build_test_image()


async def _spawner_pod(user: str, group: str, profile: str, hub_port: int) -> dict:
    """The pod manifest HubMLKubeSpawner makes for ``user`` (in ``group``) asking for ``profile``.

    The spawner is built as the hub builds it (tests/support/kube.py) over the shipped catalog;
    its hub is the fake one. ``cmd`` is set as Zero to JupyterHub sets it (singleuser.cmd):
    without it KubeSpawner drops ``get_args()``, the profile's allowed kernels among them.
    """
    from jupyterhub import orm
    from jupyterhub.objects import Hub, Server
    from traitlets.config import Config

    from hubml_spawner.catalog import default_catalog_path
    from tests.support.kube import as_dict, hub_spawner

    config = Config()
    config.HubMLKubeSpawner.cmd = ["jupyterhub-singleuser"]
    spawner = hub_spawner(user, default_catalog_path(), [group], False, config)
    spawner.hub = Hub(ip="host.containers.internal", port=hub_port, base_url="/hub/")
    spawner.api_token = API_TOKEN
    # the server record JupyterHub's User.spawn makes first (it gives JUPYTERHUB_SERVICE_PREFIX)
    server = orm.Server(base_url=spawner.user.url)
    spawner.db.add(server)
    spawner.db.commit()
    spawner.server = Server(orm_server=server)
    await spawner._run_apply_user_options({"profile": profile})  # JupyterHub, before start
    await spawner.load_user_options()  # KubeSpawner's start, before it creates the pod
    return await as_dict(await spawner.get_pod_manifest())


def _pod_ip(pod: str) -> str:
    infra = podman("pod", "inspect", pod, "--format", "{{.InfraContainerID}}").stdout.strip()
    networks = json.loads(podman("inspect", infra, "--format",
                                 "{{json .NetworkSettings.Networks}}").stdout)
    return next(n["IPAddress"] for n in networks.values() if n.get("IPAddress"))


def _wait_for_status(url: str, timeout: float, logs) -> requests.Response:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            r = requests.get(url, headers={"Authorization": f"token {USER_TOKEN}"}, timeout=2)
            if r.status_code == 200:
                return r
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    pytest.fail(f"no answer from {url} within {timeout:.0f} s; container log:\n{logs()}")


def test_spawner_pod_runs_in_podman_and_answers_status_with_its_profile(image, tmp_path):
    from jupyterhub import __version__ as hub_version

    with FakeHub(USER, {API_TOKEN, USER_TOKEN}, hub_version) as hub:
        with pytest.MonkeyPatch.context() as patch:  # a kube config naming no cluster
            kubeconfig = tmp_path / "kubeconfig"
            kubeconfig.write_text(KUBECONFIG)
            patch.setattr(kube_config, "KUBE_CONFIG_DEFAULT_LOCATION", str(kubeconfig))
            pod = asyncio.run(_spawner_pod(USER, GROUP, PROFILE, hub.port))
        validate(pod)  # a valid Kubernetes pod, as the cluster would get it
        name, container = pod["metadata"]["name"], pod["spec"]["containers"][0]
        env = {e["name"]: e["value"] for e in container["env"]}
        assert env["HUBML_PROFILE"] == PROFILE and container["image"] == "quay.io/hubml/torch:0.1.0"
        container["image"] = image.tag  # the only change to the spawner's spec
        spec = tmp_path / "pod.yaml"
        spec.write_text(yaml.safe_dump(pod, sort_keys=False))
        claims = [v["persistentVolumeClaim"]["claimName"] for v in pod["spec"]["volumes"]
                  if "persistentVolumeClaim" in v]

        podman("pod", "rm", "--force", name, check=False)  # left over from a killed run
        for claim in claims:
            podman("volume", "rm", "--force", claim, check=False)
            podman("volume", "create", claim)
        logs = lambda: podman("logs", f"{name}-{container['name']}", check=False).stderr[-6000:]  # noqa: E731
        start = time.monotonic()
        try:
            podman("kube", "play", str(spec), timeout=300)
            port = container["ports"][0]["containerPort"]
            url = f"http://{_pod_ip(name)}:{port}{env['JUPYTERHUB_SERVICE_PREFIX']}hubml/api/status"
            answer = _wait_for_status(url, 120, logs)
            spawn_seconds = time.monotonic() - start
            status = answer.json()
            # the server runs the spawner's profile, as the spawner's user
            assert status["profile"]["name"] == PROFILE
            assert status["profile"]["frameworks"] == ["sklearn", "torch"]
            assert status["server"]["user"] == USER
            assert status["server"]["base_url"] == f"/user/{USER}/"
            assert status["project_roots"] == ["/home/jovyan/projects", f"/shared/{GROUP}/projects"]
            # the home claim and the group's share are mounted; home is the user's to write
            ctr = f"{name}-{container['name']}"
            assert podman("exec", ctr, "test", "-d", f"/shared/{GROUP}", check=False).returncode == 0
            assert podman("exec", ctr, "touch", "/home/jovyan/.write-test", check=False).returncode == 0
            # it checked the token with the hub, and refuses a request without one
            assert "GET /hub/api/user 200" in hub.requests
            assert requests.get(url, timeout=5, allow_redirects=False).status_code in (302, 403)
            # the server offers exactly the profile's kernels (the image holds all of them)
            kernelspecs = requests.get(url.replace("hubml/api/status", "api/kernelspecs"),
                                       headers={"Authorization": f"token {USER_TOKEN}"},
                                       timeout=5).json()["kernelspecs"]
            assert set(kernelspecs) == set(load_catalog().get(PROFILE).kernels)
        finally:
            podman("kube", "down", str(spec), check=False)
            for claim in claims:
                podman("volume", "rm", "--force", claim, check=False)

    record = {"image": image.tag, "image_seconds": {k: round(v, 1) for k, v in image.timings.items()},
              "spawn_seconds": round(spawn_seconds, 2)}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "podman.json").write_text(json.dumps(record, indent=2) + "\n")
    print(f"\npodman: {record}")
