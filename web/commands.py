"""The installed `rota` command: the engine's commands (`scheduler.cli`) and the server's own, `rota admin ...`.

The engine stays free of web code; this module adds the server's commands to the same command line. Each command
imports what it needs when it runs, so `rota solve` starts no faster or slower for their presence.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scheduler.cli import app

admin = typer.Typer(
    no_args_is_help=True,
    help="Look after the web app's server: accounts and backups (uses ROTA_DATA_DIR / DATABASE_URL as the app does).",
)
app.add_typer(admin, name="admin")

INVALID_INPUT = 2


@admin.command("backup")
def backup_command(
    path: Annotated[Path, typer.Argument(help="The backup file to write.")],
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")] = False,
) -> None:
    """Write the whole database to one file, consistent even while the server runs."""
    from web.backups import BackupError, backup
    from web.settings import Settings

    try:
        outcome = backup(Settings().resolved_database_url(), path, force)
    except BackupError as error:
        typer.echo(f"Error: {error}", err=True)
        raise typer.Exit(INVALID_INPUT) from None
    typer.echo("\n".join(outcome.lines))


@admin.command("restore")
def restore_command(
    path: Annotated[Path, typer.Argument(help="A file written by 'rota admin backup'.")],
) -> None:
    """Replace the database by a backup (the current one is kept aside); stop the server first."""
    from web.backups import BackupError, restore
    from web.settings import Settings

    settings = Settings()
    try:
        outcome = restore(settings.resolved_database_url(), path, settings.data_dir)
    except BackupError as error:
        typer.echo(f"Error: {error}", err=True)
        raise typer.Exit(INVALID_INPUT) from None
    typer.echo("\n".join(outcome.lines))

__all__ = ["admin", "app"]
