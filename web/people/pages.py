"""People pages: the list (searched, filtered, in pinyin order), add, edit, deactivate (after a confirmation) and
reactivate. Each change is one transaction, with an audit entry."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.deps import CsrfChecked, CurrentCommunity, DbSession, Editor, T, Viewer, person_row_or_404
from web.outbox import contact
from web.people import names, service
from web.people.forms import PersonForm, build_person, limit_sources
from web.people.service import KeyTaken
from web.rendering import flash, render
from web.store import CommunitySetup, people_rows, person_from_row, setup_of
from web.tables import Community, Coordinator, PersonRow

router = APIRouter(include_in_schema=False)


def _form_page(
    request: Request, t: T, user: Coordinator, community: Community, form: PersonForm, key: str | None,
    status_code: int = 200,
) -> Response:
    setup = setup_of(community)
    sources = limit_sources(setup, list(form.values.get("roles", [])), t)
    return render(
        request, t, "person_form.html", status_code, user=user, form=form, key=key, setup=setup, sources=sources
    )


_QUERY_LIMIT = 100
"""A search or filter value is cut to this length: nobody types more, and a hostile link gains nothing."""


def _matches(row: PersonRow, query: str, role: str, post: str, status: str) -> bool:
    if role and role not in row.roles:
        return False
    if post and row.posts is not None and post not in row.posts:  # no posts ticked: works everywhere
        return False
    if status in ("active", "inactive") and row.active != (status == "active"):
        return False
    return not query or query in names.search_text(row.name, row.key, row.phone or "")


@router.get("/people", response_class=HTMLResponse)
def people_list(
    request: Request, t: T, db: DbSession, user: Viewer, community: CurrentCommunity,
    q: str = "", role: str = "", post: str = "", status: str = "",
) -> Response:
    """Everyone in one compact table: active people first, each group in pinyin order; the search (name, id,
    phone, or the name's pinyin) and the filters are query parameters, so a link keeps them and no script is needed."""
    rows = people_rows(db, community)
    setup = setup_of(community)
    query, role, post, status = (value.strip()[:_QUERY_LIMIT] for value in (q, role, post, status))
    shown = sorted(
        (r for r in rows if _matches(r, query.casefold(), role, post, status)),
        key=lambda r: (not r.active, names.sort_key(r.name), r.key),
    )
    return render(
        request, t, "people.html", user=user, rows=shown, setup=setup, total=len(rows),
        active=sum(1 for r in rows if r.active), inactive=sum(1 for r in rows if not r.active),
        query=query, role=role, post=post, status=status, place_names=_place_names(setup, t.lang),
        filtered=bool(query or role or post or status in ("active", "inactive")),
    )


def _place_names(setup: CommunitySetup, lang: str) -> dict[str, str]:
    return {place_id: zh if lang == "zh" else en for place_id, zh, en in setup.places()}


@router.get("/people/new", response_class=HTMLResponse)
def new_person_page(request: Request, t: T, user: Viewer, community: CurrentCommunity) -> Response:
    form = PersonForm(values={"language": "zh", "roles": [], "posts": [], **contact.values_of(None)})
    return _form_page(request, t, user, community, form, None)


@router.post("/people/new", response_class=HTMLResponse)
async def add_person(
    request: Request, t: T, db: DbSession, user: Editor, community: CurrentCommunity, _csrf: CsrfChecked
) -> Response:
    raw = await request.form()
    form = PersonForm.from_form(raw)
    if not form.values["key"] and form.values["name"]:
        # an id left empty is made from the name: 王芳 -> wang-fang, or wang-fang-2 when that one is taken
        form.values["key"] = names.new_key(form.values["name"], {r.key for r in people_rows(db, community)})
    person = build_person(form, setup_of(community), t)
    reach = contact.read(raw, form.values, form.errors, t)  # e-mail, channel, quiet hours (web.outbox)
    if person is None or reach is None:
        return _form_page(request, t, user, community, form, None, 400)
    try:
        service.add_person(db, community, person, user.username)
    except KeyTaken:
        form.errors["key"] = t("people.key_taken")
        return _form_page(request, t, user, community, form, None, 400)
    contact.save(db, community, person.id, reach)
    flash(request, t("people.saved", name=person.name))
    return RedirectResponse("/people", status_code=303)


@router.get("/people/{key}/edit", response_class=HTMLResponse)
def edit_person_page(
    request: Request, key: str, t: T, db: DbSession, user: Viewer, community: CurrentCommunity
) -> Response:
    row = person_row_or_404(db, community, key)
    form = PersonForm.from_person(person_from_row(row))
    form.values.update(contact.values_of(row))
    return _form_page(request, t, user, community, form, row.key)


@router.post("/people/{key}/edit", response_class=HTMLResponse)
async def edit_person(
    request: Request, key: str, t: T, db: DbSession, user: Editor, community: CurrentCommunity,
    _csrf: CsrfChecked,
) -> Response:
    row = person_row_or_404(db, community, key)
    raw = await request.form()
    form = PersonForm.from_form(raw)
    form.values["key"] = row.key
    person = build_person(form, setup_of(community), t, existing=person_from_row(row))
    reach = contact.read(raw, form.values, form.errors, t)  # e-mail, channel, quiet hours (web.outbox)
    if person is None or reach is None:
        return _form_page(request, t, user, community, form, row.key, 400)
    service.update_person(db, row, person, user.username)
    contact.save(db, community, row.key, reach)
    flash(request, t("people.saved", name=person.name))
    return RedirectResponse("/people", status_code=303)


def _set_active(db: DbSession, community: Community, user: Coordinator, key: str, active: bool) -> PersonRow:
    row = person_row_or_404(db, community, key)
    service.set_active(db, row, user.username, active)
    return row


@router.get("/people/{key}/deactivate", response_class=HTMLResponse)
def deactivate_page(
    request: Request, key: str, t: T, db: DbSession, user: Viewer, community: CurrentCommunity
) -> Response:
    """The confirmation before deactivating: what it does, and the button that does it."""
    row = person_row_or_404(db, community, key)
    return render(request, t, "person_deactivate.html", user=user, row=row)


@router.post("/people/{key}/deactivate")
def deactivate_person(
    request: Request, key: str, t: T, db: DbSession, user: Editor, community: CurrentCommunity,
    _csrf: CsrfChecked,
) -> Response:
    row = _set_active(db, community, user, key, False)
    flash(request, t("people.deactivated", name=row.name))
    return RedirectResponse("/people", status_code=303)


@router.post("/people/{key}/reactivate")
def reactivate_person(
    request: Request, key: str, t: T, db: DbSession, user: Editor, community: CurrentCommunity,
    _csrf: CsrfChecked,
) -> Response:
    row = _set_active(db, community, user, key, True)
    flash(request, t("people.reactivated", name=row.name))
    return RedirectResponse("/people", status_code=303)
