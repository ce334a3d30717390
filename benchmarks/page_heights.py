"""How tall the coordinator's pages are with the seed community (examples/checkpoint.yaml, 43 people), at a
phone's width and a desktop's: one card per person made the people list 5,331 px tall; the table keeps it short.

    python -m benchmarks.page_heights                       # table on stdout
    python -m benchmarks.page_heights --out benchmarks/results/page_heights.md

`python -m web` runs on a fresh SQLite folder (the seed loaded, the outbox worker off); Debian's chromium, driven by
Playwright, logs in and reads `document.documentElement.scrollHeight` of each page. Heights do not depend on load.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Annotated

import typer
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "page heights password"
PAGES = ("/people",)
WIDTHS = (390, 1280)


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _serve(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "ROTA_DATABASE_URL"}}
    env.update(HOST="127.0.0.1", PORT=str(port), ROTA_DATA_DIR=str(folder), ROTA_ADMIN_USER="coord",
               ROTA_ADMIN_PASSWORD=PASSWORD, ROTA_SECRET_KEY="h" * 40, ROTA_OUTBOX_WORKER="false")
    process = subprocess.Popen([sys.executable, "-m", "web"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "/login", timeout=2)
            return process, url
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("the app did not start")


def measure(url: str) -> dict[tuple[str, int], tuple[int, int]]:
    """(page, width) -> (height in px, table rows)."""
    found = {}
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM))
        for width in WIDTHS:
            page = browser.new_context(viewport={"width": width, "height": 844}, locale="zh-CN").new_page()
            page.goto(url + "/login")
            page.fill("#f-username", "coord")
            page.fill("#f-password", PASSWORD)
            page.press("#f-password", "Enter")
            page.wait_for_load_state("load")
            for path in PAGES:
                page.goto(url + path)
                page.wait_for_load_state("load")
                found[(path, width)] = (
                    int(page.evaluate("document.documentElement.scrollHeight")),
                    int(page.evaluate("document.querySelectorAll('table tbody tr').length")),
                )
        browser.close()
    return found


def main(out: Annotated[Path | None, typer.Option(help="Write the Markdown report here.")] = None) -> None:
    """Measure and print the table."""
    with tempfile.TemporaryDirectory() as folder:
        process, url = _serve(Path(folder))
        try:
            found = measure(url)
        finally:
            process.terminate()
            process.wait(15)
    lines = [
        "# Page heights",
        "",
        "Command: `python -m benchmarks.page_heights --out <this file>`  ",
        f"Date: {dt.date.today()}; the seed (examples/checkpoint.yaml, 43 people), nothing published; chromium.",
        "",
        "| page | " + " | ".join(f"{w} px: height (table rows)" for w in WIDTHS) + " |",
        "|---|" + "---|" * len(WIDTHS),
        *(f"| {path} | " + " | ".join(f"{found[(path, w)][0]} ({found[(path, w)][1]})" for w in WIDTHS) + " |"
          for path in PAGES),
        "",
    ]
    text = "\n".join(lines)
    typer.echo(text)
    if out is not None:
        out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    typer.run(main)
