"""Community set-up pages: the overview, general settings, the list, add, edit and delete pages of each kind of
item (web.setup.kinds: roles, posts, coverage rules, meal rules, team duties, successions), and a post's shifts.

Every change builds the whole new set-up, checks it (models, references, and that the community's people still
make a valid scenario) and stores it in one transaction with an audit entry, or stores nothing and shows why.
"""

from __future__ import annotations

from typing import Any, TypeVar

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from scheduler import ALL_WEEKDAYS
from web.deps import AdminUser, CsrfChecked, CurrentCommunity, DbSession, T, Viewer
from web.i18n import Translator
from web.rendering import flash, render
from web.setup.forms import (
    GENERAL_FIELDS,
    LIMIT_FIELDS,
    SHIFT_FIELDS,
    WEIGHT_FIELDS,
    SetupForm,
    build_general,
    build_shift,
    general_values,
    shift_values,
    store_deletion,
    store_setup,
)
from web.setup.kinds import KINDS, POSTS, Kind
from web.setup.service import Loc
from web.setup.views import day_label, url_part
from web.store import CommunitySetup, setup_of
from web.tables import Community, Coordinator

router = APIRouter(include_in_schema=False)
M = TypeVar("M", bound=BaseModel)


# ------------------------------------------------------------------------------------------------- showing


def _data(community: Community) -> dict[str, Any]:
    return setup_of(community).model_dump(mode="json", by_alias=True)


def _dump(item: BaseModel) -> dict[str, Any]:
    return item.model_dump(mode="json", by_alias=True)


def _choices(setup: CommunitySetup, t: Translator) -> dict[str, list[tuple[str, str]]]:
    """The options of the forms' selects and check boxes: weekdays, posts, posts and duties, roles."""
    return {
        "weekdays": [(day.value, day_label(t, day)) for day in ALL_WEEKDAYS],
        "posts": [(post.id, post.name.text(t.lang)) for post in setup.posts],
        "places": [(place, zh if t.lang == "zh" else en) for place, zh, en in setup.places()],
        "roles": [(role.id, f"{role.mark or ''} {role.name.text(t.lang)}".strip()) for role in setup.roles],
    }


def _form_page(
    request: Request, t: Translator, user: Coordinator, community: Community, kind: Kind[Any], form: SetupForm,
    key: str | None, status_code: int = 200, **context: Any,
) -> Response:
    setup = setup_of(community)
    return render(
        request, t, kind.template, status_code, user=user, form=form, key=key, setup=setup, kind=kind,
        limit_fields=LIMIT_FIELDS, **_choices(setup, t), **context,
    )


def _list_page(request: Request, t: Translator, user: Coordinator, community: Community, kind: Kind[Any]) -> Response:
    rows = kind.rows(setup_of(community), t)
    return render(request, t, "setup_list.html", user=user, kind=kind, rows=rows)


def _list_url(kind: Kind[Any]) -> str:
    return f"/setup/{kind.path}"


# -------------------------------------------------------------------------------------- generic item flows


async def _add(
    request: Request, t: Translator, db: DbSession, user: Coordinator, community: Community, kind: Kind[M]
) -> Response:
    form = kind.read(await request.form())
    item = kind.build(form, t, None)
    if item is not None:
        data = _data(community)
        where: Loc = (kind.collection, len(data[kind.collection]))
        data[kind.collection].append(_dump(item))
        target = str(where[1]) if kind.by_position else kind.key_of(item)
        if store_setup(db, community, user, data, form, t, f"setup.{kind.path}.create", target, where, kind.fields):
            flash(request, t("setup.saved"))
            return RedirectResponse(_list_url(kind), status_code=303)
    return _form_page(request, t, user, community, kind, form, None, 400)


async def _edit(
    request: Request, t: Translator, db: DbSession, user: Coordinator, community: Community, kind: Kind[M], key: str
) -> Response:
    setup = setup_of(community)
    index = kind.find(setup, key)
    old = kind.items(setup)[index]
    form = kind.read(await request.form())
    item = kind.build(form, t, old)
    if item is not None:
        data = _data(community)
        data[kind.collection][index] = _dump(item)
        target = key if kind.by_position else kind.key_of(item)
        where: Loc = (kind.collection, index)
        if store_setup(db, community, user, data, form, t, f"setup.{kind.path}.update", target, where, kind.fields):
            flash(request, t("setup.saved"))
            return RedirectResponse(_list_url(kind), status_code=303)
        if "id" in kind.blank() and kind.key_of(item) != key:  # a renamed role, post or duty still in use
            form.fail("id", t("setup.id_in_use", id=key))
    return _form_page(request, t, user, community, kind, form, key, 400, item=old)


def _delete(
    request: Request, t: Translator, db: DbSession, user: Coordinator, community: Community, kind: Kind[M], key: str
) -> Response:
    index = kind.find(setup_of(community), key)
    data = _data(community)
    del data[kind.collection][index]
    return store_deletion(request, t, db, user, community, data, f"setup.{kind.path}.delete", key, _list_url(kind))


def _edit_page(
    request: Request, t: Translator, user: Coordinator, community: Community, kind: Kind[M], key: str
) -> Response:
    setup = setup_of(community)
    item = kind.items(setup)[kind.find(setup, key)]
    return _form_page(request, t, user, community, kind, SetupForm(values=kind.values(item)), key, item=item)


def _new_page(request: Request, t: Translator, user: Coordinator, community: Community, kind: Kind[M]) -> Response:
    return _form_page(request, t, user, community, kind, SetupForm(values=kind.blank()), None)


# -------------------------------------------------------------------------------------------------- overview


@router.get("/setup", response_class=HTMLResponse)
def overview(request: Request, t: T, user: Viewer, community: CurrentCommunity) -> Response:
    setup = setup_of(community)
    sections = [(kind, kind.rows(setup, t)) for kind in KINDS]
    return render(request, t, "setup.html", user=user, community=community, setup=setup, sections=sections)


@router.get("/setup/general", response_class=HTMLResponse)
def general_page(request: Request, t: T, user: Viewer, community: CurrentCommunity) -> Response:
    setup = setup_of(community)
    values = general_values(
        community.name, community.timezone, setup.night_window, setup.coordinator, setup.default_limits,
        setup.weights, setup.language,
    )
    return render(
        request, t, "setup_general.html", user=user, form=SetupForm(values=values), limit_fields=LIMIT_FIELDS,
        weight_fields=WEIGHT_FIELDS,
    )


@router.post("/setup/general", response_class=HTMLResponse)
async def save_general(
    request: Request, t: T, db: DbSession, user: AdminUser, community: CurrentCommunity, _csrf: CsrfChecked
) -> Response:
    form = SetupForm.read(await request.form(), GENERAL_FIELDS)
    general = build_general(form, t)
    if general is not None:
        data = _data(community)
        data.update(
            night_window=_dump(general.night_window), coordinator=general.coordinator, language=general.language,
            default_limits=_dump(general.default_limits), weights=_dump(general.weights),
        )
        if store_setup(db, community, user, data, form, t, "setup.general.update", general.name,
                       name=general.name, timezone=general.timezone):
            flash(request, t("setup.saved"))
            return RedirectResponse("/setup", status_code=303)
    return render(
        request, t, "setup_general.html", 400, user=user, form=form, limit_fields=LIMIT_FIELDS,
        weight_fields=WEIGHT_FIELDS,
    )


# ------------------------------------------------------------------------------------ the routes of a kind


def item_routes(router: APIRouter, kind: Kind[Any]) -> None:
    """Add to `router` the list, add, edit and delete pages of one kind of item: `/setup/<path>`,
    `/setup/<path>/new` (GET, POST), `/setup/<path>/{key}/edit` (GET, POST), `/setup/<path>/{key}/delete`."""

    def list_page(request: Request, t: T, user: Viewer, community: CurrentCommunity) -> Response:
        return _list_page(request, t, user, community, kind)

    def new_page(request: Request, t: T, user: Viewer, community: CurrentCommunity) -> Response:
        return _new_page(request, t, user, community, kind)

    async def add(
        request: Request, t: T, db: DbSession, user: AdminUser, community: CurrentCommunity, _csrf: CsrfChecked
    ) -> Response:
        return await _add(request, t, db, user, community, kind)

    def edit_page(request: Request, key: str, t: T, user: Viewer, community: CurrentCommunity) -> Response:
        return _edit_page(request, t, user, community, kind, key)

    async def edit(
        request: Request, key: str, t: T, db: DbSession, user: AdminUser, community: CurrentCommunity,
        _csrf: CsrfChecked,
    ) -> Response:
        return await _edit(request, t, db, user, community, kind, key)

    def delete(
        request: Request, key: str, t: T, db: DbSession, user: AdminUser, community: CurrentCommunity,
        _csrf: CsrfChecked,
    ) -> Response:
        return _delete(request, t, db, user, community, kind, key)

    base, name, html = _list_url(kind), kind.path, HTMLResponse
    router.add_api_route(base, list_page, methods=["GET"], response_class=html, name=f"{name}_list")
    router.add_api_route(f"{base}/new", new_page, methods=["GET"], response_class=html, name=f"{name}_new_page")
    router.add_api_route(f"{base}/new", add, methods=["POST"], response_class=html, name=f"{name}_add")
    router.add_api_route(f"{base}/{{key}}/edit", edit_page, methods=["GET"], response_class=html,
                         name=f"{name}_edit_page")
    router.add_api_route(f"{base}/{{key}}/edit", edit, methods=["POST"], response_class=html, name=f"{name}_edit")
    router.add_api_route(f"{base}/{{key}}/delete", delete, methods=["POST"], name=f"{name}_delete")


for _kind in KINDS:
    item_routes(router, _kind)


# ---------------------------------------------------------------------------------------------------- shifts


def _post_and_shift(setup: CommunitySetup, post_id: str, shift_id: str | None) -> tuple[int, int | None]:
    post_index = POSTS.find(setup, post_id)
    if shift_id is None:
        return post_index, None
    for index, shift in enumerate(setup.posts[post_index].shifts):
        if shift.id == shift_id:
            return post_index, index
    raise HTTPException(404, "no such shift")


def _shift_page(
    request: Request, t: Translator, user: Coordinator, community: Community, post_id: str, form: SetupForm,
    shift_id: str | None, status_code: int = 200,
) -> Response:
    setup = setup_of(community)
    post = setup.posts[POSTS.find(setup, post_id)]
    return render(
        request, t, "setup_shift.html", status_code, user=user, form=form, post=post, key=shift_id,
        base=f"/setup/posts/{url_part(post.id)}", **_choices(setup, t),
    )


async def _save_shift(
    request: Request, t: Translator, db: DbSession, user: Coordinator, community: Community, post_id: str,
    shift_id: str | None,
) -> Response:
    post_index, shift_index = _post_and_shift(setup_of(community), post_id, shift_id)
    form = SetupForm.read(await request.form(), SHIFT_FIELDS, ("days",))
    shift = build_shift(form, t)
    data = _data(community)
    shifts: list[dict[str, Any]] = data["posts"][post_index]["shifts"]
    if shift is not None and any(s["id"] == shift.id for i, s in enumerate(shifts) if i != shift_index):
        form.fail("id", t("setup.duplicate_shift"))
    elif shift is not None:
        where: Loc = ("posts", post_index, "shifts", len(shifts) if shift_index is None else shift_index)
        if shift_index is None:
            shifts.append(_dump(shift))
        else:
            shifts[shift_index] = _dump(shift)
        action = "setup.shifts.create" if shift_id is None else "setup.shifts.update"
        if store_setup(db, community, user, data, form, t, action, f"{post_id}/{shift.id}", where):
            flash(request, t("setup.saved"))
            return RedirectResponse(f"/setup/posts/{url_part(post_id)}/edit", status_code=303)
        if shift_id is not None and shift.id != shift_id:
            form.fail("id", t("setup.id_in_use", id=shift_id))
    return _shift_page(request, t, user, community, post_id, form, shift_id, 400)


@router.get("/setup/posts/{post_id}/shifts/new", response_class=HTMLResponse)
def new_shift_page(request: Request, post_id: str, t: T, user: Viewer, community: CurrentCommunity) -> Response:
    return _shift_page(request, t, user, community, post_id, SetupForm(values=shift_values(None)), None)


@router.post("/setup/posts/{post_id}/shifts/new", response_class=HTMLResponse)
async def add_shift(
    request: Request, post_id: str, t: T, db: DbSession, user: AdminUser, community: CurrentCommunity,
    _csrf: CsrfChecked,
) -> Response:
    return await _save_shift(request, t, db, user, community, post_id, None)


@router.get("/setup/posts/{post_id}/shifts/{shift_id}/edit", response_class=HTMLResponse)
def edit_shift_page(
    request: Request, post_id: str, shift_id: str, t: T, user: Viewer, community: CurrentCommunity
) -> Response:
    setup = setup_of(community)
    post_index, shift_index = _post_and_shift(setup, post_id, shift_id)
    assert shift_index is not None
    form = SetupForm(values=shift_values(setup.posts[post_index].shifts[shift_index]))
    return _shift_page(request, t, user, community, post_id, form, shift_id)


@router.post("/setup/posts/{post_id}/shifts/{shift_id}/edit", response_class=HTMLResponse)
async def edit_shift(
    request: Request, post_id: str, shift_id: str, t: T, db: DbSession, user: AdminUser,
    community: CurrentCommunity, _csrf: CsrfChecked,
) -> Response:
    return await _save_shift(request, t, db, user, community, post_id, shift_id)


@router.post("/setup/posts/{post_id}/shifts/{shift_id}/delete")
def delete_shift(
    request: Request, post_id: str, shift_id: str, t: T, db: DbSession, user: AdminUser,
    community: CurrentCommunity, _csrf: CsrfChecked,
) -> Response:
    post_index, shift_index = _post_and_shift(setup_of(community), post_id, shift_id)
    data = _data(community)
    del data["posts"][post_index]["shifts"][shift_index]
    back = f"/setup/posts/{url_part(post_id)}/edit"
    return store_deletion(request, t, db, user, community, data, "setup.shifts.delete", f"{post_id}/{shift_id}", back)
