"""diff_rotas: who gains, who loses, what is retimed; unchanged assignments are not changes."""

from __future__ import annotations

import datetime as dt

from scheduler.domain.diff import ChangeKind, diff_rotas
from scheduler.domain.rota import Assignment, Break, Rota, SolveStatus

TZ = dt.timezone(dt.timedelta(hours=8))


def _a(person: str, day: int, shift: str = "day", hour: int = 8, breaks: list[Break] | None = None) -> Assignment:
    start = dt.datetime(2026, 12, day, hour, tzinfo=TZ)
    return Assignment(
        person=person,
        post="gate",
        shift=shift,
        role="volunteer",
        date=start.date(),
        start=start,
        end=start + dt.timedelta(hours=8),
        breaks=breaks or [],
    )


def _rota(*assignments: Assignment) -> Rota:
    return Rota(
        community="c",
        start=dt.date(2026, 12, 7),
        days=7,
        timezone="Asia/Shanghai",
        status=SolveStatus.OPTIMAL,
        objective=0,
        bound=0,
        assignments=list(assignments),
    )


def test_identical_rotas_have_no_changes() -> None:
    rota = _rota(_a("li", 7), _a("wang", 8))
    assert not diff_rotas(rota, rota)


def test_a_handover_is_one_loss_and_one_gain_in_time_order() -> None:
    old = _rota(_a("li", 8), _a("wang", 7))
    new = _rota(_a("zhao", 8), _a("wang", 7))
    changes = diff_rotas(old, new)
    assert [(c.kind, c.person) for c in changes.changes] == [(ChangeKind.REMOVED, "li"), (ChangeKind.ADDED, "zhao")]
    assert changes.people() == ["li", "zhao"]
    assert changes.of("zhao")[0].after == new.assignments[0]


def test_new_break_times_are_a_retiming_not_a_loss() -> None:
    lunch = Break(start=dt.datetime(2026, 12, 7, 11, tzinfo=TZ), end=dt.datetime(2026, 12, 7, 11, 45, tzinfo=TZ))
    later = Break(start=dt.datetime(2026, 12, 7, 12, tzinfo=TZ), end=dt.datetime(2026, 12, 7, 12, 45, tzinfo=TZ))
    changes = diff_rotas(_rota(_a("li", 7, breaks=[lunch])), _rota(_a("li", 7, breaks=[later])))
    assert [c.kind for c in changes.changes] == [ChangeKind.RETIMED]
    assert changes.retimed[0].before is not None and changes.retimed[0].before.breaks == [lunch]


def test_pinning_is_not_a_change() -> None:
    pinned = _a("li", 7).model_copy(update={"pinned": True})
    assert not diff_rotas(_rota(_a("li", 7)), _rota(pinned))
