"""Print-outs of a week for the coordinator: the print view (its CSS served, the CSP kept), the PDF with Chinese
names, a post's phone image, latest / numbered version / draft, links from the rota pages, login."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from tests.web.conftest import login
from tests.web.feeds_support import EVIL, WEEK, make_app, publish, session, week_one, week_two
from web.tables import Community

BASE = f"/rota/{WEEK.isoformat()}"


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return make_app(tmp_path)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def test_print_routes_need_a_login(app: FastAPI, client: TestClient) -> None:
    publish(app, week_one())
    for path in (f"{BASE}/print", f"{BASE}/print.pdf", f"{BASE}/print/gate.png", "/print/sheet.css"):
        response = client.get(path)
        assert response.status_code == 303 and response.headers["location"].startswith("/login?next="), path


def test_nothing_published_is_404(client: TestClient) -> None:
    login(client)
    assert client.get(f"{BASE}/print").status_code == 404
    assert client.get(f"{BASE}/print.pdf").status_code == 404
    assert client.get(f"{BASE}/print", params={"draft": "1"}).status_code == 404
    assert client.get("/rota/not-a-week/print").status_code == 404


def test_print_view_links_its_served_stylesheet(app: FastAPI, client: TestClient) -> None:
    publish(app, week_one())
    login(client)
    response = client.get(f"{BASE}/print")
    assert response.status_code == 200
    page = response.text
    assert '<link rel="stylesheet" href="/print/sheet.css">' in page and "<style" not in page
    assert "style-src 'self'" in response.headers["content-security-policy"]
    assert "张伟" in page and "王强" in page and "v1" in page and "大门" in page
    css = client.get("/print/sheet.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "@page" in css.text
    # the print-out speaks the community's language, whoever prints it
    client.cookies.set("lang", "en")
    assert "大门" in client.get(f"{BASE}/print").text
    with session(app) as db:
        community = db.scalars(select(Community)).one()
        community.setup = {**community.setup, "language": "en"}
        db.commit()
    english = client.get(f"{BASE}/print").text
    assert "Gate" in english and "大门" not in english


def test_versions_and_the_draft(app: FastAPI, client: TestClient) -> None:
    publish(app, week_one())
    publish(app, week_two())
    login(client)
    assert "v2" in client.get(f"{BASE}/print").text
    first = client.get(f"{BASE}/print", params={"version": "1"}).text
    assert "v1" in first and "v2" not in first
    assert client.get(f"{BASE}/print", params={"version": "9"}).status_code == 404
    assert client.get(f"{BASE}/print", params={"version": "x"}).status_code == 404
    draft = client.get(f"{BASE}/print", params={"draft": "1"})
    assert draft.status_code == 200 and "草稿" in draft.text


def test_pdf_has_the_chinese_names(app: FastAPI, client: TestClient) -> None:
    publish(app, week_one())
    login(client)
    response = client.get(f"{BASE}/print.pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for name in ("张伟", "李娜", "王强", "大门"):
        assert name in text


def test_png_of_a_post_for_the_chat_group(app: FastAPI, client: TestClient) -> None:
    publish(app, week_one())
    login(client)
    response = client.get(f"{BASE}/print/gate.png")
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.width == 1080 and image.height > 200
    assert client.get(f"{BASE}/print/nowhere.png").status_code == 404


def test_rota_pages_link_to_the_print_outs(app: FastAPI, client: TestClient) -> None:
    publish(app, week_one())
    login(client)
    page = client.get(BASE).text  # the draft stays as the working copy after publishing
    assert f'href="{BASE}/print?draft=1"' in page and f'href="{BASE}/print.pdf?draft=1"' in page
    assert f'href="{BASE}/print/gate.png?draft=1"' in page and 'href="/feeds"' in page
    version = client.get(f"{BASE}/versions/1").text
    assert f'href="{BASE}/print?version=1"' in version and f'href="{BASE}/print/gate.png?version=1"' in version


def test_a_script_name_is_escaped_in_the_print_view(tmp_path: Path) -> None:
    app = make_app(tmp_path, alice={"name": EVIL})
    with TestClient(app, follow_redirects=False) as client:
        publish(app, week_one())
        login(client)
        page = client.get(f"{BASE}/print").text
        assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
