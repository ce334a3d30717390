"""The adjust page's pick-lists: only eligible people, in pinyin order, the others counted with why; the slot's
role preselected; the bare adjust address leads to the week's grid."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient

from scheduler import Scenario
from tests.handwritten import rota_for
from tests.web.conftest import login, tiny_community
from tests.web.rota.test_rota_pages import WEEK, _draft, _fields, _use, client  # noqa: F401 - the fixture
from web.i18n import Translator
from web.rota.picks import picks, slot_role

WEDNESDAY = "2026-12-09"


def _options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select id="f-{name}" name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None
    return re.findall(r'<option value="([^"]+)"', select.group(1))


def test_add_offers_only_eligible_people_and_says_who_is_left_out(client: TestClient) -> None:  # noqa: F811
    token = login(client)
    _use(client, token)
    on = {a["person"] for a in _draft(client)["rota"]["assignments"] if a["date"] == WEDNESDAY}
    page = client.get(f"/rota/{WEEK}/adjust", params={"place": "gate", "shift": "day", "date": WEDNESDAY}).text
    offered = _options(page, "person")
    assert "carol" not in offered and "dave" not in offered  # carol is free on Mondays and Tuesdays only
    assert not on & set(offered)  # nobody already on the shift
    assert offered == sorted(offered)  # Alice, Bob: pinyin order keeps Latin names alphabetical
    assert "另有" in page and "时间不便 1" in page and "同时另有班次" in page


def test_move_offers_only_people_holding_the_role(client: TestClient) -> None:  # noqa: F811
    token = login(client)
    _use(client, token)
    first = next(a for a in _draft(client)["rota"]["assignments"] if a["role"] == "vol")
    page = client.get(f"/rota/{WEEK}/adjust", params=_fields(first)).text
    offered = _options(page, "to_person")
    assert "bob" not in offered and first["person"] not in offered  # bob is a guard only
    assert "没有该角色 1" in page


def test_the_bare_adjust_address_leads_to_the_week(client: TestClient) -> None:  # noqa: F811
    token = login(client)
    _use(client, token)
    for params in ({}, {"place": "gate", "shift": "day"}, {"place": "nowhere", "date": WEDNESDAY}):
        response = client.get(f"/rota/{WEEK}/adjust", params=params)
        assert response.status_code == 303 and response.headers["location"] == f"/rota/{WEEK}"


def test_pick_lists_sort_by_pinyin_and_preselect_the_slot_role() -> None:
    data = tiny_community(
        people=[{"id": key, "name": name, "roles": ["vol", "guard"]} for key, name in
                (("w", "王芳"), ("h", "何明"), ("f", "傅强"), ("y", "于丽"))],
        coverage=[{"post": "gate", "shift": "day", "min": 1, "role": "guard"}],
    )
    scenario = Scenario.model_validate(data)
    rota = rota_for(scenario)
    day = dt.date(2026, 12, 9)
    chosen = picks(scenario, rota, "gate", "day", day, None, Translator("zh"))
    assert [p.name for p in chosen.people] == ["傅强", "何明", "王芳", "于丽"] and chosen.left_out == ""
    assert slot_role(scenario, rota, "gate", "day", day) == "guard"
