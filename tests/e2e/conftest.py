"""End-to-end: the real server (uvicorn on a loopback port, in a thread) over a demo database, and
Debian's Chromium driven headless by Playwright for Python. The browser is the system's
($LUOSHI_CHROMIUM, set by scripts/test through scripts/browser-up under CI); without it these
tests are skipped on a developer's machine and fail under CI, where they must run.

Screenshots go to test-artifacts/e2e/ ($LUOSHI_ARTIFACTS overrides), for people to look at."""
from __future__ import annotations

import os
import socket
import threading
import time
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("LUOSHI_CHROMIUM", "")
ARTIFACTS = Path(os.environ.get("LUOSHI_ARTIFACTS") or ROOT / "test-artifacts") / "e2e"
# Chromium's own calls home are refused on a closed network, many at a time; and as root it needs
# --no-sandbox.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
TODAY = date(2026, 11, 23)  # the demo's "today": its history runs to the month before


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if CHROMIUM and Path(CHROMIUM).is_file():
        return CHROMIUM
    if os.environ.get("CI", "") not in ("", "0", "false", "no"):
        pytest.fail("LUOSHI_CHROMIUM is not set under CI: scripts/test should have run scripts/browser-up")
    pytest.skip("no browser: set LUOSHI_CHROMIUM (scripts/browser-up) to run the end-to-end tests")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, chromium_path) -> str:
    from luoshi.demo import build_demo

    url = f"sqlite:///{tmp_path_factory.mktemp('e2e')}/demo.db"
    world = build_demo(url, today=TODAY)
    return url, world


@pytest.fixture(scope="module")
def server(demo_db):
    import uvicorn

    from luoshi.settings import Settings, WebSettings
    from luoshi.web.app import create_app

    url, world = demo_db
    app = create_app(WebSettings(Settings(db_url=url)))
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", world
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    p = context.new_page()
    p.set_default_timeout(15000)
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    p.script_errors = errors
    yield p
    context.close()


def shot(page, name: str, *, full_page: bool = True) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
