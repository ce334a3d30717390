"""Who holds a local solve job: one web process, named so that another process on the same machine can tell
whether it still runs.

Several web processes may serve one database, each solving its own jobs in its own solver processes. A process
that starts marks interrupted only the unfinished jobs of runners that are gone: a name is the host, the pid and
the process's start time (Linux: /proc/<pid>/stat), so a pid reused by a later process does not pass for the old
one. A job held by a process on another host is left alone: this process cannot see it (several machines solve
through the queue, `ROTA_QUEUE=procrastinate`).
"""

from __future__ import annotations

import os
import socket
from functools import cache
from pathlib import Path


def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat); None if unknown or the
    process has ended (a zombie its parent has not reaped yet has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    # the command name (field 2) may hold spaces and parentheses: count fields after its closing parenthesis
    fields = stat[stat.rfind(")") + 2:].split()
    if len(fields) <= 19 or fields[0] in ("Z", "X"):
        return None
    return fields[19]


@cache
def this_process() -> str:
    """This process's owner name: 'host/pid/start'."""
    pid = os.getpid()
    return f"{socket.gethostname()}/{pid}/{_start_time(pid) or '-'}"


def alive(owner: str) -> bool:
    """Whether the process named `owner` still runs; True when it cannot be told (another host)."""
    host, _, rest = owner.partition("/")
    pid_text, _, start = rest.partition("/")
    if host != socket.gethostname() or not pid_text.isdigit():
        return True
    pid = int(pid_text)
    if start != "-":
        return _start_time(pid) == start
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True
