"""Kubernetes manifests for serving (serving/k8s.py): whole manifests compared with reviewed
files, every object valid for the Kubernetes API (kubernetes-validate, strict), the CLI, and
options that cannot work refused with a message naming them."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from hubml.serving.k8s import PORT, ServingManifest, manifests, to_yaml
from tests.support.kube import validate

EXPECTED = Path(__file__).parent / "expected"
REPO = Path(__file__).resolve().parents[2]
PVC = ServingManifest(project="churn", model="churn-gbdt@production", replicas=3, cpu="500m",
                      memory="768Mi", namespace="ml", store_pvc="hubml-projects",
                      host="predict.example.org", ingress_class="nginx")
URI = ServingManifest(project="churn", model="churn-gbdt:4", store_uri="s3://models/mlflow")


@pytest.mark.parametrize("m, expected", [(PVC, "k8s-churn-pvc.yaml"),
                                         (URI, "k8s-churn-uri.yaml")])
def test_manifests_equal_the_reviewed_files_and_validate(m, expected):
    objects = manifests(m)
    assert objects == list(yaml.safe_load_all((EXPECTED / expected).read_text()))
    for obj in objects:
        validate(obj)


def test_the_deployment_probes_resources_replicas_and_store():
    deployment = next(o for o in manifests(PVC) if o["kind"] == "Deployment")
    assert deployment["spec"]["replicas"] == 3
    pod = deployment["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == "/v2/health/ready"
    assert container["livenessProbe"]["httpGet"]["path"] == "/ping"
    assert container["resources"]["limits"] == {"cpu": "500m", "memory": "768Mi"}
    assert container["args"][:5] == ["hubml", "serve", "--project", "churn",
                                     "churn-gbdt@production"]
    assert pod["volumes"][0]["persistentVolumeClaim"]["claimName"] == "hubml-projects"
    kinds = [o["kind"] for o in manifests(PVC)]
    assert kinds == ["PersistentVolumeClaim", "Deployment", "Service", "Ingress"]
    # an object store instead of a claim: its URI for MLflow, no PVC
    uri_objects = manifests(URI)
    assert [o["kind"] for o in uri_objects] == ["Deployment", "Service", "Ingress"]
    env = {e["name"]: e.get("value") for e in
           uri_objects[0]["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["HUBML_TRACKING_URI"] == "s3://models/mlflow"
    assert [o["kind"] for o in manifests(ServingManifest(
        project="churn", model="m", store_pvc="have", create_pvc=False))][0] == "Deployment"


@pytest.mark.parametrize("changes, option", [
    ({"project": "Bad Name"}, "--project"),
    ({"model": "m@"}, "--model"),
    ({"replicas": 0}, "--replicas"),
    ({"cpu": "two"}, "--cpu"),
    ({"memory": "1 GB"}, "--memory"),
    ({"store_pvc": None}, "--store-pvc"),
    ({"store_uri": "s3://x"}, "--store-uri"),
    ({"store_pvc": "Bad_Claim"}, "--store-pvc"),
])
def test_options_that_cannot_work_are_refused(changes, option):
    fields = {"project": "churn", "model": "m", "store_pvc": "claim", **changes}
    with pytest.raises(ValueError, match=option):
        manifests(ServingManifest(**fields))


def test_cli_writes_the_same_manifests(tmp_path):
    out = tmp_path / "serve.yaml"
    cmd = [sys.executable, "-m", "hubml.cli", "k8s-manifests", "--project", "churn",
           "--model", "churn-gbdt@production", "--replicas", "3", "--cpu", "500m",
           "--memory", "768Mi", "--namespace", "ml", "--store-pvc", "hubml-projects",
           "--host", "predict.example.org", "--ingress-class", "nginx", "-o", str(out)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    assert out.read_text() == to_yaml(manifests(PVC))
    bad = subprocess.run([*cmd[:4], "--project", "churn", "--model", "m", "--store-pvc", "c",
                          "--cpu", "lots"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "--cpu 'lots'" in bad.stderr and "Traceback" not in bad.stderr


def test_the_serving_image_runs_what_the_manifests_expect():
    text = (REPO / "images/serving/Dockerfile").read_text()
    assert f"EXPOSE {PORT}" in text
    assert "HUBML_PROJECT_ROOTS=/srv/projects" in text
    assert 'ENTRYPOINT ["tini"' in text   # the manifests' args run under it
