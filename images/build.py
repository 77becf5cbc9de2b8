"""Build hubml's container images, tagged from ``images/catalog.yaml``: ``make images``.

Each profile's ``image`` (``quay.io/hubml/torch-cuda:0.1.0``) names its folder by the last
path part (``images/torch-cuda/Dockerfile``). The base image (``images/base``) is built first
and tagged beside them (``quay.io/hubml/base:0.1.0``); every other image gets it as
``--build-arg BASE_IMAGE``. The build context is a small folder holding the hubml wheel
(``pip wheel --no-deps`` of this checkout) and ``constraints.txt``.

    python images/build.py                      # base + every catalog image (podman, else docker)
    python images/build.py torch-cuda \
        --build-arg TORCH_INDEX_URL=https://download.pytorch.org/whl/cu126
    python images/build.py --dry-run            # print the commands only
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "images"
sys.path.insert(0, str(ROOT / "spawner"))  # run from a checkout without installing

from hubml_spawner.catalog import load_catalog  # noqa: E402

__all__ = ["BASE", "build_commands", "catalog_images", "main", "split_image"]

BASE = "base"


def split_image(image: str) -> tuple[str, str, str]:
    """``registry/namespace/name:tag`` -> (``registry/namespace``, ``name``, ``tag``)."""
    repository, tag = image, "latest"
    if ":" in image.rsplit("/", 1)[-1]:
        repository, tag = image.rsplit(":", 1)
    prefix, _, name = repository.rpartition("/")
    return prefix, name, tag


def catalog_images(catalog_path=None) -> dict[str, str]:
    """``{folder: tag}``: the base image first, then each catalog image once."""
    profiles = [p for p in load_catalog(catalog_path).profiles if p.image]
    if not profiles:
        raise SystemExit("images/build.py: no profile in the catalog names an image")
    prefix, _, tag = split_image(profiles[0].image)
    images = {BASE: f"{prefix}/{BASE}:{tag}" if prefix else f"{BASE}:{tag}"}
    for profile in profiles:
        images.setdefault(split_image(profile.image)[1], profile.image)
    return images


def build_commands(engine: str, images: dict[str, str], context: Path,
                   names=None, build_args=()) -> list[list[str]]:
    """The build command of each image to build, base first."""
    wanted = [BASE, *(n for n in images if n != BASE and (not names or n in names))]
    commands = []
    for name in wanted:
        dockerfile = IMAGES / name / "Dockerfile"
        if not dockerfile.is_file():
            raise SystemExit(f"images/build.py: {dockerfile} is missing (catalog image "
                             f"{images[name]}); add it or fix the profile's 'image'")
        command = [engine, "build", "-f", str(dockerfile), "-t", images[name]]
        if name != BASE:
            command += ["--build-arg", f"BASE_IMAGE={images[BASE]}"]
        for arg in build_args:
            command += ["--build-arg", arg]
        commands.append([*command, str(context)])
    return commands


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="image folders to build (default: all)")
    parser.add_argument("--engine", default=shutil.which("podman") and "podman" or "docker",
                        help="podman or docker (default: podman when installed)")
    parser.add_argument("--catalog", help="catalog file (default: images/catalog.yaml)")
    parser.add_argument("--build-arg", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--dry-run", action="store_true", help="print the commands, build nothing")
    args = parser.parse_args(argv)

    images = catalog_images(args.catalog)
    unknown = sorted(set(args.names) - set(images))
    if unknown:
        parser.error(f"unknown image {unknown[0]!r}; choose from {', '.join(images)}")
    with tempfile.TemporaryDirectory(prefix="hubml-images-") as tmp:
        context = Path(tmp)
        commands = build_commands(args.engine, images, context, args.names, args.build_arg)
        if args.dry_run:
            for command in commands:
                print(shlex.join(command))
            return 0
        shutil.copy(ROOT / "constraints.txt", context / "constraints.txt")
        subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                        "--no-build-isolation", "-w", str(context), str(ROOT)], check=True)
        for command in commands:
            print("+", shlex.join(command), flush=True)
            subprocess.run(command, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
