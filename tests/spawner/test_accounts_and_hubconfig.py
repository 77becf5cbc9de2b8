"""System account names, and the embedded hub's configuration from the environment."""

import os
import socket

import pytest
from traitlets.config import Config

from hubml_spawner.accounts import system_username
from hubml_spawner.hubconfig import SetupError, configure, load_groups


def test_system_username_is_safe_and_unique():
    assert system_username("jupyter-", "alice") == "jupyter-alice"
    odd = system_username("jupyter-", "Alice.Smith@example.org")
    assert odd.startswith("jupyter-alice-smith") and len(odd) <= 32
    assert odd != system_username("jupyter-", "alice-smith-example-org")
    assert len(system_username("jupyter-", "x" * 60)) == 32


def env_for(tmp_path, port, **extra):
    return {"HUBML_STATE_DIR": str(tmp_path / "state"), "HUBML_PORT": str(port), **extra}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_configure_generates_secrets_0600_and_no_secret_in_config(tmp_path):
    c = Config()
    configure(c, env_for(tmp_path, free_port()))
    state = tmp_path / "state"
    for name in ("admin-password", "proxy-auth-token"):
        assert (state / name).stat().st_mode & 0o777 == 0o600
    password = (state / "admin-password").read_text()
    assert len(password) >= 12
    assert c.HubMLAuthenticator.admin_password_file == str(state / "admin-password")
    assert c.JupyterHub.ip == "127.0.0.1"
    assert c.Authenticator.admin_users == {"admin"}
    assert c.JupyterHub.services[0]["name"] == "idle-culler"
    # a second start keeps the same secrets
    configure(Config(), env_for(tmp_path, free_port()))
    assert (state / "admin-password").read_text() == password


def test_port_in_use_is_refused_with_advice(tmp_path):
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        with pytest.raises(SetupError, match=f"127.0.0.1:{port} is in use.*HUBML_PORT"):
            configure(Config(), env_for(tmp_path, port))


def test_missing_admin_password_with_existing_hub_db(tmp_path):
    configure(Config(), env_for(tmp_path, free_port()))
    state = tmp_path / "state"
    (state / "jupyterhub.sqlite").write_bytes(b"")
    (state / "admin-password").unlink()
    with pytest.raises(SetupError, match="admin password file .* is missing.*HUBML_RESET_ADMIN"):
        configure(Config(), env_for(tmp_path, free_port()))
    c = Config()
    configure(c, env_for(tmp_path, free_port(), HUBML_RESET_ADMIN_PASSWORD="1"))
    assert c.HubMLAuthenticator.reset_admin_password is True
    assert (state / "admin-password").exists()


def test_malformed_catalog_stops_the_hub(tmp_path):
    bad = tmp_path / "catalog.yaml"
    bad.write_text("profiles:\n  - name: a\n    gpu: many\n")
    with pytest.raises(SetupError, match="profile 'a', field 'gpu'"):
        configure(Config(), env_for(tmp_path, free_port(), HUBML_CATALOG=str(bad)))
    assert not (tmp_path / "state").exists()  # nothing written, nothing half-configured


def test_groups_file(tmp_path):
    path = tmp_path / "groups.yaml"
    path.write_text("gpu-users: [alice, bob]\n")
    assert load_groups(path) == {"gpu-users": {"users": ["alice", "bob"]}}
    path.write_text("gpu-users: alice\n")
    with pytest.raises(SetupError, match="mapping of group name to a list"):
        load_groups(path)
    assert load_groups(tmp_path / "absent.yaml") == {}


def test_state_dir_is_private(tmp_path):
    configure(Config(), env_for(tmp_path, free_port()))
    assert os.stat(tmp_path / "state").st_mode & 0o777 == 0o700
