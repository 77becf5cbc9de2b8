"""Fixtures for the image, kernel and container tests."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "container: builds an image and runs a pod with podman (root, network)")


def venv_tool(name: str) -> str | None:
    """A console script of this environment, else one on PATH."""
    return str(BIN / name) if (BIN / name).exists() else shutil.which(name)


@pytest.fixture(scope="session")
def hubml_wheel(tmp_path_factory) -> Path:
    """A wheel of this checkout (``pip wheel --no-deps``; the built frontend is reused)."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", "-w", str(out), str(REPO)], check=True)
    return next(out.glob("hubml-*.whl"))
