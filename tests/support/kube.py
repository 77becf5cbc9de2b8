"""Kubernetes test support: real JupyterHub users and spawners, manifests as dicts, and a
simulated cluster for the start path.

No Kubernetes API server can run on these machines. KubeSpawner loads a kube config when it
is built; :data:`KUBECONFIG` names a closed loopback port, so a request that would reach a
cluster fails at once and never goes anywhere. Manifests come from the real
``KubeSpawner.get_pod_manifest()`` / ``get_pvc_manifest()``.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import kubernetes_validate
from jupyterhub import orm
from jupyterhub.objects import Hub
from jupyterhub.user import User
from kubernetes_asyncio.client import ApiClient
from traitlets.config import Config

from hubml_spawner.kube import HubMLKubeSpawner

__all__ = ["KUBECONFIG", "KUBE_VERSIONS", "SimulatedCluster", "as_dict", "hub_spawner",
           "validate"]

KUBECONFIG = """\
apiVersion: v1
kind: Config
clusters:
- name: no-cluster
  cluster: {server: "https://127.0.0.1:9"}
users:
- name: nobody
  user: {token: not-a-token}
contexts:
- name: no-cluster
  context: {cluster: no-cluster, user: nobody, namespace: hubml}
current-context: no-cluster
"""

# a Kubernetes version still served, and the newest kubernetes-validate knows
KUBE_VERSIONS = ("1.31", kubernetes_validate.utils.latest_version())
_VERSION_ANNOTATIONS = ("hub.jupyter.org/kubespawner-version", "hub.jupyter.org/jupyterhub-version")


def hub_spawner(name: str, catalog: Path, groups=(), admin: bool = False,
                config: Config | None = None) -> HubMLKubeSpawner:
    """The default server's spawner of a JupyterHub user, as the hub makes it.

    A real ``jupyterhub.user.User`` over an in-memory hub database (with its groups and its
    ``orm_spawner``), a real ``Hub`` object. Call it inside a running event loop
    (KubeSpawner makes its API client there).
    """
    db = orm.new_session_factory("sqlite://")()
    orm_user = orm.User(name=name, admin=admin)
    for group in groups:
        orm_user.groups.append(orm.Group(name=group))
    db.add(orm_user)
    db.commit()
    base = Config()
    base.HubMLKubeSpawner.catalog_path = str(catalog)
    base.HubMLKubeSpawner.namespace = "hubml"
    if config is not None:
        base.merge(config)
    user = User(orm_user, {"spawner_class": HubMLKubeSpawner, "config": base, "base_url": "/",
                           "hub": Hub(ip="hub", port=8081, base_url="/hub/")})
    spawner = user.spawners[""]
    spawner.api_token = f"api-token-of-{name}"
    return spawner


async def as_dict(obj) -> dict:
    """A Kubernetes model as the API would take it (camelCase), version annotations masked."""
    async with ApiClient() as api:
        data = api.sanitize_for_serialization(obj)
    annotations = data.get("metadata", {}).get("annotations", {})
    for key in _VERSION_ANNOTATIONS:
        if key in annotations:
            annotations[key] = "<version>"
    return data


def validate(manifest: dict) -> None:
    """kubernetes-validate, strict (no unknown fields), for each of :data:`KUBE_VERSIONS`."""
    for version in KUBE_VERSIONS:
        kubernetes_validate.validate(manifest, version, strict=True)


class SimulatedCluster:
    """Stands in for the API server and the watch streams behind KubeSpawner's reflectors.

    A simulation, used because no API server can run here: it accepts the PVC and the pod
    that KubeSpawner creates, then plays a script of pod statuses and events (as a kubelet
    reports them) into the objects KubeSpawner reads while it waits, its ``pods`` and
    ``events`` reflectors. ``script`` is a list of ``(delay_seconds, "pod" | "event", dict)``.
    """

    def __init__(self, namespace: str, script: list[tuple[float, str, dict]]):
        self.namespace = namespace
        self.script = script
        self.created: list[tuple[str, dict]] = []
        self.played: list[tuple[float, str, dict]] = []  # (loop time, kind, object)
        self.pods: dict[str, dict] = {}
        self.resources: dict[str, dict] = {}
        self.first_load_future = asyncio.get_running_loop().create_future()
        self.first_load_future.set_result(None)
        self._api = ApiClient()
        self._tasks: list[asyncio.Task] = []

    async def __aenter__(self) -> SimulatedCluster:
        return self

    async def __aexit__(self, *exc) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._api.close()

    def reflectors(self) -> dict:
        """What to put in ``KubeSpawner.reflectors``: this object serves pods and events."""
        return {("pods", self.namespace): self, ("events", self.namespace): self}

    @property
    def events(self) -> list[dict]:
        return sorted(self.resources.values(), key=lambda e: e["lastTimestamp"])

    # the CoreV1Api calls KubeSpawner makes while starting
    async def create_namespaced_persistent_volume_claim(self, namespace, body):
        self.created.append(("PersistentVolumeClaim", self._api.sanitize_for_serialization(body)))

    async def create_namespaced_pod(self, namespace, body):
        pod = self._api.sanitize_for_serialization(body)
        self.created.append(("Pod", pod))
        self._tasks.append(asyncio.create_task(self._play(pod)))

    async def _play(self, pod: dict) -> None:
        name, loop = pod["metadata"]["name"], asyncio.get_running_loop()
        key = f"{self.namespace}/{name}"
        for i, (delay, kind, obj) in enumerate(self.script):
            await asyncio.sleep(delay)
            if kind == "pod":
                self.pods[key] = {**pod, "metadata": {**pod["metadata"], "uid": "uid-pod"},
                                  "status": obj}
            else:
                uid = f"uid-event-{i}"
                self.resources[uid] = {
                    "metadata": {"uid": uid, "namespace": self.namespace},
                    "involvedObject": {"kind": "Pod", "name": name},
                    "lastTimestamp": f"2026-01-01T00:00:{i:02d}Z", "eventTime": None,
                    "type": "Warning" if obj["reason"] in ("Failed", "BackOff") else "Normal",
                    **obj}
            self.played.append((loop.time(), kind, obj))
