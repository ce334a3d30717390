"""One day of a week's rota as text to paste into the community's WeChat group (`/rota/{week}/wechat`).

WeChat personal groups take no messages from programs: the coordinator copies this text into the group. The text is
the engine's (`scheduler.day_message`), in the community's language like the print-outs; the page around it is in
the reader's. A copy button appears when JavaScript runs; without it the text is selected in a read-only box.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from scheduler import day_message
from web.dates import local_today, parse_day
from web.deps import CurrentCommunity, DbSession, T, Viewer, app_context
from web.rendering import render
from web.rota.chosen import chosen_rota
from web.rota.urls import parse_week
from web.store import setup_of

router = APIRouter(include_in_schema=False)


@router.get("/rota/{week_start}/wechat", response_class=HTMLResponse)
def wechat_text(
    request: Request, week_start: str, t: T, db: DbSession, user: Viewer, community: CurrentCommunity,
    day: str = "", version: str = "", draft: str = "",
) -> Response:
    """The text of one day (`day`, default today when the week holds it, else its first day) of the draft
    (`draft=1`), version n, or the latest published version."""
    week = parse_week(week_start)
    scenario, rota, label = chosen_rota(db, community, week, version, draft, t)
    dates = [rota.start + dt.timedelta(days=i) for i in range(rota.days)]
    today = local_today(community.timezone, app_context(request).clock())
    chosen = parse_day(day) if day else (today if today in dates else dates[0])
    if chosen is None or chosen not in dates:
        raise HTTPException(404, "no such day in this rota")
    text = day_message(scenario, rota, chosen, setup_of(community).language)
    query = "&draft=1" if draft == "1" else (f"&version={label.removeprefix('v')}" if version else "")
    return render(
        request, t, "rota_wechat.html", user=user, week=week, day=chosen, dates=dates, text=text, label=label,
        query=query, lines=text.count("\n") + 1,
    )
