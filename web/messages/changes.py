"""Messages: Repair and swaps."""

from __future__ import annotations

from web.catalog import Message

MESSAGES: dict[str, Message] = {}
