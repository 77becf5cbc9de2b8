"""Pure builders for Kubernetes: KubeSpawner profile entries, volumes, PVCs, spawn failures.

Like KubeSpawner's own ``objects.py``: plain functions over catalog objects and dicts, no
I/O and no cluster. :mod:`hubml_spawner.kube` and :mod:`hubml_spawner.helm` call them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .catalog import Profile, Resources, Share, Size, size_choices

__all__ = [
    "DEFAULT_GPU",
    "FATAL_WAITING_REASONS",
    "SHARED_CLAIM_TEMPLATE",
    "GpuScheduling",
    "SpawnFailure",
    "profile_entry",
    "profile_list",
    "project_roots",
    "resource_override",
    "shared_pvc_manifest",
    "spawn_failure",
    "user_volumes",
]

SHARED_CLAIM_TEMPLATE = "hubml-shared-{group}"
FATAL_WAITING_REASONS = ("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
                         "CreateContainerConfigError")
_IMAGE_IN_MESSAGE = re.compile(r'image(?: tag| reference)? "([^"]+)"')
_WHAT = {
    "ErrImagePull": "the image {image} cannot be pulled",
    "ImagePullBackOff": "the image {image} cannot be pulled",
    "InvalidImageName": "the image name {image} is not valid",
    "CreateContainerConfigError": "the container for image {image} cannot be configured",
}


@dataclass(frozen=True)
class GpuScheduling:
    """Where GPU profiles run: the extended resource, node selector and tolerations."""

    resource: str = "nvidia.com/gpu"
    node_selector: Mapping[str, str] = field(
        default_factory=lambda: {"nvidia.com/gpu.present": "true"})
    tolerations: tuple[Mapping, ...] = (
        {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"},)


DEFAULT_GPU = GpuScheduling()


def resource_override(resources: Resources) -> dict:
    """KubeSpawner traits for CPU/memory guarantees and limits (only those declared)."""
    values = {"cpu_guarantee": resources.cpu_guarantee, "cpu_limit": resources.cpu_limit,
              "mem_guarantee": resources.mem_guarantee, "mem_limit": resources.mem_limit}
    return {k: v for k, v in values.items() if v is not None}


def _size_label(size: Size) -> str:
    r, parts = size.resources, []
    if r.cpu_limit is not None:
        parts.append(f"up to {r.cpu_limit:g} CPU")
    if r.mem_limit is not None:
        parts.append(f"{r.mem_limit / 10**9:g} GB memory")
    return f"{size.display_name} ({', '.join(parts)})" if parts else size.display_name


def profile_entry(profile: Profile, gpu: GpuScheduling = DEFAULT_GPU) -> dict:
    """One KubeSpawner / Zero to JupyterHub ``profile_list`` entry for a catalog profile."""
    override = {"image": profile.image, **resource_override(profile.resources)}
    if profile.gpu:
        override["extra_resource_limits"] = {gpu.resource: str(profile.gpu)}
        override["node_selector"] = dict(gpu.node_selector)
        override["tolerations"] = [dict(t) for t in gpu.tolerations]
    entry = {"display_name": profile.display_name, "slug": profile.name,
             "description": profile.description}
    if profile.default:
        entry["default"] = True
    entry["kubespawner_override"] = override
    options = {}
    sizes = size_choices(profile)
    if sizes:
        options["size"] = {"display_name": "Size", "choices": {
            s.name: {"display_name": _size_label(s), "default": s.default,
                     "kubespawner_override": resource_override(s.resources)}
            for s in sizes}}
    if profile.gpu:
        options["gpus"] = {"display_name": "GPUs", "choices": {
            str(n): {"display_name": f"{n} GPU", "default": n == profile.gpu,
                     "kubespawner_override": {"extra_resource_limits": {gpu.resource: str(n)}}}
            for n in range(1, profile.gpu + 1)}}
    if options:
        entry["profile_options"] = options
    return entry


def profile_list(profiles: Iterable[Profile], gpu: GpuScheduling = DEFAULT_GPU) -> list[dict]:
    return [profile_entry(p, gpu) for p in profiles]


def _member_shares(groups: Iterable[str], shares: Iterable[Share]) -> list[Share]:
    groups = set(groups)
    return sorted((s for s in shares if s.group in groups), key=lambda s: s.group)


def user_volumes(groups: Iterable[str], shares: Iterable[Share], profile: Profile | None, *,
                 shared_root: str = "/shared",
                 claim_template: str = SHARED_CLAIM_TEMPLATE) -> tuple[list[dict], list[dict]]:
    """Volumes and mounts beyond home: the user's group shares, then the profile's volumes."""
    volumes, mounts = [], []
    for share in _member_shares(groups, shares):
        name = f"shared-{share.group}"
        volumes.append({"name": name, "persistentVolumeClaim": {
            "claimName": claim_template.format(group=share.group)}})
        mounts.append({"name": name, "mountPath": f"{shared_root.rstrip('/')}/{share.group}"})
    for volume in profile.volumes if profile is not None else ():
        name = f"data-{volume.name}"
        claim = {"claimName": volume.name}
        mount = {"name": name, "mountPath": volume.mount_path}
        if volume.read_only:
            claim["readOnly"] = True
            mount["readOnly"] = True
        volumes.append({"name": name, "persistentVolumeClaim": claim})
        mounts.append(mount)
    return volumes, mounts


def project_roots(home: str, groups: Iterable[str], shares: Iterable[Share],
                  shared_root: str = "/shared") -> list[str]:
    """``HUBML_PROJECT_ROOTS``: ``<home>/projects``, then ``/shared/<group>/projects``."""
    roots = [f"{home.rstrip('/')}/projects"]
    roots += [f"{shared_root.rstrip('/')}/{s.group}/projects"
              for s in _member_shares(groups, shares)]
    return roots


def shared_pvc_manifest(share: Share, *, claim_template: str = SHARED_CLAIM_TEMPLATE,
                        storage_class: str | None = None,
                        access_modes: Iterable[str] = ("ReadWriteMany",)) -> dict:
    """The PersistentVolumeClaim behind a group share (ReadWriteMany: many pods mount it)."""
    spec = {"accessModes": list(access_modes),
            "resources": {"requests": {"storage": share.storage}}}
    if storage_class:
        spec["storageClassName"] = storage_class
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": {"name": claim_template.format(group=share.group),
                         "labels": {"app.kubernetes.io/name": "hubml",
                                    "app.kubernetes.io/component": "group-share",
                                    "hubml.io/group": share.group}},
            "spec": spec}


class SpawnFailure(str):
    """A message for the user; ``reason`` is the Kubernetes reason behind it."""

    reason: str = ""

    def __new__(cls, message: str, reason: str):
        text = super().__new__(cls, message)
        text.reason = reason
        return text


def _failure(reason: str, image: str | None, detail: str) -> SpawnFailure:
    what = _WHAT[reason].format(image=f'"{image}"' if image else "(unknown)")
    detail = f": {detail.strip()}" if detail and detail.strip() != reason else ""
    advice = ("ask an admin to check the image name, the registry and its pull secret"
              if reason != "CreateContainerConfigError"
              else "ask an admin to check the secrets and config maps the server uses")
    return SpawnFailure(f"your server cannot start: {what} ({reason}{detail}); {advice}",
                        reason)


def _from_pod(pod: Mapping, image: str | None) -> SpawnFailure | None:
    status = pod.get("status") or {}
    for cs in (status.get("initContainerStatuses") or []) + (status.get("containerStatuses") or []):
        waiting = ((cs.get("state") or {}).get("waiting")) or {}
        if waiting.get("reason") in FATAL_WAITING_REASONS:
            return _failure(waiting["reason"], cs.get("image") or image, waiting.get("message", ""))
    return None


def _from_event(event: Mapping, image: str | None, seen: dict) -> SpawnFailure | None:
    reason, message = event.get("reason"), str(event.get("message") or "")
    named = _IMAGE_IN_MESSAGE.search(message)
    if named:
        seen["image"] = named.group(1)
    image = seen.get("image") or image
    if reason == "Failed" and message.startswith("Failed to pull image"):
        return _failure("ErrImagePull", image, message)
    if reason == "BackOff" and message.startswith("Back-off pulling image"):
        return _failure("ImagePullBackOff", image, message)
    if reason == "InspectFailed" and message.startswith("Failed to apply default image tag"):
        return _failure("InvalidImageName", image, message)
    for fatal in FATAL_WAITING_REASONS:
        if message.strip() == f"Error: {fatal}":
            return _failure(fatal, image, "")
    return None


def spawn_failure(pod: Mapping | None = None, events: Iterable[Mapping] = (),
                  image: str | None = None) -> SpawnFailure | None:
    """Why a starting pod will never run, from its status and/or its events; None if not known.

    ``pod`` is a Pod as a dict (camelCase, as the API and KubeSpawner's reflector give it),
    ``events`` the pod's Events in order, ``image`` the image asked for (named when the
    status or events do not name it). A failure is told for the container states
    ErrImagePull, ImagePullBackOff, InvalidImageName and CreateContainerConfigError, and for
    the kubelet's events that report them.
    """
    if pod:
        found = _from_pod(pod, image)
        if found:
            return found
    seen: dict = {}
    for event in events:
        found = _from_event(event, image, seen)
        if found:
            return found
    return None
