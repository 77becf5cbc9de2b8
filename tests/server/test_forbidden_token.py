"""A 403 says what went wrong: a token that is not allowed here is not "authenticate with a
token" (that advice is for a request that sent none)."""

import json

import pytest
from tornado.httpclient import HTTPClientError

from hubml.messages import msg


async def _refused(jp_fetch, headers=None, params=None) -> dict:
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch("hubml", "api", "projects", headers=headers or {"Authorization": ""},
                       params=params)
    assert info.value.code == 403
    return json.loads(info.value.response.body)["error"]


@pytest.mark.parametrize("headers, params", [
    ({"Authorization": "token not-this-servers-token"}, None),
    ({"Authorization": "Bearer not-this-servers-token"}, None),
    ({"Authorization": ""}, {"token": "not-this-servers-token"}),
])
async def test_a_wrong_token_is_told_it_is_not_allowed_here(jp_fetch, roots, headers, params):
    error = await _refused(jp_fetch, headers, params)
    assert error["code"] == "http_403"
    assert "token sent is not allowed on this server" in error["message"]
    assert "/hub/token" in error["message"] and "share" in error["message"]
    assert "authenticate with" not in error["message"]


async def test_no_token_is_told_to_authenticate(jp_fetch, roots):
    error = await _refused(jp_fetch)
    assert error["code"] == "http_403"
    assert error["message"] == msg("http.403")
    assert "not allowed on this server" not in error["message"]
