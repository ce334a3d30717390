"""Set-up page of bans: the coordinator keeps a person off a post (or one of its shifts) on one date. `/setup/bans`
lists them, adds one, deletes one.

Bans are kept with the set-up (web.store.build_scenario gives a week's scenario the bans of its dates). The list
is shown by date, but each row keeps its index in the stored list, which is what a delete names. Past bans stay
listed under a note: they change no rota any more, and deleting them is the coordinator's choice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from scheduler import Ban
from web.dates import local_today
from web.deps import AdminUser, CsrfChecked, CurrentCommunity, DbSession, T, Viewer, app_context
from web.i18n import Translator
from web.rendering import flash, render
from web.setup.forms import SetupForm, error_message, store_deletion, store_setup, taken_out
from web.store import CommunitySetup, people_rows, setup_of
from web.tables import Community, Coordinator
from web.validation import Index

router = APIRouter(include_in_schema=False)

BAN_FIELDS = ("person", "date", "post", "shift")


@dataclass(frozen=True)
class BanRow:
    """One stored ban as listed: its index in the stored list, and what the coordinator reads."""

    index: int
    date: dt.date
    person: str
    when: str
    place: str
    shift: str | None


@dataclass(frozen=True)
class ShiftOption:
    """A shift of the form's select: labelled 'post · shift'; ids may repeat across posts."""

    value: str
    label: str
    selected: bool


def _names(db: DbSession, community: Community) -> dict[str, str]:
    """Every person's name by id, inactive ones marked (a ban may name them)."""
    return {row.key: row.name if row.active else f"{row.name} (—)" for row in people_rows(db, community)}


def _shift_text(setup: CommunitySetup, ban: Ban, t: Translator) -> str | None:
    """The shift's name, 'every shift' for a whole post, None for a team duty (which has no shifts)."""
    post = next((p for p in setup.posts if p.id == ban.post), None)
    if post is None:
        return None
    if ban.shift is None:
        return t("setup.bans.every_shift")
    shift = next((s for s in post.shifts if s.id == ban.shift), None)
    if shift is None:
        return ban.shift
    return f"{shift.name.text(t.lang) if shift.name else shift.id} {shift.label()}"


def ban_rows(setup: CommunitySetup, names: dict[str, str], t: Translator) -> list[BanRow]:
    """The stored bans by date then person's name, each with its stored index."""
    places = {pid: zh if t.lang == "zh" else en for pid, zh, en in setup.places()}
    rows = [
        BanRow(
            index=i, date=ban.date, person=names.get(ban.person, ban.person), when=t.date(ban.date),
            place=places.get(ban.post, ban.post), shift=_shift_text(setup, ban, t),
        )
        for i, ban in enumerate(setup.bans)
    ]
    return sorted(rows, key=lambda row: (row.date, row.person.casefold(), row.index))


def shift_options(setup: CommunitySetup, form: SetupForm, t: Translator) -> list[ShiftOption]:
    """Every shift of every post; the typed shift is chosen under the typed post, else its first occurrence."""
    typed_post, typed_shift = form.text("post"), form.text("shift")
    chosen = next(
        ((p.id, typed_shift) for p in setup.posts if p.id == typed_post and any(s.id == typed_shift for s in p.shifts)),
        next(((p.id, typed_shift) for p in setup.posts if any(s.id == typed_shift for s in p.shifts)), None),
    )
    return [
        ShiftOption(
            value=shift.id,
            label=f"{post.name.text(t.lang)} · {shift.name.text(t.lang) if shift.name else shift.id} {shift.label()}",
            selected=(post.id, shift.id) == chosen,
        )
        for post in setup.posts
        for shift in post.shifts
    ]


def _page(
    request: Request, t: Translator, db: DbSession, user: Coordinator, community: Community, form: SetupForm,
    status_code: int = 200,
) -> Response:
    setup = setup_of(community)
    rows = ban_rows(setup, _names(db, community), t)
    today = local_today(community.timezone, app_context(request).clock())  # the app's clock: tests set it
    active = [(row.key, row.name) for row in people_rows(db, community, active_only=True)]
    places = [(pid, zh if t.lang == "zh" else en) for pid, zh, en in setup.places()]
    return render(
        request, t, "setup_bans.html", status_code, user=user, form=form, people=active, places=places,
        coming=[row for row in rows if row.date >= today], past=[row for row in rows if row.date < today],
        shifts=shift_options(setup, form, t),
    )


@router.get("/setup/bans", response_class=HTMLResponse)
def bans_page(request: Request, t: T, db: DbSession, user: Viewer, community: CurrentCommunity) -> Response:
    form = SetupForm(values={name: "" for name in BAN_FIELDS})
    return _page(request, t, db, user, community, form)


def _build(form: SetupForm, t: Translator) -> Ban | None:
    """The typed ban, or None with each error on its field (references are checked when it is stored)."""
    for name in ("person", "date", "post"):
        if not form.text(name):
            form.fail(name, t("form.required"))
    if form.failed:
        return None
    data = {"person": form.text("person"), "date": form.text("date"), "post": form.text("post"),
            "shift": form.text("shift") or None}
    try:
        return Ban.model_validate(data)
    except ValidationError as error:
        for item in error.errors(include_url=False):
            field = str(item["loc"][0]) if item["loc"] else "form"
            form.fail(field, error_message(item, t))
        return None


def _refuse_clash(setup: CommunitySetup, ban: Ban, form: SetupForm, t: Translator) -> None:
    """A ban already covering this one, or a pin putting the person right there, refuses it."""
    field = "shift" if ban.shift else "post"
    same_day = (ban.person, ban.date, ban.post)
    if any((b.person, b.date, b.post) == same_day and b.shift in (None, ban.shift) for b in setup.bans):
        form.fail(field, t("setup.bans.exists"))
    elif any((p.person, p.date, p.post) == same_day and ban.shift in (None, p.shift) for p in setup.pins):
        form.fail(field, t("setup.bans.pinned"))


def _target(ban: dict[str, Any]) -> str:
    """The audit target: person/date/post[/shift]."""
    return "/".join(str(ban[key]) for key in ("person", "date", "post", "shift") if ban.get(key))


@router.post("/setup/bans/new", response_class=HTMLResponse)
async def add_ban(
    request: Request, t: T, db: DbSession, user: AdminUser, community: CurrentCommunity, _csrf: CsrfChecked
) -> Response:
    form = SetupForm.read(await request.form(), BAN_FIELDS)
    ban = _build(form, t)
    if ban is not None:
        _refuse_clash(setup_of(community), ban, form, t)
    if ban is not None and not form.failed:
        data = setup_of(community).model_dump(mode="json", by_alias=True)
        where: tuple[str | int, ...] = ("bans", len(data["bans"]))
        new = ban.model_dump(mode="json", exclude_none=True)
        data["bans"].append(new)
        if store_setup(db, community, user, data, form, t, "setup.bans.create", _target(new), where):
            flash(request, t("setup.saved"))
            return RedirectResponse("/setup/bans", status_code=303)
    return _page(request, t, db, user, community, form, 400)


@router.post("/setup/bans/{index}/delete")
def delete_ban(
    request: Request, index: Index, t: T, db: DbSession, user: AdminUser, community: CurrentCommunity,
    _csrf: CsrfChecked,
) -> Response:
    data, removed = taken_out(community, "bans", index, "no such ban")
    return store_deletion(request, t, db, user, community, data, "setup.bans.delete", _target(removed), "/setup/bans")
