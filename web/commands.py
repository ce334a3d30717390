"""The installed `rota` command: the engine's commands (`scheduler.cli`) and the server's own, `rota admin ...`.

The engine stays free of web code; this module adds the server's commands to the same command line. Each command
imports what it needs when it runs, so `rota solve` starts no faster or slower for their presence.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from scheduler.cli import app

admin = typer.Typer(
    no_args_is_help=True,
    help="Look after the web app's server: accounts and backups (uses ROTA_DATA_DIR / DATABASE_URL as the app does).",
)
app.add_typer(admin, name="admin")

__all__ = [
    "admin", "app", "backup_command", "create_user", "reset_password", "restore_command", "send_outbox", "worker",
]


def _refused(error: Exception) -> typer.Exit:
    typer.echo(f"rota admin: {error}", err=True)
    return typer.Exit(2)


@admin.command("create-user")
def create_user(
    name: Annotated[str, typer.Argument(help="The new account's user name (at most 64 characters).")],
    role: Annotated[str, typer.Option(help="admin, coordinator or viewer.")] = "coordinator",
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin.")] = False,
    one_time: Annotated[
        bool, typer.Option("--one-time", help="Generate a one-time password, printed once; changed at first login.")
    ] = False,
    lang: Annotated[str, typer.Option(help="Language of the messages: zh or en.")] = "en",
    community: Annotated[
        str | None, typer.Option(help="The community a coordinator or viewer joins (its name); default: the only one.")
    ] = None,
) -> None:
    """Create an account. The password is asked twice, unless --password-stdin or --one-time."""
    from web.accounts import commands

    try:
        t = commands.translator(lang)
        password: str | None = None
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise commands.Refused(t("accounts.cli.no_stdin"))
        elif not one_time:
            password = typer.prompt(t("accounts.cli.prompt"), hide_input=True, confirmation_prompt=True)
        commands.create_user(name, role, password, t, community=community)
    except commands.Refused as error:
        raise _refused(error) from error


@admin.command("reset-password")
def reset_password(
    name: Annotated[str, typer.Argument(help="The account's user name.")],
    lang: Annotated[str, typer.Option(help="Language of the messages: zh or en.")] = "en",
) -> None:
    """Give an account a new one-time password (printed once, changed at next login) and end all its sessions."""
    from web.accounts import commands

    try:
        commands.reset_password(name, commands.translator(lang))
    except commands.Refused as error:
        raise _refused(error) from error


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


@admin.command("send-outbox")
def send_outbox() -> None:
    """Send what is due in the outbox, once (recover, then deliver): for a server run without its own worker."""
    from web.outbox.worker import send_once
    from web.settings import Settings

    report = send_once(Settings())
    typer.echo(
        f"recovered {report.recovered}, sent {report.sent}, to retry {report.retrying}, failed {report.failed}"
    )


@app.command("worker")
def worker(
    concurrency: Annotated[
        int | None, typer.Option(min=1, max=64, help="Solves run at once (default: ROTA_WORKER_CONCURRENCY, 1).")
    ] = None,
    lang: Annotated[str, typer.Option(help="Language of the messages: zh or en.")] = "en",
) -> None:
    """Solve the queue's jobs until stopped (queue mode: ROTA_QUEUE=procrastinate and a PostgreSQL DATABASE_URL).
    Run one or more on any machine that reaches the database."""
    from pydantic import ValidationError

    from web.accounts.commands import Refused, translator
    from web.settings import Settings
    from web.solving.queue_worker import run_worker

    try:
        t = translator(lang)
        try:
            settings = Settings()
        except ValidationError as error:
            raise Refused(t("worker.bad_settings", error=error)) from None
        if settings.queue != "procrastinate":
            raise Refused(t("worker.no_queue"))
    except Refused as error:
        typer.echo(f"rota worker: {error}", err=True)
        raise typer.Exit(2) from None
    run_worker(settings, concurrency)
