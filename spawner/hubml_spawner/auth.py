"""NativeAuthenticator, fixed for JupyterHub 6, with an admin account made on first start.

NativeAuthenticator 1.3.0's login handler calls ``self.statsd`` (removed in JupyterHub 6,
so every login was a 500) and its ``_render`` refuses the ``**kwargs`` JupyterHub passes.
"""

from __future__ import annotations

import os

from nativeauthenticator import NativeAuthenticator
from nativeauthenticator.handlers import LoginHandler as _NativeLoginHandler
from traitlets import Bool, Unicode

__all__ = ["HubMLAuthenticator", "LoginHandler", "pending_signups"]


class _NoTimer:
    def start(self):
        return self

    def stop(self, *args, **kwargs):
        return None


class _NoStatsd:
    def timer(self, *args, **kwargs):
        return _NoTimer()

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


class LoginHandler(_NativeLoginHandler):
    @property
    def statsd(self):
        return _NoStatsd()

    def _render(self, login_error=None, username=None, **kwargs):
        return super()._render(login_error=login_error, username=username)


class HubMLAuthenticator(NativeAuthenticator):
    admin_password_file = Unicode(
        "",
        help="File holding the first admin's password (mode 0600). On start, the admin "
             "account (the first of admin_users) is created with it if it does not exist.",
    ).tag(config=True)

    reset_admin_password = Bool(
        False,
        help="Set the admin's password to the one in admin_password_file even if the "
             "account exists (for a lost password).",
    ).tag(config=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._ensure_admin()

    def _ensure_admin(self) -> None:
        if not self.admin_password_file or not self.admin_users:
            return
        with open(self.admin_password_file, encoding="utf-8") as f:
            password = f.read().strip()
        name = sorted(self.admin_users)[0]
        if self.get_user(name) is None:
            signup = self.enable_signup
            self.enable_signup = True  # create_user refuses when sign-up is closed
            created = self.create_user(name, password)
            self.enable_signup = signup
            if created is None:
                raise ValueError(f"could not create the admin account {name!r}; "
                                 "check HUBML_ADMIN is a valid user name")
            self.log.info("hubml: created admin account %s", name)
        elif self.reset_admin_password:
            self.change_password(name, password)
            self.log.warning("hubml: reset the password of admin %s from %s", name,
                             os.path.basename(self.admin_password_file))

    def get_handlers(self, app):
        return [(path, LoginHandler if handler is _NativeLoginHandler else handler)
                for path, handler in super().get_handlers(app)]


def pending_signups(user) -> int | None:
    """For the hub's home page (``template_vars``): how many sign-ups wait for approval,
    shown to admins only (None for everyone else)."""
    if user is None or not getattr(user, "admin", False):
        return None
    from nativeauthenticator.orm import UserInfo

    return user.db.query(UserInfo).filter(UserInfo.is_authorized.is_(False)).count()
