"""hubml's kernel specs (``kernels/<name>/kernel.json``): find, check and install them.

``hubml kernels list`` shows them; ``hubml kernels install [--prefix P | --sys-prefix | --user]
[--only] [NAMES...]`` installs them with jupyter_client's ``KernelSpecManager``. The specs ship
inside the wheel as package data (``hubml/kernels``); in a source checkout they are read from the
repository's ``kernels/`` folder.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from .environment import FRAMEWORK_INFO

__all__ = ["KernelError", "add_parser", "available", "install", "kernels_dir", "validate"]

PREFIX = "hubml-"


class KernelError(ValueError):
    """A kernel name or spec is wrong; the message says what to change."""


def kernels_dir() -> Path:
    """The folder holding one sub-folder per kernel spec."""
    packaged = Path(__file__).resolve().parent / "kernels"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "kernels"  # source checkout / editable install


def validate(name: str, spec: dict) -> None:
    """Raise :class:`KernelError` unless ``spec`` is a usable hubml kernel.json."""
    argv = spec.get("argv")
    if not isinstance(argv, list) or not argv or "{connection_file}" not in argv:
        raise KernelError(f"kernel {name!r}: 'argv' must be a list with '{{connection_file}}'")
    for key in ("display_name", "language"):
        if not isinstance(spec.get(key), str) or not spec[key]:
            raise KernelError(f"kernel {name!r}: '{key}' must be a non-empty string")
    frameworks = spec.get("metadata", {}).get("hubml", {}).get("frameworks")
    if not isinstance(frameworks, list) or not frameworks:
        raise KernelError(f"kernel {name!r}: 'metadata.hubml.frameworks' must list frameworks")
    unknown = sorted(set(frameworks) - set(FRAMEWORK_INFO))
    if unknown:
        raise KernelError(f"kernel {name!r}: unknown framework {unknown[0]!r}; "
                          f"choose from {', '.join(FRAMEWORK_INFO)}")


def available(folder: Path | None = None) -> dict[str, dict]:
    """``{name: kernel.json}`` of every hubml kernel spec, each validated."""
    folder = folder or kernels_dir()
    specs = {}
    for path in sorted(folder.glob("*/kernel.json")):
        name = path.parent.name
        try:
            spec = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise KernelError(f"kernel {name!r}: {path} is not readable JSON ({exc})") from None
        validate(name, spec)
        specs[name] = spec
    return specs


def install(names=None, *, prefix: str | None = None, user: bool = False,
            only: bool = False) -> list[Path]:
    """Install the named kernels (all when none are named); return where each went.

    ``only``: also remove every other ``hubml-*`` kernel from the same folder, so an image
    offers exactly its own kernels.
    """
    from jupyter_client.kernelspec import KernelSpecManager

    specs = available()
    names = list(names or specs)
    unknown = [n for n in names if n not in specs]
    if unknown:
        raise KernelError(f"unknown kernel {unknown[0]!r}; choose from {', '.join(specs)}")
    manager = KernelSpecManager()
    installed = [Path(manager.install_kernel_spec(str(kernels_dir() / name), name,
                                                  user=user, prefix=prefix))
                 for name in names]
    if only and installed:
        target = installed[0].parent
        for other in target.glob(PREFIX + "*"):
            if other.is_dir() and other.name not in names:
                shutil.rmtree(other)
    return installed


def _list(args) -> int:
    from jupyter_client.kernelspec import KernelSpecManager

    found = KernelSpecManager().find_kernel_specs()
    for name, spec in available().items():
        frameworks = ",".join(spec["metadata"]["hubml"]["frameworks"])
        where = found.get(name, "not installed")
        print(f"{name:18} {spec['display_name']:28} {frameworks:30} {where}")
    return 0


def _install(args) -> int:
    prefix = sys.prefix if args.sys_prefix else args.prefix
    try:
        paths = install(args.names, prefix=prefix, user=args.user, only=args.only)
    except KernelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in paths:
        print(f"installed {path.name}: {path}")
    return 0


def add_parser(sub) -> None:
    """Add ``kernels list`` and ``kernels install`` to the ``hubml`` command."""
    kernels = sub.add_parser("kernels", help="list or install hubml's Jupyter kernels")
    ksub = kernels.add_subparsers(dest="kernels_command", required=True)
    ksub.add_parser("list", help="the kernels, their frameworks and where they are installed"
                    ).set_defaults(func=_list)
    inst = ksub.add_parser("install", help="install kernel specs (all when none are named)")
    inst.add_argument("names", nargs="*", metavar="NAME", help="kernels to install")
    where = inst.add_mutually_exclusive_group()
    where.add_argument("--prefix", help="install under PREFIX/share/jupyter/kernels")
    where.add_argument("--sys-prefix", action="store_true",
                       help="install into this Python environment (sys.prefix)")
    where.add_argument("--user", action="store_true", help="install for the current user")
    inst.add_argument("--only", action="store_true",
                      help="remove other hubml-* kernels from the same folder (for images)")
    inst.set_defaults(func=_install)

