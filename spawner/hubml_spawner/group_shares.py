"""Shares with a group reach the group's members' tokens and browser sessions.

JupyterHub 6.1 resolves a user's permissions with the shares of their groups, but a token's
(API tokens and the OAuth tokens of browser sessions alike) against the user's roles and the
shares with the user alone: ``access:servers!server=ann/dash-x`` granted to a group is
discarded from every member's token ("discarding scopes ... not present in roles of owner"),
so a member is refused a server shared with their group. The hub applies :func:`install`
(hubconfig.py): a token of a user also holds the scopes of the shares with the user's groups,
within what the token asked for (``inherit`` asks for all its owner has).
"""

from __future__ import annotations

__all__ = ["group_share_scopes", "install"]


def group_share_scopes(token, scopes_module, orm_module) -> set:
    """The scopes that shares with the groups of ``token``'s user add to it."""
    user = getattr(token, "user", None)
    if not isinstance(token, orm_module.APIToken) or user is None or not user.groups:
        return set()
    shared = set()
    for group in user.groups:
        for share in group.shared_with_me:
            shared |= set(scopes_module.expand_share_scopes(share))
    if not shared:
        return set()
    asked = set(token.scopes)
    if "inherit" in asked:
        return shared
    expanded = scopes_module.expand_scopes(asked, owner=user,
                                           oauth_client=token.oauth_client)
    return shared & set(expanded)


def install() -> None:
    """Wrap ``jupyterhub.scopes.get_scopes_for`` once (the hub looks it up per request)."""
    from jupyterhub import orm, scopes

    original = scopes.get_scopes_for
    if getattr(original, "_hubml_group_shares", False):
        return

    def get_scopes_for(orm_object):
        found = original(orm_object)
        extra = group_share_scopes(orm_object, scopes, orm)
        return (set(found) | extra) if extra else found

    get_scopes_for._hubml_group_shares = True
    scopes.get_scopes_for = get_scopes_for
