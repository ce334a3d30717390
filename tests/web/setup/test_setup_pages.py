"""Community set-up pages: every page in both languages, add/edit/delete of each kind, field errors that keep what
was typed and store nothing, refused deletions and renames that say who uses the thing, escaping, and a solve
request that still builds a valid scenario after the edits."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from scheduler import Scenario
from scheduler.reports.printing import contact_roles
from tests.web.conftest import MONDAY, RecordingRunner, app_context, stored_community
from web.store import CommunitySetup, build_scenario, first_community, setup_of
from web.tables import AuditEntry, SolveJob

XSS = "<script>alert(1)</script>"
ALL_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _setup(app: FastAPI) -> CommunitySetup:
    return setup_of(stored_community(app))


def _actions(app: FastAPI) -> list[str]:
    with app_context(app).sessions() as db:
        return [entry.action for entry in db.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def _post(client: TestClient, path: str, token: str, **fields: Any) -> Any:
    return client.post(path, data={"csrf_token": token, **fields})


def _follow(client: TestClient, response: Any) -> str:
    assert response.status_code == 303, response.text
    return str(client.get(response.headers["location"]).text)


def _role(**fields: Any) -> dict[str, Any]:
    return {"id": "medic", "name_zh": "医护", "name_en": "Medic", "mark": "医", **fields}


def _shift(prefix: str = "", **fields: Any) -> dict[str, Any]:
    data = {"id": "night", "name_zh": "夜班", "name_en": "Night", "start": "22:00", "hours": "10", "night": "",
            "days": ALL_DAYS, **fields}
    return {prefix + key: value for key, value in data.items()}


def _coverage(**fields: Any) -> dict[str, Any]:
    data = {"name": "", "post": "gate", "days": ALL_DAYS, "dates": "", "window_start": "09:00",
            "window_end": "12:00", "shift": "", "role": "guard", "min": "1", "max": "", "min_cost": "",
            "max_cost": ""}
    return {**data, **fields}


def _meal(**fields: Any) -> dict[str, Any]:
    data = {"post": "gate", "window_rows": "3", "w0_zh": "午饭", "w0_en": "Lunch", "w0_start": "11:00",
            "w0_end": "13:30", "w1_zh": "", "w1_en": "", "w1_start": "", "w1_end": "", "w2_zh": "", "w2_en": "",
            "w2_start": "", "w2_end": "", "minutes": "30", "grid_minutes": "10", "max_away": "1",
            "scarce_roles": ["guard"], "middle_cost": "0", "late_cost": "0"}
    return {**data, **fields}


def _duty(**fields: Any) -> dict[str, Any]:
    data = {"id": "visits", "name_zh": "入户排查", "name_en": "Home visits", "location": "Office",
            "days": ["mon", "wed"], "window_start": "09:00", "window_end": "12:00", "roles": ["vol", "guard"],
            "teams": "1"}
    return {**data, **fields}


# ------------------------------------------------------------------------------------------------ rendering


PAGES = [
    "/setup", "/setup/general", "/setup/roles", "/setup/roles/new", "/setup/roles/vol/edit", "/setup/posts",
    "/setup/posts/new", "/setup/posts/gate/edit", "/setup/posts/gate/shifts/new", "/setup/posts/gate/shifts/day/edit",
    "/setup/coverage", "/setup/coverage/new", "/setup/coverage/0/edit", "/setup/meals", "/setup/meals/new",
    "/setup/meals/gate/edit", "/setup/duties", "/setup/duties/new",
]


@pytest.mark.parametrize(("lang", "words"), [("zh", ["社区设置", "保存"]), ("en", ["Community set-up", "Save"])])
def test_every_page_renders_in_both_languages(client: TestClient, logged_in: str, lang: str, words: list[str]) -> None:
    client.cookies.set("lang", lang)
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert words[0] in response.text, path
        if path.endswith(("/new", "/edit", "/general")):
            assert words[1] in response.text, path
            assert 'name="csrf_token"' in response.text, path
    overview = client.get("/setup").text
    assert ("大门" if lang == "zh" else "Gate") in overview
    assert ("志愿者" if lang == "zh" else "Volunteer") in overview


def test_pages_need_a_login(client: TestClient) -> None:
    for path in ("/setup", "/setup/roles/new"):
        response = client.get(path)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")


def test_forms_need_the_csrf_token(client: TestClient, app: FastAPI, logged_in: str) -> None:
    before = _setup(app)
    response = client.post("/setup/roles/new", data=_role())
    assert response.status_code == 403
    response = client.post("/setup/roles/vol/delete", data={"csrf_token": "forged"})
    assert response.status_code == 403
    assert _setup(app) == before


def test_unknown_items_are_404(client: TestClient, logged_in: str) -> None:
    for path in ("/setup/roles/ghost/edit", "/setup/posts/ghost/edit", "/setup/posts/gate/shifts/ghost/edit",
                 "/setup/coverage/9/edit", "/setup/coverage/x/edit", "/setup/meals/ghost/edit",
                 "/setup/duties/ghost/edit", "/setup/coverage/²/edit", "/setup/coverage/" + "9" * 5000 + "/edit"):
        assert client.get(path).status_code == 404, path[:40]
    assert _post(client, "/setup/roles/ghost/delete", logged_in).status_code == 404


# ---------------------------------------------------------------------------------------------------- roles


def contact_roles_of(app: FastAPI) -> list[str]:
    with app_context(app).sessions() as db:
        community = first_community(db)
        assert community is not None
        return contact_roles(build_scenario(db, community, dt.date.fromisoformat(MONDAY), 7))


def test_role_add_edit_delete(client: TestClient, app: FastAPI, logged_in: str) -> None:
    page = _follow(client, _post(client, "/setup/roles/new", logged_in, **_role()))
    assert "已保存" in page and "医护" in page
    role = _setup(app).role("medic")
    assert role is not None and (role.name.zh, role.name.en, role.mark) == ("医护", "Medic", "医")
    form = client.get("/setup/roles/medic/edit").text
    assert 'value="医护"' in form and 'value="Medic"' in form
    _follow(client, _post(client, "/setup/roles/medic/edit", logged_in, **_role(name_en="Medical officer", mark="")))
    role = _setup(app).role("medic")
    assert role is not None and role.name.en == "Medical officer" and role.mark is None and not role.lead
    # marked as leading the shift: the printed rota names its holder as the one to call
    _follow(client, _post(client, "/setup/roles/medic/edit", logged_in, **_role(name_en="Medical officer", lead="yes")))
    role = _setup(app).role("medic")
    assert role is not None and role.lead and contact_roles_of(app) == ["medic"]
    assert 'name="lead" value="yes" checked' in client.get("/setup/roles/medic/edit").text
    assert "带班（每班联系人）" in client.get("/setup/roles").text
    # an unused role may be renamed
    _follow(client, _post(client, "/setup/roles/medic/edit", logged_in, **_role(id="doctor")))
    assert _setup(app).role("medic") is None and _setup(app).role("doctor") is not None
    page = _follow(client, _post(client, "/setup/roles/doctor/delete", logged_in))
    assert "已删除" in page
    assert _setup(app).role("doctor") is None
    assert _actions(app)[-5:] == ["setup.roles.create", "setup.roles.update", "setup.roles.update",
                                  "setup.roles.update", "setup.roles.delete"]


def test_role_errors_keep_what_was_typed_and_store_nothing(client: TestClient, app: FastAPI, logged_in: str) -> None:
    before = _setup(app)
    response = _post(client, "/setup/roles/new", logged_in, **_role(id="bad id", name_en="", mark="toolong"))
    assert response.status_code == 400
    page = response.text
    assert "请修改标出的字段" in page
    assert 'value="bad id"' in page and 'value="医护"' in page and 'value="toolong"' in page
    assert "不能包含空格" in page and "必填" in page and "最多 4 个字符" in page
    assert 'id="e-id"' in page and 'id="e-name_en"' in page and 'id="e-mark"' in page
    assert _setup(app) == before


def test_duplicate_role_id_is_a_field_error(client: TestClient, app: FastAPI, logged_in: str) -> None:
    client.cookies.set("lang", "en")
    response = _post(client, "/setup/roles/new", logged_in, **_role(id="vol"))
    assert response.status_code == 400
    assert 'id="e-id"' in response.text and "already used" in response.text
    assert len(_setup(app).roles) == 2


def test_deleting_a_used_role_is_refused_and_says_who_uses_it(
    client: TestClient, app: FastAPI, logged_in: str
) -> None:
    before = _setup(app)
    page = _follow(client, _post(client, "/setup/roles/guard/delete", logged_in))
    assert "未删除" in page
    assert "Bob（bob）" in page and "Carol（carol）" in page
    assert _setup(app) == before
    assert "setup.roles.delete" not in _actions(app)


def test_renaming_a_used_role_is_refused(client: TestClient, app: FastAPI, logged_in: str) -> None:
    client.cookies.set("lang", "en")
    response = _post(client, "/setup/roles/vol/edit", logged_in, **_role(id="volunteer", name_zh="志愿者"))
    assert response.status_code == 400
    page = response.text
    assert "is still in use" in page and 'id="e-id"' in page
    assert "Alice (alice)" in page and "Dave (dave)" in page  # inactive people count too
    assert 'value="volunteer"' in page
    assert _setup(app).role("vol") is not None and _setup(app).role("volunteer") is None


def test_the_last_role_cannot_be_deleted(client: TestClient, app: FastAPI, logged_in: str) -> None:
    with app_context(app).sessions() as db:
        community = first_community(db)
        assert community is not None
        community.setup = {**community.setup, "roles": community.setup["roles"][:1], "meal_rules": [],
                           "coverage": []}
        db.commit()
    client.cookies.set("lang", "en")
    page = _follow(client, _post(client, "/setup/roles/vol/delete", logged_in))
    assert "at least one role" in page
    assert _setup(app).role("vol") is not None


# ---------------------------------------------------------------------------------------------- posts, shifts


def test_post_with_shifts_add_edit_delete(client: TestClient, app: FastAPI, logged_in: str) -> None:
    data = {"id": "north", "name_zh": "北门", "name_en": "North gate", "location": "North road",
            **_shift("shift_", id="day", start="08:00", hours="12", days=["mon", "tue"])}
    _follow(client, _post(client, "/setup/posts/new", logged_in, **data))
    post = next(p for p in _setup(app).posts if p.id == "north")
    assert post.location == "North road" and [s.id for s in post.shifts] == ["day"]
    assert post.shifts[0].hours == 12 and post.shifts[0].days == ["mon", "tue"]
    _follow(client, _post(client, "/setup/posts/north/edit", logged_in, id="north", name_zh="北门",
                          name_en="North", location=""))
    _follow(client, _post(client, "/setup/posts/north/shifts/new", logged_in, **_shift(night="yes")))
    page = client.get("/setup/posts/north/edit").text
    assert "22:00–08:00" in page
    _follow(client, _post(client, "/setup/posts/north/shifts/night/edit", logged_in, **_shift(hours="9.5")))
    post = next(p for p in _setup(app).posts if p.id == "north")
    assert post.name.en == "North" and post.location is None
    assert [(s.id, s.hours, s.night) for s in post.shifts] == [("day", 12, None), ("night", 9.5, None)]
    _follow(client, _post(client, "/setup/posts/north/shifts/night/delete", logged_in))
    assert [s.id for s in next(p for p in _setup(app).posts if p.id == "north").shifts] == ["day"]
    _follow(client, _post(client, "/setup/posts/north/delete", logged_in))
    assert [p.id for p in _setup(app).posts] == ["gate"]
    assert {"setup.posts.create", "setup.shifts.create", "setup.shifts.update", "setup.shifts.delete",
            "setup.posts.delete"} <= set(_actions(app))


def test_a_shift_given_by_its_end_time(client: TestClient, app: FastAPI, logged_in: str) -> None:
    _follow(client, _post(client, "/setup/posts/gate/shifts/new", logged_in, **_shift(hours="", end="07:00")))
    night = next(s for s in next(p for p in _setup(app).posts if p.id == "gate").shifts if s.id == "night")
    assert (night.start, night.end, night.hours) == (22 * 60, 7 * 60, None)
    page = client.get("/setup/posts/gate/shifts/night/edit").text
    assert 'value="07:00"' in page and "或结束时间" in page
    assert "22:00–07:00" in client.get("/setup/posts/gate/edit").text
    before = _setup(app)
    both = _post(client, "/setup/posts/gate/shifts/night/edit", logged_in, **_shift(hours="8", end="06:00"))
    assert both.status_code == 400 and 'id="e-hours"' in both.text and "请填写时长或结束时间，二者选一" in both.text
    neither = _post(client, "/setup/posts/gate/shifts/night/edit", logged_in, **_shift(hours="", end=""))
    assert neither.status_code == 400 and "请填写时长或结束时间" in neither.text
    same = _post(client, "/setup/posts/gate/shifts/night/edit", logged_in, **_shift(hours="", end="22:00"))
    assert same.status_code == 400 and 'id="e-end"' in same.text and "结束时间与开始时间相同" in same.text
    assert _setup(app) == before
    _follow(client, _post(client, "/setup/posts/gate/shifts/night/edit", logged_in, **_shift(hours="9", end="")))
    night = next(s for s in next(p for p in _setup(app).posts if p.id == "gate").shifts if s.id == "night")
    assert (night.hours, night.end) == (9, None)


def test_shift_errors_keep_what_was_typed(client: TestClient, app: FastAPI, logged_in: str) -> None:
    before = _setup(app)
    response = _post(client, "/setup/posts/gate/shifts/new", logged_in,
                     **_shift(start="25:00", hours="lots", days=[], name_en=""))
    assert response.status_code == 400
    page = response.text
    assert 'value="25:00"' in page and 'value="lots"' in page and 'value="夜班"' in page
    for name in ("start", "hours", "days", "name_en"):
        assert f'id="e-{name}"' in page, name
    assert "时间格式如 07:30" in page and "请输入数字" in page and "请至少选择一项" in page
    response = _post(client, "/setup/posts/gate/shifts/new", logged_in, **_shift(id="day"))
    assert response.status_code == 400 and "本岗位已有此编号的班次" in response.text
    response = _post(client, "/setup/posts/gate/shifts/new", logged_in, **_shift(hours="7.99"))
    assert response.status_code == 400 and "须为整分钟" in response.text
    assert _setup(app) == before


def test_new_post_errors_are_on_the_first_shift_fields(client: TestClient, app: FastAPI, logged_in: str) -> None:
    data = {"id": "gate", "name_zh": "", "name_en": "Gate 2", "location": "", **_shift("shift_", start="8")}
    response = _post(client, "/setup/posts/new", logged_in, **data)
    assert response.status_code == 400
    assert 'id="e-name_zh"' in response.text and 'id="e-shift_start"' in response.text
    assert 'value="Gate 2"' in response.text
    data = {"id": "gate", "name_zh": "二门", "name_en": "Gate 2", "location": "", **_shift("shift_")}
    response = _post(client, "/setup/posts/new", logged_in, **data)
    assert response.status_code == 400 and 'id="e-id"' in response.text
    assert len(_setup(app).posts) == 1


def test_deleting_a_used_post_or_shift_is_refused(client: TestClient, app: FastAPI, logged_in: str) -> None:
    client.cookies.set("lang", "en")
    before = _setup(app)
    page = _follow(client, _post(client, "/setup/posts/gate/delete", logged_in))
    assert "Not deleted" in page and "Coverage rule 1" in page and "Meal rule of gate" in page
    page = _follow(client, _post(client, "/setup/posts/gate/shifts/day/delete", logged_in))
    assert "Not deleted" in page and "at least one shift" in page
    response = _post(client, "/setup/posts/gate/shifts/day/edit", logged_in, **_shift(id="early", start="08:00",
                                                                                     hours="8"))
    assert response.status_code == 400 and "Coverage rule 1" in response.text and 'id="e-id"' in response.text
    assert _setup(app) == before


def test_a_post_a_person_may_work_at_cannot_be_renamed(client: TestClient, app: FastAPI, logged_in: str) -> None:
    assert client.post("/api/people", json={"id": "erin", "name": "Erin", "roles": ["vol"], "posts": ["gate"]}
                       ).status_code == 201
    with app_context(app).sessions() as db:
        community = first_community(db)
        assert community is not None
        community.setup = {**community.setup, "coverage": [], "meal_rules": []}
        db.commit()
    client.cookies.set("lang", "en")
    response = _post(client, "/setup/posts/gate/edit", logged_in, id="door", name_zh="大门", name_en="Gate",
                     location="")
    assert response.status_code == 400 and "Erin (erin)" in response.text
    assert [p.id for p in _setup(app).posts] == ["gate"]


# ---------------------------------------------------------------------------------------------------- coverage


def test_coverage_rule_add_edit_delete(client: TestClient, app: FastAPI, logged_in: str) -> None:
    _follow(client, _post(client, "/setup/coverage/new", logged_in, **_coverage(days=["sat", "sun"], max="2",
                                                                                min_cost="50")))
    rule = _setup(app).coverage[1]
    assert (rule.post, rule.role, rule.min, rule.max, rule.min_cost) == ("gate", "guard", 1, 2, 50)
    assert rule.window is not None and rule.window.label() == "09:00–12:00" and rule.days == ["sat", "sun"]
    form = client.get("/setup/coverage/1/edit").text
    assert 'value="09:00"' in form and 'value="50"' in form
    _follow(client, _post(client, "/setup/coverage/1/edit", logged_in, **_coverage(
        name="weekend", window_start="", window_end="", shift="day", role="", dates="2026-12-12, 2026-12-13")))
    rule = _setup(app).coverage[1]
    assert (rule.id, rule.shift, rule.window, rule.role) == ("weekend", "day", None, None)
    assert [d.isoformat() for d in rule.dates or []] == ["2026-12-12", "2026-12-13"]
    _follow(client, _post(client, "/setup/coverage/1/delete", logged_in))
    assert len(_setup(app).coverage) == 1


def test_coverage_errors_are_on_their_fields(client: TestClient, app: FastAPI, logged_in: str) -> None:
    client.cookies.set("lang", "en")
    before = _setup(app)
    cases = [
        (_coverage(shift="night", window_start="", window_end=""), "shift", "does not have"),
        (_coverage(role="wizard"), "role", "does not exist"),
        (_coverage(post="moon"), "post", "does not exist"),
        (_coverage(shift="day"), "shift", "not both"),
        (_coverage(min="3", max="2"), "max", "below the minimum"),
        (_coverage(max_cost="5"), "max_cost", "needs a maximum"),
        (_coverage(window_start="9am"), "window_start", "07:30"),
        (_coverage(dates="24 Dec"), "dates", "2026-12-24"),
        (_coverage(min="-1"), "min", "at least 0"),
        (_coverage(days=[]), "days", "at least one"),
    ]
    for data, name, words in cases:
        response = _post(client, "/setup/coverage/new", logged_in, **data)
        assert response.status_code == 400, (name, response.text)
        assert f'id="e-{name}"' in response.text, name
        assert words in response.text, name
    page = _post(client, "/setup/coverage/new", logged_in, **_coverage(role="wizard", min="7")).text
    assert '<option value="guard">' in page and 'value="7"' in page
    assert _setup(app) == before


# -------------------------------------------------------------------------------------------------- meal rules


def test_meal_rule_edit_delete_add(client: TestClient, app: FastAPI, logged_in: str) -> None:
    form = client.get("/setup/meals/gate/edit").text
    assert 'value="午饭"' in form and 'value="11:00"' in form
    _follow(client, _post(client, "/setup/meals/gate/edit", logged_in, **_meal(
        w1_zh="晚饭", w1_en="Dinner", w1_start="17:00", w1_end="19:00", shifts=["day"])))
    rule = _setup(app).meal_rules[0]
    assert [w.name.en for w in rule.windows] == ["Lunch", "Dinner"]
    assert (rule.minutes, rule.grid_minutes, rule.max_away, rule.scarce_roles, rule.shifts) == (
        30, 10, 1, ["guard"], ["day"])
    assert 'name="w2_start"' in client.get("/setup/meals/gate/edit").text  # one more empty row
    _follow(client, _post(client, "/setup/meals/gate/delete", logged_in))
    assert _setup(app).meal_rules == []
    _follow(client, _post(client, "/setup/meals/new", logged_in, **_meal(scarce_roles=[], max_away="")))
    rule = _setup(app).meal_rules[0]
    assert rule.shifts is None and rule.max_away is None and rule.scarce_roles == []
    assert {"setup.meals.update", "setup.meals.delete", "setup.meals.create"} <= set(_actions(app))


def test_meal_rule_errors_keep_the_rows(client: TestClient, app: FastAPI, logged_in: str) -> None:
    client.cookies.set("lang", "en")
    before = _setup(app)
    cases = [
        (_meal(w1_zh="晚饭", w1_en="Dinner", w1_start="12:00", w1_end="14:00"), "windows", "overlap"),
        (_meal(minutes="200"), "minutes", "does not fit"),
        (_meal(w1_zh="晚饭", w1_en="Dinner", w1_start="17:00", w1_end="16:00"), "w1_end", "ends after it starts"),
        (_meal(w1_zh="晚饭", w1_start="17:00", w1_end="19:00"), "w1_en", "Required"),
        (_meal(w0_zh="", w0_en="", w0_start="", w0_end=""), "windows", "at least one"),
        (_meal(scarce_roles=["wizard"]), "scarce_roles", "does not exist"),
        (_meal(shifts=["night"]), "shifts", "does not have"),
        (_meal(grid_minutes="7"), "grid_minutes", "Invalid"),
    ]
    for data, name, words in cases:
        response = client.post("/setup/meals/gate/edit", data={"csrf_token": logged_in, **data})
        assert response.status_code == 400, name
        assert f'id="e-{name}"' in response.text, (name, response.text)
        assert words in response.text, name
        assert f'value="{data["w0_en"]}"' in response.text, name
    response = _post(client, "/setup/meals/new", logged_in, **_meal())
    assert response.status_code == 400 and "already has a meal rule" in response.text
    assert _setup(app) == before


# ------------------------------------------------------------------------------------------------- team duties


def test_team_duty_add_edit_delete(client: TestClient, app: FastAPI, logged_in: str) -> None:
    _follow(client, _post(client, "/setup/duties/new", logged_in, **_duty()))
    duty = _setup(app).team_duties[0]
    assert (duty.roles, duty.teams, duty.window.label(), duty.days) == (
        ["vol", "guard"], 1, "09:00–12:00", ["mon", "wed"])
    form = client.get("/setup/duties/visits/edit").text
    assert 'value="vol" checked' in form and 'value="guard" checked' in form
    _follow(client, _post(client, "/setup/duties/visits/edit", logged_in, **_duty(roles=["guard"], teams="2")))
    duty = _setup(app).team_duties[0]
    assert (duty.roles, duty.teams) == (["guard"], 2)
    # a meal rule may be for a duty; the duty cannot go while the rule uses it
    _follow(client, _post(client, "/setup/meals/new", logged_in, **_meal(post="visits", w0_start="10:00",
                                                                         w0_end="11:00", scarce_roles=[])))
    page = _follow(client, _post(client, "/setup/duties/visits/delete", logged_in))
    assert "未删除" in page and "visits 的用餐规则" in page
    _follow(client, _post(client, "/setup/meals/visits/delete", logged_in))
    _follow(client, _post(client, "/setup/duties/visits/delete", logged_in))
    assert _setup(app).team_duties == []


def test_team_duty_errors(client: TestClient, app: FastAPI, logged_in: str) -> None:
    before = _setup(app)
    response = _post(client, "/setup/duties/new", logged_in, **_duty(roles=[], window_end="", teams="0", id="gate"))
    assert response.status_code == 400
    for name in ("roles", "window_end", "teams"):
        assert f'id="e-{name}"' in response.text, name
    response = _post(client, "/setup/duties/new", logged_in, **_duty(id="gate"))
    assert response.status_code == 400 and 'id="e-id"' in response.text and "编号“gate”已被使用" in response.text
    assert _setup(app) == before


def test_a_role_in_a_team_duty_cannot_be_deleted(client: TestClient, app: FastAPI, logged_in: str) -> None:
    _follow(client, _post(client, "/setup/roles/new", logged_in, **_role()))
    _follow(client, _post(client, "/setup/duties/new", logged_in, **_duty(roles=["medic"])))
    page = _follow(client, _post(client, "/setup/roles/medic/delete", logged_in))
    assert "未删除" in page and "小组任务 visits" in page
    assert _setup(app).role("medic") is not None


# ---------------------------------------------------------------------------------------------------- general


def _general(**fields: Any) -> dict[str, Any]:
    data = {"name": "Tiny Two", "timezone": "Asia/Shanghai", "night_start": "23:00", "night_end": "05:00",
            "coordinator": "Wang 138", "nights_allowed": "", "max_hours_per_week": "40",
            "max_shifts_per_week": "", "min_hours_total": "", "max_hours_total": "", "max_consecutive_days": "6",
            "min_consecutive_days": "", "min_consecutive_days_off": "", "min_rest_hours": "11",
            "max_nights_per_week": "", "max_weekends": ""}
    return {**data, **fields}


def test_general_settings(client: TestClient, app: FastAPI, logged_in: str) -> None:
    assert 'value="Tiny"' in client.get("/setup/general").text
    _follow(client, _post(client, "/setup/general", logged_in, **_general()))
    community = stored_community(app)
    setup = setup_of(community)
    assert (community.name, community.timezone, setup.coordinator) == ("Tiny Two", "Asia/Shanghai", "Wang 138")
    assert setup.night_window.label() == "23:00–05:00"
    assert setup.default_limits.max_hours_per_week == 40 and setup.default_limits.min_rest_hours == 11
    assert setup.default_limits.max_consecutive_days == 6 and setup.default_limits.max_weekends is None
    assert "Tiny Two" in client.get("/setup").text
    assert "setup.general.update" in _actions(app)


def test_the_communitys_language_is_set_on_the_general_page(client: TestClient, app: FastAPI, logged_in: str) -> None:
    page = client.get("/setup/general").text
    assert "打印排班表的语言" in page and '<option value="zh" selected>' in page
    _follow(client, _post(client, "/setup/general", logged_in, **_general(language="en")))
    assert setup_of(stored_community(app)).language == "en"
    with app_context(app).sessions() as db:
        community = first_community(db)
        assert community is not None
        assert build_scenario(db, community, dt.date.fromisoformat(MONDAY), 7).language == "en"
    refused = _post(client, "/setup/general", logged_in, **_general(language="fr"))
    assert refused.status_code == 400 and setup_of(stored_community(app)).language == "en"


def test_successions_add_edit_delete(client: TestClient, app: FastAPI, logged_in: str) -> None:
    page = client.get("/setup/successions/new").text
    assert "上完此班次后" in page and "次日不可上" in page and "所有岗位" in page and '<option value="day">' in page
    response = _post(client, "/setup/successions/new", logged_in, post="", first="day", then="day")
    page = _follow(client, response)
    assert "白班 → 次日不上 白班" in page and "所有岗位" in page
    (rule,) = _setup(app).successions
    assert (rule.first, rule.then, rule.post) == ("day", "day", None)
    with app_context(app).sessions() as db:
        community = first_community(db)
        assert community is not None
        assert build_scenario(db, community, dt.date.fromisoformat(MONDAY), 7).successions == [rule]
    assert "不可接连的班次 <span" in client.get("/setup").text
    form = client.get("/setup/successions/0/edit").text
    assert '<option value="day" selected>' in form
    _follow(client, _post(client, "/setup/successions/0/edit", logged_in, post="gate", first="day", then="day"))
    assert _setup(app).successions[0].post == "gate"
    # Refused on their fields: a missing shift, a shift the post does not have.
    response = _post(client, "/setup/successions/new", logged_in, post="", first="", then="day")
    assert response.status_code == 400 and 'id="e-first"' in response.text
    response = _post(client, "/setup/successions/new", logged_in, post="gate", first="day", then="night")
    assert response.status_code == 400 and 'id="e-then"' in response.text and "night" in response.text
    assert len(_setup(app).successions) == 1
    assert "已删除" in _follow(client, _post(client, "/setup/successions/0/delete", logged_in))
    assert _setup(app).successions == []
    assert client.get("/setup/successions/3/edit").status_code == 404
    assert _actions(app)[-3:] == ["setup.successions.create", "setup.successions.update", "setup.successions.delete"]


def test_objective_weights_on_the_general_page(client: TestClient, app: FastAPI, logged_in: str) -> None:
    page = client.get("/setup/general").text
    assert "各目标的权重" in page and "工时均衡" in page and "个人意愿" in page
    assert re.search(r'name="weight_fairness_hours"[^>]*value="0"', page)  # the stored weights, shown
    weights = {"weight_fairness_hours": "3", "weight_fairness_nights": "0", "weight_fairness_weekends": "",
               "weight_preferences": "5"}
    _follow(client, _post(client, "/setup/general", logged_in, **_general(**weights)))
    stored = setup_of(stored_community(app)).weights
    assert (stored.fairness_hours, stored.fairness_nights, stored.fairness_weekends, stored.preferences) == (
        3, 0, 2, 5,  # left empty: the default
    )
    with app_context(app).sessions() as db:
        community = first_community(db)
        assert community is not None
        assert build_scenario(db, community, dt.date.fromisoformat(MONDAY), 7).weights == stored
    client.cookies.set("lang", "en")
    response = _post(client, "/setup/general", logged_in, **_general(
        weight_fairness_nights="-1", weight_preferences="x"))
    assert response.status_code == 400 and "What matters more" in response.text
    for name in ("weight_fairness_nights", "weight_preferences"):
        assert f'id="e-{name}"' in response.text, name
    assert 'value="-1"' in response.text
    assert setup_of(stored_community(app)).weights == stored


def test_general_settings_errors(client: TestClient, app: FastAPI, logged_in: str) -> None:
    client.cookies.set("lang", "en")
    before = stored_community(app)
    response = _post(client, "/setup/general", logged_in, **_general(
        name="", timezone="Mars/Olympus", night_start="3", max_hours_per_week="-4", max_consecutive_days="x"))
    assert response.status_code == 400
    for name in ("name", "timezone", "night_start", "max_hours_per_week", "max_consecutive_days"):
        assert f'id="e-{name}"' in response.text, name
    assert 'value="Mars/Olympus"' in response.text and "Unknown time zone" in response.text
    after = stored_community(app)
    assert (after.name, after.setup) == (before.name, before.setup)


# --------------------------------------------------------------------------------------------- escaping, solve


def test_names_are_escaped(client: TestClient, app: FastAPI, logged_in: str) -> None:
    _follow(client, _post(client, "/setup/roles/new", logged_in, **_role(name_zh=XSS, name_en=XSS)))
    _follow(client, _post(client, "/setup/duties/new", logged_in, **_duty(name_zh=XSS, name_en=XSS,
                                                                          location=XSS, roles=["medic"])))
    for path in ("/setup", "/setup/roles", "/setup/roles/medic/edit", "/setup/duties", "/setup/duties/visits/edit",
                 "/setup/coverage/new", "/setup/meals/new", "/people/new"):
        page = client.get(path).text
        assert XSS not in page, path
        assert "&lt;script&gt;" in page, path
    response = _post(client, "/setup/roles/new", logged_in, **_role(id="x y", name_zh=XSS))
    assert response.status_code == 400 and XSS not in response.text and "&lt;script&gt;" in response.text


def test_generate_builds_a_valid_scenario_after_edits(
    client: TestClient, app: FastAPI, runner: RecordingRunner, logged_in: str
) -> None:
    _follow(client, _post(client, "/setup/roles/new", logged_in, **_role()))
    _follow(client, _post(client, "/setup/posts/gate/shifts/new", logged_in, **_shift()))
    _follow(client, _post(client, "/setup/coverage/new", logged_in, **_coverage(window_start="", window_end="",
                                                                                shift="night", role="")))
    _follow(client, _post(client, "/setup/meals/gate/edit", logged_in, **_meal(shifts=["day"])))
    _follow(client, _post(client, "/setup/duties/new", logged_in, **_duty()))
    _follow(client, _post(client, "/setup/general", logged_in, **_general()))
    response = client.post("/generate", data={"csrf_token": logged_in, "start": MONDAY, "days": "7"})
    assert response.status_code == 303, response.text
    assert runner.submitted
    with app_context(app).sessions() as db:
        job = db.get(SolveJob, runner.submitted[-1])
        assert job is not None
        scenario = Scenario.model_validate(job.scenario)
    assert scenario.community == "Tiny Two"
    assert [s.id for s in scenario.posts[0].shifts] == ["day", "night"]
    assert scenario.team_duties[0].roles == ["vol", "guard"]
    assert scenario.meal_rules[0].shifts == ["day"]
    assert any(r.id == "medic" for r in scenario.roles)
