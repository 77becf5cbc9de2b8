"""The catalog, the images and the kernels agree."""

import json
import re
import struct

import pytest

from hubml.kernels import available, kernels_dir
from hubml_spawner.catalog import load_catalog
from tests.images.conftest import REPO

CATALOG = load_catalog()
PROFILES = {p.name: p for p in CATALOG.profiles}
IMAGES = REPO / "images"


def folder_of(image: str) -> str:
    """``quay.io/hubml/torch-cuda:0.1.0`` -> ``torch-cuda`` (images/build.py's rule)."""
    return image.rsplit("/", 1)[-1].split(":")[0]


def dockerfile(name: str) -> str:
    return (IMAGES / name / "Dockerfile").read_text()


@pytest.mark.parametrize("name", PROFILES)
def test_profile_image_has_a_dockerfile_built_from_the_base(name):
    folder = folder_of(PROFILES[name].image)
    assert (IMAGES / folder / "Dockerfile").is_file(), f"{name}: images/{folder}/Dockerfile"
    text = dockerfile(folder)
    assert re.search(r"^ARG BASE_IMAGE=\S+/base:", text, re.M)
    assert re.findall(r"^FROM .*$", text, re.M) == ["FROM ${BASE_IMAGE}"]


def test_every_image_folder_is_the_base_or_in_the_catalog():
    # serving: the prediction service's image (hubml k8s-manifests), not a user profile
    used = {folder_of(p.image) for p in CATALOG.profiles} | {"base", "serving"}
    assert {p.parent.name for p in IMAGES.glob("*/Dockerfile")} == used


def test_base_image_runs_the_singleuser_server_as_jovyan():
    text = dockerfile("base")
    assert "-c \"${VENV}/constraints.txt\"" in text and "COPY constraints.txt" in text
    assert re.search(r"^ARG NB_UID=1000$", text, re.M)
    assert re.search(r"^USER \$\{NB_UID\}$", text, re.M)
    assert re.search(r"^WORKDIR /home/\$\{NB_USER\}$", text, re.M) and "ARG NB_USER=jovyan" in text
    assert re.search(r"^EXPOSE 8888$", text, re.M)
    assert re.search(r'^CMD \["jupyterhub-singleuser"\]$', text, re.M)


@pytest.mark.parametrize("folder", sorted(p.parent.name for p in IMAGES.glob("*/Dockerfile")))
def test_every_image_ends_as_the_unprivileged_user(folder):
    users = re.findall(r"^USER (\S+)$", dockerfile(folder), re.M)
    assert users and users[-1] == "${NB_UID}"


@pytest.mark.parametrize("name", PROFILES)
def test_profile_kernels_exist_and_cover_its_frameworks(name):
    profile, specs = PROFILES[name], available()
    for kernel in profile.kernels:
        assert kernel in specs, f"profile {name}: kernel {kernel} is not under kernels/"
        frameworks = set(specs[kernel]["metadata"]["hubml"]["frameworks"])
        assert set(profile.frameworks) <= frameworks, f"{kernel} lacks {set(profile.frameworks) - frameworks}"


@pytest.mark.parametrize("name", PROFILES)
def test_profile_image_installs_exactly_the_profile_kernels(name):
    text = dockerfile(folder_of(PROFILES[name].image))
    installed = re.findall(r"hubml kernels install --sys-prefix --only ([\w\- ]+)", text)
    assert installed and set(installed[-1].split()) == set(PROFILES[name].kernels)


@pytest.mark.parametrize("kernel", sorted(p.name for p in kernels_dir().iterdir() if p.is_dir()))
def test_kernel_spec_is_valid_with_a_64px_logo(kernel):
    folder = kernels_dir() / kernel
    spec = json.loads((folder / "kernel.json").read_text())
    assert spec["display_name"].startswith("Python 3 (") and spec["language"] == "python"
    png = (folder / "logo-64x64.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    assert struct.unpack(">II", png[16:24]) == (64, 64)
