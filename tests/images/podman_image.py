"""The container test's image, built with podman and cached across runs.

Three layers, each tagged with a hash of what decides it and skipped when that tag exists:

1. ``localhost/hubml-test-rootfs:<k1>``: Debian bookworm (minbase + python3, python3-venv) made
   with debootstrap from the mirror apt uses here, then ``podman import``-ed. About a minute.
2. ``localhost/hubml-test-base:<k2>``: ``podman/Dockerfile``: a venv with jupyter_server,
   jupyterhub and PyYAML from wheels downloaded once on the host (``podman/requirements.txt``).
   k2 covers k1, that Dockerfile, the requirements, constraints.txt and the project version.
3. ``localhost/hubml-test:<k3>``: ``podman/hubml.Dockerfile``: the wheel of this checkout
   (``pip wheel --no-deps``; hatchling's wheels are reproducible, so unchanged sources give the
   same hash and a warm run builds nothing). A few seconds when the code changed.

Older tags of the same image are removed when a new one is built. The wheel cache lives in
``$HUBML_PODMAN_CACHE`` (default ``~/.cache/hubml/podman``).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["TestImage", "build_test_image", "debian_mirror", "podman", "run"]

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent / "podman"
SUITE, VARIANT, PACKAGES = "bookworm", "minbase", ("python3", "python3-venv")
PYTHON = ("3.11", "cp311")  # bookworm's python3: the wheels are downloaded for it
DEFAULT_MIRROR = "http://deb.debian.org/debian"


def run(command: list[str], check=True, timeout=900, **kwargs) -> subprocess.CompletedProcess:
    """Run a command; a failure raises with the command and the end of its output."""
    result = subprocess.run(command, text=True, capture_output=True, timeout=timeout, **kwargs)
    if check and result.returncode != 0:
        output = (result.stdout + result.stderr)[-4000:]
        raise RuntimeError(f"{' '.join(command[:3])} ... failed ({result.returncode}):\n{output}")
    return result


def podman(*args, **kwargs) -> subprocess.CompletedProcess:
    return run(["podman", *args], **kwargs)


def _key(*parts) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else str(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def debian_mirror() -> str:
    """``$HUBML_DEBIAN_MIRROR``, else the mirror apt uses for Debian here, else deb.debian.org."""
    if os.environ.get("HUBML_DEBIAN_MIRROR"):
        return os.environ["HUBML_DEBIAN_MIRROR"]
    sources = [Path("/etc/apt/sources.list"), *sorted(Path("/etc/apt/sources.list.d").glob("*"))]
    candidates = []  # (uri, suites)
    for path in sources:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if path.suffix == ".sources":  # deb822 stanzas
            for stanza in re.split(r"\n\s*\n", text):
                fields = dict(re.findall(r"^(\w[\w-]*):\s*(.*)$", stanza, re.M))
                for uri in fields.get("URIs", "").split():
                    candidates.append((uri, fields.get("Suites", "").split()))
        else:  # one-line style: deb [options] uri suite components
            for m in re.finditer(r"^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)", text, re.M):
                candidates.append((m.group(1), [m.group(2)]))
    for uri, suites in candidates:
        if SUITE in suites or any(s in ("stable", "oldstable") for s in suites):
            return uri.rstrip("/")
    return DEFAULT_MIRROR


def _image_exists(tag: str) -> bool:
    return podman("image", "exists", tag, check=False).returncode == 0


def _drop_older(repository: str, keep: str) -> None:
    tags = podman("images", "--format", "{{.Repository}}:{{.Tag}}", repository).stdout.split()
    old = [t for t in tags if t != keep and t.startswith(repository + ":")]
    if old:
        podman("rmi", "--force", *old, check=False)


def _rootfs_image() -> str:
    tag = f"localhost/hubml-test-rootfs:{_key(SUITE, VARIANT, PACKAGES)}"
    if _image_exists(tag):
        return tag
    with tempfile.TemporaryDirectory(prefix="hubml-rootfs-", dir="/var/tmp") as tmp:
        root = Path(tmp) / "root"
        run(["debootstrap", f"--variant={VARIANT}", f"--include={','.join(PACKAGES)}",
             SUITE, str(root), debian_mirror()])
        tar = subprocess.Popen(["tar", "-C", str(root), "-c", "."], stdout=subprocess.PIPE)
        podman("import", "-", tag, stdin=tar.stdout)
        if tar.wait() != 0:
            raise RuntimeError("tar of the debootstrap root file system failed")
    _drop_older("localhost/hubml-test-rootfs", tag)
    return tag


def _wheel_cache(requirements: bytes) -> Path:
    cache = Path(os.environ.get("HUBML_PODMAN_CACHE", Path.home() / ".cache/hubml/podman"))
    folder = cache / f"wheels-{_key(requirements, (ROOT / 'constraints.txt').read_bytes())}"
    if folder.is_dir():
        return folder
    cache.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix="wheels-", dir=cache))
    platforms = [f"--platform=manylinux_2_{minor}_x86_64" for minor in range(5, 37)]
    try:
        run([sys.executable, "-m", "pip", "download", "-q", "--only-binary=:all:",
             f"--python-version={PYTHON[0]}", "--implementation=cp", f"--abi={PYTHON[1]}",
             *platforms, "-d", str(partial), "-r", str(HERE / "requirements.txt"),
             "-c", str(ROOT / "constraints.txt")])
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    partial.rename(folder)
    return folder


def _base_image(rootfs: str) -> str:
    from hubml import __version__

    dockerfile = HERE / "Dockerfile"
    requirements = (HERE / "requirements.txt").read_bytes()
    tag = "localhost/hubml-test-base:" + _key(rootfs, dockerfile.read_bytes(), requirements,
                                               (ROOT / "constraints.txt").read_bytes(),
                                               __version__)
    if _image_exists(tag):
        return tag
    wheels = _wheel_cache(requirements)
    with tempfile.TemporaryDirectory(prefix="hubml-ctx-") as ctx:
        shutil.copytree(wheels, Path(ctx) / "wheels")
        shutil.copy(HERE / "requirements.txt", ctx)
        podman("build", "-f", str(dockerfile), "--build-arg", f"BASE_IMAGE={rootfs}",
               "-t", tag, ctx)
    _drop_older("localhost/hubml-test-base", tag)
    return tag


def _project_image(base: str) -> str:
    dockerfile = HERE / "hubml.Dockerfile"
    with tempfile.TemporaryDirectory(prefix="hubml-ctx-") as ctx:
        run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
             "-w", ctx, str(ROOT)])
        wheel = next(Path(ctx).glob("hubml-*.whl"))
        tag = f"localhost/hubml-test:{_key(base, dockerfile.read_bytes(), wheel.read_bytes())}"
        if not _image_exists(tag):
            podman("build", "-f", str(dockerfile), "--build-arg", f"BASE_IMAGE={base}",
                   "-t", tag, ctx)
            _drop_older("localhost/hubml-test", tag)
    return tag


class TestImage:
    """The built tag and how long each layer took (seconds; ~0 when it was cached)."""

    __test__ = False  # not a pytest test class

    def __init__(self, tag: str, timings: dict[str, float]):
        self.tag, self.timings = tag, timings


def build_test_image() -> TestImage:
    timings = {}
    start = time.monotonic()
    rootfs = _rootfs_image()
    timings["rootfs"] = time.monotonic() - start
    base = _base_image(rootfs)
    timings["base"] = time.monotonic() - start - timings["rootfs"]
    tag = _project_image(base)
    timings["project"] = time.monotonic() - start - timings["rootfs"] - timings["base"]
    timings["total"] = time.monotonic() - start
    return TestImage(tag, timings)
