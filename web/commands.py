"""The installed `rota` command: the engine's commands (`scheduler.cli`) and the server's own, `rota admin ...`.

The engine stays free of web code; this module adds the server's commands to the same command line. Each command
imports what it needs when it runs, so `rota solve` starts no faster or slower for their presence.
"""

from __future__ import annotations

import typer

from scheduler.cli import app

admin = typer.Typer(
    no_args_is_help=True,
    help="Look after the web app's server: accounts and backups (uses ROTA_DATA_DIR / DATABASE_URL as the app does).",
)
app.add_typer(admin, name="admin")

__all__ = ["admin", "app"]
