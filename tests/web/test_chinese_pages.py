"""Every page reads in Chinese: a reader who chose 中文 finds no English word on any page the app serves (names,
ids the coordinator typed and a short allow-list aside), on a community with a published week, a draft and
secret links."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from tests.web.checkin.support import checkin_token
from tests.web.conftest import login
from tests.web.feeds_support import WEEK, make_app, person_token, post_token, publish, week_one
from tests.web.test_no_server_errors import _fields, _routes, _valid
from web.tables import SolveJob

TYPED = {"alice", "bob", "carol", "dave", "gate", "day", "vol", "guard", "coord", "Dave", "Tiny", "Alice", "Bob",
         "Carol"}
"""What the coordinator typed: ids, the fourth person's and the community's names, the account name."""
ALLOWED = {
    "PDF", "PNG", "CSV", "XLSX", "QR", "URL", "iCal", "ics", "webcal", "http", "https", "testserver", "ID", "English",
    "WeChat", "WeCom", "iPhone", "Android", "Google", "Outlook", "iOS", "JSON", "API", "OpenAPI", "Excel", "WPS",
    "GBK", "UTF-", "MB", "IANA", "Asia", "wang-fang", "Lunch", "csv", "xlsx", "yes", "zh", "en",
}
"""Names of formats, products, encodings and time zones, the language choice itself, and the examples shown in
the English name fields (a meal called 'Lunch') and the id field ('wang-fang'), and what the import file's cells
hold ('yes', 'zh') and its extensions."""
_SKIPPED_TAGS = {"script", "style", "code"}
"""Scripts and styles are not read; `code` shows what is typed as is (the import file's column names)."""
_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}


class _Visible(HTMLParser):
    """The words a reader sees or hears: text outside scripts and styles, and the labelling attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        self.parts += [value for name, value in attrs if name in _ATTRIBUTES and value]
        if tag == "input" and dict(attrs).get("type") in ("submit", "button"):
            self.parts.append(dict(attrs).get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def _english_words(html: str) -> set[str]:
    parser = _Visible()
    parser.feed(html)
    text = " ".join(parser.parts)
    text = re.sub(r"https?://\S+|webcal://\S+|/\S+", " ", text)  # addresses are not words
    words = set(re.findall(r"[A-Za-z][A-Za-z'’-]+", text))
    return {w for w in words if w not in TYPED and w not in ALLOWED}


def _pages() -> list[APIRoute]:
    downloads = (".pdf", ".png", ".ics", ".xlsx", ".csv", ".json", ".txt")
    return [
        route for route in _routes()
        if "GET" in route.methods and not route.path.startswith(("/api/", "/docs", "/openapi"))
        and not route.path.endswith(downloads)
    ]


def test_every_page_reads_in_chinese(tmp_path: Path) -> None:
    app: FastAPI = make_app(tmp_path)
    publish(app, week_one())
    found: dict[str, set[str]] = {}
    with TestClient(app, follow_redirects=False) as client:
        client.cookies.set("lang", "zh")
        tokens = {"person": person_token(app, "alice"), "post": post_token(app), "checkin": checkin_token(app)}
        anonymous = {path: _english_words(client.get(path).text) for path in ("/login",)}
        found.update({path: words for path, words in anonymous.items() if words})
        csrf = login(client)
        client.cookies.set("lang", "zh")
        queued = client.post("/generate", data={"csrf_token": csrf, "start": WEEK.isoformat(), "days": "7"})
        assert queued.headers["location"] == "/jobs/1"  # the job page, its solve waiting
        later = client.post("/generate", data={"csrf_token": csrf, "start": (WEEK + dt.timedelta(days=7)).isoformat(),
                                               "days": "7"})
        assert later.headers["location"] == "/jobs/2"
        with app.state.rota.sessions.begin() as db:  # the second one finished: the list names its outcome
            job = db.get(SolveJob, 2)
            assert job is not None
            job.status, job.result_status, job.objective, job.bound = "finished", "feasible", 12.0, 10.0
        # the draft loses Tuesday's guard, and Alice takes the shift as a guard, which she is not: a violation
        tuesday = {"person": "bob", "place": "gate", "shift": "day", "date": (WEEK + dt.timedelta(days=1)).isoformat()}
        for adjustment in ({"kind": "remove", "assignment": tuesday},
                           {"kind": "add", "person": "alice", "role": "guard",
                            "slot": {"place": "gate", "shift": "day", "date": tuesday["date"]}}):
            answer = client.post(f"/api/rota/{WEEK}/adjustments", json={"adjustment": adjustment, "confirm": True})
            assert answer.status_code == 200, answer.text
        assert "没有“保安”角色" in client.get(f"/rota/{WEEK}").text
        walked = 0
        seen: list[str] = []
        for route in _pages():
            path = route.path
            url = re.sub(r"\{([^}]+)\}", lambda m, path=path: _valid(m.group(1), path, tokens), path)
            query, _form = _fields(route.dependant)
            params = {name: _valid(name, route.path, tokens) for name in query if name not in ("lang", "draft")}
            response = client.get(url, params=params)
            if response.status_code != 200 or "text/html" not in response.headers.get("content-type", ""):
                continue
            walked += 1
            seen.append(url)
            words = _english_words(response.text)
            if words:
                found[url] = words
    assert walked >= 40, seen
    assert found == {}, "\n".join(f"{url}: {sorted(words)}" for url, words in sorted(found.items()))
