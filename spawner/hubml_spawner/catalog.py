"""Load and validate ``images/catalog.yaml`` into :class:`Profile` objects.

Pure: the only I/O is reading the one file. Every error names the file, the profile
and the field, and says what to change.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from .catalog_model import (
    SLUG,
    Catalog,
    Profile,
    Resources,
    Share,
    Size,
    Volume,
    parse_quantity,
    size_choices,
)

__all__ = [
    "FRAMEWORKS",
    "Catalog",
    "CatalogError",
    "Profile",
    "Resources",
    "Share",
    "Size",
    "Volume",
    "default_catalog_path",
    "load_catalog",
    "parse_catalog",
    "parse_quantity",
    "size_choices",
]

FRAMEWORKS = ("sklearn", "tensorflow", "torch", "h2o")
_PROFILE_KEYS = {"name", "display_name", "description", "image", "kernels", "frameworks",
                 "resources", "gpu", "groups", "volumes", "default", "sizes"}
_TOP_KEYS = {"version", "profiles", "shares"}
_SIZE_KEYS = {"name", "display_name", "resources", "default"}


class CatalogError(ValueError):
    """The catalog file is malformed; the message names file, profile and field."""


def default_catalog_path() -> Path:
    """``$HUBML_CATALOG``, else ``images/catalog.yaml`` of this checkout."""
    env = os.environ.get("HUBML_CATALOG")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "images" / "catalog.yaml"


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
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise CatalogError(f"{path}: field '{unknown[0]}': unknown top-level field; "
                           f"known fields are {', '.join(sorted(_TOP_KEYS))}")
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
    return Catalog(tuple(profiles), path, tuple(_parse_shares(data.get("shares", []), path)))


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
        sizes=_parse_sizes(raw["sizes"], fail) if "sizes" in raw else None,
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
        if not SLUG.match(item["name"]):
            fail("volumes", f"volume name {item['name']!r} names a PersistentVolumeClaim: use "
                            "lower-case letters, digits and '-', at most 40 characters")
        volumes.append(Volume(item["name"], item["mount_path"], bool(item.get("read_only", False))))
    return volumes


def _parse_sizes(raw, fail) -> tuple[Size, ...]:
    if not isinstance(raw, list):
        fail("sizes", "must be a list of {name, display_name, resources, default}; [] offers none")
    sizes: list[Size] = []
    for i, item in enumerate(raw):
        where = f"sizes[{i}]"
        if not isinstance(item, dict):
            fail(where, "expected a mapping with name, display_name, resources, default")
        unknown = sorted(set(item) - _SIZE_KEYS)
        if unknown:
            fail(f"{where}.{unknown[0]}",
                 f"unknown field; known fields are {', '.join(sorted(_SIZE_KEYS))}")
        name = item.get("name")
        if not isinstance(name, str) or not SLUG.match(name):
            fail(f"{where}.name", "required; lower-case letters, digits and '-'")
        if any(s.name == name for s in sizes):
            fail(f"{where}.name", f"size {name!r} is declared twice")
        label = item.get("display_name", name.capitalize())
        if not isinstance(label, str) or not label.strip():
            fail(f"{where}.display_name", "must be a non-empty string")
        default = item.get("default", False)
        if not isinstance(default, bool):
            fail(f"{where}.default", "must be true or false")
        resources = _parse_resources(item.get("resources", {}),
                                     lambda f, problem, at=where: fail(f"{at}.{f}", problem))
        if resources == Resources():
            fail(f"{where}.resources", "give a cpu and/or memory guarantee or limit")
        sizes.append(Size(name, label.strip(), resources, default))
    if sum(s.default for s in sizes) > 1:
        fail("sizes", "only one size may be the default")
    return tuple(sizes)


def _parse_shares(raw, path: str) -> list[Share]:
    if not isinstance(raw, list):
        raise CatalogError(f"{path}: field 'shares': must be a list of {{group, storage}}")
    shares: list[Share] = []
    for i, item in enumerate(raw):
        label = f"share #{i + 1}"
        if isinstance(item, dict) and isinstance(item.get("group"), str):
            label = f"share {item['group']!r}"
        if not isinstance(item, dict) or set(item) - {"group", "storage"}:
            raise CatalogError(f"{path}: {label}: expected a mapping with 'group' and 'storage'")
        group = item.get("group")
        if not isinstance(group, str) or not SLUG.match(group):
            raise CatalogError(f"{path}: {label}, field 'group': required; a JupyterHub group "
                               "name of lower-case letters, digits and '-'")
        if any(s.group == group for s in shares):
            raise CatalogError(f"{path}: {label}, field 'group': declared twice")
        storage = str(item.get("storage", "10Gi"))
        try:
            parse_quantity(storage)
        except ValueError as exc:
            raise CatalogError(f"{path}: {label}, field 'storage': {exc}") from None
        shares.append(Share(group, storage))
    return shares

