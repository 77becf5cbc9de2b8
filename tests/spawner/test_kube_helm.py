"""Zero to JupyterHub values from the catalog: structure, YAML round trip, and a hub built
from them (as Z2JH's jupyterhub_config.py would) giving valid pods."""

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from traitlets.config import Config

from hubml_spawner.catalog import load_catalog, parse_catalog
from hubml_spawner.helm import CATALOG_MOUNT_PATH, helm_values, split_image, to_yaml
from hubml_spawner.kube import HubMLKubeSpawner
from tests.support.kube import as_dict, validate

HERE = Path(__file__).parent
KUBE_CATALOG = HERE / "kube_catalog.yaml"
SHIPPED = HERE.parents[1] / "images" / "catalog.yaml"


@pytest.fixture
def values():
    return helm_values(load_catalog(KUBE_CATALOG), KUBE_CATALOG.read_text(),
                       storage_class="standard", idle_timeout=1800)


def test_hub_runs_hubml_spawner_with_the_catalog_mounted(values):
    hub = values["hub"]
    assert hub["config"]["JupyterHub"]["spawner_class"] == "hubml_spawner.kube.HubMLKubeSpawner"
    assert hub["config"]["HubMLKubeSpawner"]["catalog_path"] == CATALOG_MOUNT_PATH
    mounted = hub["extraFiles"]["hubml-catalog"]
    assert mounted["mountPath"] == CATALOG_MOUNT_PATH
    assert parse_catalog(mounted["stringData"]) == parse_catalog(KUBE_CATALOG.read_text())
    compile(hub["extraConfig"]["00-hubml-catalog"], "extraConfig", "exec")
    # every HubMLKubeSpawner setting is a configurable trait (the hub would warn otherwise)
    traits = HubMLKubeSpawner.class_traits(config=True)
    assert set(hub["config"]["HubMLKubeSpawner"]) <= set(traits)
    assert all(traits[name].help for name in hub["config"]["HubMLKubeSpawner"])


def test_authenticator_culler_and_storage(values):
    config = values["hub"]["config"]
    assert config["JupyterHub"]["authenticator_class"] == "hubml_spawner.auth.HubMLAuthenticator"
    assert config["Authenticator"] == {"admin_users": ["admin"], "allow_all": True}
    assert config["NativeAuthenticator"]["open_signup"] is False
    assert values["cull"]["enabled"] is True and values["cull"]["timeout"] == 1800
    storage = values["singleuser"]["storage"]
    assert storage["type"] == "dynamic" and storage["homeMountPath"] == "/home/jovyan"
    assert storage["dynamic"]["storageClass"] == "standard"
    assert "extraVolumes" not in storage  # group shares are per member, by the spawner


def test_profile_list_entries_mirror_the_catalog(values):
    catalog = load_catalog(KUBE_CATALOG)
    entries = values["singleuser"]["profileList"]
    assert [e["slug"] for e in entries] == catalog.names
    assert [e["slug"] for e in entries if e.get("default")] == ["sklearn"]
    for entry in entries:
        profile = catalog.get(entry["slug"])
        assert entry["display_name"] == profile.display_name
        override = entry["kubespawner_override"]
        assert override["image"] == profile.image
        for choice in entry.get("profile_options", {}).get("size", {}).get("choices", {}).values():
            assert choice["display_name"] and choice["kubespawner_override"]
    sklearn, research, gpu = entries
    assert sklearn["kubespawner_override"]["mem_limit"] == 4 * 10**9
    assert sklearn["kubespawner_override"]["cpu_guarantee"] == 0.5
    assert list(sklearn["profile_options"]["size"]["choices"]) == ["small", "medium", "large"]
    assert list(research["profile_options"]["size"]["choices"]) == ["standard", "big"]
    assert gpu["kubespawner_override"]["extra_resource_limits"] == {"nvidia.com/gpu": "2"}
    assert gpu["kubespawner_override"]["node_selector"] == {"nvidia.com/gpu.present": "true"}
    assert gpu["kubespawner_override"]["tolerations"][0]["key"] == "nvidia.com/gpu"
    assert list(gpu["profile_options"]) == ["gpus"]  # sizes: [] offers no size
    assert list(gpu["profile_options"]["gpus"]["choices"]) == ["1", "2"]
    # every override names a KubeSpawner trait
    traits = set(HubMLKubeSpawner.class_traits(config=True))
    for entry in entries:
        assert set(entry["kubespawner_override"]) <= traits
        for option in entry.get("profile_options", {}).values():
            for choice in option["choices"].values():
                assert set(choice["kubespawner_override"]) <= traits


def test_values_round_trip_through_yaml(values):
    text = to_yaml(values)
    assert yaml.safe_load(text) == values
    assert "stringData: |" in text  # the catalog stays readable in the values file


def test_cli_writes_values_and_shared_pvcs(tmp_path):
    out, pvcs = tmp_path / "values.yaml", tmp_path / "shares.yaml"
    done = subprocess.run([sys.executable, "-m", "hubml_spawner.cli", "helm-values",
                           "--catalog", str(SHIPPED), "-o", str(out), "--shared-pvcs", str(pvcs)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert text.startswith("# Zero to JupyterHub values for hubml")
    assert "helm upgrade --install hubml jupyterhub/jupyterhub --version" in text
    assert yaml.safe_load(text) == helm_values(load_catalog(SHIPPED), SHIPPED.read_text())
    shares = list(yaml.safe_load_all(pvcs.read_text()))
    assert [s["metadata"]["name"] for s in shares] == ["hubml-shared-gpu-users"]
    for manifest in shares:
        validate(manifest)
    bad = tmp_path / "bad.yaml"
    bad.write_text("profiles:\n  - name: a\n    sizes: big\n")
    failed = subprocess.run([sys.executable, "-m", "hubml_spawner.cli", "helm-values",
                             "--catalog", str(bad)], capture_output=True, text=True)
    assert failed.returncode == 2
    assert f"error: {bad}: profile 'a', field 'sizes'" in failed.stderr


def test_a_hub_configured_from_the_values_builds_valid_pods(values, tmp_path, make_spawner):
    """Apply the values as Z2JH's jupyterhub_config.py does, then spawn for a GPU user."""
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text(values["hub"]["extraFiles"]["hubml-catalog"]["stringData"])
    config = Config(values["hub"]["config"])
    config.HubMLKubeSpawner.catalog_path = str(catalog)
    singleuser = values["singleuser"]
    config.KubeSpawner.profile_list = singleuser["profileList"]
    config.KubeSpawner.storage_capacity = singleuser["storage"]["capacity"]
    config.KubeSpawner.storage_class = singleuser["storage"]["dynamic"]["storageClass"]
    config.KubeSpawner.pvc_name_template = singleuser["storage"]["dynamic"]["pvcNameTemplate"]
    config.Spawner.default_url = singleuser["defaultUrl"]

    async def scenario():
        dave = make_spawner("dave", ["gpu-users", "research"], config=config)
        await dave._run_apply_user_options({"profile": "torch-gpu"})
        await dave.load_user_options()
        return await as_dict(await dave.get_pod_manifest()), await as_dict(dave.get_pvc_manifest())

    pod, pvc = asyncio.run(scenario())
    validate(pod)
    validate(pvc)
    assert pvc["spec"]["storageClassName"] == "standard"
    assert pod["spec"]["containers"][0]["resources"]["limits"]["nvidia.com/gpu"] == "2"
    assert {v["name"] for v in pod["spec"]["volumes"]} == {
        "home", "shared-gpu-users", "shared-research"}


@pytest.mark.parametrize("ref, expected", [
    ("quay.io/hubml/sklearn:0.1.0", ("quay.io/hubml/sklearn", "0.1.0")),
    ("registry:5000/hubml/full", ("registry:5000/hubml/full", "latest")),
    ("registry:5000/hubml/full:2", ("registry:5000/hubml/full", "2")),
    ("hubml", ("hubml", "latest")),
])
def test_split_image(ref, expected):
    assert split_image(ref) == expected
