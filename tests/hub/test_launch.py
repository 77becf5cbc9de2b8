"""``make hub``'s launcher: the admin's password is shown once, on a terminal, never in a log."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time

import pytest

from hubml_spawner.launch import login_lines
from tests.support.ports import free_port, free_port_pair

BANNER_END = b"new users sign up at"


def _launch(state, terminal: bool, extra_env: dict | None = None) -> bytes:
    """Run the launcher until it has printed its banner, then stop the hub it started."""
    env = {**os.environ, "HUBML_STATE_DIR": str(state), "HUBML_PORT": str(free_port_pair()),
           "HUBML_HUB_PORT": str(free_port()), "HUBML_DEMO": "0", **(extra_env or {})}
    if terminal:
        leader, follower = pty.openpty()
        proc = subprocess.Popen([sys.executable, "-m", "hubml_spawner.launch"], env=env,
                                stdin=follower, stdout=follower, stderr=follower)
        os.close(follower)
        read = leader
    else:
        proc = subprocess.Popen([sys.executable, "-m", "hubml_spawner.launch"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        read = proc.stdout.fileno()
    out = b""
    deadline = time.monotonic() + 60
    try:
        while BANNER_END not in out and time.monotonic() < deadline:
            ready, _, _ = select.select([read], [], [], 1)
            if ready:
                try:
                    chunk = os.read(read, 4096)
                except OSError:  # the pty closed: the process ended
                    break
                if not chunk:
                    break
                out += chunk
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
        if terminal:
            os.close(leader)
    assert BANNER_END in out, out.decode(errors="replace")
    return out


@pytest.fixture
def state(tmp_path):
    return tmp_path / "state"


def test_password_is_shown_once_on_a_terminal_then_only_its_file(state):
    first = _launch(state, terminal=True)
    password = (state / "admin-password").read_text().strip()
    assert password.encode() in first
    again = _launch(state, terminal=True)
    assert password.encode() not in again
    assert str(state / "admin-password").encode() in again


def test_password_never_reaches_a_log(state):
    out = _launch(state, terminal=False)
    password = (state / "admin-password").read_text().strip()
    assert password.encode() not in out
    assert b"sudo cat" in out


def test_login_lines_show_the_password_only_when_fresh_and_on_a_terminal(tmp_path):
    path = tmp_path / "admin-password"
    path.write_text("s3cret\n")
    shown = [(fresh, tty) for fresh in (True, False) for tty in (True, False)
             if any("s3cret" in line for line in login_lines("admin", path, fresh, tty))]
    assert shown == [(True, True)]
