"""Through the real hub: another user's token on alice's server is refused with a message that
says the token is not allowed there (not "authenticate with a token")."""

import pytest
import requests

pytestmark = pytest.mark.hub

PASSWORD = "correct-horse-42"


def test_another_users_token_is_told_it_is_not_allowed_here(hub):
    for name in ("tara", "tom"):
        hub.add_user(name, PASSWORD)
    hub.spawn("tara")
    try:
        r = hub.api("POST", "users/tom/tokens", json={"note": "tom's own"})
        assert r.status_code == 201, r.text
        toms = r.json()["token"]
        url = f"{hub.url}/user/tara/hubml/api/projects"
        r = requests.get(url, headers={"Authorization": f"token {toms}"}, timeout=30,
                         allow_redirects=False)
        assert r.status_code == 403, (r.status_code, r.text[:500])
        message = r.json()["error"]["message"]
        assert "token sent is not allowed on this server" in message, message
        assert "/hub/token" in message
        r = requests.get(url, timeout=30, allow_redirects=False)
        assert r.status_code in (302, 403)
        if r.status_code == 403:
            assert "not allowed on this server" not in r.text
    finally:
        hub.stop_server("tara")
