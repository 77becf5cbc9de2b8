"""The catalog: the shipped file is valid; every malformed input names file, profile, field."""

import subprocess
import sys
import textwrap

import pytest

from hubml_spawner.catalog import (
    CatalogError,
    load_catalog,
    parse_catalog,
    parse_quantity,
    size_choices,
)

GOOD = textwrap.dedent("""
    profiles:
      - name: small
        display_name: Small
        frameworks: [sklearn]
        resources: {memory: {limit: 2G}, cpu: {limit: 1}}
        default: true
      - name: gpu
        display_name: GPU
        frameworks: [sklearn, torch]
        gpu: 1
        groups: [gpu-users]
""")


def test_shipped_catalog_has_the_five_framework_profiles_and_a_restricted_one():
    catalog = load_catalog()
    assert {"sklearn", "tensorflow", "torch", "h2o", "full"} <= set(catalog.names)
    assert catalog.default.name == "sklearn"
    full = catalog.get("full")
    assert set(full.frameworks) == {"sklearn", "tensorflow", "torch", "h2o"}
    assert any(p.groups == ("gpu-users",) for p in catalog.profiles)


def test_parse_good_catalog():
    catalog = parse_catalog(GOOD, "c.yaml")
    small = catalog.get("small")
    assert small.resources.mem_limit == 2 * 10**9
    assert small.resources.cpu_limit == 1.0
    assert catalog.get("gpu").restricted and not small.restricted
    assert catalog.default is small


@pytest.mark.parametrize("text, expected", [
    ("profiles: [", "not valid YAML at line 1"),
    ("- a\n- b\n", "'profiles' list at the top level"),
    ("profiles: []", "'profiles' is empty"),
    ("profiles:\n  - display_name: x\n", "profile #1, field 'name'"),
    ("profiles:\n  - name: Bad_Name\n", "field 'name'"),
    ("profiles:\n  - name: a\n    frameworks: [jax]\n", "profile 'a', field 'frameworks': unknown framework 'jax'"),
    ("profiles:\n  - name: a\n    gpu: -1\n", "profile 'a', field 'gpu'"),
    ("profiles:\n  - name: a\n    resources: {memory: {limit: lots}}\n",
     "profile 'a', field 'resources.memory.limit': 'lots' is not a memory size"),
    ("profiles:\n  - name: a\n    resources: {cpu: {guarantee: 4, limit: 2}}\n",
     "field 'resources.cpu': the guarantee is larger than the limit"),
    ("profiles:\n  - name: a\n    imagee: x\n", "profile 'a', field 'imagee': unknown field"),
    ("profiles:\n  - name: a\n  - name: a\n", "profile 'a', field 'name': used twice"),
    ("profiles:\n  - {name: a, default: true}\n  - {name: b, default: true}\n", "only one profile"),
    ("profiles:\n  - name: a\n    volumes: [{name: v, mount_path: relative}]\n", "absolute 'mount_path'"),
    ("profiles:\n  - name: a\n    groups: gpu-users\n", "field 'groups': must be a list"),
])
def test_malformed_catalog_names_file_profile_and_field(text, expected):
    with pytest.raises(CatalogError) as info:
        parse_catalog(text, "bad.yaml")
    assert str(info.value).startswith("bad.yaml: ")
    assert expected in str(info.value)


def test_missing_file_says_how_to_point_at_one(tmp_path):
    with pytest.raises(CatalogError, match="no such file; set HUBML_CATALOG"):
        load_catalog(tmp_path / "nope.yaml")


@pytest.mark.parametrize("value, expected", [("512M", 512 * 10**6), ("1.5Gi", int(1.5 * 2**30)),
                                             (1024, 1024), ("2G", 2 * 10**9)])
def test_parse_quantity(value, expected):
    assert parse_quantity(value) == expected


def test_check_catalog_cli(tmp_path):
    ok = subprocess.run([sys.executable, "-m", "hubml_spawner.cli", "check-catalog"],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "ok: 6 profiles" in ok.stdout and "gpu-users" in ok.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("profiles:\n  - name: a\n    frameworks: [jax]\n")
    failed = subprocess.run([sys.executable, "-m", "hubml_spawner.cli", "check-catalog", str(bad)],
                            capture_output=True, text=True)
    assert failed.returncode == 2
    assert f"error: {bad}: profile 'a', field 'frameworks'" in failed.stderr


SIZED = textwrap.dedent("""
    shares:
      - {group: research, storage: 20Gi}
      - {group: gpu-users}
    profiles:
      - name: small
        resources: {cpu: {guarantee: 0.5, limit: 2}, memory: {guarantee: 1G, limit: 4G}}
      - name: chosen
        sizes:
          - {name: one, resources: {memory: {limit: 2G}}}
          - {name: two, display_name: Two CPUs, resources: {cpu: {limit: 2}}}
      - {name: fixed, resources: {memory: {limit: 1G}}, sizes: []}
      - {name: bare}
""")


def test_sizes_declared_derived_or_none_and_shares():
    catalog = parse_catalog(SIZED, "c.yaml")
    small, medium, large = size_choices(catalog.get("small"))
    assert (small.name, medium.name, large.name) == ("small", "medium", "large")
    assert medium.default and not small.default and not large.default
    assert medium.resources == catalog.get("small").resources
    assert small.resources.cpu_limit == 1.0 and small.resources.mem_guarantee == 5 * 10**8
    assert large.resources.mem_limit == 8 * 10**9
    one, two = size_choices(catalog.get("chosen"))
    assert one.default and one.display_name == "One" and two.display_name == "Two CPUs"
    assert one.resources.mem_limit == 2 * 10**9
    assert size_choices(catalog.get("fixed")) == ()
    assert size_choices(catalog.get("bare")) == ()
    assert [(s.group, s.storage) for s in catalog.shares] == [("research", "20Gi"),
                                                               ("gpu-users", "10Gi")]


@pytest.mark.parametrize("text, expected", [
    ("profiles:\n  - {name: a, sizes: big}\n", "profile 'a', field 'sizes': must be a list"),
    ("profiles:\n  - {name: a, sizes: [{display_name: X}]}\n", "profile 'a', field 'sizes[0].name'"),
    ("profiles:\n  - {name: a, sizes: [{name: s, cpu: 2}]}\n",
     "profile 'a', field 'sizes[0].cpu': unknown field"),
    ("profiles:\n  - {name: a, sizes: [{name: s, resources: {cpu: {limit: many}}}]}\n",
     "profile 'a', field 'sizes[0].resources.cpu.limit': 'many' is not a positive number"),
    ("profiles:\n  - {name: a, sizes: [{name: s}]}\n",
     "profile 'a', field 'sizes[0].resources': give a cpu and/or memory"),
    ("profiles:\n  - name: a\n    sizes:\n      - {name: s, resources: {cpu: {limit: 1}}}\n"
     "      - {name: s, resources: {cpu: {limit: 2}}}\n",
     "profile 'a', field 'sizes[1].name': size 's' is declared twice"),
    ("profiles:\n  - name: a\n    sizes:\n      - {name: s, default: true, resources: {cpu: {limit: 1}}}\n"
     "      - {name: t, default: true, resources: {cpu: {limit: 2}}}\n",
     "profile 'a', field 'sizes': only one size may be the default"),
    ("profiles:\n  - name: a\n    volumes: [{name: Data_1, mount_path: /data}]\n",
     "profile 'a', field 'volumes[0].name': volume name 'Data_1' names a PersistentVolumeClaim"),
    ("shares: research\nprofiles: [{name: a}]\n", "field 'shares': must be a list"),
    ("shares: [{group: Research}]\nprofiles: [{name: a}]\n",
     "share 'Research', field 'group': required; a JupyterHub group name"),
    ("shares: [{group: r, storage: lots}]\nprofiles: [{name: a}]\n",
     "share 'r', field 'storage': 'lots' is not a memory size"),
    ("shares: [{group: r}, {group: r}]\nprofiles: [{name: a}]\n", "share 'r', field 'group': declared twice"),
    ("shares: [{group: r, size: 1G}]\nprofiles: [{name: a}]\n", "share 'r', field 'size': unknown field"),
    ("profile: []\nprofiles: [{name: a}]\n", "field 'profile': unknown field; did you mean 'profiles'?"),
])
def test_malformed_sizes_and_shares_name_file_and_field(text, expected):
    with pytest.raises(CatalogError) as info:
        parse_catalog(text, "bad.yaml")
    assert str(info.value).startswith("bad.yaml: ")
    assert expected in str(info.value)
