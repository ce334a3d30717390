"""A solver process ends with the server that started it, however the server ends.

`hold_to_parent` runs first in every solver process. On Linux it asks the kernel for SIGKILL when the parent
(precisely: the parent's thread that started this process) ends, `kill -9` included. A watchdog thread is the
portable fallback: it exits this process once its parent pid changes (the orphan is re-parented). Before a job is
written as finished, `exit_if_orphaned` checks once more, so an orphan never stores a result its server will not
know about (the next server start marks the job interrupted instead).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
"""prctl option: the signal this process gets when its parent thread ends (linux/prctl.h)."""
WATCH_INTERVAL = 0.5
"""Seconds between two looks of the watchdog at the parent pid."""
ORPHANED_EXIT = 75
"""Exit code of a solver process that ended because its server had gone."""

_parent: int | None = None


def hold_to_parent(parent: int, *, death_signal: bool = True, interval: float = WATCH_INTERVAL) -> None:
    """Tie this process's life to `parent`'s: the parent-death signal (Linux) and the watchdog thread."""
    global _parent
    _parent = parent
    if death_signal:
        set_death_signal()
    if os.getppid() != parent:  # the parent died before the signal was set: nobody waits for this solve
        os._exit(ORPHANED_EXIT)
    threading.Thread(target=_watch, args=(parent, interval), name="rota-parent-watch", daemon=True).start()


def set_death_signal() -> bool:
    """Ask Linux to SIGKILL this process when its parent ends; False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0)
    except (OSError, AttributeError):  # no libc prctl (another C library): the watchdog remains
        return False


def _watch(parent: int, interval: float) -> None:
    while os.getppid() == parent:
        time.sleep(interval)
    os._exit(ORPHANED_EXIT)


def orphaned() -> bool:
    """Whether this is a solver process whose server has gone (False outside solver processes)."""
    return _parent is not None and os.getppid() != _parent


def exit_if_orphaned() -> None:
    """End this process at once if its server has gone: a result nobody asked for any more is not written."""
    if orphaned():
        os._exit(ORPHANED_EXIT)
