"""Secret tokens kept out of the access log: uvicorn prints every request's path, and a secret link's path is its key.

`install()` puts a filter on uvicorn's access logger that masks the token segments of secret-link paths (`/p/<token>`,
`/feeds/post/<token>.ics`), any other long random-looking path segment, and token-like query values.
"""

from __future__ import annotations

import logging
import re

MASK = "[redacted]"
ACCESS_LOGGER = "uvicorn.access"
_SECRET_PATH = re.compile(r"(/(?:p|feeds/post|invite|invitations|reset)/)[A-Za-z0-9_\-]+")
_LONG_SEGMENT = re.compile(r"(?<=/)[A-Za-z0-9_\-]{32,}(?=[/?.#\s]|$)")
"""Secret tokens are 43 URL-safe characters; no route of the app has a readable segment that long."""
_SECRET_QUERY = re.compile(r"([?&](?:token|key|secret|invite|code|password)=)[^&#\s]*", re.IGNORECASE)


def redact(text: str) -> str:
    """The text with every secret token masked."""
    text = _SECRET_PATH.sub(lambda m: m.group(1) + MASK, text)
    text = _LONG_SEGMENT.sub(MASK, text)
    return _SECRET_QUERY.sub(lambda m: m.group(1) + MASK, text)


class RedactTokens(logging.Filter):
    """Masks tokens in a record's arguments (uvicorn passes the path as one) and in its message."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def install(logger_name: str = ACCESS_LOGGER) -> None:
    """Add the filter to the logger, once (the factory may run several times in a process)."""
    logger = logging.getLogger(logger_name)
    if not any(isinstance(f, RedactTokens) for f in logger.filters):
        logger.addFilter(RedactTokens())
