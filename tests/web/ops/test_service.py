"""The service as systemd runs it: the unit's command, `python -m web`, with the example settings file (its database
swapped for SQLite in a temporary folder), answering /healthz and /metrics, and ending cleanly on SIGTERM, which
`systemctl stop` sends."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.web.conftest import tiny_community
from tests.web.ops.test_deploy import ENV_EXAMPLE
from web.settings import REPO_ROOT

TOKEN = "service-token-" + "s" * 24


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _settings_file() -> dict[str, str]:
    """What systemd's EnvironmentFile= would read from the example: its lines that are not comments."""
    found = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            found[name] = value
    return found


def _get(url: str, token: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _wait_until_healthy(url: str, server: subprocess.Popen[bytes], log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the app ended with code {server.returncode}:\n{log.read_text(errors='replace')}")
        try:
            if _get(url + "/healthz")[0] == 200:
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"the app was not healthy within {seconds} s:\n{log.read_text(errors='replace')}")


def test_the_service_serves_with_the_example_settings_and_stops_on_sigterm(tmp_path: Path) -> None:
    community = tmp_path / "tiny.json"
    community.write_text(json.dumps(tiny_community(), ensure_ascii=False), encoding="utf-8")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROTA_") and k != "DATABASE_URL"}
    env.update(_settings_file())
    del env["DATABASE_URL"]  # SQLite in the data folder: no server needed here (PostgreSQL: test_metrics.py)
    env.update(
        ROTA_DATA_DIR=str(tmp_path / "data"), PORT=str(port), ROTA_METRICS_TOKEN=TOKEN, ROTA_SMTP_HOST="",
        ROTA_EXAMPLE_PATH=str(community), PYTHONUNBUFFERED="1",
    )
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "web"], cwd=REPO_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, process, log)
        assert _get(url + "/healthz") == (200, '{"status":"ok","database":"ok"}')
        status, text = _get(url + "/metrics", TOKEN)
        assert status == 200 and "rota_database_up 1.0" in text and 'rota_solve_jobs{status="queued"} 0.0' in text
        assert _get(url + "/metrics")[0] == 401
        process.send_signal(signal.SIGTERM)
        # within the unit's TimeoutStopSec, after a graceful shutdown; uvicorn ends by the signal it caught, which
        # systemd counts as a clean exit (SuccessExitStatus), so Restart=on-failure does not restart it
        assert process.wait(30) in (0, -signal.SIGTERM), log.read_text(errors="replace")
        assert "Application shutdown complete." in log.read_text(errors="replace")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(5)
    assert "ROTA_PUBLIC_URL" not in log.read_text(errors="replace")  # the file's address is used, not guessed
