"""Pod and PVC manifests of HubMLKubeSpawner, compared whole with expected/ and validated.

Built by the real ``KubeSpawner.get_pod_manifest()`` / ``get_pvc_manifest()`` for users in
different groups, after JupyterHub's ``apply_user_options`` and KubeSpawner's
``load_user_options`` (the two steps before the pod is created). Every manifest passes
kubernetes-validate (strict). ``HUBML_UPDATE_EXPECTED=1`` rewrites expected/; review the diff.
"""

import asyncio
import os
from pathlib import Path

import pytest
import yaml
from traitlets.config import Config

from hubml_spawner.catalog import default_catalog_path, load_catalog
from hubml_spawner.helm import helm_values, shared_pvcs
from tests.support.kube import as_dict, validate

HERE = Path(__file__).parent
EXPECTED = HERE / "expected"
KUBE_CATALOG = HERE / "kube_catalog.yaml"
UPDATE = os.environ.get("HUBML_UPDATE_EXPECTED") == "1"

# expected file, user, groups, admin, user_options as posted
CASES = {
    "pod-alice-default": ("alice", [], False, {}),
    "pod-carol-research-big": ("carol", ["research"], False, {"profile": "research", "size": "big"}),
    "pod-dave-torch-gpu": ("dave", ["research", "gpu-users"], False,
                           {"profile": "torch-gpu", "gpus": "2"}),
    "pod-erin-admin-torch-gpu": ("erin", [], True, {"profile": "torch-gpu", "gpus": 1}),
}


def expect(name: str, actual) -> None:
    path = EXPECTED / f"{name}.yaml"
    if UPDATE:
        path.write_text(yaml.safe_dump(actual, sort_keys=False, width=100))
    assert actual == yaml.safe_load(path.read_text())


async def started(make_spawner, user, groups, admin, options, **kwargs):
    spawner = make_spawner(user, groups, admin, **kwargs)
    await spawner._run_apply_user_options(options)  # JupyterHub, before start
    await spawner.load_user_options()  # KubeSpawner's start, before it creates anything
    return spawner, await as_dict(await spawner.get_pod_manifest())


def pod_of(make_spawner, case: str, **kwargs) -> dict:
    return asyncio.run(started(make_spawner, *CASES[case], **kwargs))[1]


def env_of(pod: dict) -> dict:
    return {e["name"]: e["value"] for e in pod["spec"]["containers"][0]["env"]}


def mounts_of(pod: dict) -> dict:
    return {m["mountPath"]: m for m in pod["spec"]["containers"][0]["volumeMounts"]}


@pytest.mark.parametrize("case", CASES)
def test_pod_manifest_is_valid_and_equals_expected(make_spawner, case):
    pod = pod_of(make_spawner, case)
    validate(pod)
    expect(case, pod)


def test_group_shares_and_data_volumes_only_for_members(make_spawner):
    alice, carol, dave, erin = (pod_of(make_spawner, c) for c in CASES)
    assert set(mounts_of(alice)) == {"/home/jovyan"}
    assert set(mounts_of(erin)) == {"/home/jovyan"}  # admin, but in no group: no share
    assert set(mounts_of(carol)) == {"/home/jovyan", "/shared/research", "/data/reference"}
    assert mounts_of(carol)["/data/reference"]["readOnly"] is True
    assert "readOnly" not in mounts_of(carol)["/shared/research"]
    assert set(mounts_of(dave)) == {"/home/jovyan", "/shared/gpu-users", "/shared/research"}
    claims = {v["name"]: v["persistentVolumeClaim"]["claimName"] for v in dave["spec"]["volumes"]}
    assert claims == {"home": "claim-dave", "shared-gpu-users": "hubml-shared-gpu-users",
                      "shared-research": "hubml-shared-research"}
    assert env_of(alice)["HUBML_PROJECT_ROOTS"] == "/home/jovyan/projects"
    assert env_of(dave)["HUBML_PROJECT_ROOTS"] == (
        "/home/jovyan/projects:/shared/gpu-users/projects:/shared/research/projects")


def test_hubml_environment_and_image_come_from_the_profile(make_spawner):
    carol = pod_of(make_spawner, "pod-carol-research-big")
    container = carol["spec"]["containers"][0]
    assert container["image"] == "registry.example.org/hubml/full:1.0"
    env = env_of(carol)
    assert env["HUBML_PROFILE"] == "research"
    assert env["HUBML_FRAMEWORKS"] == "sklearn,tensorflow,torch,h2o"
    assert env["HUBML_KERNELS"] == "hubml-python"
    assert "--KernelSpecManager.allowed_kernelspecs=hubml-python" in container["args"]
    # the "big" size of the research profile, not its default
    assert container["resources"] == {"limits": {"cpu": 8.0, "memory": 32 * 10**9},
                                      "requests": {"cpu": 4.0, "memory": 16 * 10**9}}


def test_gpu_profile_has_gpu_limit_toleration_and_node_selector(make_spawner):
    dave = pod_of(make_spawner, "pod-dave-torch-gpu")
    assert dave["spec"]["containers"][0]["resources"]["limits"]["nvidia.com/gpu"] == "2"
    assert dave["spec"]["tolerations"] == [
        {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}]
    assert dave["spec"]["nodeSelector"] == {"nvidia.com/gpu.present": "true"}
    erin = pod_of(make_spawner, "pod-erin-admin-torch-gpu")  # asked for 1 of the 2
    assert erin["spec"]["containers"][0]["resources"]["limits"]["nvidia.com/gpu"] == "1"
    alice = pod_of(make_spawner, "pod-alice-default")
    assert "nvidia.com/gpu" not in alice["spec"]["containers"][0]["resources"]["limits"]
    assert "tolerations" not in alice["spec"] and "nodeSelector" not in alice["spec"]


def test_gpu_scheduling_is_configurable(make_spawner):
    config = Config()
    config.HubMLKubeSpawner.gpu_node_selector = {"cloud.google.com/gke-accelerator": "nvidia-l4"}
    config.HubMLKubeSpawner.gpu_tolerations = [
        {"key": "gpu", "operator": "Equal", "value": "yes", "effect": "NoSchedule"}]
    pod = pod_of(make_spawner, "pod-dave-torch-gpu", config=config)
    validate(pod)
    assert pod["spec"]["nodeSelector"] == {"cloud.google.com/gke-accelerator": "nvidia-l4"}
    assert pod["spec"]["tolerations"][0]["key"] == "gpu"


def test_user_and_group_share_pvcs_are_valid_and_expected(make_spawner):
    async def user_pvc():
        spawner = make_spawner("alice")
        return await as_dict(spawner.get_pvc_manifest())

    pvc = asyncio.run(user_pvc())
    validate(pvc)
    expect("pvc-alice", pvc)
    shares = shared_pvcs(load_catalog(KUBE_CATALOG))
    for manifest in shares:
        validate(manifest)
    expect("shared-pvcs", shares)
    dave = pod_of(make_spawner, "pod-dave-torch-gpu")
    mounted = {v["persistentVolumeClaim"]["claimName"] for v in dave["spec"]["volumes"]}
    assert {m["metadata"]["name"] for m in shares} <= mounted


def test_every_shipped_profile_gives_a_valid_pod(make_spawner):
    catalog = load_catalog()

    async def pods():
        result = {}
        for profile in catalog.profiles:
            _, result[profile.name] = await started(
                make_spawner, "admin", [], True, {"profile": profile.name},
                catalog=default_catalog_path())
        return result

    for name, pod in asyncio.run(pods()).items():
        validate(pod)
        assert pod["spec"]["containers"][0]["image"] == catalog.get(name).image
        assert env_of(pod)["HUBML_PROFILE"] == name


def test_z2jh_profile_list_is_filtered_per_user_and_builds_the_same_pod(make_spawner):
    """Z2JH sets KubeSpawner.profile_list from singleuser.profileList: same pods, same filter."""
    values = helm_values(load_catalog(KUBE_CATALOG), KUBE_CATALOG.read_text())
    config = Config()
    config.KubeSpawner.profile_list = values["singleuser"]["profileList"]

    async def scenario():
        alice = make_spawner("alice", config=config)
        dave = make_spawner("dave", ["research", "gpu-users"], config=config)
        return ([e["slug"] for e in alice.profile_list(alice)],
                [e["slug"] for e in dave.profile_list(dave)])

    assert asyncio.run(scenario()) == (["sklearn"], ["sklearn", "research", "torch-gpu"])
    assert pod_of(make_spawner, "pod-dave-torch-gpu", config=config) == pod_of(
        make_spawner, "pod-dave-torch-gpu")
