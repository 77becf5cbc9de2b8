"""The catalog refuses what it does not know: unknown fields at every level (with the right
spelling suggested for near misses such as Kubernetes' ``readOnly``), values of the wrong type
(the string "false" is not false), and names that only a partial match would accept."""

import pytest

from hubml_spawner.catalog import CatalogError, load_catalog, parse_catalog


def error_of(text: str) -> str:
    with pytest.raises(CatalogError) as info:
        parse_catalog(text, "site/catalog.yaml")
    message = str(info.value)
    assert message.startswith("site/catalog.yaml: ")
    return message


VOLUME = "profiles:\n  - name: data\n    volumes:\n      - {name: ref, mount_path: /data, %s}\n"


def test_kubernetes_readonly_spelling_is_refused_with_the_right_key():
    message = error_of(VOLUME % "readOnly: true")
    assert "profile 'data', field 'volumes[0].readOnly': unknown field" in message
    assert "did you mean 'read_only'?" in message


@pytest.mark.parametrize("value", ['"false"', '"true"', "'no'", "1", "0", "yes please", "null"])
def test_read_only_must_be_a_boolean(value):
    message = error_of(VOLUME % f"read_only: {value}")
    assert "profile 'data', field 'volumes[0].read_only': must be true or false" in message


def test_read_only_booleans_are_kept():
    catalog = parse_catalog(VOLUME % "read_only: false" + "  - name: other\n    volumes:\n"
                            "      - {name: ref, mount_path: /ref, read_only: true}\n")
    assert catalog.get("data").volumes[0].read_only is False
    assert catalog.get("other").volumes[0].read_only is True


@pytest.mark.parametrize("text, expected", [
    # top level
    ("profiles: [{name: a}]\nshare: []\n",
     "field 'share': unknown field; did you mean 'shares'?"),
    ("profiles: [{name: a}]\nversion: 2\n", "field 'version': 2 is not a catalog version"),
    ("profiles: [{name: a}]\nversion: '1'\n", "field 'version': '1' is not a catalog version"),
    # profile
    ("profiles:\n  - name: a\n    displayName: A\n",
     "profile 'a', field 'displayName': unknown field; did you mean 'display_name'?"),
    ("profiles:\n  - name: a\n    default: 'false'\n",
     "profile 'a', field 'default': must be true or false"),
    ("profiles:\n  - name: a\n    gpu: '1'\n", "profile 'a', field 'gpu': must be a whole number"),
    ("profiles:\n  - name: a\n    gpu: true\n", "profile 'a', field 'gpu'"),
    ("profiles:\n  - name: a\n    image: 3\n", "profile 'a', field 'image': must be a string"),
    ("profiles:\n  - name: a\n    kernel: [k]\n",
     "profile 'a', field 'kernel': unknown field; did you mean 'kernels'?"),
    # resources
    ("profiles:\n  - name: a\n    resources: {mem: {limit: 1G}}\n",
     "profile 'a', field 'resources.mem': unknown field; did you mean 'memory'?"),
    ("profiles:\n  - name: a\n    resources: {cpu: {limits: 2}}\n",
     "profile 'a', field 'resources.cpu.limits': unknown field; did you mean 'limit'?"),
    ("profiles:\n  - name: a\n    resources: {cpu: {limit: '2'}}\n",
     "profile 'a', field 'resources.cpu.limit': '2' is not a positive number"),
    ("profiles:\n  - name: a\n    resources: {memory: {limit: true}}\n",
     "profile 'a', field 'resources.memory.limit': True is not a memory size"),
    # sizes
    ("profiles:\n  - name: a\n    sizes: [{name: s, displayName: S, resources: {cpu: {limit: 1}}}]\n",
     "profile 'a', field 'sizes[0].displayName': unknown field; did you mean 'display_name'?"),
    ("profiles:\n  - name: a\n    sizes: [{name: s, resources: {cpu: {limit: 1}, gpu: 1}}]\n",
     "profile 'a', field 'sizes[0].resources.gpu': unknown field"),
    ("profiles:\n  - name: a\n    sizes: [{name: s, default: 'true', resources: {cpu: {limit: 1}}}]\n",
     "profile 'a', field 'sizes[0].default': must be true or false"),
    # volumes
    ("profiles:\n  - name: a\n    volumes: [{name: v, mountPath: /data}]\n",
     "profile 'a', field 'volumes[0].mountPath': unknown field; did you mean 'mount_path'?"),
    ("profiles:\n  - name: a\n    volumes: [{name: v, mount_path: 5}]\n",
     "profile 'a', field 'volumes[0]': each volume needs a 'name' and an absolute 'mount_path'"),
    ("profiles:\n  - name: a\n    volumes: [v]\n", "profile 'a', field 'volumes[0]': expected a mapping"),
    # shares
    ("shares: [{group: r, storge: 1Gi}]\nprofiles: [{name: a}]\n",
     "share 'r', field 'storge': unknown field; did you mean 'storage'?"),
    ("shares: [{group: r, storage: 10}]\nprofiles: [{name: a}]\n",
     "share 'r', field 'storage': 10 is not a storage size"),
])
def test_unknown_fields_and_wrong_types_at_every_level(text, expected):
    assert expected in error_of(text)


@pytest.mark.parametrize("text, expected", [
    ('profiles:\n  - name: "sklearn\\n"\n', "profile 'sklearn\\n', field 'name': required"),
    ('profiles:\n  - name: a\n    volumes: [{name: "ref\\n", mount_path: /d}]\n',
     "field 'volumes[0].name': volume name 'ref\\n'"),
    ('profiles:\n  - name: a\n    sizes: [{name: "s\\n", resources: {cpu: {limit: 1}}}]\n',
     "field 'sizes[0].name': required"),
    ('shares: [{group: "r\\n"}]\nprofiles: [{name: a}]\n', "field 'group': required"),
    ('profiles:\n  - name: a\n    resources: {memory: {limit: "2G\\nx"}}\n',
     "field 'resources.memory.limit'"),
])
def test_names_with_a_trailing_newline_are_refused(text, expected):
    assert expected in error_of(text)


def test_the_shipped_catalog_still_passes_and_keeps_its_profiles():
    catalog = load_catalog()
    assert len(catalog.profiles) == 6 and catalog.default.name == "sklearn"


@pytest.mark.parametrize("gpus", ["²", "1\n2", "١"])
def test_a_gpus_option_of_other_digits_is_refused_not_a_crash(gpus):
    from hubml_spawner.profiles import ProfileRefused, resolve_selection

    catalog = parse_catalog("profiles:\n  - {name: gpu, gpu: 2}\n")
    with pytest.raises(ProfileRefused, match="'gpus' must be a whole number from 1 to 2"):
        resolve_selection(catalog, {"profile": "gpu", "gpus": gpus}, [], is_admin=True)
    assert resolve_selection(catalog, {"profile": "gpu", "gpus": "2"}, [], True).gpus == 2
