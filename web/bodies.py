"""A limit on every request body, counted as it arrives: past it the route's reading fails with 413.

The limit is checked where the body is read, so the answer goes through the app's own error handlers (a page in the
reader's language, or JSON under /api/) and a route that reads no body is not concerned. A declared Content-Length
past the limit fails at the first read, before any byte is taken; a body sent without one (chunked) fails as soon
as the bytes received pass the limit. Routes with a smaller limit of their own (the people import) check it first.
"""

from __future__ import annotations

from fastapi import HTTPException, status
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyLimit:
    """ASGI middleware: a request body may hold at most `max_bytes` bytes."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        received = 0

        def too_large() -> HTTPException:
            mb = self.max_bytes / (1024 * 1024)
            return HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, f"the request body is larger than {mb:g} MB")

        async def limited() -> Message:
            nonlocal received
            if declared.isascii() and declared.isdigit() and int(declared) > self.max_bytes:
                raise too_large()
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise too_large()
            return message

        await self.app(scope, limited, send)
