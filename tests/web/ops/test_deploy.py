"""The deployment examples (deploy/): the systemd units (the app and a solve worker), their settings file, the
container files. These tests check what can be checked without building images: every setting named is a real
setting, every command and file they point to exists, and systemd's own checker accepts the units when it is
installed. (The image and the queue mode in containers were tried by hand: docs/operations.md says how and what.)"""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from web.settings import REPO_ROOT, Settings

DEPLOY = REPO_ROOT / "deploy"
UNIT = DEPLOY / "systemd" / "rota.service"
WORKER_UNIT = DEPLOY / "systemd" / "rota-worker@.service"
ENV_EXAMPLE = DEPLOY / "systemd" / "rota.env.example"
CONTAINERFILE = DEPLOY / "container" / "Containerfile"
COMPOSE = DEPLOY / "container" / "compose.yaml"
SERVER_VARIABLES = {"HOST", "PORT"}
"""Read by `python -m web` itself (web/__main__.py), not by the settings."""
ENV_LINE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=(.*)$")


def setting_names() -> set[str]:
    """Every environment variable the settings read: ROTA_<field>, or the field's aliases (DATABASE_URL)."""
    names = set()
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        choices = getattr(alias, "choices", None)
        if choices:
            names.update(str(choice) for choice in choices)
        else:
            names.add(f"ROTA_{name.upper()}")
    return names


def _unit(path: Path = UNIT) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None, comment_prefixes=("#", ";"))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # systemd's keys keep their case
    parser.read(path, encoding="utf-8")
    return parser


def _env_example() -> dict[str, str]:
    """The example's settings, those commented out (defaults to change) included; values as written."""
    found = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = ENV_LINE.match(line.strip())
        if match:
            found[match.group(1)] = match.group(2)
    return found


def test_server_variables_are_read_by_the_server() -> None:
    source = (REPO_ROOT / "web" / "__main__.py").read_text(encoding="utf-8")
    for name in SERVER_VARIABLES:
        assert f'os.environ.get("{name}"' in source


def test_the_unit_runs_the_web_app_with_the_settings_file() -> None:
    unit = _unit()
    service = unit["Service"]
    command = service["ExecStart"].split()
    assert command[1:] == ["-m", "web"] and command[0].endswith("/bin/python")
    assert (REPO_ROOT / "web" / "__main__.py").is_file()  # what `python -m web` runs
    assert service["EnvironmentFile"] == "/etc/rota/rota.env"
    assert service["Restart"] == "on-failure"
    assert service["User"] == "rota"
    assert unit["Install"]["WantedBy"] == "multi-user.target"
    assert "postgresql.service" in unit["Unit"]["After"]
    # the data folder of the settings file is the one the unit lets the service write
    assert _env_example()["ROTA_DATA_DIR"] == "/var/lib/" + service["StateDirectory"]


def test_the_worker_unit_runs_rota_worker_with_the_same_settings() -> None:
    app, worker = _unit()["Service"], _unit(WORKER_UNIT)["Service"]
    command = worker["ExecStart"].split()
    assert command[0] == app["ExecStart"].split()[0].replace("/python", "/rota") and command[1:] == ["worker"]
    assert worker["EnvironmentFile"] == app["EnvironmentFile"] and worker["User"] == app["User"]
    # SIGTERM to the worker alone, and time for its grace before SIGKILL
    assert worker["KillMode"] == app["KillMode"] == "mixed"
    grace = Settings.model_fields["worker_shutdown_grace"].default
    assert float(worker["TimeoutStopSec"].removesuffix("s")) > grace
    example = _env_example()
    assert example["ROTA_QUEUE"] == "procrastinate"  # shown, commented out: the embedded default stays local


def test_the_settings_example_names_only_real_settings() -> None:
    example = _env_example()
    assert {"DATABASE_URL", "ROTA_PUBLIC_URL", "ROTA_SMTP_HOST", "ROTA_METRICS_TOKEN", "ROTA_DATA_DIR"} <= set(example)
    unknown = set(example) - setting_names() - SERVER_VARIABLES
    assert unknown == set(), "not settings of web/settings.py"
    assert example["DATABASE_URL"].startswith("postgresql+psycopg://")


def test_the_settings_example_is_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read as the service reads it (its lines that are not comments), the example makes valid settings."""
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            monkeypatch.setenv(name, value)
    settings = Settings()
    assert settings.resolved_database_url().startswith("postgresql+psycopg://")
    assert settings.resolved_public_url() == "https://rota.example.org"
    assert settings.https_only and settings.metrics_token is None
    assert str(settings.data_dir) == "/var/lib/rota"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    """`systemd-analyze verify` on the unit, its command pointed at this machine's Python (verify checks that the
    command exists); any warning (an unknown key, a bad value) fails too."""
    rota = Path(sys.executable).with_name("rota")
    assert rota.exists()  # the installed command the worker unit runs
    for source, name in ((UNIT, "rota.service"), (WORKER_UNIT, "rota-worker@1.service")):
        unit = source.read_text(encoding="utf-8")
        copy = tmp_path / name
        unit = unit.replace("/opt/rota/.venv/bin/python", sys.executable).replace("/opt/rota/.venv/bin/rota", str(rota))
        copy.write_text(unit, encoding="utf-8")
        result = subprocess.run(
            ["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=120, check=False
        )
        assert result.returncode == 0, result.stderr
        assert result.stderr.strip() == "", result.stderr


def test_the_container_image_copies_what_exists_and_runs_the_app() -> None:
    lines = [line.strip() for line in CONTAINERFILE.read_text(encoding="utf-8").splitlines()]
    copied = [word for line in lines if line.startswith("COPY ") for word in line.split()[1:-1]]
    assert copied, "no COPY line"
    for source in copied:
        assert (REPO_ROOT / source).exists(), source
    # the code needs these at run time beside it: migrations, the example, the package metadata
    assert {"alembic/", "examples/", "web/", "scheduler/", "pyproject.toml"} <= set(copied)
    assert 'CMD ["python", "-m", "web"]' in lines
    assert "USER rota" in lines


def test_compose_runs_the_app_on_postgresql_with_real_settings() -> None:
    compose = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    app, db = compose["services"]["app"], compose["services"]["db"]
    assert app["build"]["dockerfile"] == "deploy/container/Containerfile"
    assert (COMPOSE.parent / app["build"]["context"] / app["build"]["dockerfile"]).resolve() == CONTAINERFILE
    assert set(app["environment"]) - setting_names() - SERVER_VARIABLES == set()
    assert app["environment"]["DATABASE_URL"].startswith("postgresql+psycopg://rota:")
    assert "@db:5432/rota" in app["environment"]["DATABASE_URL"]
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    assert "/healthz" in " ".join(app["healthcheck"]["test"])
    assert db["image"].startswith("docker.io/library/postgres:")
    assert all(port.startswith("127.0.0.1:") for port in app["ports"])  # behind the reverse proxy only


def test_compose_runs_a_worker_on_the_same_database_and_queue() -> None:
    services = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"]
    app, worker = services["app"], services["worker"]
    assert worker["command"] == ["rota", "worker"] and worker["image"] == app["image"]
    assert set(worker["environment"]) - setting_names() == set()
    for name in ("DATABASE_URL", "ROTA_QUEUE", "ROTA_DATA_DIR"):
        assert worker["environment"][name] == app["environment"][name], name
    assert app["environment"]["ROTA_QUEUE"] == "procrastinate"
    assert worker["depends_on"]["db"]["condition"] == "service_healthy"
    grace = Settings.model_fields["worker_shutdown_grace"].default
    assert float(worker["stop_grace_period"].removesuffix("s")) > grace
