"""A real JupyterHub with our config, authenticator and spawner: sign-up, login, spawn."""

import glob
import os
import pwd
import re

import pytest

from hubml_spawner.catalog import load_catalog

pytestmark = pytest.mark.hub

PASSWORD = "correct-horse-42"


@pytest.fixture(scope="module")
def users(hub):
    for name in ("alice", "bob", "gina"):
        hub.add_user(name, PASSWORD)
    return ["alice", "bob", "gina"]


def test_sign_up_waits_for_admin_approval(hub):
    assert hub.signup("carol", PASSWORD).status_code == 200
    _, refused = hub.login("carol", PASSWORD)
    assert refused.status_code == 200  # the login page again, with the reason
    assert "has not been authorized by an administrator yet" in refused.text
    hub.approve("carol")
    _, accepted = hub.login("carol", PASSWORD)
    assert accepted.status_code == 302


def test_wrong_password_is_refused(hub, users):
    session, r = hub.login("alice", "not-her-password")
    assert r.status_code == 200 and "location" not in r.headers  # no redirect into the hub
    assert "Invalid username or password" in r.text
    assert session.get(f"{hub.url}/hub/api/user").status_code == 403
    _, r = hub.login("admin", "wrong")
    assert "Invalid username or password" in r.text


def test_admin_logs_in_with_generated_password_and_sees_the_options_form(hub):
    session = hub.admin_session()
    page = session.get(f"{hub.url}/hub/spawn")
    assert page.status_code == 200
    # admins see every profile, the group-restricted one included
    for name in ("sklearn", "tensorflow", "torch", "h2o", "full", "torch-gpu"):
        assert f'value="{name}"' in page.text


def test_options_form_hides_profiles_of_other_groups(hub, users):
    session, r = hub.login("bob", PASSWORD)
    assert r.status_code == 302
    page = session.get(f"{hub.url}/hub/spawn").text
    assert 'value="sklearn"' in page and 'value="torch-gpu"' not in page


HAS_GPU = bool(glob.glob("/dev/nvidia[0-9]*"))
PROFILES = ["sklearn", "tensorflow", "torch", "h2o", "full"] + (["torch-gpu"] if HAS_GPU else [])


@pytest.mark.parametrize("profile", PROFILES)
def test_spawn_each_profile_and_see_it_in_status(hub, users, profile):
    user = "gina"  # in gpu-users, so every profile is open to her
    hub.spawn(user, {"profile": profile})
    try:
        r = hub.user_api(user, "hubml/api/status")
        assert r.status_code == 200, r.text
        status = r.json()
        assert status["profile"]["name"] == profile
        assert status["server"]["user"] == user
        importable = {f["name"] for f in status["frameworks"] if f["importable"]}
        assert set(status["profile"]["frameworks"]) <= importable
        # the server offers exactly the profile's kernels (all are installed in the venv)
        kernels = hub.user_api(user, "api/kernelspecs").json()["kernelspecs"]
        assert set(kernels) == set(load_catalog().get(profile).kernels)
    finally:
        hub.stop_server(user)


def test_gpu_profile_is_refused_on_a_machine_without_gpu(hub, users):
    if HAS_GPU:  # there the profile starts, in the test above
        assert "torch-gpu" in PROFILES
        return
    r = hub.api("POST", "users/gina/server", json={"profile": "torch-gpu"})
    assert r.status_code == 409, r.text
    assert "no GPU" in r.json()["message"]
    assert not hub.api("GET", "users/gina").json()["servers"]


def test_forbidden_profile_is_refused_with_4xx_and_message(hub, users):
    r = hub.api("POST", "users/bob/server", json={"profile": "torch-gpu"})
    assert r.status_code == 403
    assert "gpu-users" in r.json()["message"]
    assert not hub.api("GET", "users/bob").json()["servers"]


def test_unknown_profile_and_option_are_refused(hub, users):
    r = hub.api("POST", "users/bob/server", json={"profile": "quantum"})
    assert r.status_code == 400
    assert "unknown profile 'quantum'" in r.json()["message"]
    r = hub.api("POST", "users/bob/server", json={"profile": "sklearn", "cmd": "sh"})
    assert r.status_code == 400
    assert "unknown option 'cmd'" in r.json()["message"]
    # a refused choice is not remembered: a start without options gets the default profile
    hub.spawn("bob")
    try:
        assert hub.user_api("bob", "hubml/api/status").json()["profile"]["name"] == "sklearn"
    finally:
        hub.stop_server("bob")


def test_status_needs_authentication(hub, users):
    hub.spawn("alice", {"profile": "sklearn"})
    try:
        import requests

        r = requests.get(f"{hub.url}/user/alice/hubml/api/status", allow_redirects=False)
        assert r.status_code in (302, 403)
        assert "profile" not in r.text
    finally:
        hub.stop_server("alice")


def test_as_root_each_user_runs_as_own_system_account(hub, users):
    if os.geteuid() != 0:
        pytest.fail("this test needs root: the hub makes system accounts only when run as root")
    hub.spawn("alice", {})
    hub.spawn("bob", {})
    try:
        owners = {}
        for user in ("alice", "bob"):
            r = hub.user_api(user, "api/contents/whoami.txt", method="PUT",
                             json={"type": "file", "format": "text", "content": user})
            assert r.status_code in (200, 201), r.text  # 200: the account's home is reused
            home = pwd.getpwnam(f"hubmlt-{user}").pw_dir
            owners[user] = os.stat(os.path.join(home, "whoami.txt")).st_uid
            assert os.stat(home).st_mode & 0o777 == 0o700  # others cannot read it
        assert owners["alice"] == pwd.getpwnam("hubmlt-alice").pw_uid
        assert owners["bob"] == pwd.getpwnam("hubmlt-bob").pw_uid
        assert owners["alice"] != owners["bob"]
    finally:
        hub.stop_server("alice")
        hub.stop_server("bob")


def test_restart_keeps_users_and_running_servers(hub, users):
    hub.spawn("alice", {"profile": "h2o"})
    before = hub.api("GET", "users/alice").json()["servers"][""]["started"]
    hub.restart()
    server = hub.api("GET", "users/alice").json()["servers"][""]
    assert server["ready"] and server["started"] == before  # the same server, not a new one
    assert hub.user_api("alice", "hubml/api/status").json()["profile"]["name"] == "h2o"
    _, r = hub.login("bob", PASSWORD)
    assert r.status_code == 302
    hub.stop_server("alice")


def _processes_of(account: str) -> dict[int, str]:
    uid = pwd.getpwnam(account).pw_uid
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                st = os.stat(f"/proc/{entry}")
                cmd = open(f"/proc/{entry}/cmdline", "rb").read().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if st.st_uid == uid:
                found[int(entry)] = cmd
    return found


def _cgroup(pid: int, controller: str = "memory") -> str:
    """The folder of the process's cgroup for a controller (v1's hierarchy, or v2's unified)."""
    lines = [line.split(":", 2) for line in open(f"/proc/{pid}/cgroup").read().splitlines()]
    for _id, controllers, path in lines:
        if controller in controllers.split(","):
            return f"/sys/fs/cgroup/{controller}{path}"
    return "/sys/fs/cgroup" + next(path for _id, _c, path in lines if _id == "0")


def test_profile_limits_are_enforced_for_the_server_and_its_kernels(hub, users):
    from hubml_spawner.cgroups import detect

    if os.geteuid() != 0 or detect() is None:
        pytest.fail("needs root and writable cgroups (v1 or v2) to check enforced limits")
    profile = load_catalog().get("sklearn")
    hub.spawn("alice", {"profile": "sklearn"})
    try:
        account = "hubmlt-alice"
        server = next(pid for pid, cmd in _processes_of(account).items()
                      if "jupyterhub-singleuser" in cmd)
        folder = _cgroup(server)
        assert folder.endswith("/hubml/hubmlt-alice--default"), folder
        limit_file = "memory.limit_in_bytes" if "/memory/" in folder else "memory.max"
        enforced = int(open(f"{folder}/{limit_file}").read())
        assert 0 <= profile.resources.mem_limit - enforced < 4096  # rounded down to a page
        # a kernel started by the server (as training jobs are) is inside the same cgroup
        r = hub.user_api("alice", "api/kernels", method="POST", json={"name": "hubml-sklearn"})
        assert r.status_code == 201, r.text
        kernel = next(pid for pid, cmd in _processes_of(account).items() if "ipykernel" in cmd)
        assert _cgroup(kernel) == folder
        cpu = _cgroup(kernel, "cpu")
        quota = (open(f"{cpu}/cpu.cfs_quota_us").read() if "/cpu/" in cpu
                 else open(f"{cpu}/cpu.max").read().split()[0])
        assert int(quota) == round(profile.resources.cpu_limit * 100_000)
    finally:
        hub.stop_server("alice")
    assert not os.path.exists(folder)  # removed with the server


def _pending_count(page: str) -> int | None:
    match = re.search(r'hubml-pending-signups"[^>]*data-count="(\d+)"', page)
    return int(match.group(1)) if match else None


def test_admin_home_page_shows_pending_sign_ups_with_a_link(hub, users):
    session = hub.admin_session()
    assert hub.signup("pat", PASSWORD).status_code == 200
    assert hub.signup("quin", PASSWORD).status_code == 200
    home = session.get(f"{hub.url}/hub/home").text
    count = _pending_count(home)  # other tests may have left sign-ups waiting too
    assert count is not None and count >= 2
    assert f"{count} sign-ups are" in " ".join(home.split())
    assert 'href="/hub/authorize"' in home
    hub.approve("pat")
    assert _pending_count(session.get(f"{hub.url}/hub/home").text) == count - 1
    # not shown to people who are not admins
    user_session, _ = hub.login("alice", PASSWORD)
    assert "hubml-pending-signups" not in user_session.get(f"{hub.url}/hub/home").text
