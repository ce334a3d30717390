"""Set-up page of pairs: two people never on duty at the same time (two parents of one child), or who should work
together (a newcomer with an experienced member). `/setup/pairs` lists them, adds one, deletes one.

Pairs name people, so they are kept with the set-up but shown with the people's names; a pair whose person is
deactivated is kept and simply not used until the person is active again (web.store.build_scenario).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from scheduler import PairKind, PairRule
from web.deps import AdminUser, CsrfChecked, CurrentCommunity, DbSession, T, Viewer
from web.i18n import Translator
from web.rendering import flash, render
from web.setup.forms import SetupForm, error_message, store_deletion, store_setup, taken_out
from web.store import people_rows, setup_of
from web.tables import Community, Coordinator
from web.validation import Index

router = APIRouter(include_in_schema=False)

PAIR_FIELDS = ("kind", "first", "then", "weight")
DEFAULT_WEIGHT = "10"


def _names(db: DbSession, community: Community) -> dict[str, str]:
    """Every person's name by id, inactive ones marked (a pair may name them)."""
    return {row.key: row.name if row.active else f"{row.name} (—)" for row in people_rows(db, community)}


def _page(
    request: Request, t: Translator, db: DbSession, user: Coordinator, community: Community, form: SetupForm,
    status_code: int = 200,
) -> Response:
    names = _names(db, community)
    active = [(row.key, row.name) for row in people_rows(db, community, active_only=True)]
    pairs: list[dict[str, Any]] = [
        {"index": i, "pair": pair, "first": names.get(pair.people[0], pair.people[0]),
         "then": names.get(pair.people[1], pair.people[1])}
        for i, pair in enumerate(setup_of(community).pairs)
    ]
    return render(
        request, t, "setup_pairs.html", status_code, user=user, form=form, pairs=pairs, people=active,
        kinds=[(kind.value, t(f"setup.pairs.kind.{kind.value}")) for kind in PairKind],
    )


@router.get("/setup/pairs", response_class=HTMLResponse)
def pairs_page(request: Request, t: T, db: DbSession, user: Viewer, community: CurrentCommunity) -> Response:
    form = SetupForm(values={"kind": PairKind.APART.value, "first": "", "then": "", "weight": DEFAULT_WEIGHT})
    return _page(request, t, db, user, community, form)


def _build(form: SetupForm, t: Translator) -> PairRule | None:
    data: dict[str, Any] = {"kind": form.text("kind"), "people": (form.text("first"), form.text("then"))}
    if form.text("kind") == PairKind.TOGETHER.value:
        data["weight"] = form.text("weight") or DEFAULT_WEIGHT
    for name in ("first", "then"):
        if not form.text(name):
            form.fail(name, t("form.required"))
    if form.failed:
        return None
    try:
        return PairRule.model_validate(data)
    except ValidationError as error:
        for item in error.errors(include_url=False):
            loc = [str(part) for part in item["loc"]]
            field = {"people": "then", "kind": "kind", "weight": "weight"}.get(loc[0], "then") if loc else "then"
            if not loc:
                field = "then"  # the two are the same person
            form.fail(field, error_message(item, t))
        return None


@router.post("/setup/pairs/new", response_class=HTMLResponse)
async def add_pair(
    request: Request, t: T, db: DbSession, user: AdminUser, community: CurrentCommunity, _csrf: CsrfChecked
) -> Response:
    form = SetupForm.read(await request.form(), PAIR_FIELDS)
    pair = _build(form, t)
    if pair is not None:
        same = [p for p in setup_of(community).pairs if set(p.people) == set(pair.people)]
        if same:
            form.fail("then", t("setup.pairs.exists"))
        else:
            data = setup_of(community).model_dump(mode="json", by_alias=True)
            data["pairs"].append(pair.model_dump(mode="json"))
            if store_setup(db, community, user, data, form, t, "setup.pairs.create", "+".join(pair.people)):
                flash(request, t("setup.saved"))
                return RedirectResponse("/setup/pairs", status_code=303)
    return _page(request, t, db, user, community, form, 400)


@router.post("/setup/pairs/{index}/delete")
def delete_pair(
    request: Request, index: Index, t: T, db: DbSession, user: AdminUser, community: CurrentCommunity,
    _csrf: CsrfChecked,
) -> Response:
    data, removed = taken_out(community, "pairs", index, "no such pair")
    target = "+".join(removed["people"])
    return store_deletion(request, t, db, user, community, data, "setup.pairs.delete", target, "/setup/pairs")
