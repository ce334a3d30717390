"""The message catalogues of the app's areas, one module per area (each defines `MESSAGES`).

`web.i18n` merges them with its core catalogue. To add an area: create `web/messages/<area>.py` and list it here.
"""

from __future__ import annotations

from web.catalog import Message
from web.messages import changes, feeds, people_import, rota, setup

AREAS: tuple[dict[str, Message], ...] = (
    setup.MESSAGES,
    people_import.MESSAGES,
    rota.MESSAGES,
    feeds.MESSAGES,
    changes.MESSAGES,
)
