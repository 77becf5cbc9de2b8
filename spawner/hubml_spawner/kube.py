"""HubMLKubeSpawner: KubeSpawner with the catalog's profiles, group shares and fast failures.

- ``profile_list`` comes from the catalog, computed per user: profiles open to everyone plus
  those of the user's JupyterHub groups (admins get all), each with size and GPU choices.
  A static ``profile_list`` (Zero to JupyterHub's ``singleuser.profileList``) is filtered
  the same way, by slug.
- ``user_options`` are checked against the catalog in ``apply_user_options`` (JupyterHub
  runs it before ``start``, also for spawns through the REST API): a profile or option the
  user may not use is refused with a 4xx and a message, before anything is created.
- Each user gets a PVC for home, the share of each of their groups the catalog declares at
  ``/shared/<group>``, the profile's data volumes, and the ``HUBML_*`` environment.
- While the pod starts, its status and events are checked at every poll; an image that
  cannot be pulled or a container that cannot be configured ends the spawn at once.
"""

from __future__ import annotations

from functools import partial

from kubernetes_asyncio.client.models import V1Volume, V1VolumeMount
from kubespawner import KubeSpawner
from kubespawner.utils import get_k8s_model
from tornado import web
from traitlets import Bool, Dict, List, Unicode, default, validate

from . import deployments
from .catalog import Catalog, load_catalog
from .kube_objects import (
    DEFAULT_GPU,
    SHARED_CLAIM_TEMPLATE,
    GpuScheduling,
    profile_list,
    project_roots,
    spawn_failure,
    user_volumes,
)
from .profiles import ProfileRefused, allowed_profiles, profile_environment, resolve_selection

try:  # JupyterHub 6: counted by reason in the metrics, logged without a traceback
    from jupyterhub.spawner import SpawnException
except ImportError:  # JupyterHub 5
    SpawnException = None

__all__ = ["HubMLKubeSpawner", "spawn_error"]


def spawn_error(message: str, *, reason: str, status: int) -> web.HTTPError:
    """An HTTPError whose message JupyterHub shows to the user as it is."""
    if SpawnException is not None:
        error = SpawnException(message, reason=reason, status_code=status)
    else:
        error = web.HTTPError(status, message)
    error.jupyterhub_message = message
    return error


def _catalog_profile_list(spawner: HubMLKubeSpawner) -> list[dict]:
    return profile_list(spawner.allowed_profiles(), spawner.gpu_scheduling)


def _filtered_profile_list(entries: list[dict], spawner: HubMLKubeSpawner) -> list[dict]:
    allowed = {p.name for p in spawner.allowed_profiles()}
    return [e for e in entries if e.get("slug") in allowed]


class HubMLKubeSpawner(KubeSpawner):
    catalog_path = Unicode(
        "",
        help="Path of the profile catalog (catalog.yaml) inside the hub; empty means "
             "$HUBML_CATALOG or images/catalog.yaml of this installation.",
    ).tag(config=True)

    gpu_resource = Unicode(
        DEFAULT_GPU.resource,
        help="Extended resource that counts GPUs; GPU profiles set it as a limit.",
    ).tag(config=True)

    gpu_node_selector = Dict(
        dict(DEFAULT_GPU.node_selector),
        help="Node labels a GPU profile's pod requires (the default is the label NVIDIA's "
             "GPU feature discovery puts on GPU nodes; GKE uses "
             "cloud.google.com/gke-accelerator).",
    ).tag(config=True)

    gpu_tolerations = List(
        [dict(t) for t in DEFAULT_GPU.tolerations],
        help="Tolerations of a GPU profile's pod, for taints on GPU nodes. They replace "
             "the configured tolerations for that pod; list any you also need.",
    ).tag(config=True)

    shared_root = Unicode(
        "/shared",
        help="Where group shares are mounted: <shared_root>/<group>; "
             "<shared_root>/<group>/projects is one of the member's project roots.",
    ).tag(config=True)

    shared_claim_template = Unicode(
        SHARED_CLAIM_TEMPLATE,
        help="Name of the PersistentVolumeClaim behind a group share ({group} is filled in); "
             "`hubml-spawner helm-values --shared-pvcs FILE` writes them.",
    ).tag(config=True)

    home_mount_path = Unicode(
        "/home/jovyan",
        help="Where the user's own volume is mounted; <home>/projects is their first "
             "project root.",
    ).tag(config=True)

    demo_project = Bool(
        True,
        help="Give each user the hubml demo project on their first server start.",
    ).tag(config=True)

    fail_fast = Bool(
        True,
        help="End a spawn as soon as the pod reports ErrImagePull, ImagePullBackOff, "
             "InvalidImageName or CreateContainerConfigError, with a message naming the "
             "image and the reason, instead of waiting for start_timeout.",
    ).tag(config=True)

    selection = None  # the checked Selection (profile, size, GPUs) of this spawn
    deployment = None  # a deployments.Deployment when this named server is one
    _catalog = None
    _watching_start = False

    @default("profile_list")
    def _default_profile_list(self):
        return _catalog_profile_list

    @validate("profile_list")
    def _per_user_profile_list(self, proposal):
        value = proposal["value"]
        if callable(value) or not value:
            return value
        # a static list (e.g. Z2JH's singleuser.profileList): offer each user only theirs
        return partial(_filtered_profile_list, self._sorted_dict_values(value))

    @default("apply_user_options")
    def _default_apply_user_options(self):
        return type(self)._apply_hubml_options

    @default("cmd")
    def _default_cmd(self):
        # explicit, so the kernel restriction in get_args reaches the server
        return ["jupyterhub-singleuser"]

    @default("default_url")
    def _default_default_url(self):
        return "/lab"

    @default("storage_pvc_ensure")
    def _default_storage_pvc_ensure(self):
        return True

    @default("storage_capacity")
    def _default_storage_capacity(self):
        return "10Gi"

    @default("volumes")
    def _default_volumes(self):
        return {"home": {"name": "home", "persistentVolumeClaim": {"claimName": "{pvc_name}"}}}

    @default("volume_mounts")
    def _default_volume_mounts(self):
        return {"home": {"name": "home", "mountPath": self.home_mount_path}}

    @default("uid")
    def _default_uid(self):
        return 1000

    @default("fs_gid")
    def _default_fs_gid(self):
        return 100

    # -- catalog and profiles --------------------------------------------------------
    @property
    def gpu_scheduling(self) -> GpuScheduling:
        return GpuScheduling(self.gpu_resource, dict(self.gpu_node_selector),
                             tuple(self.gpu_tolerations))

    def load_catalog(self) -> Catalog:
        """The catalog, read once per spawner (JupyterHub makes a spawner per start)."""
        if self._catalog is None:
            self._catalog = load_catalog(self.catalog_path or None)
        return self._catalog

    def _user_groups(self) -> list[str]:
        return [g.name for g in getattr(self.user, "groups", [])]

    def allowed_profiles(self):
        return allowed_profiles(self.load_catalog(), self._user_groups(), bool(self.user.admin))

    def _apply_hubml_options(self, user_options):
        """Check the options against the catalog before anything is created; 4xx if refused."""
        try:
            options, self.deployment = deployments.split_options(user_options)
            if self.deployment is not None:
                deployments.check_server_name(self.deployment, self.name)
            self.selection = resolve_selection(self.load_catalog(), options,
                                               self._user_groups(), bool(self.user.admin))
        except (ProfileRefused, deployments.DeploymentRefused) as exc:
            # JupyterHub saved these options as the next default; forget a refused choice
            if self.orm_spawner is not None and self.orm_spawner.user_options == user_options:
                self.orm_spawner.user_options = {}
                self.db.commit()
            raise spawn_error(str(exc), reason="profile", status=exc.status) from None
        # KubeSpawner applies the profile and its options from these, in start; the
        # deployment stays in them (the hub lists it with the server)
        self.user_options = self.selection.user_options
        if self.deployment is not None:
            self.user_options = {**self.user_options,
                                 deployments.KEY: user_options[deployments.KEY]}
        self.log.info("hubml: %s starts profile %s", self.user.name, self.user_options)

    async def load_user_options(self):
        if self.selection is None:  # a hub that does not call apply_user_options
            self._apply_hubml_options(self.user_options)
        try:
            await super().load_user_options()
        except ValueError as exc:  # the catalog allows it, the configured profile_list lacks it
            raise spawn_error(f"profile {self.selection.profile.name!r} cannot be applied: "
                              f"{exc}; ask an admin to align profile_list with the catalog",
                              reason="profile", status=500) from None

    # -- what goes into the pod ------------------------------------------------------
    def get_env(self):
        env = super().get_env()
        if self.selection is not None:
            env.update(profile_environment(self.selection.profile))
        shares = self.load_catalog().shares
        env["HUBML_PROJECT_ROOTS"] = ":".join(
            project_roots(self.home_mount_path, self._user_groups(), shares, self.shared_root))
        if self.demo_project and self.deployment is None:
            env["HUBML_DEMO_PROJECT"] = "1"
        if self.deployment is not None and self.deployment.kind == "model":
            env.update(deployments.model_environment(self.deployment))
        return env

    def get_args(self):
        if self.deployment is not None and self.deployment.kind == "model":
            return []  # the whole command is in cmd (get_pod_manifest)
        args = super().get_args()
        if self.selection is not None:
            args += [f"--KernelSpecManager.allowed_kernelspecs={k}"
                     for k in self.selection.profile.kernels]
        if self.deployment is not None:  # the project is on the user's volume
            project_dir = f"{self.home_mount_path}/projects/{self.deployment.project}"
            args += deployments.dashboard_args(self.deployment, project_dir)
        return args

    async def get_pod_manifest(self):
        if self.deployment is None or self.deployment.kind != "model":
            return await self._hubml_pod_manifest()
        # hubml serve behind the proxy, on the pod's port, instead of jupyterhub-singleuser
        jupyter_cmd = self.cmd
        self.cmd = deployments.model_command(self.deployment, bin_dir="", ip="0.0.0.0",
                                             port=self.port, base_url=self._prefix())
        try:
            return await self._hubml_pod_manifest()
        finally:
            self.cmd = jupyter_cmd

    def _prefix(self) -> str:
        """Where the proxy routes this server: /user/<name>/<server>/."""
        if self.server is not None:
            return self.server.base_url
        return f"{self.user.url}{self.name}/"

    async def _hubml_pod_manifest(self):
        pod = await super().get_pod_manifest()
        volumes, mounts = user_volumes(
            self._user_groups(), self.load_catalog().shares,
            self.selection.profile if self.selection else None,
            shared_root=self.shared_root, claim_template=self.shared_claim_template)
        pod.spec.volumes = list(pod.spec.volumes or []) + [
            get_k8s_model(V1Volume, v) for v in volumes]
        notebook = pod.spec.containers[0]
        notebook.volume_mounts = list(notebook.volume_mounts or []) + [
            get_k8s_model(V1VolumeMount, m) for m in mounts]
        return pod

    # -- fail fast -------------------------------------------------------------------
    async def _start(self):
        self._watching_start = self.fail_fast
        try:
            return await super()._start()
        finally:
            self._watching_start = False

    def is_pod_running(self, pod):
        # KubeSpawner's _start polls this (with backoff, at most 5 s apart) until the pod
        # runs; while starting, a pod that will never run ends the spawn here
        if self._watching_start:
            failure = spawn_failure(pod, self.events, image=self.image)
            if failure:
                self.log.warning("hubml: %s's pod %s: %s", self.user.name, self.pod_name,
                                 failure)
                reason = "config" if failure.reason == "CreateContainerConfigError" else "image"
                raise spawn_error(str(failure), reason=reason, status=500)
        return super().is_pod_running(pod)
