"""Spawn failures told at once: the pure decision, and the spawner's start ending on it.

Pod statuses and events below are shaped as the API server and the kubelet report them.
The start tests play them through :class:`tests.support.kube.SimulatedCluster`, a
simulation of the cluster (no API server can run here) feeding KubeSpawner's reflectors.
"""

import asyncio

import pytest
from tornado import web

from hubml_spawner.kube_objects import spawn_failure
from tests.support.kube import SimulatedCluster

IMAGE = "registry.example.org/hubml/sklearn:1.0"
NOT_FOUND = (f'rpc error: code = NotFound desc = failed to pull and unpack image "{IMAGE}": '
             f'failed to resolve reference "{IMAGE}": {IMAGE}: not found')


def waiting(reason, message="", image=IMAGE, init=False):
    key = "initContainerStatuses" if init else "containerStatuses"
    return {"status": {"phase": "Pending", key: [
        {"name": "notebook", "image": image, "ready": False,
         "state": {"waiting": {"reason": reason, "message": message}}}]}}


def event(reason, message):
    return {"reason": reason, "message": message}


@pytest.mark.parametrize("pod, expected", [
    (waiting("ErrImagePull", NOT_FOUND),
     f'the image "{IMAGE}" cannot be pulled (ErrImagePull: {NOT_FOUND})'),
    (waiting("ImagePullBackOff", f'Back-off pulling image "{IMAGE}"'),
     f'the image "{IMAGE}" cannot be pulled (ImagePullBackOff: Back-off pulling image'),
    (waiting("InvalidImageName", 'couldn\'t parse image reference "Bad Name"', image="Bad Name"),
     'the image name "Bad Name" is not valid (InvalidImageName: couldn\'t parse'),
    (waiting("CreateContainerConfigError", 'secret "db-password" not found'),
     f'the container for image "{IMAGE}" cannot be configured '
     '(CreateContainerConfigError: secret "db-password" not found)'),
    (waiting("ErrImagePull", "denied", init=True), "cannot be pulled (ErrImagePull: denied)"),
])
def test_fatal_pod_states_name_image_and_reason(pod, expected):
    message = spawn_failure(pod)
    assert message.startswith("your server cannot start: ")
    assert expected in message
    assert "ask an admin" in message


@pytest.mark.parametrize("events, expected", [
    ([event("Scheduled", "Successfully assigned hubml/jupyter-alice to node-1"),
      event("Pulling", f'Pulling image "{IMAGE}"'),
      event("Failed", f'Failed to pull image "{IMAGE}": {NOT_FOUND}')],
     f'the image "{IMAGE}" cannot be pulled (ErrImagePull: Failed to pull image'),
    ([event("BackOff", f'Back-off pulling image "{IMAGE}"')],
     f'the image "{IMAGE}" cannot be pulled (ImagePullBackOff'),
    ([event("InspectFailed", 'Failed to apply default image tag "Bad Name": couldn\'t parse '
                             'image reference "Bad Name": invalid reference format')],
     'the image name "Bad Name" is not valid (InvalidImageName'),
    ([event("Failed", "Error: ErrImagePull")], f'the image "{IMAGE}" cannot be pulled (ErrImagePull)'),
    ([event("Failed", "Error: CreateContainerConfigError")],
     "cannot be configured (CreateContainerConfigError)"),
])
def test_fatal_events_name_image_and_reason(events, expected):
    message = spawn_failure(events=events, image=IMAGE)
    assert expected in message
    assert message.reason in expected


@pytest.mark.parametrize("pod, events", [
    (None, []),
    (waiting("ContainerCreating"), [event("Scheduled", "Successfully assigned")]),
    ({"status": {"phase": "Running", "podIP": "10.1.2.3", "containerStatuses": [
        {"name": "notebook", "ready": True, "state": {"running": {}}}]}},
     [event("Pulled", f'Successfully pulled image "{IMAGE}"'), event("Started", "Started")]),
    (waiting("CrashLoopBackOff"), [event("BackOff", "Back-off restarting failed container")]),
    ({"status": {"phase": "Pending"}}, [event("FailedScheduling", "0/3 nodes are available")]),
])
def test_pods_that_may_still_start_are_not_failures(pod, events):
    assert spawn_failure(pod, events, image=IMAGE) is None


def kubelet(*steps):
    return [(0.05, kind, obj) for kind, obj in steps]


PENDING = {"phase": "Pending", "containerStatuses": [
    {"name": "notebook", "image": IMAGE, "ready": False,
     "state": {"waiting": {"reason": "ContainerCreating"}}}]}
SCHEDULED = event("Scheduled", "Successfully assigned hubml/jupyter-alice to node-1")
PULL_FAILS = kubelet(
    ("event", SCHEDULED), ("pod", PENDING), ("event", event("Pulling", f'Pulling image "{IMAGE}"')),
    ("event", event("Failed", f'Failed to pull image "{IMAGE}": {NOT_FOUND}')),
    ("event", event("Failed", "Error: ErrImagePull")),
    ("pod", waiting("ErrImagePull", NOT_FOUND)["status"]),
    ("event", event("BackOff", f'Back-off pulling image "{IMAGE}"')))
SECRET_MISSING = kubelet(
    ("event", SCHEDULED), ("pod", PENDING),
    ("pod", waiting("CreateContainerConfigError", 'secret "db-password" not found')["status"]))
STARTS = kubelet(
    ("event", SCHEDULED), ("pod", PENDING),
    ("event", event("Pulled", f'Container image "{IMAGE}" already present on machine')),
    ("event", event("Started", "Started container notebook")),
    ("pod", {"phase": "Running", "podIP": "10.1.2.3", "containerStatuses": [
        {"name": "notebook", "image": IMAGE, "ready": True, "state": {"running": {}}}]}))


async def start(make_spawner, monkeypatch, script):
    """Start alice's server on the simulated cluster: (result or error, start, end, cluster)."""
    alice = make_spawner("alice")
    alice.start_timeout = 60  # a failure must not wait for this
    await alice._run_apply_user_options({"profile": "sklearn"})
    async with SimulatedCluster(alice.namespace, script) as cluster:
        monkeypatch.setattr(type(alice), "reflectors", cluster.reflectors())
        alice.api = cluster
        loop = asyncio.get_running_loop()
        began = loop.time()
        try:
            outcome = await asyncio.wait_for(alice.start(), 20)
        except web.HTTPError as exc:
            outcome = exc
        return outcome, began, loop.time(), cluster


def test_err_image_pull_ends_the_spawn_within_seconds(make_spawner, monkeypatch):
    error, began, ended, cluster = asyncio.run(start(make_spawner, monkeypatch, PULL_FAILS))
    assert isinstance(error, web.HTTPError), error
    assert error.status_code == 500
    assert error.jupyterhub_message.startswith(
        f'your server cannot start: the image "{IMAGE}" cannot be pulled (ErrImagePull: ')
    assert [kind for kind, _ in cluster.created] == ["PersistentVolumeClaim", "Pod"]
    failed_at = next(t for t, kind, obj in cluster.played if obj.get("reason") == "Failed")
    # KubeSpawner polls with a random backoff, at most 5 s apart (usually < 1 s this early);
    # without the check it would wait for start_timeout (60 s here)
    assert ended - failed_at < 5.5
    assert ended - began < 6


def test_config_error_ends_the_spawn(make_spawner, monkeypatch):
    error, began, ended, _ = asyncio.run(start(make_spawner, monkeypatch, SECRET_MISSING))
    assert isinstance(error, web.HTTPError), error
    assert 'secret "db-password" not found' in error.jupyterhub_message
    assert "CreateContainerConfigError" in error.jupyterhub_message
    assert ended - began < 6


def test_a_pod_that_starts_is_not_stopped(make_spawner, monkeypatch):
    url, _, _, cluster = asyncio.run(start(make_spawner, monkeypatch, STARTS))
    assert url == "http://10.1.2.3:8888"
    pod = dict(cluster.created)["Pod"]
    assert pod["spec"]["containers"][0]["image"] == IMAGE


def test_fail_fast_can_be_turned_off(make_spawner, monkeypatch):
    async def scenario():
        alice = make_spawner("alice")
        alice.fail_fast = False
        alice.start_timeout = 1
        await alice._run_apply_user_options({"profile": "sklearn"})
        async with SimulatedCluster(alice.namespace, PULL_FAILS) as cluster:
            monkeypatch.setattr(type(alice), "reflectors", cluster.reflectors())
            alice.api = cluster
            with pytest.raises(TimeoutError):  # KubeSpawner's own wait, to start_timeout
                await alice.start()

    asyncio.run(scenario())
