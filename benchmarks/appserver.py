"""The real app (`python -m web`, uvicorn) in a subprocess on a free loopback port, for the latency benchmarks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "benchmark password"
SECRET = "benchmark-secret-" + "s" * 32


class NoRunner:
    """A job runner that runs nothing: the benchmarks prepare their data with the app, solving inline."""

    def submit(self, job_id: int) -> None:
        """No jobs run in the background."""

    def cancel(self, job_id: int) -> None:
        """Nothing to cancel."""

    def position(self, job_id: int) -> int | None:
        """Nothing waits."""
        return None

    def shutdown(self) -> None:
        """Nothing to stop."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(data_dir: Path, settings: Mapping[str, str], drop: tuple[str, ...] = ()) -> Iterator[int]:
    """Start the app with `settings` (environment variables, over this process's own minus any database URL and
    the names in `drop`) and the data in `data_dir`; yield its port once it accepts connections; stop it."""
    port = free_port()
    skipped = {"DATABASE_URL", "ROTA_DATABASE_URL", *drop}
    env = {k: v for k, v in os.environ.items() if k not in skipped}
    env.update(settings, HOST="127.0.0.1", PORT=str(port), ROTA_DATA_DIR=str(data_dir))
    log = data_dir / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen([sys.executable, "-m", "web"], cwd=ROOT, env=env, stdout=output, stderr=output)
    try:
        _wait_until_up(port, server, log)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)


def _wait_until_up(port: int, server: subprocess.Popen[bytes], log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the app ended with code {server.returncode}: {log.read_text(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the app did not start within {seconds} s")
