"""Per-user profile lists and refused user_options on HubMLKubeSpawner.

Options go through JupyterHub's own ``Spawner._run_apply_user_options`` (what ``User.spawn``
calls before ``start`` for the form and for ``POST /hub/api/users/<name>/server`` alike);
tests/spawner/test_kube_hub.py does the same through a real hub's REST API.
"""

import asyncio

import pytest
from tornado import web

from tests.support.kube import SimulatedCluster


def refusal(make_spawner, user, groups, options, admin=False):
    async def scenario():
        spawner = make_spawner(user, groups, admin)
        with pytest.raises(web.HTTPError) as info:
            await spawner._run_apply_user_options(options)
        assert spawner.selection is None  # nothing applied
        return info.value

    return asyncio.run(scenario())


@pytest.mark.parametrize("options, status, message", [
    ({"profile": "torch-gpu"}, 403,
     "profile 'torch-gpu' is for members of the group(s) gpu-users; ask an admin to add you"),
    ({"profile": "research", "size": "big"}, 403, "for members of the group(s) research"),
    ({"profile": "nope"}, 400, "unknown profile 'nope'; choose one of: sklearn"),
    ({"profile": "sklearn", "size": "huge"}, 400,
     "profile 'sklearn' has no size 'huge'; choose one of: small, medium, large"),
    ({"profile": "sklearn", "gpus": 1}, 400, "profile 'sklearn' has no GPUs"),
    ({"profile": "sklearn", "image": "evil/miner:latest"}, 400,
     "unknown option 'image'; the options are 'profile', 'size' and 'gpus'"),
    ({"profile": "sklearn", "size--unlisted-choice": "x"}, 400, "unknown option"),
    (["sklearn"], 400, "user_options must be a JSON object"),
])
def test_forbidden_or_unknown_options_are_refused_with_4xx_and_message(
        make_spawner, options, status, message):
    error = refusal(make_spawner, "bob", ["other"], options)
    assert error.status_code == status
    assert message in error.jupyterhub_message  # what the user and the REST caller see


@pytest.mark.parametrize("options, message", [
    ({"profile": "torch-gpu", "gpus": 3}, "'gpus' must be a whole number from 1 to 2"),
    ({"profile": "torch-gpu", "gpus": "two"}, "'gpus' must be a whole number from 1 to 2"),
    ({"profile": "torch-gpu", "gpus": True}, "'gpus' must be a whole number"),
    ({"profile": "torch-gpu", "size": "small"}, "it offers no size choice"),
])
def test_options_outside_a_profile_are_refused(make_spawner, options, message):
    error = refusal(make_spawner, "dave", ["gpu-users"], options)
    assert error.status_code == 400
    assert message in error.jupyterhub_message


def test_admin_may_use_any_profile(make_spawner):
    async def scenario():
        erin = make_spawner("erin", admin=True)
        await erin._run_apply_user_options({"profile": "torch-gpu", "gpus": "1"})
        first = erin.user_options
        await erin.load_user_options()
        return first, erin.image, erin.extra_resource_limits, [
            e["slug"] for e in erin.profile_list(erin)]

    options, image, limits, slugs = asyncio.run(scenario())
    assert options == {"profile": "torch-gpu", "gpus": "1"}
    assert image == "registry.example.org/hubml/torch-cuda:1.0"
    assert limits == {"nvidia.com/gpu": "1"}
    assert slugs == ["sklearn", "research", "torch-gpu"]


def test_no_options_means_the_default_profile_and_size(make_spawner):
    async def scenario():
        alice = make_spawner("alice")
        await alice._run_apply_user_options({})
        await alice.load_user_options()
        return alice.user_options, alice.image, alice.mem_limit

    assert asyncio.run(scenario()) == (
        {"profile": "sklearn", "size": "medium"}, "registry.example.org/hubml/sklearn:1.0",
        4 * 10**9)


def test_refused_choice_is_not_remembered(make_spawner):
    async def scenario():
        bob = make_spawner("bob")
        # JupyterHub stores the posted options as the next default before applying them
        bob.orm_spawner.user_options = {"profile": "torch-gpu"}
        with pytest.raises(web.HTTPError):
            await bob._run_apply_user_options({"profile": "torch-gpu"})
        return bob.orm_spawner.user_options

    assert asyncio.run(scenario()) == {}


def test_options_form_lists_only_the_users_profiles(make_spawner):
    async def forms():
        return [await make_spawner(name, groups, admin).get_options_form() for name, groups, admin
                in [("alice", [], False), ("dave", ["gpu-users"], False), ("erin", [], True)]]

    alice, dave, erin = asyncio.run(forms())
    assert 'value="sklearn"' in alice
    assert 'value="torch-gpu"' not in alice and 'value="research"' not in alice
    assert 'value="torch-gpu"' in dave and 'value="research"' not in dave
    assert 'name="profile-option-torch-gpu--gpus"' in dave
    assert all(f'value="{p}"' in erin for p in ("sklearn", "research", "torch-gpu"))


def test_form_data_becomes_checked_options(make_spawner):
    async def scenario():
        dave = make_spawner("dave", ["gpu-users"])
        options = dave.options_from_form({"profile": ["torch-gpu"],
                                          "profile-option-torch-gpu--gpus": ["2"]})
        await dave._run_apply_user_options(options)
        return options, dave.selection.gpus

    assert asyncio.run(scenario()) == ({"profile": "torch-gpu", "gpus": "2"}, 2)


def test_start_refuses_before_anything_is_created(make_spawner, monkeypatch):
    """Started without JupyterHub's apply step (an older hub): refused before any API call."""
    async def scenario():
        bob = make_spawner("bob")
        bob.user_options = {"profile": "torch-gpu"}
        async with SimulatedCluster("hubml", []) as cluster:
            monkeypatch.setattr(type(bob), "reflectors", cluster.reflectors())
            bob.api = cluster
            with pytest.raises(web.HTTPError) as info:
                await bob.start()
            return info.value, cluster.created

    error, created = asyncio.run(scenario())
    assert error.status_code == 403 and "gpu-users" in error.jupyterhub_message
    assert created == []


def test_refusals_on_jupyterhub_5_are_plain_http_errors(monkeypatch):
    import hubml_spawner.kube as kube

    monkeypatch.setattr(kube, "SpawnException", None)  # JupyterHub 5 has no SpawnException
    error = kube.spawn_error("100% of 'gpu-users' only", reason="profile", status=403)
    assert type(error) is web.HTTPError and error.status_code == 403
    assert error.jupyterhub_message == "100% of 'gpu-users' only"
    assert "100% of 'gpu-users' only" in str(error)
