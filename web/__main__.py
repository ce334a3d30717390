"""`python -m web`: serve the app with uvicorn on 127.0.0.1 (PORT overrides 8000), printing how to log in."""

from __future__ import annotations

import datetime as dt
import os
import sys

import uvicorn
from fastapi import FastAPI
from sqlalchemy import select

from web.app import create_app
from web.feeds import service as feeds
from web.settings import Settings
from web.state import AppContext
from web.tables import Community


def main() -> None:
    settings = Settings()
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8000"))
    if settings.public_url is None:
        # links must name an address volunteers can reach: this one, unless ROTA_PUBLIC_URL says otherwise
        shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
        shown = f"[{shown}]" if ":" in shown else shown
        settings = settings.model_copy(update={"public_url": f"http://{shown}:{port}"})
        print(f"rota: links and QR codes point to {settings.public_url}; set ROTA_PUBLIC_URL to change.", flush=True)
    app = create_app(settings)
    _warm_feeds(app)
    print(f"rota: serving http://{host}:{port}/ (data in {settings.data_dir.resolve()})", flush=True)
    if settings.admin_password:
        print(f"rota: log in as {settings.admin_user!r} with ROTA_ADMIN_PASSWORD.", flush=True)
    else:
        print(
            f"rota: log in as {settings.admin_user!r}: on first start its one-time password is printed above; "
            "set ROTA_ADMIN_PASSWORD to choose it yourself.", flush=True,
        )
    uvicorn.run(app, host=host, port=port, log_level="info")


def _warm_feeds(app: FastAPI) -> None:
    """Build every community's published calendar feeds before serving: the in-memory feeds did not survive the
    restart, and the phones keep refreshing."""
    context: AppContext = app.state.rota
    with context.sessions() as db:
        community_ids = list(db.scalars(select(Community.id).order_by(Community.id)))
    for community_id in community_ids:
        feeds.warm_after_publishing(
            feeds.cache_of(app.state), context.sessions, community_id, feeds.options_of(context.settings),
            dt.date.today(),
        )


if __name__ == "__main__":
    main()
    sys.exit(0)
