"""Messages: Spreadsheet import and availability."""

from __future__ import annotations

from web.catalog import Message

MESSAGES: dict[str, Message] = {}
