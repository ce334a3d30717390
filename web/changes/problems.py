"""A change after publishing that cannot be carried out, with its message (web/changes/messages.py or rota's)."""

from __future__ import annotations

from web.catalog import Message
from web.i18n import Translator
from web.rota.adjust import RotaProblem


class ChangeProblem(Exception):
    """A request that cannot be carried out: `key` names its message (web/changes/messages.py or web/rota/messages.py),
    `field` the form or body field concerned ('' for the request as a whole)."""

    def __init__(self, key: str, field: str = "", status: int = 422, **values: str | Message) -> None:
        super().__init__(key)
        self.key = key
        self.field = field
        self.status = status
        self.values = values

    def text(self, t: Translator) -> str:
        """The message in the reader's language (a value given in both languages is picked too)."""
        values = {
            name: (value.zh if t.lang == "zh" else value.en) if isinstance(value, Message) else value
            for name, value in self.values.items()
        }
        return t(self.key, **values)

    @classmethod
    def of(cls, problem: RotaProblem, field: str = "") -> ChangeProblem:
        return cls(f"rota.problem.{problem.code}", field or problem.field, problem.status, **problem.values)

