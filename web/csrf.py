"""CSRF protection for forms: a random token kept in the (signed) session, echoed by every form.

Every state-changing page route depends on `verify_csrf`, which compares the posted `csrf_token` field with the
session's token in constant time and answers 403 otherwise. JSON API routes accept only JSON bodies (a cross-site
form cannot send one without a CORS preflight, which this app never allows).
"""

from __future__ import annotations

import secrets

from starlette.requests import Request

SESSION_KEY = "csrf"
FIELD = "csrf_token"


def csrf_token(request: Request) -> str:
    """The session's token, created on first use."""
    token = request.session.get(SESSION_KEY)
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = token
    return token


def rotate(request: Request) -> str:
    """A fresh token (after login or logout)."""
    request.session.pop(SESSION_KEY, None)
    return csrf_token(request)


def bound_token(request: Request, community_id: int | None) -> str:
    """The token a page's forms carry: the session's, followed by the id of the community the page was drawn for
    (web.deps.get_community refuses a form drawn for another community than the current one)."""
    token = csrf_token(request)
    return token if community_id is None else f"{token}.{community_id}"


def drawn_for(submitted: object) -> int | None:
    """The community id a submitted token carries; None when it carries none."""
    if not isinstance(submitted, str):
        return None
    _, dot, community = submitted.partition(".")
    return int(community) if dot and community.isdigit() and len(community) <= 18 else None


def token_matches(request: Request, submitted: object) -> bool:
    expected = request.session.get(SESSION_KEY)
    if not isinstance(expected, str) or not isinstance(submitted, str) or not submitted:
        return False
    # the session's token is URL-safe base64, never a dot of its own: only a community id after one is taken off
    token = submitted.partition(".")[0] if drawn_for(submitted) is not None else submitted
    return secrets.compare_digest(expected.encode(), token.encode())
