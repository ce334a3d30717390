"""The addresses behind a secret link: a person's page and feed (with its QR code), a post's feed."""

from __future__ import annotations

import segno
from fastapi import Request

from web.settings import Settings
from web.store import setup_of
from web.tables import Community


def _base(request: Request) -> str:
    """The configured public URL (ROTA_PUBLIC_URL), never the request's Host header, which the client chooses."""
    settings: Settings = request.app.state.rota.settings
    return settings.resolved_public_url()


def _webcal(url: str) -> str:
    """The same address with the webcal scheme, which phones open in their calendar app."""
    return "webcal://" + url.split("://", 1)[1]


def qr_data_uri(text: str) -> str:
    """A QR code as an SVG data URI (the CSP allows data: images, and nothing inline has to be trusted)."""
    uri: str = segno.make(text, error="m").svg_data_uri(scale=4, border=2)
    return uri


def person_addresses(request: Request, token: str) -> dict[str, str]:
    page = f"{_base(request)}/p/{token}"
    feed = f"{page}/calendar.ics"
    return {"page": page, "feed": feed, "webcal": _webcal(feed), "qr": qr_data_uri(page)}


def post_addresses(request: Request, token: str) -> dict[str, str]:
    feed = f"{_base(request)}/feeds/post/{token}.ics"
    webcal = _webcal(feed)
    return {"feed": feed, "webcal": webcal, "feed_en": f"{feed}?lang=en", "webcal_en": f"{webcal}?lang=en"}


def post_names(community: Community, lang: str) -> dict[str, str]:
    """Every post and team duty (each has a feed) by id, named in the language."""
    return {place: zh if lang == "zh" else en for place, zh, en in setup_of(community).places()}
