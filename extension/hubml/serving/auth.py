"""Who may call the prediction service: no token, no prediction.

The service asks one *authenticator* per request (``/ping`` and the health routes stay open).

The hook's interface, for whoever plugs in another check (serving/hub_auth.py for tokens of
JupyterHub deployments)::

    def authenticate(headers: Headers) -> bool | Awaitable[bool]

- ``headers`` is a read-only mapping of the request's headers: keys lower-case ``str``
  (``headers.get("authorization")``), values ``str`` (latin-1 decoded, as HTTP sends them);
  ``headers.token`` is the token of an ``Authorization: Bearer <t>`` / ``token <t>`` header
  (or None).
- Return True to let the request through, False to refuse it (403; a request without any
  Authorization header gets 401 before the hook is asked). A coroutine is awaited on the
  service's event loop, so a hook that asks the hub over HTTP must be async (and should cache
  its answers: it runs on every request).
- An exception in the hook refuses the request (403) and is logged; it never becomes a 500.
- Optional: an object with ``async startup()`` / ``async shutdown()`` methods (e.g. an HTTP
  client to open and close) has them awaited with the service's lifespan.

``hubml serve --auth MODULE:NAME`` imports the hook (a callable, or a class called with no
arguments that gives one); without ``--auth`` the service compares the token with the one in
the environment variable ``HUBML_SERVE_TOKEN`` (or ``--token-env NAME``) in constant time.
"""

from __future__ import annotations

import hmac
import importlib
import inspect
import os
from collections.abc import Mapping

from ..errors import InvalidInput
from ._messages import msg

__all__ = ["DEFAULT_TOKEN_ENV", "EnvTokenAuth", "Headers", "load_authenticator",
           "token_of"]

DEFAULT_TOKEN_ENV = "HUBML_SERVE_TOKEN"
_SCHEMES = (b"bearer ", b"token ")


def token_of(raw: bytes | None) -> bytes | None:
    """The token of an Authorization header value (Bearer or token scheme)."""
    if not raw:
        return None
    head = raw[:7].lower()
    for scheme in _SCHEMES:
        if head.startswith(scheme):
            token = raw[len(scheme):].strip()
            return token or None
    return None


class Headers(Mapping):
    """The request's headers for a hook: lower-case str keys, str values."""

    def __init__(self, raw: list[tuple[bytes, bytes]]):
        self._raw = raw
        self._map: dict[str, str] | None = None

    def _items(self) -> dict[str, str]:
        if self._map is None:
            self._map = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in self._raw}
        return self._map

    def __getitem__(self, key: str) -> str:
        return self._items()[key.lower()]

    def __iter__(self):
        return iter(self._items())

    def __len__(self) -> int:
        return len(self._items())

    @property
    def token(self) -> str | None:
        for k, v in self._raw:
            if k.lower() == b"authorization":
                token = token_of(v)
                return token.decode("latin-1") if token else None
        return None


class EnvTokenAuth:
    """The standalone check: the token of one environment variable, compared in constant time."""

    def __init__(self, env: str = DEFAULT_TOKEN_ENV):
        value = os.environ.get(env, "")
        if not value.strip():
            raise InvalidInput(msg("serve.auth.not_configured", env=env),
                               details={"field": "token_env"})
        self._token = value.strip().encode("latin-1")

    def __call__(self, headers: Headers) -> bool:
        token = headers.token
        return token is not None and hmac.compare_digest(token.encode("latin-1"), self._token)

    def check_raw(self, raw_token: bytes) -> bool:
        """The hot path: the token bytes straight from the header, no Headers object."""
        return hmac.compare_digest(raw_token, self._token)


def load_authenticator(spec: str | None, token_env: str | None = None):
    """The hook named ``MODULE:NAME`` (a callable, or a class giving one), else EnvTokenAuth."""
    if not spec:
        return EnvTokenAuth(token_env or DEFAULT_TOKEN_ENV)
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise InvalidInput(f"--auth takes MODULE:NAME (e.g. hubml.serving.hub_auth:HubAuth), "
                           f"not {spec!r}", details={"field": "auth"})
    try:
        obj = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise InvalidInput(f"cannot import the authenticator {spec!r}: {exc}",
                           details={"field": "auth"}) from None
    return obj() if inspect.isclass(obj) else obj
