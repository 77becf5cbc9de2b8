"""A real JupyterHub running HubMLKubeSpawner refuses a forbidden profile on its REST API.

The refusal happens in ``apply_user_options``, before the spawner talks to Kubernetes, so a
hub with no cluster (its kube config names a closed local port) answers exactly as a hub on
a cluster would. An admin's request passes the check and goes on to the (absent) cluster.
"""

import textwrap
import time
from pathlib import Path

import pytest

from tests.support.hub import Hub

KUBE_CATALOG = Path(__file__).parent / "kube_catalog.yaml"
KUBE_SPAWNER = textwrap.dedent("""
    c.JupyterHub.spawner_class = "hubml_spawner.kube.HubMLKubeSpawner"
    c.HubMLKubeSpawner.namespace = "hubml"
""")


@pytest.fixture(scope="module")
def kube_hub(tmp_path_factory, kubeconfig):
    hub = Hub(tmp_path_factory.mktemp("kube-hub"), groups={"gpu-users": ["gina"]},
              extra_env={"KUBECONFIG": str(kubeconfig), "HUBML_CATALOG": str(KUBE_CATALOG)})
    hub.config.write_text(hub.config.read_text() + KUBE_SPAWNER)
    hub.start()
    assert hub.api("POST", "users/bob").status_code == 201
    yield hub
    hub.stop()


@pytest.mark.hub
@pytest.mark.parametrize("options, status, message", [
    ({"profile": "torch-gpu"}, 403, "profile 'torch-gpu' is for members of the group(s) gpu-users"),
    ({"profile": "sklearn", "size": "huge"}, 400, "profile 'sklearn' has no size 'huge'"),
    ({"profile": "sklearn", "image": "evil/miner"}, 400, "unknown option 'image'"),
])
def test_rest_api_refuses_with_4xx_and_message(kube_hub, options, status, message):
    r = kube_hub.api("POST", "users/bob/server", json=options)
    assert r.status_code == status, r.text
    assert message in r.json()["message"]
    assert kube_hub.api("GET", "users/bob").json()["servers"] == {}


@pytest.mark.hub
def test_admin_passes_the_check_and_reaches_for_the_cluster(kube_hub):
    r = kube_hub.api("POST", "users/admin/server", json={"profile": "torch-gpu", "gpus": "1"})
    assert r.status_code not in (400, 403), r.text
    deadline = time.monotonic() + 30
    started = "hubml: admin starts profile {'profile': 'torch-gpu', 'gpus': '1'}"
    while started not in kube_hub.log_path.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert started in kube_hub.log_path.read_text()
    kube_hub.wait_stopped("admin")  # no cluster here: the spawn fails after the check
