"""Which profiles a user may use, the options form, and refused user_options."""

import pytest

from hubml_spawner.catalog import parse_catalog
from hubml_spawner.profiles import (
    ProfileRefused,
    allowed_profiles,
    options_from_form,
    profile_environment,
    render_options_form,
    resolve_profile,
)

CATALOG = parse_catalog("""
profiles:
  - {name: sklearn, display_name: scikit-learn, frameworks: [sklearn], default: true}
  - {name: torch, display_name: PyTorch, frameworks: [sklearn, torch]}
  - {name: torch-gpu, display_name: "PyTorch <GPU>", frameworks: [torch], gpu: 1, groups: [gpu-users]}
  - {name: secret, display_name: Secret, groups: [staff, research]}
""")


def names(profiles):
    return [p.name for p in profiles]


@pytest.mark.parametrize("groups, admin, expected", [
    ([], False, ["sklearn", "torch"]),
    (["gpu-users"], False, ["sklearn", "torch", "torch-gpu"]),
    (["research"], False, ["sklearn", "torch", "secret"]),
    (["other"], False, ["sklearn", "torch"]),
    ([], True, ["sklearn", "torch", "torch-gpu", "secret"]),
])
def test_profiles_filtered_by_group_admins_see_all(groups, admin, expected):
    assert names(allowed_profiles(CATALOG, groups, admin)) == expected


def test_resolve_default_and_named():
    assert resolve_profile(CATALOG, {}, [], False).name == "sklearn"
    assert resolve_profile(CATALOG, None, [], False).name == "sklearn"
    assert resolve_profile(CATALOG, {"profile": "torch"}, [], False).name == "torch"
    assert resolve_profile(CATALOG, {"profile": "torch-gpu"}, ["gpu-users"], False).gpu == 1
    assert resolve_profile(CATALOG, {"profile": "torch-gpu"}, [], True).name == "torch-gpu"


@pytest.mark.parametrize("options, status, message", [
    ({"profile": "torch-gpu"}, 403, "for members of the group(s) gpu-users"),
    ({"profile": "nope"}, 400, "unknown profile 'nope'; choose one of: sklearn, torch"),
    ({"profile": 3}, 400, "'profile' must be a profile name"),
    ({"profile": "sklearn", "image": "evil:latest"}, 400, "unknown option 'image'"),
    (["sklearn"], 400, "user_options must be a JSON object"),
])
def test_refused_user_options(options, status, message):
    with pytest.raises(ProfileRefused) as info:
        resolve_profile(CATALOG, options, ["other"], False)
    assert info.value.status == status
    assert message in str(info.value)


def test_options_form_lists_allowed_profiles_escaped_with_default_checked():
    html = render_options_form(allowed_profiles(CATALOG, ["gpu-users"], False))
    assert html.count('type="radio"') == 3
    assert 'value="secret"' not in html
    assert "PyTorch &lt;GPU&gt;" in html and "<GPU>" not in html
    assert 'value="sklearn" checked' in html
    assert "gpu-users only" in html


def test_options_form_remembers_previous_choice_and_handles_none():
    html = render_options_form(allowed_profiles(CATALOG, [], False), selected="torch")
    assert 'value="torch" checked' in html and 'value="sklearn" checked' not in html
    assert "No profile is open to you" in render_options_form([])


def test_form_data_and_environment():
    assert options_from_form({"profile": ["torch"]}) == {"profile": "torch"}
    assert options_from_form({}) == {"profile": ""}
    env = profile_environment(CATALOG.get("torch"))
    assert env["HUBML_PROFILE"] == "torch"
    assert env["HUBML_FRAMEWORKS"] == "sklearn,torch"
    assert env["HUBML_PROFILE_DISPLAY_NAME"] == "PyTorch"
