"""The message catalogues of the app's areas, one module per area (each defines `MESSAGES`).

`web.i18n` merges them with its core catalogue. To add an area: create `web/messages/<area>.py` (or a feature's
`web/<feature>/messages.py`) and list it here.
"""

from __future__ import annotations

from web.catalog import Message
from web.changes import messages as changes
from web.feeds import messages as feeds
from web.messages import people_import, setup
from web.rota import messages as rota

AREAS: tuple[dict[str, Message], ...] = (
    setup.MESSAGES,
    people_import.MESSAGES,
    rota.MESSAGES,
    feeds.MESSAGES,
    changes.MESSAGES,
)
