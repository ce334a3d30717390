"""The day's text for a WeChat group (`scheduler.day_message`): the shifts starting that day, the one to call first
with their phone, nobody on a shift said plainly, the coordinator, in either language."""

from __future__ import annotations

import datetime as dt

from scheduler import Scenario, day_message
from tests.handwritten import MONDAY, make_scenario, person, rota_for, shift


def _scenario() -> Scenario:
    return make_scenario(
        roles=[{"id": "vol", "name": {"zh": "志愿者", "en": "Volunteer"}},
               {"id": "sec", "name": {"zh": "组长", "en": "Team lead"}, "lead": True}],
        people=[person("alice", ["vol", "sec"], phone="13800000001", name="张伟"), person("bob", name="李娜"),
                person("carol"), person("dave", ["sec"])],
        coordinator="王芳 13911112222",
    )


def test_the_one_to_call_comes_first_with_their_phone_and_an_empty_shift_is_said() -> None:
    scenario = _scenario()
    rota = rota_for(scenario, shift("bob", "day"), shift("alice", "day", role="sec"), shift("carol", "day", day=1))
    text = day_message(scenario, rota, MONDAY, "zh")
    lines = text.splitlines()
    assert lines[0] == "【Test】12月7日 周一 值班安排"
    day = lines.index("▶ Gate · 08:00–16:00")  # a shift without a name is named by its times, once
    assert lines[day + 1 : day + 3] == ["  ☎ 张伟（组长） 13800000001", "  李娜（志愿者）"]
    night = lines.index("▶ Gate · 00:00–08:00")
    assert lines[night + 1] == "  （暂无人）"
    assert "今日共 2 人次上岗" in lines and lines[-1] == "协调人：王芳 13911112222"
    assert "Carol" not in text  # Tuesday's shift is not Monday's


def test_in_english() -> None:
    scenario = _scenario()
    rota = rota_for(scenario, shift("alice", "day", role="sec"), shift("carol", "day", day=1))
    lines = day_message(scenario, rota, MONDAY + dt.timedelta(days=1), "en").splitlines()
    assert lines[0].startswith("[Test] ") and lines[0].endswith(" rota")
    assert "  Carol (Volunteer)" in lines and "1 turns on duty today" in lines
    assert lines[-1] == "Coordinator: 王芳 13911112222"
