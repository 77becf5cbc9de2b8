"""Load and validate ``images/catalog.yaml`` into :class:`Profile` objects.

Pure: the only I/O is reading the one file. Every error names the file, the profile
and the field, and says what to change.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

__all__ = [
    "FRAMEWORKS",
    "Catalog",
    "CatalogError",
    "Profile",
    "Resources",
    "Volume",
    "default_catalog_path",
    "load_catalog",
    "parse_catalog",
    "parse_quantity",
]

FRAMEWORKS = ("sklearn", "tensorflow", "torch", "h2o")
SLUG = re.compile(r"^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$")
_UNITS = {"": 1, "K": 10**3, "M": 10**6, "G": 10**9, "T": 10**12,
          "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}
_QUANTITY = re.compile(r"^(\d+(?:\.\d+)?)\s*(Ki|Mi|Gi|Ti|K|M|G|T)?$")
_PROFILE_KEYS = {"name", "display_name", "description", "image", "kernels", "frameworks",
                 "resources", "gpu", "groups", "volumes", "default"}


class CatalogError(ValueError):
    """The catalog file is malformed; the message names file, profile and field."""


def default_catalog_path() -> Path:
    """``$HUBML_CATALOG``, else ``images/catalog.yaml`` of this checkout."""
    env = os.environ.get("HUBML_CATALOG")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "images" / "catalog.yaml"


def parse_quantity(value) -> int:
    """Bytes of a memory quantity such as ``512M``, ``2G`` or ``1.5Gi``."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a memory size")
    if isinstance(value, int):
        return value
    match = _QUANTITY.match(str(value).strip())
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

    @property
    def restricted(self) -> bool:
        return bool(self.groups)


@dataclass(frozen=True)
class Catalog:
    profiles: tuple[Profile, ...]
    path: str = "<catalog>"

    @property
    def default(self) -> Profile:
        return next((p for p in self.profiles if p.default), self.profiles[0])

    def get(self, name: str) -> Profile | None:
        return next((p for p in self.profiles if p.name == name), None)

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.profiles]


def load_catalog(path: str | os.PathLike | None = None) -> Catalog:
    """Read and validate a catalog file (default: :func:`default_catalog_path`)."""
    path = Path(path) if path is not None else default_catalog_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogError(
            f"{path}: no such file; set HUBML_CATALOG to your catalog.yaml") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{path}: cannot be read ({exc})") from None
    return parse_catalog(text, str(path))


def parse_catalog(text: str, path: str = "<catalog>") -> Catalog:
    """Validate catalog YAML text; raises :class:`CatalogError` naming what to fix."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", exc)
        raise CatalogError(f"{path}: not valid YAML{where}: {problem}") from None
    if not isinstance(data, dict) or not isinstance(data.get("profiles"), list):
        raise CatalogError(f"{path}: expected a mapping with a 'profiles' list at the top level")
    if not data["profiles"]:
        raise CatalogError(f"{path}: 'profiles' is empty; add at least one profile")
    profiles = [_parse_profile(raw, i, path) for i, raw in enumerate(data["profiles"])]
    seen: set[str] = set()
    for profile in profiles:
        if profile.name in seen:
            raise CatalogError(f"{path}: profile {profile.name!r}, field 'name': "
                               "used twice; profile names must be unique")
        seen.add(profile.name)
    defaults = [p.name for p in profiles if p.default]
    if len(defaults) > 1:
        raise CatalogError(f"{path}: profiles {defaults}, field 'default': "
                           "only one profile may be the default")
    return Catalog(tuple(profiles), path)


def _parse_profile(raw, index: int, path: str) -> Profile:
    label = f"profile #{index + 1}"
    if isinstance(raw, dict) and isinstance(raw.get("name"), str):
        label = f"profile {raw['name']!r}"

    def fail(field_name: str, problem: str):
        raise CatalogError(f"{path}: {label}, field '{field_name}': {problem}")

    if not isinstance(raw, dict):
        fail("-", "expected a mapping of fields")
    unknown = sorted(set(raw) - _PROFILE_KEYS)
    if unknown:
        fail(unknown[0], f"unknown field; known fields are {', '.join(sorted(_PROFILE_KEYS))}")
    name = raw.get("name")
    if not isinstance(name, str) or not SLUG.match(name):
        fail("name", "required; lower-case letters, digits and '-', at most 40 characters")
    display_name = raw.get("display_name", name)
    if not isinstance(display_name, str) or not display_name.strip():
        fail("display_name", "must be a non-empty string")
    frameworks = _str_list(raw.get("frameworks", ["sklearn"]), "frameworks", fail)
    for fw in frameworks:
        if fw not in FRAMEWORKS:
            fail("frameworks", f"unknown framework {fw!r}; choose from {', '.join(FRAMEWORKS)}")
    kernels = _str_list(raw.get("kernels", ["hubml-python"]), "kernels", fail)
    if not kernels:
        fail("kernels", "list at least one kernel")
    gpu = raw.get("gpu", 0)
    if isinstance(gpu, bool) or not isinstance(gpu, int) or gpu < 0:
        fail("gpu", "must be a whole number of GPUs, 0 or more")
    default = raw.get("default", False)
    if not isinstance(default, bool):
        fail("default", "must be true or false")
    return Profile(
        name=name,
        display_name=display_name.strip(),
        description=_str(raw.get("description", ""), "description", fail),
        image=_str(raw.get("image", ""), "image", fail),
        kernels=tuple(kernels),
        frameworks=tuple(frameworks),
        resources=_parse_resources(raw.get("resources", {}), fail),
        gpu=gpu,
        groups=tuple(_str_list(raw.get("groups", []), "groups", fail)),
        volumes=tuple(_parse_volumes(raw.get("volumes", []), fail)),
        default=default,
    )


def _str(value, name, fail) -> str:
    if not isinstance(value, str):
        fail(name, "must be a string")
    return value


def _str_list(value, name, fail) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        fail(name, "must be a list of names")
    return list(value)


def _parse_resources(raw, fail) -> Resources:
    if not isinstance(raw, dict):
        fail("resources", "expected a mapping with 'cpu' and/or 'memory'")
    values = {}
    for kind in ("cpu", "memory"):
        spec = raw.get(kind, {})
        if not isinstance(spec, dict) or set(spec) - {"guarantee", "limit"}:
            fail(f"resources.{kind}", "expected a mapping with 'guarantee' and/or 'limit'")
        for bound in ("guarantee", "limit"):
            if spec.get(bound) is None:
                continue
            try:
                if kind == "cpu":
                    number = spec[bound]
                    is_number = isinstance(number, (int, float)) and not isinstance(number, bool)
                    if not is_number or number <= 0:
                        raise ValueError(f"{number!r} is not a positive number of CPUs")
                    values[f"cpu_{bound}"] = float(number)
                else:
                    values[f"mem_{bound}"] = parse_quantity(spec[bound])
            except ValueError as exc:
                fail(f"resources.{kind}.{bound}", str(exc))
    resources = Resources(**values)
    for kind, low, high in (("cpu", resources.cpu_guarantee, resources.cpu_limit),
                            ("memory", resources.mem_guarantee, resources.mem_limit)):
        if low is not None and high is not None and low > high:
            fail(f"resources.{kind}", "the guarantee is larger than the limit")
    return resources


def _parse_volumes(raw, fail) -> list[Volume]:
    if not isinstance(raw, list):
        fail("volumes", "must be a list of {name, mount_path, read_only}")
    volumes = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) \
                or not str(item.get("mount_path", "")).startswith("/"):
            fail("volumes", "each volume needs a 'name' and an absolute 'mount_path'")
        volumes.append(Volume(item["name"], item["mount_path"], bool(item.get("read_only", False))))
    return volumes
