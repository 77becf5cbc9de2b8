"""Kubernetes manifests for serving a model: Deployment, Service, Ingress and the model store.

Pure functions from :class:`ServingManifest` options to plain dicts (KubeSpawner's
objects.py style), written out by ``hubml k8s-manifests``. The pod runs
``hubml serve --project P MODEL --host 0.0.0.0 --port 8080`` from ``images/serving``; the
project (its datasets, MLflow store and registry) comes from a PersistentVolumeClaim mounted
at ``/srv/projects`` (``store_pvc``; made here unless it exists), or from an object-store URI
given to MLflow as ``HUBML_TRACKING_URI`` (``store_uri``). Readiness is ``/v2/health/ready``
(every model loaded), liveness ``/ping``; clients send ``Authorization: Bearer <token>`` with
the token of the Secret ``<name>-token`` (key ``token``), which the admin creates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["ServingManifest", "add_parser", "deployment", "ingress", "manifests", "pvc", "service",
           "to_yaml"]

PORT = 8080
PROJECTS_MOUNT = "/srv/projects"
_DNS = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")
_QUANTITY = re.compile(r"^[0-9]+(\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti)?$")


@dataclass(frozen=True)
class ServingManifest:
    project: str
    model: str                      # NAME, NAME@ALIAS or NAME:VERSION
    image: str = "quay.io/hubml/serving:0.1.0"
    replicas: int = 2
    cpu: str = "1"
    memory: str = "1Gi"
    workers: int = 1
    namespace: str | None = None
    store_pvc: str | None = None    # claim holding the project roots
    store_size: str = "10Gi"
    create_pvc: bool = True
    store_uri: str | None = None    # e.g. s3://bucket/mlflow, instead of a PVC
    host: str | None = None         # the Ingress host; None: any
    ingress_class: str | None = None
    labels: dict = field(default_factory=dict)

    @property
    def model_name(self) -> str:
        return re.split(r"[@:]", self.model, maxsplit=1)[0]

    @property
    def name(self) -> str:
        return _dns(f"hubml-serve-{self.project}-{self.model_name}")

    def check(self) -> ServingManifest:
        """ValueError naming the option to change."""
        if not re.fullmatch(r"[a-z0-9][a-z0-9_\-]{0,62}", self.project):
            raise ValueError(f"--project {self.project!r} is not a project name")
        if not re.fullmatch(r"[a-z0-9][a-z0-9_\-]{0,62}([@:][a-z0-9_\-]{1,63})?", self.model):
            raise ValueError(f"--model {self.model!r}: give NAME, NAME@ALIAS or NAME:VERSION")
        if self.replicas < 1 or self.workers < 1:
            raise ValueError("--replicas and --workers must be at least 1")
        for option, value in (("--cpu", self.cpu), ("--memory", self.memory),
                              ("--store-size", self.store_size)):
            if not _QUANTITY.match(value):
                raise ValueError(f"{option} {value!r} is not a Kubernetes quantity "
                                 "(like 500m, 2, 512Mi, 4Gi)")
        if bool(self.store_pvc) == bool(self.store_uri):
            raise ValueError("give the model store as exactly one of --store-pvc NAME or "
                             "--store-uri URI (s3://..., gs://..., a database URL)")
        if self.store_pvc and not _DNS.fullmatch(self.store_pvc):
            raise ValueError(f"--store-pvc {self.store_pvc!r} is not a valid claim name")
        return self


def _dns(text: str) -> str:
    text = re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")
    return text[:63].rstrip("-")


def _meta(m: ServingManifest, name: str) -> dict:
    meta = {"name": name, "labels": _labels(m)}
    if m.namespace:
        meta["namespace"] = m.namespace
    return meta


def _labels(m: ServingManifest) -> dict:
    return {"app.kubernetes.io/name": "hubml-serve", "app.kubernetes.io/instance": m.name,
            "hubml/project": _dns(m.project), "hubml/model": _dns(m.model_name), **m.labels}


def _selector(m: ServingManifest) -> dict:
    return {"app.kubernetes.io/name": "hubml-serve", "app.kubernetes.io/instance": m.name}


def _probe(path: str, delay: int, period: int) -> dict:
    return {"httpGet": {"path": path, "port": "http"}, "initialDelaySeconds": delay,
            "periodSeconds": period, "timeoutSeconds": 2, "failureThreshold": 3}


def deployment(m: ServingManifest) -> dict:
    env = [{"name": "HUBML_PROJECT_ROOTS", "value": PROJECTS_MOUNT},
           {"name": "HUBML_SERVE_TOKEN", "valueFrom": {"secretKeyRef": {
               "name": f"{m.name}-token", "key": "token"}}}]
    volumes, mounts = [], []
    if m.store_uri:
        env.append({"name": "HUBML_TRACKING_URI", "value": m.store_uri})
        volumes.append({"name": "projects", "emptyDir": {}})
    else:
        volumes.append({"name": "projects", "persistentVolumeClaim": {
            "claimName": m.store_pvc, "readOnly": False}})
    mounts.append({"name": "projects", "mountPath": PROJECTS_MOUNT})
    container = {
        "name": "serve",
        "image": m.image,
        "args": ["hubml", "serve", "--project", m.project, m.model, "--host", "0.0.0.0",
                 "--port", str(PORT), "--workers", str(m.workers)],
        "ports": [{"name": "http", "containerPort": PORT, "protocol": "TCP"}],
        "env": env,
        "resources": {"requests": {"cpu": m.cpu, "memory": m.memory},
                      "limits": {"cpu": m.cpu, "memory": m.memory}},
        "readinessProbe": _probe("/v2/health/ready", 2, 5),
        "livenessProbe": _probe("/ping", 10, 10),
        "volumeMounts": mounts,
        "securityContext": {"runAsNonRoot": True, "runAsUser": 1000,
                            "allowPrivilegeEscalation": False,
                            "capabilities": {"drop": ["ALL"]}},
    }
    return {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": _meta(m, m.name),
        "spec": {
            "replicas": m.replicas,
            "selector": {"matchLabels": _selector(m)},
            "strategy": {"type": "RollingUpdate",
                         "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}},
            "template": {
                "metadata": {"labels": _labels(m)},
                "spec": {"containers": [container], "volumes": volumes,
                         "securityContext": {"fsGroup": 100}},
            },
        },
    }


def service(m: ServingManifest) -> dict:
    return {"apiVersion": "v1", "kind": "Service", "metadata": _meta(m, m.name),
            "spec": {"type": "ClusterIP", "selector": _selector(m),
                     "ports": [{"name": "http", "port": 80, "targetPort": "http",
                                "protocol": "TCP"}]}}


def ingress(m: ServingManifest) -> dict:
    rule = {"http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": {
        "service": {"name": m.name, "port": {"name": "http"}}}}]}}
    if m.host:
        rule["host"] = m.host
    spec = {"rules": [rule]}
    if m.ingress_class:
        spec["ingressClassName"] = m.ingress_class
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": _meta(m, m.name), "spec": spec}


def pvc(m: ServingManifest) -> dict:
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": _meta(m, m.store_pvc),
            "spec": {"accessModes": ["ReadWriteMany"],
                     "resources": {"requests": {"storage": m.store_size}}}}


def manifests(m: ServingManifest) -> list[dict]:
    """Every object, in the order to apply them."""
    m.check()
    out = [pvc(m)] if m.store_pvc and m.create_pvc else []
    return out + [deployment(m), service(m), ingress(m)]


def to_yaml(objects: list[dict]) -> str:
    import yaml

    return "---\n".join(yaml.safe_dump(o, sort_keys=False) for o in objects)


# -- `hubml k8s-manifests` -----------------------------------------------------------------
def _cli(args) -> int:
    import sys

    m = ServingManifest(project=args.project, model=args.model, image=args.image,
                        replicas=args.replicas, cpu=args.cpu, memory=args.memory,
                        workers=args.workers, namespace=args.namespace,
                        store_pvc=args.store_pvc, store_size=args.store_size,
                        create_pvc=not args.existing_pvc, store_uri=args.store_uri,
                        host=args.host, ingress_class=args.ingress_class)
    try:
        text = to_yaml(manifests(m))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.output in (None, "-"):
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote {args.output}", file=sys.stderr)
    return 0


def add_parser(sub) -> None:
    k8s = sub.add_parser("k8s-manifests", help="Kubernetes manifests serving a model "
                                               "(Deployment, Service, Ingress, store PVC)")
    k8s.add_argument("--project", required=True)
    k8s.add_argument("--model", required=True, metavar="NAME[@ALIAS|:VERSION]")
    k8s.add_argument("--image", default=ServingManifest.image)
    k8s.add_argument("--replicas", type=int, default=2)
    k8s.add_argument("--workers", type=int, default=1, help="service workers per pod")
    k8s.add_argument("--cpu", default="1", help="CPU request and limit (e.g. 500m, 2)")
    k8s.add_argument("--memory", default="1Gi", help="memory request and limit")
    k8s.add_argument("--namespace", default=None)
    store = k8s.add_mutually_exclusive_group(required=True)
    store.add_argument("--store-pvc", metavar="NAME", help="claim holding the project roots")
    store.add_argument("--store-uri", metavar="URI", help="MLflow store URI (s3://...)")
    k8s.add_argument("--store-size", default="10Gi", help="size of a new store claim")
    k8s.add_argument("--existing-pvc", action="store_true", help="the claim exists already")
    k8s.add_argument("--host", default=None, help="the Ingress host")
    k8s.add_argument("--ingress-class", default=None)
    k8s.add_argument("-o", "--output", default=None, help="file to write (default: stdout)")
    k8s.set_defaults(func=_cli)
