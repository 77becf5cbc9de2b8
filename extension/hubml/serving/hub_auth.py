"""JupyterHub authentication for deployments (named servers the hub started).

- :class:`HubAuth`, the prediction service's hook (``hubml serve --auth
  hubml.serving.hub_auth:HubAuth``, see serving/auth.py): a request's ``Authorization: token
  X`` (or Bearer) is checked by asking the hub who X is (``GET /hub/api/user`` with X itself),
  the answer cached briefly. X passes when its scopes reach this server: access to it
  (``access:servers!server=<owner>/<server>``, which JupyterHub's sharing grants, or broader)
  or the prediction scope ``custom:hubml:predict`` (unfiltered, ``!user=<owner>`` or
  ``!server=<owner>/<server>``), or its owner is in a group the server is shared with.
  (JupyterHub 6.1 gives API tokens the scopes of shares with their user only, not those of
  shares with the user's groups, so the group check is made here, from the server's shares.)
- :class:`DashboardAuthorizer`, the ``ServerApp.authorizer_class`` of a published dashboard
  (jupyterhub-singleuser with Voila): the owner may do anything; people the dashboard is
  shared with may open the page and talk to its kernel, not read or change the project's files,
  start kernels or open terminals.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import time
import urllib.error
import urllib.request

__all__ = ["PREDICT_SCOPE", "DashboardAuthorizer", "HubAuth", "token_allows"]

PREDICT_SCOPE = "custom:hubml:predict"
log = logging.getLogger("hubml.serving")


def token_allows(scopes, owner: str, server: str) -> bool:
    """Whether a token with these (expanded) scopes may call ``owner``'s server ``server``."""
    wanted = set()
    for base in ("access:servers", PREDICT_SCOPE):
        wanted |= {base, f"{base}!user={owner}", f"{base}!server={owner}/{server}"}
    return bool(wanted & set(scopes or ()))


class HubAuth:
    """Check JupyterHub tokens against the hub; answers cached ``cache_seconds`` (refusals a
    shorter ``refuse_cache_seconds``, so a new share takes effect quickly)."""

    def __init__(self, api_url: str | None = None, owner: str | None = None,
                 server: str | None = None, cache_seconds: float = 60.0,
                 refuse_cache_seconds: float = 5.0, timeout: float = 10.0):
        self.api_url = (api_url or os.environ.get("JUPYTERHUB_API_URL", "")).rstrip("/")
        self.owner = owner if owner is not None else os.environ.get("JUPYTERHUB_USER", "")
        self.server = server if server is not None else \
            os.environ.get("JUPYTERHUB_SERVER_NAME", "")
        if not (self.api_url and self.owner):
            raise RuntimeError("HubAuth needs JUPYTERHUB_API_URL and JUPYTERHUB_USER: it runs "
                               "in a deployment the hub started; standalone, leave out --auth "
                               "and set HUBML_SERVE_TOKEN")
        self.cache_seconds = cache_seconds
        self.refuse_cache_seconds = refuse_cache_seconds
        self.timeout = timeout
        self.own_token = os.environ.get("JUPYTERHUB_API_TOKEN", "")
        self._cache: dict[bytes, tuple[float, bool]] = {}
        self._groups: tuple[float, frozenset] = (0.0, frozenset())

    def _ask_hub(self, token: str, path: str = "user") -> dict | None:
        """The hub's model of the token's owner, with the token's scopes; None if unknown."""
        request = urllib.request.Request(f"{self.api_url}/{path}",
                                         headers={"Authorization": f"token {token}"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            if exc.code in (401, 403, 404):
                return None
            raise

    def shared_groups(self) -> frozenset:
        """The groups this server is shared with (asked with the server's own token)."""
        expires, groups = self._groups
        if expires > time.monotonic() or not (self.own_token and self.server):
            return groups
        found = self._ask_hub(self.own_token, f"shares/{self.owner}/{self.server}") or {}
        groups = frozenset(i["group"]["name"] for i in found.get("items", ())
                           if i.get("group"))
        self._groups = (time.monotonic() + self.refuse_cache_seconds, groups)
        return groups

    def check(self, token: str | None) -> bool:
        """Blocking check (cached); :meth:`__call__` runs it off the event loop."""
        if not token:
            return False
        key = hashlib.sha256(token.encode("utf-8", "replace")).digest()
        now = time.monotonic()
        hit = self._cache.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        model = self._ask_hub(token)
        allowed = model is not None and (
            token_allows(model.get("scopes"), self.owner, self.server)
            or bool(set(model.get("groups") or ()) & self.shared_groups()))
        ttl = self.cache_seconds if allowed else self.refuse_cache_seconds
        if len(self._cache) > 10_000:  # tokens are many only under abuse: start over
            self._cache.clear()
        self._cache[key] = (now + ttl, allowed)
        if not allowed:
            log.info("hubml: refused a token of %s for %s/%s",
                     (model or {}).get("name", "nobody"), self.owner, self.server)
        return allowed

    async def __call__(self, headers) -> bool:
        token = headers.token
        key = hashlib.sha256(token.encode("utf-8", "replace")).digest() if token else b""
        hit = self._cache.get(key)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]  # the hot path: no thread hop
        return await asyncio.to_thread(self.check, token)


def _authorizer_base():
    try:
        from jupyterhub.singleuser.extension import JupyterHubAuthorizer
    except ImportError:  # jupyterhub not installed: only the class name is needed then
        from jupyter_server.auth.authorizer import Authorizer as JupyterHubAuthorizer
    return JupyterHubAuthorizer


# what someone a dashboard is shared with may do on its server (jupyter_server resources)
VIEWER_PERMISSIONS = {"kernels": {"read", "execute"}, "kernelspecs": {"read"},
                      "api": {"read"}, "server": {"read"}}


class DashboardAuthorizer(_authorizer_base()):
    """The owner: everything the hub allows; others with access: the Voila page only."""

    def is_authorized(self, handler, user, action, resource):
        if not super().is_authorized(handler, user, action, resource):
            return False
        owner = os.environ.get("JUPYTERHUB_USER")
        if owner and getattr(user, "username", None) == owner:
            return True
        return action in VIEWER_PERMISSIONS.get(resource, ())
