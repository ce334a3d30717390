"""Absence reasons are private (PIPL): the engine's explanations name them ("away (doctor)"), and only those who
edit people read them; viewers get the same explanation with the plain "away" (pages: `explanation_words`; the
JSON API: `shown_explanation`)."""

from __future__ import annotations

import re
from typing import Any

from scheduler import Explanation, Language, Scenario, Words
from web import roles
from web.tables import Coordinator

_PLAIN = {"explain.blocked_away": "explain.blocked_away_plain", "explain.pin_away": "explain.pin_away_plain"}


class WordsWithoutReasons(Words):
    """The engine's words, with every absence's reason left out."""

    def render(self, message: Any) -> str:  # scheduler's Message (not in its public API)
        code = _PLAIN.get(message.code)
        reason = message.params.get("reason")
        if code is None and message.code == "explain.pin_blocked" and str(reason).startswith("away ("):
            code = "explain.pin_away_plain"
        if code is not None:
            params = {k: v for k, v in message.params.items() if k != "reason"}
            message = message.model_copy(update={"code": code, "params": params})
        return super().render(message)


def explanation_words(scenario: Scenario, lang: str, user: Coordinator) -> Words:
    """The words for an explanation on a page: with the absences' reasons for editors only."""
    language: Language = "en" if lang == "en" else "zh"
    if roles.can_edit(user.role):
        return Words(scenario, language)
    return WordsWithoutReasons(scenario, language)


_AWAY = re.compile(r"away \(.*\)")


def _plain(value: Any) -> Any:
    """An explanation's JSON without reasons: messages of an absence by their plain code, English texts cut."""
    if isinstance(value, str):
        return _AWAY.sub("away", value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        code, params = value.get("code"), value.get("params")
        if isinstance(code, str) and isinstance(params, dict):
            reason = params.get("reason")
            plain = _PLAIN.get(code)
            if plain is None and code == "explain.pin_blocked" and str(reason).startswith("away ("):
                plain = "explain.pin_away_plain"
            if plain is not None:
                return {**value, "code": plain, "params": {k: v for k, v in params.items() if k != "reason"}}
        return {key: _plain(item) for key, item in value.items()}
    return value


def shown_explanation(explanation: Explanation, user: Coordinator) -> Explanation:
    """The explanation as the user may read it: with the absences' reasons for editors only."""
    if roles.can_edit(user.role):
        return explanation
    return Explanation.model_validate(_plain(explanation.model_dump(mode="json")))
