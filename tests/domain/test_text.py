"""Names, labels, places and notes: bounded, one line, no control or bidi characters; stored values repaired."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from scheduler import STORED, LocalizedText, Person, Scenario
from scheduler.cli import app
from scheduler.domain.files import InputError, load_scenario
from scheduler.domain.text import bad_character, repaired
from tests.domain.test_files import BASE, ENV


def _person(**changes: Any) -> dict[str, Any]:
    return {"id": "wang", "name": "王五", "roles": ["sec"], **changes}


@pytest.mark.parametrize(
    "char", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c", "\x00", "\t", "\n", "\x7f",
             "\x85", "\u2028"],
)
def test_a_name_refuses_control_and_bidi_characters(char: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Person.model_validate(_person(name=f"王{char}五"))
    (item,) = caught.value.errors()
    assert item["loc"] == ("name",)
    assert item["type"] == "text_characters"
    assert f"U+{ord(char):04X}" in item["msg"]


def test_a_lone_surrogate_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        Person.model_validate(_person(name="王\ud800五"))
    assert caught.value.errors()[0]["loc"] == ("name",)


def test_printable_text_emoji_and_joiners_are_kept() -> None:
    name = "Zoë 王五 👨\u200d👩\u200d👧 O'Brien-Smith"
    assert Person.model_validate(_person(name=name)).name == name


def test_lengths() -> None:
    assert Person.model_validate(_person(name="x" * 64)).name == "x" * 64
    with pytest.raises(ValidationError) as caught:
        Person.model_validate(_person(name="x" * 65))
    assert caught.value.errors()[0]["type"] == "string_too_long"
    assert caught.value.errors()[0]["ctx"] == {"max_length": 64}
    with pytest.raises(ValidationError):
        LocalizedText.model_validate({"zh": "岗" * 65, "en": "Gate"})
    with pytest.raises(ValidationError):
        Person.model_validate(_person(absences=[{"date": "2026-12-08", "reason": "r" * 201}]))
    Person.model_validate(_person(absences=[{"date": "2026-12-08", "reason": "r" * 200}]))


def test_an_id_refuses_bidi_characters() -> None:
    with pytest.raises(ValidationError) as caught:
        Person.model_validate(_person(id="wang\u202e"))
    assert caught.value.errors()[0]["loc"] == ("id",)


def test_stored_values_are_repaired_never_refused() -> None:
    stored = _person(name="王\u202e五\n" + "x" * 90, phone="1\x0038", id="old\u202eid",
                     absences=[{"date": "2026-12-08", "reason": "r" * 300}])
    person = Person.model_validate(stored, context=STORED)
    assert person.name == "王五 " + "x" * 61
    assert len(person.name) == 64
    assert person.phone == "1 38"
    assert person.id == "old\u202eid"  # ids are references: taken as they are
    assert person.absences[0].reason == "r" * 200


def test_helpers() -> None:
    assert bad_character("王五") is None
    assert bad_character("a\u202eb") == "\u202e"
    assert repaired("a\u202eb\tc\ud800", None) == "ab c\ufffd"


def _with(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda d: d["people"][0].update(name="A\u202eB"), "people[0] (alice).name"),
        (lambda d: d["roles"][0].update(name={"zh": "安" * 65, "en": "Security"}), "roles[0] (sec).name.zh"),
        (lambda d: d["posts"][0].update(location="x\ny"), "posts[0] (gate).location"),
        (lambda d: d.update(community="C\u2066"), "community"),
    ],
)
def test_a_scenario_file_names_the_field(tmp_path: Path, edit: Any, field: str) -> None:
    data = _with()
    edit(data)
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    assert any(problem.startswith(field + ":") for problem in caught.value.problems), caught.value.problems
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["solve", str(path), "--out", str(out)], env=ENV)
    assert result.exit_code == 2
    assert field in result.output


def test_the_schema_documents_the_limits() -> None:
    schema = Scenario.model_json_schema()
    name = schema["$defs"]["Person"]["properties"]["name"]
    assert name["maxLength"] == 64
    assert "\\u202a-\\u202e" in name["pattern"]
    identifier = schema["$defs"]["Person"]["properties"]["id"]["pattern"]
    assert re.match(identifier, "wang-fang") and not re.match(identifier, "wang\u202e")


def test_remarks_are_cleaned_never_refused() -> None:
    from scheduler import plain_remark

    assert plain_remark("  ok\u202e then\nnext  ") == "ok then next"
    assert len(plain_remark("x" * 600)) == 500
