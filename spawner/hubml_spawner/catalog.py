"""Load and validate ``images/catalog.yaml`` into :class:`Profile` objects.

Pure: the only I/O is reading the one file. Every error names the file, the profile
and the field, and says what to change.
"""

from __future__ import annotations

import difflib
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
_RESOURCE_KEYS = {"cpu", "memory"}
_BOUND_KEYS = {"guarantee", "limit"}
_VOLUME_KEYS = {"name", "mount_path", "read_only"}
_SHARE_KEYS = {"group", "storage"}
VERSIONS = (1,)


class CatalogError(ValueError):
    """The catalog file is malformed; the message names file, profile and field."""


def _simplified(key: str) -> str:
    return key.replace("_", "").replace("-", "").lower()


def unknown_field(key, known) -> str | None:
    """The problem with ``key`` if it is not one of ``known``, with the near miss if any
    (``readOnly`` -> ``read_only``: the Kubernetes spelling of a catalog field)."""
    if key in known:
        return None
    if not isinstance(key, str):
        return f"field names must be text, not {key!r}"
    same = [k for k in known if _simplified(k) == _simplified(key)]
    close = same or difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"unknown field; {hint}known fields are {', '.join(sorted(known))}"


def _check_fields(raw: dict, known, fail, prefix: str = "") -> None:
    """``fail`` on the first key of ``raw`` that is not in ``known``."""
    for key in sorted(raw, key=str):
        problem = unknown_field(key, known)
        if problem:
            fail(f"{prefix}{key}", problem)


def _bool(value, name, fail) -> bool:
    # YAML's "false" in quotes is a string, which bool() would read as true
    if not isinstance(value, bool):
        fail(name, f"must be true or false (unquoted), not {value!r}")
    return value


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
    def fail_top(field_name: str, problem: str):
        raise CatalogError(f"{path}: field '{field_name}': {problem}")

    _check_fields(data, _TOP_KEYS, fail_top)
    version = data.get("version", VERSIONS[-1])
    if isinstance(version, bool) or version not in VERSIONS:
        fail_top("version", f"{version!r} is not a catalog version hubml knows; use "
                            f"{', '.join(map(str, VERSIONS))}")
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
    _check_fields(raw, _PROFILE_KEYS, fail)
    name = raw.get("name")
    if not isinstance(name, str) or not SLUG.fullmatch(name):
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
    default = _bool(raw.get("default", False), "default", fail)
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
    _check_fields(raw, _RESOURCE_KEYS, fail, "resources.")
    values = {}
    for kind in ("cpu", "memory"):
        spec = raw.get(kind, {})
        if not isinstance(spec, dict):
            fail(f"resources.{kind}", "expected a mapping with 'guarantee' and/or 'limit'")
        _check_fields(spec, _BOUND_KEYS, fail, f"resources.{kind}.")
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
    for i, item in enumerate(raw):
        where = f"volumes[{i}]"
        if not isinstance(item, dict):
            fail(where, "expected a mapping with name, mount_path and read_only")
        _check_fields(item, _VOLUME_KEYS, fail, f"{where}.")
        if not isinstance(item.get("name"), str) or not isinstance(item.get("mount_path"), str) \
                or not item["mount_path"].startswith("/"):
            fail(where, "each volume needs a 'name' and an absolute 'mount_path'")
        if not SLUG.fullmatch(item["name"]):
            fail(f"{where}.name", f"volume name {item['name']!r} names a PersistentVolumeClaim: "
                                  "use lower-case letters, digits and '-', at most 40 characters")
        read_only = _bool(item.get("read_only", False), f"{where}.read_only", fail)
        volumes.append(Volume(item["name"], item["mount_path"], read_only))
    return volumes


def _parse_sizes(raw, fail) -> tuple[Size, ...]:
    if not isinstance(raw, list):
        fail("sizes", "must be a list of {name, display_name, resources, default}; [] offers none")
    sizes: list[Size] = []
    for i, item in enumerate(raw):
        where = f"sizes[{i}]"
        if not isinstance(item, dict):
            fail(where, "expected a mapping with name, display_name, resources, default")
        _check_fields(item, _SIZE_KEYS, fail, f"{where}.")
        name = item.get("name")
        if not isinstance(name, str) or not SLUG.fullmatch(name):
            fail(f"{where}.name", "required; lower-case letters, digits and '-'")
        if any(s.name == name for s in sizes):
            fail(f"{where}.name", f"size {name!r} is declared twice")
        label = item.get("display_name", name.capitalize())
        if not isinstance(label, str) or not label.strip():
            fail(f"{where}.display_name", "must be a non-empty string")
        default = _bool(item.get("default", False), f"{where}.default", fail)
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

        def fail(field_name: str, problem: str, label=label):
            raise CatalogError(f"{path}: {label}, field '{field_name}': {problem}")

        if not isinstance(item, dict):
            raise CatalogError(f"{path}: {label}: expected a mapping with 'group' and 'storage'")
        _check_fields(item, _SHARE_KEYS, fail)
        group = item.get("group")
        if not isinstance(group, str) or not SLUG.fullmatch(group):
            fail("group", "required; a JupyterHub group name of lower-case letters, digits "
                          "and '-'")
        if any(s.group == group for s in shares):
            fail("group", "declared twice")
        storage = item.get("storage", "10Gi")
        try:
            if not isinstance(storage, str):
                raise ValueError(f"{storage!r} is not a storage size; write it like 10Gi")
            parse_quantity(storage)
        except ValueError as exc:
            fail("storage", str(exc))
        shares.append(Share(group, storage))
    return shares
