"""Fixtures of the Kubernetes spawner tests (see tests/support/kube.py)."""

from pathlib import Path

import kubernetes_asyncio.config.kube_config as kube_config
import pytest

from tests.support.kube import KUBECONFIG, hub_spawner

KUBE_CATALOG = Path(__file__).parent / "kube_catalog.yaml"


@pytest.fixture(scope="session")
def kubeconfig(tmp_path_factory):
    """A kube config naming no cluster (KubeSpawner reads one when it is built)."""
    path = tmp_path_factory.mktemp("kube") / "config"
    path.write_text(KUBECONFIG)
    with pytest.MonkeyPatch.context() as patch:
        # read at import time from $KUBECONFIG, so set where it is kept
        patch.setattr(kube_config, "KUBE_CONFIG_DEFAULT_LOCATION", str(path))
        yield path


@pytest.fixture
def make_spawner(kubeconfig):
    """``make_spawner(name, groups=(), admin=False, config=None)`` inside a running loop."""
    def make(name, groups=(), admin=False, config=None, catalog=KUBE_CATALOG):
        return hub_spawner(name, catalog, groups, admin, config)
    return make
