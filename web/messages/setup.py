"""Messages: Community set-up."""

from __future__ import annotations

from web.catalog import Message

MESSAGES: dict[str, Message] = {}
