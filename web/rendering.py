"""Rendering pages: the Jinja2 environment (autoescaped) and the context every template gets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from web import csrf, roles
from web.i18n import LANGUAGES, Translator
from web.tables import Coordinator

_WEB = Path(__file__).resolve().parent
# The shared layout and macros live in web/templates; each feature package keeps its own pages in
# web/<feature>/templates. Template names are bare file names, so they must be unique across features.
TEMPLATE_FOLDERS = [_WEB / "templates", *sorted(p for p in _WEB.glob("*/templates") if p != _WEB / "templates")]
TEMPLATES = Jinja2Templates(
    env=jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_FOLDERS), autoescape=True)
)
FLASH_KEY = "flash"


@jinja2.pass_context
def _path_for(context: dict[str, Any], name: str, /, **params: Any) -> str:
    """`url_for` in templates: the path only. Starlette's would build an absolute URL from the request's Host
    header, which a client chooses (absolute links come from the public URL setting, `web.feeds.addresses`)."""
    request: Request = context["request"]
    return str(request.app.url_path_for(name, **params))


TEMPLATES.env.globals["url_for"] = _path_for


def flash(request: Request, message: str, kind: str = "info") -> None:
    """A message shown once on the next page."""
    messages = request.session.get(FLASH_KEY)
    queue = messages if isinstance(messages, list) else []
    queue.append({"kind": kind, "text": message})
    request.session[FLASH_KEY] = queue


def _take_flashes(request: Request) -> list[dict[str, str]]:
    messages = request.session.pop(FLASH_KEY, None)
    return [m for m in messages if isinstance(m, dict)] if isinstance(messages, list) else []


def render(
    request: Request, t: Translator, template: str, status_code: int = 200, *, user: object = None,
    **context: Any,
) -> HTMLResponse:
    badge = getattr(request.state, "community", None) if user is not None else None
    base = {
        "t": t, "lang": t.lang, "languages": LANGUAGES, "user": user,
        "csrf_token": csrf.bound_token(request, getattr(badge, "id", None)),
        "flashes": _take_flashes(request), "here": request.url.path,
        # what the user's role may do: pages hide the buttons of what it may not (the routes refuse it anyway)
        "can_edit": isinstance(user, Coordinator) and roles.can_edit(user.role),
        "is_admin": isinstance(user, Coordinator) and roles.is_admin(user.role),
        # the current community (web.deps.get_community) when the route has one: named in the header
        "community_badge": badge,
    }
    return TEMPLATES.TemplateResponse(request, template, {**base, **context}, status_code=status_code)
