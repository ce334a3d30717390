"""The service record's pages and files (any account reads them):

- `GET /service-record?from=&to=&by=week|month|year`: per person (pinyin order) turns, hours, nights, what came
  from check-ins and what from the rota, hours per week as a chart, each person's certificate;
- `GET /service-record/coverage?post=&week=`: a post's week as a heat map against the coverage minimum;
- `GET /service-record.xlsx?from=&to=`: one row per served shift with the fields of Order No. 67, and a sheet per
  person's totals;
- `GET /service-record/{person_key}/certificate.pdf?from=&to=`: the volunteer's certificate (志愿服务证明).

`from` and `to` are the community's local dates, both included (default: the last four full weeks up to today).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from web.dates import day_error, local_today, parse_day
from web.deps import CurrentCommunity, DbSession, T, Viewer, app_context, person_row_or_404
from web.downloads import content_disposition
from web.i18n import Translator
from web.record import certificate, charts
from web.record.ranges import Range, RangeProblem, parse_range
from web.record.service import (
    GROUPINGS,
    MAX_RANGE_DAYS,
    Grouping,
    ServedShift,
    grand_total,
    periods_between,
    served,
    summarise,
)
from web.record.spreadsheet import XLSX, record_workbook
from web.rendering import render
from web.rota.service import latest_version
from web.store import setup_of
from web.tables import Community, PersonRow

router = APIRouter(include_in_schema=False)

FromDay = Annotated[str, Query(alias="from")]


def recorder_names(db: Session, community: Community) -> dict[str, str]:
    """Names by row id and by key (a lead's record names them by either), for 'who recorded it'."""
    names: dict[str, str] = {}
    for row_id, key, name in db.execute(
        select(PersonRow.id, PersonRow.key, PersonRow.name).where(PersonRow.community_id == community.id)
    ):
        names[str(row_id)] = names[key] = name
    return names


def recorder(t: Translator, shift: ServedShift, names: dict[str, str]) -> str:
    """Who recorded the shift, in words: the volunteer, a shift lead, a coordinator, or nobody (the rota)."""
    who = shift.recorded_by
    if who is None:
        return t("record.by_nobody")
    kind, _, rest = who.partition(":")
    if kind == "self":
        return t("record.by_self", name=shift.name)
    if kind == "lead":
        return t("record.by_lead", name=names.get(rest, rest))
    if kind == "coordinator":
        return t("record.by_coordinator", name=rest)
    return who


def status_text(t: Translator, shift: ServedShift) -> str:
    return t(f"record.status.{shift.status}") if shift.status else t("record.source.rota")


def period_label(t: Translator, first: dt.date, by: Grouping) -> str:
    if by == "week":
        return t("record.period.week", day=t.day(first))
    if by == "month":
        return f"{first.year}年{first.month}月" if t.lang == "zh" else first.strftime("%B %Y")
    return t("record.period.year", year=first.year)


def _now(request: Request) -> dt.datetime:
    return app_context(request).clock()


def _range(request: Request, community: Community, first: str, last: str) -> Range | RangeProblem:
    return parse_range(first, last, local_today(community.timezone, _now(request)))


def _range_error(t: Translator, problem: RangeProblem, value: str) -> str:
    if problem.kind == "date":
        return day_error(t, value)
    if problem.kind == "order":
        return t("record.to_before_from")
    return t("record.range_too_long", n=MAX_RANGE_DAYS)


def _bad_range(request: Request, t: Translator, problem: RangeProblem) -> Response:
    """A download asked for a range it cannot take: the reason, in words (400)."""
    value = request.query_params.get(problem.field, "")
    label = t("record.from" if problem.field == "from" else "record.to")
    return render(request, t, "message.html", 400, message=f"{label}: {_range_error(t, problem, value)}")


@router.get("/service-record", response_class=HTMLResponse)
def record_page(
    request: Request, t: T, db: DbSession, user: Viewer, community: CurrentCommunity,
    from_: FromDay = "", to: str = "", by: str = "week",
) -> Response:
    grouping: Grouping = next((g for g in GROUPINGS if g == by), "week")
    chosen = _range(request, community, from_, to)
    form = {"from": from_, "to": to, "by": grouping}
    if isinstance(chosen, RangeProblem):
        errors = {chosen.field: _range_error(t, chosen, form[chosen.field])}
        return render(request, t, "record.html", 400, user=user, form=form, errors=errors, chosen=None)
    shifts = served(db, community, chosen.first, chosen.end, _now(request))
    records = summarise(shifts, grouping)
    weeks = periods_between(chosen.first, chosen.end, "week")
    weekly = summarise(shifts, "week")
    scale = max((tally.hours for r in weekly for tally in r.periods.values()), default=0.0)
    bars = {
        r.key: charts.hours_chart(weeks, {w: tally.hours for w, tally in r.periods.items()}, scale, t,
                                  f"{r.name}: {t('record.chart')}")
        for r in weekly
    }
    periods = [(first, period_label(t, first, grouping)) for first in periods_between(chosen.first, chosen.end,
                                                                                      grouping)]
    names = recorder_names(db, community)
    query = f"from={chosen.first.isoformat()}&to={chosen.last.isoformat()}"
    form = {"from": chosen.first.isoformat(), "to": chosen.last.isoformat(), "by": grouping}
    setup = setup_of(community)
    response = render(
        request, t, "record.html", user=user, form=form, errors={}, chosen=chosen, records=records,
        shifts=shifts, bars=bars, periods=periods, query=query, posts=[(p.id, p.name.text(t.lang)) for p in
                                                                       setup.posts],
        recorder=lambda s: recorder(t, s, names), status=lambda s: status_text(t, s),
        total=grand_total(records), this_week=chosen.last - dt.timedelta(days=chosen.last.weekday()),
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@router.get("/service-record/coverage", response_class=HTMLResponse)
def coverage_page(
    request: Request, t: T, db: DbSession, user: Viewer, community: CurrentCommunity, post: str = "",
    week: str = "",
) -> Response:
    setup = setup_of(community)
    posts = [(p.id, p.name.text(t.lang)) for p in setup.posts]
    today = local_today(community.timezone, _now(request))
    errors: dict[str, str] = {}
    day = parse_day(week) if week else today
    if day is None:
        errors["week"] = day_error(t, week)
        day = today
    monday = day - dt.timedelta(days=day.weekday())
    chosen_post = post or (posts[0][0] if posts else "")
    if post and post not in {p for p, _ in posts}:
        errors["post"] = t("form.invalid")
    version = latest_version(db, community.id, monday) if not errors else None
    heat = name = None
    if version is not None:
        found = next((p for p in version.scenario.posts if p.id == chosen_post), None)
        if found is not None:
            name = found.name.text(t.lang)
            cells = charts.coverage_map(version.scenario, version.rota, chosen_post, monday)
            heat = charts.heat_map(cells, t)
    response = render(
        request, t, "record_coverage.html", 400 if errors else 200, user=user, posts=posts, post=chosen_post,
        week=monday, errors=errors, heat=heat, post_name=name, version=version, colours=charts.COLOURS,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@router.get("/service-record.xlsx")
def record_spreadsheet(
    request: Request, t: T, db: DbSession, user: Viewer, community: CurrentCommunity, from_: FromDay = "",
    to: str = "",
) -> Response:
    chosen = _range(request, community, from_, to)
    if isinstance(chosen, RangeProblem):
        return _bad_range(request, t, chosen)
    shifts = served(db, community, chosen.first, chosen.end, _now(request))
    names = recorder_names(db, community)
    body = record_workbook(shifts, community.name, t, lambda s: recorder(t, s, names), lambda s: status_text(t, s))
    filename = f"service-record-{chosen.first.isoformat()}-{chosen.last.isoformat()}.xlsx"
    return Response(body, media_type=XLSX, headers={"Content-Disposition": content_disposition(filename)})


@router.get("/service-record/{person_key}/certificate.pdf")
def certificate_pdf(
    request: Request, person_key: str, t: T, db: DbSession, user: Viewer, community: CurrentCommunity,
    from_: FromDay = "", to: str = "",
) -> Response:
    person = person_row_or_404(db, community, person_key)
    chosen = _range(request, community, from_, to)
    if isinstance(chosen, RangeProblem):
        return _bad_range(request, t, chosen)
    shifts = [s for s in served(db, community, chosen.first, chosen.end, _now(request)) if s.person_id == person.id]
    issued = local_today(community.timezone, _now(request))
    if chosen.first <= issued < chosen.last:  # a certificate speaks of service up to the day it is issued
        chosen = Range(chosen.first, issued)
    pdf = certificate.certificate_pdf(community, person, chosen, shifts, user.username, issued)
    filename = f"{person.key}-志愿服务证明-{chosen.first.isoformat()}-{chosen.last.isoformat()}.pdf"
    response = Response(pdf, media_type="application/pdf",
                        headers={"Content-Disposition": content_disposition(filename, "inline")})
    response.headers["Cache-Control"] = "private, no-store"
    return response
