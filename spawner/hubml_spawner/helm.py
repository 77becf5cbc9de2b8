"""Zero to JupyterHub ``values.yaml`` from the catalog (pure: a dict in, a dict out).

The hub runs :class:`~hubml_spawner.kube.HubMLKubeSpawner` with the catalog mounted from
``hub.extraFiles``; ``singleuser.profileList`` lists every profile (the spawner shows each
user only those of their groups); group shares are mounted per member by the spawner, not
through ``singleuser.storage.extraVolumes`` (which every user would get).
"""

from __future__ import annotations

import yaml

from .catalog import Catalog
from .kube_objects import (
    DEFAULT_GPU,
    SHARED_CLAIM_TEMPLATE,
    GpuScheduling,
    profile_list,
    shared_pvc_manifest,
)

__all__ = ["CATALOG_MOUNT_PATH", "DEFAULT_HUB_IMAGE", "Z2JH_VERSION", "helm_values",
           "shared_pvcs", "split_image", "to_yaml"]

CATALOG_MOUNT_PATH = "/usr/local/etc/hubml/catalog.yaml"
DEFAULT_HUB_IMAGE = "quay.io/hubml/k8s-hub:0.1.0"
Z2JH_VERSION = "4.4.0"  # the chart version the values are written for (JupyterHub 5.5)
HOME = "/home/jovyan"

_CHECK_CATALOG = f"""\
# a malformed catalog stops the hub at start, with a message naming file, profile and field
from hubml_spawner.catalog import load_catalog
load_catalog({CATALOG_MOUNT_PATH!r})
"""


def split_image(ref: str) -> tuple[str, str]:
    """``name:tag`` -> (name, tag); a registry port is not a tag; no tag means latest."""
    name, sep, tag = ref.rpartition(":")
    if not sep or "/" in tag:
        return ref, "latest"
    return name, tag


def helm_values(catalog: Catalog, catalog_text: str, *, hub_image: str = DEFAULT_HUB_IMAGE,
                storage_class: str | None = None, home_capacity: str = "10Gi",
                admin: str = "admin", idle_timeout: int = 3600,
                gpu: GpuScheduling = DEFAULT_GPU) -> dict:
    """Values for ``helm upgrade --install hubml jupyterhub/jupyterhub --values ...``.

    ``catalog_text`` is the catalog file as written (mounted into the hub unchanged).
    """
    hub_name, hub_tag = split_image(hub_image)
    user_name, user_tag = split_image(catalog.default.image)
    dynamic = {"pvcNameTemplate": "claim-{user_server}",
               "volumeNameTemplate": "volume-{user_server}",
               "storageAccessModes": ["ReadWriteOnce"]}
    if storage_class:
        dynamic["storageClass"] = storage_class
    return {
        "hub": {
            "image": {"name": hub_name, "tag": hub_tag},
            "extraFiles": {"hubml-catalog": {"mountPath": CATALOG_MOUNT_PATH,
                                             "stringData": catalog_text}},
            "config": {
                "JupyterHub": {
                    "spawner_class": "hubml_spawner.kube.HubMLKubeSpawner",
                    "authenticator_class": "hubml_spawner.auth.HubMLAuthenticator",
                },
                "Authenticator": {"admin_users": [admin], "allow_all": True},
                "NativeAuthenticator": {"open_signup": False, "minimum_password_length": 8},
                "HubMLKubeSpawner": {
                    "catalog_path": CATALOG_MOUNT_PATH,
                    "home_mount_path": HOME,
                    "shared_root": "/shared",
                    "shared_claim_template": SHARED_CLAIM_TEMPLATE,
                    "gpu_resource": gpu.resource,
                    "gpu_node_selector": dict(gpu.node_selector),
                    "gpu_tolerations": [dict(t) for t in gpu.tolerations],
                },
            },
            "extraConfig": {"00-hubml-catalog": _CHECK_CATALOG},
        },
        "singleuser": {
            "image": {"name": user_name, "tag": user_tag},
            "defaultUrl": "/lab",
            "storage": {"type": "dynamic", "capacity": home_capacity,
                        "homeMountPath": HOME, "dynamic": dynamic},
            "profileList": profile_list(catalog.profiles, gpu),
        },
        "cull": {"enabled": True, "users": False, "adminUsers": True,
                 "removeNamedServers": False, "timeout": idle_timeout, "every": 600,
                 "concurrency": 10, "maxAge": 0},
    }


def shared_pvcs(catalog: Catalog, storage_class: str | None = None) -> list[dict]:
    """The PersistentVolumeClaims behind the catalog's group shares (``kubectl apply -f``)."""
    return [shared_pvc_manifest(s, claim_template=SHARED_CLAIM_TEMPLATE,
                                storage_class=storage_class) for s in catalog.shares]


class _Dumper(yaml.SafeDumper):
    """Multi-line strings (the catalog, extraConfig code) as literal blocks."""


def _str(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def to_yaml(documents: dict | list[dict], *, many: bool = False) -> str:
    """YAML for values (``many``: a multi-document stream, for manifests)."""
    options = {"Dumper": _Dumper, "sort_keys": False, "default_flow_style": False, "width": 100}
    return yaml.dump_all(documents, **options) if many else yaml.dump(documents, **options)
