"""The engine's one catalogue: every code the checker emits has words in both languages, with the same
parameters, and a broken rota of the Chinese example reads in Chinese with names, local times and no ids."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

from scheduler import check, load_scenario
from scheduler.check.context import Context
from scheduler.domain.messages import Message
from scheduler.domain.rota import Assignment, Break, Rota
from scheduler.domain.scenario import Scenario
from scheduler.reports.catalogue import Words, hours_text, render
from scheduler.reports.catalogue_texts import CLI_TEXTS, TEXTS
from tests.handwritten import rota_for

ROOT = Path(__file__).resolve().parents[2]
CHECKPOINT = ROOT / "examples" / "checkpoint.yaml"
_FIELDS = re.compile(r"\{(\w+)(?:\|[^{}]*)?\}")


def test_both_languages_take_the_same_parameters() -> None:
    for code, (en, zh) in TEXTS.items():
        assert set(_FIELDS.findall(en)) == set(_FIELDS.findall(zh)), code
        assert re.fullmatch(r"[a-z_]+\.[a-z_]+", code), code


def _codes_in_checker() -> set[str]:
    """Every message code the checker's source names: literal ones, and the few built from a verb or a kind."""
    found: set[str] = set()
    for path in (ROOT / "scheduler" / "check").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            text = node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""
            if re.fullmatch(r"[a-z_]+\.[a-z_]+", text) and text.split(".")[0] in _FAMILIES:
                found.add(text)
    return found


_FAMILIES = {
    "eligibility", "availability", "consecutive", "coverage", "meal_breaks", "pairs", "pins", "overlap", "rest",
    "structure", "succession", "teams", "workload", "preferences", "fairness", "staffing",
}


def test_every_code_the_checker_names_is_in_the_catalogue() -> None:
    named = _codes_in_checker()
    assert len(named) > 30
    assert named <= set(TEXTS), sorted(named - set(TEXTS))
    built = {f"{family}.{kind}" for family in ("overlap", "rest") for kind in ("shifts", "history", "history_after")}
    built |= {f"preferences.{verb}_{what}" for verb in ("wants", "avoids")
              for what in ("shift", "shift_at", "day", "weekday", "nights")}
    built |= {f"fairness.{measure}" for measure in ("hours", "nights", "weekends")}
    assert built <= set(TEXTS), sorted(built - set(TEXTS))


def test_every_code_a_refused_file_names_is_in_the_catalogue() -> None:
    source = (ROOT / "scheduler" / "domain" / "files.py").read_text(encoding="utf-8")
    constants = [node.value for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Constant)]
    named = {text for text in constants if isinstance(text, str) and re.fullmatch(r"input\.[a-z_]+", text)}
    assert len(named) > 20
    known = set(TEXTS) | set(CLI_TEXTS)
    assert named <= known, sorted(named - known)


def test_every_refusal_a_validator_raises_has_words_in_both_languages() -> None:
    """`problem("name", ...)` in the domain's validators is `input.name` in the catalogue (and the codes built from
    the kind of thing an id names)."""
    from scheduler.domain.scenario import _KINDS

    named: set[str] = set()
    for path in (ROOT / "scheduler" / "domain").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "problem" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    named.add(f"input.{first.value}")
    named |= {f"input.{kind}_{name}" for kind in ("id_twice", "unknown") for name in set(_KINDS.values())
              if kind == "unknown" or name in ("role", "place", "person")}
    assert len(named) > 40
    assert named <= set(TEXTS), sorted(named - set(TEXTS))


def test_hours_to_the_half_hour() -> None:
    assert hours_text(8 * 60, "en") == "8 h"
    assert hours_text(23 * 60 + 23, "zh") == "23.5 小时"
    assert hours_text(15 * 60 + 14, "en") == "15 h"


def _at(scenario: Scenario, person: str, post: str, shift: str, day: int, role: str) -> Assignment:
    inst = Context(scenario).instance(post, shift, scenario.start + dt.timedelta(days=day))
    assert inst is not None
    return Assignment(
        person=person, post=post, shift=shift, role=role, date=inst.date, start=inst.start_time, end=inst.end_time
    )


def _broken_week(scenario: Scenario) -> Rota:
    """A week of the example with almost nobody on it, one person twice and one in a role they lack."""
    night = _at(scenario, "wang-jianguo", "gate", "n", 0, "party")
    wrong_role = _at(scenario, "zhang-wei", "gate", "d", 0, "police")
    eating = _at(scenario, "li-zhiqiang", "gate", "d", 0, "party")
    pause = Break(start=eating.start, end=eating.start + dt.timedelta(minutes=20))
    eating = eating.model_copy(update={"breaks": [pause]})
    return rota_for(scenario, night, night, wrong_role, eating)


def test_a_broken_week_reads_in_chinese_with_names_and_local_times() -> None:
    scenario = load_scenario(CHECKPOINT)
    result = check(scenario, _broken_week(scenario))
    assert result.violations and result.penalties
    words = Words(scenario, "zh")
    names = sorted({p.name for p in scenario.people}, key=len, reverse=True)
    for item in [*result.violations, *result.penalties]:
        message = item.as_message()
        assert message is not None and message.code in TEXTS, item
        text = words.render(message)
        assert "{" not in text, text
        latin = re.sub(r"\d{1,2}:\d{2}", "", text)
        for name in names:
            latin = latin.replace(name, "")
        assert not re.search(r"[A-Za-z]", latin), text
    texts = [words.text(v) for v in result.violations]
    assert any("王建国" in t and "重复安排" in t and "12月7日 周一 00:00–08:00" in t for t in texts), texts
    assert any("张伟" in t and "民警" in t for t in texts), texts


def test_english_is_the_same_message_in_other_words() -> None:
    scenario = load_scenario(CHECKPOINT)
    violation = check(scenario, _broken_week(scenario)).violations[0]
    message = violation.as_message()
    assert message is not None
    assert render(scenario, message, "en") == violation.message


def test_an_unknown_code_is_shown_not_raised() -> None:
    scenario = load_scenario(CHECKPOINT)
    assert render(scenario, Message(code="nothing.known", params={"n": 1}), "zh").startswith("nothing.known")
