"""Account roles: what each may do. Routes name the least role they need (web.deps: Viewer, Editor, AdminUser)."""

from __future__ import annotations

ADMIN = "admin"
COORDINATOR = "coordinator"
VIEWER = "viewer"
ROLES = (ADMIN, COORDINATOR, VIEWER)
"""Most to least: an admin may do everything (accounts, the community's set-up); a coordinator rotas and people;
a viewer only reads (and looks after their own login: password, logout, language)."""
_RANK = {VIEWER: 0, COORDINATOR: 1, ADMIN: 2}
FORBIDDEN = "your account's role may not do this"
"""The detail of a role's 403 (the pages answer it in the reader's language, `accounts.forbidden`)."""


def may(role: str, needed: str) -> bool:
    """Whether an account with `role` may do what needs `needed` (an unknown role may do nothing)."""
    return role in _RANK and _RANK[role] >= _RANK[needed]


def can_edit(role: str) -> bool:
    return may(role, COORDINATOR)


def is_admin(role: str) -> bool:
    return may(role, ADMIN)
