"""The catalog's data model: profiles, sizes, shares; pure, no I/O.

:mod:`hubml_spawner.catalog` reads and validates the file into these objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = [
    "SLUG",
    "Catalog",
    "Profile",
    "Resources",
    "Share",
    "Size",
    "Volume",
    "parse_quantity",
    "size_choices",
]

# use SLUG.fullmatch: with .match, "$" also matches before a trailing newline
SLUG = re.compile(r"[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?")
_UNITS = {"": 1, "K": 10**3, "M": 10**6, "G": 10**9, "T": 10**12,
          "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}
_QUANTITY = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*(Ki|Mi|Gi|Ti|K|M|G|T)?")
# sizes offered when a profile declares none: half, as declared (the default), double
_DERIVED_SIZES = (("small", "Small", 0.5), ("medium", "Medium", 1.0), ("large", "Large", 2.0))


def parse_quantity(value) -> int:
    """Bytes of a memory quantity such as ``512M``, ``2G`` or ``1.5Gi``."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a memory size")
    if isinstance(value, int):
        return value
    match = _QUANTITY.fullmatch(str(value).strip())
    if not match:
        raise ValueError(f"{value!r} is not a memory size; write it like 512M, 2G or 4Gi")
    number, unit = match.groups()
    return int(float(number) * _UNITS[unit or ""])


@dataclass(frozen=True)
class Volume:
    name: str
    mount_path: str
    read_only: bool = False


@dataclass(frozen=True)
class Resources:
    cpu_guarantee: float | None = None
    cpu_limit: float | None = None
    mem_guarantee: int | None = None
    mem_limit: int | None = None


@dataclass(frozen=True)
class Size:
    """A CPU/memory choice within a profile."""

    name: str
    display_name: str
    resources: Resources = field(default_factory=Resources)
    default: bool = False


@dataclass(frozen=True)
class Share:
    """A shared volume for the members of a JupyterHub group, at /shared/<group>."""

    group: str
    storage: str = "10Gi"


@dataclass(frozen=True)
class Profile:
    name: str
    display_name: str
    description: str = ""
    image: str = ""
    kernels: tuple[str, ...] = ("hubml-python",)
    frameworks: tuple[str, ...] = ("sklearn",)
    resources: Resources = field(default_factory=Resources)
    gpu: int = 0
    groups: tuple[str, ...] = ()
    volumes: tuple[Volume, ...] = ()
    default: bool = False
    sizes: tuple[Size, ...] | None = None  # None: not declared, see size_choices()

    @property
    def restricted(self) -> bool:
        return bool(self.groups)


@dataclass(frozen=True)
class Catalog:
    profiles: tuple[Profile, ...]
    path: str = "<catalog>"
    shares: tuple[Share, ...] = ()

    @property
    def default(self) -> Profile:
        return next((p for p in self.profiles if p.default), self.profiles[0])

    def get(self, name: str) -> Profile | None:
        return next((p for p in self.profiles if p.name == name), None)

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.profiles]


def size_choices(profile: Profile) -> tuple[Size, ...]:
    """The sizes a profile offers: those declared, else half/as declared/double its resources."""
    if profile.sizes is not None:
        if profile.sizes and not any(s.default for s in profile.sizes):
            first = profile.sizes[0]
            return (Size(first.name, first.display_name, first.resources, True),
                    *profile.sizes[1:])
        return profile.sizes
    r = profile.resources
    if r == Resources():
        return ()

    def scale(value, factor, whole=False):
        if value is None:
            return None
        return int(value * factor) if whole else round(value * factor, 2)

    return tuple(
        Size(name, label, Resources(scale(r.cpu_guarantee, f), scale(r.cpu_limit, f),
                                    scale(r.mem_guarantee, f, True), scale(r.mem_limit, f, True)),
             default=f == 1.0)
        for name, label, f in _DERIVED_SIZES)
