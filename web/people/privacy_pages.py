"""One person's data (PIPL): the JSON export (`GET /people/{key}/export.json`) and erasure (a confirmation page,
`GET /people/{key}/erase`, whose button posts). Both are for editors, like every other change to people."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.deps import CsrfChecked, CurrentCommunity, DbSession, Editor, T, person_row_or_404
from web.downloads import content_disposition
from web.feeds.service import FeedCache
from web.people import privacy
from web.rendering import flash, render
from web.rota.pages import forget_sections
from web.rota.service import forget_viewed
from web.store import audit, transaction

router = APIRouter(include_in_schema=False)


@router.get("/people/{key}/export.json")
def export_person(key: str, db: DbSession, user: Editor, community: CurrentCommunity) -> Response:
    """Everything kept about the person, as one JSON file (the export itself is audited)."""
    row = person_row_or_404(db, community, key)
    data = privacy.export_person(db, community, row)
    with transaction(db):
        audit(db, user.username, "person.export", row.key)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, media_type="application/json", headers={
        "Content-Disposition": content_disposition(f"{row.key}.json"), "Cache-Control": "no-store",
    })


@router.get("/people/{key}/erase", response_class=HTMLResponse)
def erase_page(request: Request, key: str, t: T, db: DbSession, user: Editor, community: CurrentCommunity) -> Response:
    """The confirmation before erasing: what goes, what stays, and the button that does it."""
    row = person_row_or_404(db, community, key)
    erased = row.key.startswith(privacy.ERASED_PREFIX)
    return render(request, t, "person_erase.html", user=user, row=row, erased=erased)


@router.post("/people/{key}/erase")
def erase_person(
    request: Request, key: str, t: T, db: DbSession, user: Editor, community: CurrentCommunity, _csrf: CsrfChecked,
) -> Response:
    row = person_row_or_404(db, community, key)
    if not row.key.startswith(privacy.ERASED_PREFIX):
        label = privacy.erase_person(db, community, row, user.username)
        # Pages and feeds built before hold the old name in this process's memory: forget them all.
        forget_viewed()
        forget_sections()
        setattr(request.app.state, "feed_cache", FeedCache())  # noqa: B010  (Starlette's State takes attributes)
        flash(request, t("people.erased", name=label))
    return RedirectResponse("/people", status_code=303)
