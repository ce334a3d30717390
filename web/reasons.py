"""Absence reasons are private (PIPL): the engine's explanations name them ("away (doctor)"), and only those who
edit people read them; viewers get the same explanation with the plain "away"."""

from __future__ import annotations

from typing import Any

from scheduler import Language, Scenario, Words
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
