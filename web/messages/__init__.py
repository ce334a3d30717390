"""The message catalogues of the app's areas, one module per area (each defines `MESSAGES`).

`web.i18n` merges them with its core catalogue. A feature keeps its catalogue in
`web/<feature>/messages.py`; list it here.
"""

from __future__ import annotations

from web.accounts import messages as accounts
from web.catalog import Message
from web.changes import messages as changes
from web.checkin import messages as checkin
from web.communities import messages as communities
from web.feeds import messages as feeds
from web.logins import messages as logins
from web.now import messages as now
from web.outbox import messages as outbox
from web.people import messages as people
from web.record import messages as record
from web.rota import messages as rota
from web.setup import messages as setup
from web.signup import messages as signup
from web.solving import messages as solving

AREAS: tuple[dict[str, Message], ...] = (
    setup.MESSAGES,
    people.MESSAGES,
    rota.MESSAGES,
    feeds.MESSAGES,
    changes.MESSAGES,
    logins.MESSAGES,
    accounts.MESSAGES,
    solving.MESSAGES,
    now.MESSAGES,
    checkin.MESSAGES,
    record.MESSAGES,
    outbox.MESSAGES,
    signup.MESSAGES,
    communities.MESSAGES,
)
