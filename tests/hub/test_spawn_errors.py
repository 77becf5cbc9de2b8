"""A spawn that cannot work is told in words that say what to fix, never a bare 500."""

import os
import pwd
import shutil
import tempfile
from pathlib import Path

import pytest

from hubml_spawner.accounts import blocked_path
from tests.support.hub import BIN, running_hub

pytestmark = [pytest.mark.hub, pytest.mark.root]

PASSWORD = "correct-horse-42"


@pytest.fixture
def private_program():
    """jupyterhub-singleuser copied into a folder only root can enter (like /root/hubml),
    inside a folder everyone can enter (pytest's own tmp folders are 0700)."""
    base = Path(tempfile.mkdtemp(prefix="hubml-private-"))
    os.chmod(base, 0o755)
    private = base / "private"
    private.mkdir(mode=0o700)
    program = private / "jupyterhub-singleuser"
    shutil.copy2(BIN / "jupyterhub-singleuser", program)
    yield program
    shutil.rmtree(base)


def test_blocked_path_names_the_first_folder_an_account_cannot_enter(private_program):
    nobody = pwd.getpwnam("nobody")
    assert blocked_path(str(private_program), nobody) == str(private_program.parent)
    os.chmod(private_program.parent, 0o755)
    assert blocked_path(str(private_program), nobody) is None
    os.chmod(private_program, 0o700)  # enterable folder, but the program is root's alone
    assert blocked_path(str(private_program), nobody) == str(private_program)
    assert blocked_path(str(BIN / "jupyterhub-singleuser"), nobody) is None


def test_spawn_from_an_unreachable_environment_says_what_to_fix(tmp_path_factory,
                                                                private_program):
    if os.geteuid() != 0:
        pytest.fail("needs root: the hub must start servers as other system accounts")
    env = {"HUBML_TEST_SPAWNER_CMD": str(private_program)}
    with running_hub(tmp_path_factory, "hub-unreachable", extra_env=env) as hub:
        hub.add_user("dora", PASSWORD)
        r = hub.api("POST", "users/dora/server", json={"profile": "sklearn"})
        assert r.status_code == 503, r.text
        message = r.json()["message"]
        assert str(private_program.parent) in message and "make install" in message
        assert "Unhandled error" not in message
        assert str(private_program.parent) in hub.log_tail(200)  # the admin sees it too
        # pressing Start in the form shows the user the same words, not a bare 500
        session, _ = hub.login("dora", PASSWORD)
        form = session.get(f"{hub.url}/hub/spawn", timeout=30)
        assert form.status_code == 200
        page = session.post(f"{hub.url}/hub/spawn", timeout=60,
                            data={"profile": "sklearn", "_xsrf": session.cookies.get("_xsrf")})
        assert page.status_code == 503 and "make install" in page.text, page.text[-3000:]
        assert "Unhandled error" not in page.text
