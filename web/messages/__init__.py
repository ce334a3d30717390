"""The message catalogues of the app's areas, one module per area (each defines `MESSAGES`).

`web.i18n` merges them with its core catalogue. A feature package keeps its catalogue in `web/<feature>/messages.py`
(areas not yet moved into a feature: `web/messages/<area>.py`); list it here.
"""

from __future__ import annotations

from web.catalog import Message
from web.messages import changes, feeds, rota
from web.people import messages as people
from web.setup import messages as setup

AREAS: tuple[dict[str, Message], ...] = (
    setup.MESSAGES,
    people.MESSAGES,
    rota.MESSAGES,
    feeds.MESSAGES,
    changes.MESSAGES,
)
