"""Accounts: invitations (create, use, reuse refused, expired, revoked), roles, deactivation, ending a user's sessions,
the last admin, the migration of existing accounts, and the server's commands `rota admin create-user` and
`reset-password`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from typer.testing import CliRunner

from alembic import command
from tests.web.conftest import PASSWORD, app_context, csrf_of, login
from web.accounts import service
from web.accounts.service import AccountError
from web.commands import app as cli
from web.db import alembic_config, make_engine
from web.i18n import Translator
from web.settings import Settings
from web.tables import AuditEntry, Coordinator, Invitation

EN = Translator("en")
LINK_RE = re.compile(r'value="(http://testserver/invite/[A-Za-z0-9_\-]+)"')


def _client(app: FastAPI) -> TestClient:
    return TestClient(app, follow_redirects=False)


@pytest.fixture
def admin(app: FastAPI) -> Iterator[TestClient]:
    """The first account ('coord', an admin), logged in; its CSRF token in `.csrf`."""
    with _client(app) as client:
        client.headers["accept-language"] = "en"
        client.csrf = login(client)  # type: ignore[attr-defined]
        yield client


def _csrf(client: TestClient) -> str:
    token: str = client.csrf  # type: ignore[attr-defined]
    return token


def _add(app: FastAPI, name: str, role: str) -> int:
    with app_context(app).sessions.begin() as db:
        return service.create_account(db, None, name, PASSWORD, role, t=EN).id


def _user(app: FastAPI, name: str) -> Coordinator:
    with app_context(app).sessions() as db:
        user = service.by_name(db, name)
        assert user is not None
        db.expunge(user)
        return user


def _actions(app: FastAPI) -> list[str]:
    with app_context(app).sessions() as db:
        return list(db.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all())


def _invite(admin: TestClient, role: str = "coordinator") -> str:
    # the link is built from the public URL, whatever Host the request names
    page = admin.post("/accounts/invitations", data={"csrf_token": _csrf(admin), "role": role},
                      headers={"host": "evil.example"})
    assert page.status_code == 200, page.text
    match = LINK_RE.search(page.text)
    assert match, page.text
    return match.group(1).removeprefix("http://testserver")


def _accept(client: TestClient, path: str, username: str, password: str = PASSWORD, repeat: str | None = None) -> int:
    token = csrf_of(client, path) if client.get(path).status_code == 200 else csrf_of(client)
    data = {"csrf_token": token, "username": username, "password": password, "repeat": repeat or password}
    return client.post(path, data=data).status_code


# ------------------------------------------------------------------------------------------------- invitations


def test_an_invitation_makes_an_account_with_its_role_and_logs_it_in(app: FastAPI, admin: TestClient) -> None:
    path = _invite(admin, "viewer")
    with app_context(app).sessions() as db:
        stored = db.scalars(select(Invitation)).one()
        assert path.rsplit("/", 1)[1] not in (stored.token_hash, stored.created_by)  # only the digest is kept
        assert stored.token_hash == service.digest(path.rsplit("/", 1)[1])
        assert stored.expires_at - stored.created_at == dt.timedelta(days=7)
    with _client(app) as guest:
        page = guest.get(path)
        assert page.status_code == 200 and "Viewer" in guest.get(path, headers={"accept-language": "en"}).text
        assert page.headers["referrer-policy"] == "no-referrer"
        assert _accept(guest, path, "Wang Wu") == 303
        assert guest.get("/api/people").status_code == 200  # logged in
        assert guest.post("/api/people", json={}).status_code == 403  # as a viewer
    user = _user(app, "Wang Wu")
    assert (user.role, user.active, user.must_change_password) == ("viewer", True, False)
    assert user.last_login_at is not None
    assert {"invitation.create", "account.create", "invitation.use"} <= set(_actions(app))
    # used: the link answers a page saying so, and makes no second account
    with _client(app) as other:
        assert other.get(path).status_code == 410
        assert _accept(other, path, "someone else") == 410
        assert "already been used" in other.get(path, headers={"accept-language": "en"}).text
    with app_context(app).sessions() as db:
        assert service.by_name(db, "someone else") is None


def test_an_expired_invitation_is_refused(app: FastAPI, admin: TestClient) -> None:
    path = _invite(admin)
    with app_context(app).sessions.begin() as db:
        db.scalars(select(Invitation)).one().expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    with _client(app) as guest:
        page = guest.get(path, headers={"accept-language": "en"})
        assert page.status_code == 410 and "expired" in page.text
        assert _accept(guest, path, "late") == 410
    assert "late" not in [row.user.username for row in _rows(app)]


def _rows(app: FastAPI) -> list[service.AccountRow]:
    with app_context(app).sessions() as db:
        return service.accounts(db)


def test_a_revoked_invitation_is_refused(app: FastAPI, admin: TestClient) -> None:
    path = _invite(admin)
    with app_context(app).sessions() as db:
        number = db.scalars(select(Invitation.id)).one()
    assert "Revoke" in admin.get("/accounts").text
    response = admin.post(f"/accounts/invitations/{number}/revoke", data={"csrf_token": _csrf(admin)})
    assert response.status_code == 303
    assert "No open invitations" in admin.get("/accounts").text
    with _client(app) as guest:
        assert guest.get(path).status_code == 410
        assert _accept(guest, path, "revoked") == 410
    assert "invitation.revoke" in _actions(app)
    assert admin.post("/accounts/invitations/999/revoke", data={"csrf_token": _csrf(admin)}).status_code == 404


def test_unknown_invitation_links_answer_404(app: FastAPI) -> None:
    with _client(app) as guest:
        for token in ("x", "a" * 43, "9" * 300):
            assert guest.get(f"/invite/{token}").status_code == 404
        assert _accept(guest, "/invite/" + "a" * 43, "nobody") == 404


def test_the_invitee_form_names_the_field_and_keeps_the_link(app: FastAPI, admin: TestClient) -> None:
    path = _invite(admin)
    _add(app, "taken", "viewer")
    with _client(app) as guest:
        guest.headers["accept-language"] = "en"
        token = csrf_of(guest, path)
        cases = {
            ("ok name", "short", "short"): "At least 10 characters",
            ("ok name", PASSWORD, PASSWORD + "x"): "The two passwords differ",
            ("王\u202e五", PASSWORD, PASSWORD): "U+202E",
            ("x" * 65, PASSWORD, PASSWORD): "At most 64 characters",
            ("", PASSWORD, PASSWORD): "Required",
            ("taken", PASSWORD, PASSWORD): "already taken",
        }
        for (name, password, repeat), words in cases.items():
            data = {"csrf_token": token, "username": name, "password": password, "repeat": repeat}
            page = guest.post(path, data=data)
            assert page.status_code == 400, (name, page.status_code)
            assert words in page.text, (name, words)
        assert guest.post(path, data={"username": "a", "password": PASSWORD, "repeat": PASSWORD}).status_code == 403
        assert _accept(guest, path, "王五") == 303
    assert _user(app, "王五").role == "coordinator"


# ------------------------------------------------------------------------------------------------- the accounts page


def test_roles_change_and_take_effect_at_once(app: FastAPI, admin: TestClient) -> None:
    number = _add(app, "cora", "coordinator")
    with _client(app) as cora:
        login(cora, "cora")
        assert cora.post("/api/people", json={}).status_code == 422  # may write (the body is wrong)
        page = admin.get("/accounts")
        assert page.status_code == 200 and "cora" in page.text and "Coordinator" in page.text
        response = admin.post(f"/accounts/{number}/role", data={"csrf_token": _csrf(admin), "role": "viewer"})
        assert response.status_code == 303
        assert cora.post("/api/people", json={}).status_code == 403
        assert cora.get("/api/people").status_code == 200
        assert cora.get("/accounts").status_code == 403
        bad = admin.post(f"/accounts/{number}/role", data={"csrf_token": _csrf(admin), "role": "boss"})
        assert bad.status_code == 400 and "Unknown role" in bad.text
        assert admin.post("/accounts/999/role", data={"csrf_token": _csrf(admin), "role": "viewer"}).status_code == 404
    assert _user(app, "cora").role == "viewer"
    with app_context(app).sessions() as db:
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "account.role")).one()
        assert (entry.actor, entry.target, entry.details) == ("coord", "cora", {"before": "coordinator",
                                                                                 "after": "viewer"})


def test_deactivation_ends_the_sessions_and_blocks_the_login(app: FastAPI, admin: TestClient) -> None:
    number = _add(app, "cora", "coordinator")
    with _client(app) as cora:
        login(cora, "cora")
        assert "cora" in admin.get("/accounts").text
        assert [row.sessions for row in _rows(app) if row.user.username == "cora"] == [1]
        assert admin.post(f"/accounts/{number}/deactivate", data={"csrf_token": _csrf(admin)}).status_code == 303
        assert cora.get("/api/people").status_code == 401
        assert cora.get("/people").status_code == 303
        token = csrf_of(cora)
        refused = cora.post("/login", data={"username": "cora", "password": PASSWORD, "csrf_token": token})
        assert refused.status_code == 400
        assert admin.post(f"/accounts/{number}/reactivate", data={"csrf_token": _csrf(admin)}).status_code == 303
        login(cora, "cora")
        assert cora.get("/api/people").status_code == 200
    assert {"account.deactivate", "account.reactivate"} <= set(_actions(app))


def test_an_admin_ends_a_users_sessions(app: FastAPI, admin: TestClient) -> None:
    number = _add(app, "cora", "coordinator")
    with _client(app) as cora:
        login(cora, "cora")
        response = admin.post(f"/accounts/{number}/sessions/end", data={"csrf_token": _csrf(admin)})
        assert response.status_code == 303
        assert cora.get("/api/people").status_code == 401
    # an admin ending their own keeps the current one
    me = _user(app, "coord").id
    assert admin.post(f"/accounts/{me}/sessions/end", data={"csrf_token": _csrf(admin)}).status_code == 303
    assert admin.get("/api/people").status_code == 200
    assert _actions(app).count("account.sessions_end") == 2


def test_an_admin_keeps_their_own_rights_and_the_last_admin_stays(app: FastAPI, admin: TestClient) -> None:
    me = _user(app, "coord").id
    for action, data in (("role", {"role": "viewer"}), ("deactivate", {})):
        page = admin.post(f"/accounts/{me}/{action}", data={"csrf_token": _csrf(admin), **data})
        assert page.status_code == 400 and "your own account" in page.text
    assert _user(app, "coord").role == "admin" and _user(app, "coord").active
    # another admin may demote this one; then that one cannot demote itself
    ada = _add(app, "ada", "admin")
    with _client(app) as other:
        csrf = login(other, "ada")
        assert other.post(f"/accounts/{me}/role", data={"csrf_token": csrf, "role": "coordinator"}).status_code == 303
        assert other.post(f"/accounts/{ada}/role", data={"csrf_token": csrf, "role": "viewer"}).status_code == 400
    assert admin.get("/accounts").status_code == 403  # coord is a coordinator now
    # the last active admin cannot be taken away, whoever asks (the server's own code included)
    with app_context(app).sessions() as db:
        coord = db.get(Coordinator, me)
        last = db.get(Coordinator, ada)
        assert coord is not None and last is not None
        for change in (lambda: service.change_role(db, coord, last, "viewer"),
                       lambda: service.set_active(db, coord, last, False)):
            with pytest.raises(AccountError) as refused:
                change()
            assert refused.value.key == "accounts.last_admin"


def test_the_accounts_page_is_linked_for_admins_and_speaks_both_languages(app: FastAPI, admin: TestClient) -> None:
    assert 'href="/accounts"' in admin.get("/people").text
    admin.cookies.set("lang", "zh")
    page = admin.get("/accounts").text
    assert "账户管理" in page and "邀请" in page and "管理员" in page


# ------------------------------------------------------------------------------------------------- storage


def test_existing_accounts_become_admins_in_the_migration(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = make_engine(url)
    config = alembic_config(url)
    command.upgrade(config, "0006_login_sessions")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO coordinator (username, password_hash, must_change_password, created_at) "
            "VALUES ('old', 'x', 0, '2026-01-01 00:00:00')"
        ))
    command.upgrade(config, "head")
    with engine.begin() as connection:
        assert connection.execute(text("SELECT role, active FROM coordinator")).one() == ("admin", 1)
        connection.execute(text("INSERT INTO coordinator (username, password_hash, must_change_password, "
                                "created_at) VALUES ('new', 'x', 0, '2026-01-01 00:00:00')"))
        assert connection.execute(text("SELECT role FROM coordinator WHERE username = 'new'")).scalar() == (
            "coordinator"
        )
    command.downgrade(config, "0006_login_sessions")
    command.upgrade(config, "head")
    engine.dispose()


def test_the_first_account_is_an_admin(app: FastAPI) -> None:
    assert _user(app, "coord").role == "admin"


# ------------------------------------------------------------------------------------------------- the commands


@pytest.fixture
def cli_env(settings: Settings, app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The commands find the app's database through the environment, as on a server."""
    for name in ("DATABASE_URL", "ROTA_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return {"ROTA_DATA_DIR": str(settings.data_dir)}


def _rota(env: dict[str, str], *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["admin", *args], input=stdin, env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_create_user_from_stdin_a_prompt_or_a_one_time_password(app: FastAPI, cli_env: dict[str, str]) -> None:
    code, out = _rota(cli_env, "create-user", "vic", "--role", "viewer", "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 0, out
    assert "Account vic created (Viewer)" in out and PASSWORD not in out
    code, out = _rota(cli_env, "create-user", "cora", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert code == 0, out
    code, out = _rota(cli_env, "create-user", "ada", "--role", "admin", "--one-time", "--lang", "zh")
    assert code == 0, out
    one_time = re.search(r"一次性密码：(\S+)（", out)
    assert one_time, out
    assert (_user(app, "vic").role, _user(app, "cora").role, _user(app, "ada").role) == (
        "viewer", "coordinator", "admin"
    )
    assert _user(app, "ada").must_change_password and not _user(app, "vic").must_change_password
    with _client(app) as client:
        login(client, "vic")
        assert client.post("/api/people", json={}).status_code == 403
    with _client(app) as client:
        token = csrf_of(client)
        response = client.post("/login", data={"username": "ada", "password": one_time.group(1), "csrf_token": token})
        assert response.headers["location"] == "/account/password"


def test_create_user_refuses_bad_input_with_status_2(app: FastAPI, cli_env: dict[str, str]) -> None:
    cases = [
        (("create-user", "eve", "--role", "boss", "--one-time"), None, "Unknown role: boss"),
        (("create-user", "coord", "--one-time"), None, "already taken"),
        (("create-user", "eve", "--password-stdin"), "short\n", "At least 10 characters"),
        (("create-user", "eve", "--password-stdin"), "", "No password"),
        (("create-user", "e\u202eve", "--one-time"), None, "U+202E"),
        (("create-user", "eve", "--one-time", "--lang", "fr"), None, "--lang must be zh or en"),
        (("reset-password", "nobody"), None, "no account named nobody"),
    ]
    for args, stdin, words in cases:
        code, out = _rota(cli_env, *args, stdin=stdin)
        assert code == 2, (args, code, out)
        assert words in out, (args, out)
    with app_context(app).sessions() as db:
        assert service.by_name(db, "eve") is None


def test_reset_password_prints_a_one_time_password_and_ends_the_sessions(
    app: FastAPI, admin: TestClient, cli_env: dict[str, str]
) -> None:
    code, out = _rota(cli_env, "reset-password", "coord")
    assert code == 0, out
    assert "1 session(s) ended" in out
    assert admin.get("/api/people").status_code == 401
    one_time = re.search(r"One-time password for coord: (\S+) ", out)
    assert one_time, out
    with _client(app) as client:
        token = csrf_of(client)
        old = client.post("/login", data={"username": "coord", "password": PASSWORD, "csrf_token": token})
        assert old.status_code == 400
        new = client.post("/login", data={"username": "coord", "password": one_time.group(1), "csrf_token": token})
        assert new.headers["location"] == "/account/password"
    assert "account.reset_password" in _actions(app)
