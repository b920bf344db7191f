"""Browser tests: the real app on a local port, driven by Debian's Chromium through Playwright.

Nothing is downloaded: Playwright gets ``executable_path``. Without a browser these tests skip
with a message, except in CI (``OTKLIK_REQUIRE_BROWSER=1``), where that is a failure. Without
the viewer's files from npm (``make assets``; ``make test`` builds them) they skip with a message
too, instead of waiting for a diagram that never draws. Screenshots are written into the tracked
docs/screenshots/ only on request (``make screenshots``, i.e. ``OTKLIK_SCREENSHOTS=1``), so a
test run leaves the tree as it found it.
"""
from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.factories import seed_orenburg_app

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
# What the pages load from web/static/vendor (npm run build copies them; git-ignored).
VIEWER_ASSETS = ("bpmn-js/bpmn-navigated-viewer.production.min.js", "form-js/form-viewer.umd.js")
PASSWORD = "correct horse battery"
CANDIDATES = ("chromium", "chromium-headless-shell", "chromium-browser", "google-chrome")
_DATABASES: dict[str, object] = {}  # live server URL → its database, for tests that prepare data


def _browser_path() -> str | None:
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="session")
def browser_path() -> str:
    path = _browser_path()
    if path is None:
        message = "no Chromium found (apt-get install chromium); browser tests skipped"
        if os.environ.get("OTKLIK_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


def missing_viewer_assets(vendor: Path = ROOT / "web" / "static" / "vendor") -> list[str]:
    return [name for name in VIEWER_ASSETS if not (vendor / name).is_file()]


@pytest.fixture(scope="session")
def viewer_assets() -> None:
    missing = missing_viewer_assets()
    if missing:
        message = (f"web/static/vendor lacks {', '.join(missing)} (run `make assets`, which needs npm); "
                   "browser tests skipped")
        # make test builds the assets first (and says so with OTKLIK_REQUIRE_NODE): missing there is a bug.
        if "1" in (os.environ.get("OTKLIK_REQUIRE_BROWSER"), os.environ.get("OTKLIK_REQUIRE_NODE")):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def live_app(tmp_path, virtual_clock, viewer_assets) -> Iterator[str]:  # type: ignore[no-untyped-def]
    from web import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/browser.sqlite", "SECRET_KEY": "browser-test",
                      "UPLOAD_DIR": str(tmp_path / "uploads"), "SESSION_COOKIE_SECURE": False,
                      "REMEMBER_COOKIE_SECURE": False, "LOGIN_RATE_LIMIT": "1000 per minute"})
    database = app.extensions["otklik_db"]
    seed_orenburg_app(database, PASSWORD)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    _DATABASES[url] = database
    yield url
    _DATABASES.pop(url, None)
    server.shutdown()
    database.engine.dispose()


@pytest.fixture
def live_db(live_app):  # type: ignore[no-untyped-def]
    """The live server's database (engine calls prepare cases the pages then show)."""
    return _DATABASES[live_app]


@pytest.fixture
def browser(chromium):  # type: ignore[no-untyped-def]
    """The session's Chromium; every context a test opened (cookies, pages) is closed after it, so
    the next test starts as in a browser of its own."""
    yield chromium
    for context in list(chromium.contexts):
        context.close()


@pytest.fixture
def page_for(browser, live_app):  # type: ignore[no-untyped-def]
    """``page_for("curator")`` → a signed-in page in its own browser context."""
    contexts = []

    def make(login: str):  # type: ignore[no-untyped-def]
        context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.console_errors = errors  # type: ignore[attr-defined]
        page.goto(f"{live_app}/login")
        page.fill("#login", login)
        page.fill("#password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url("**/inbox")
        return page

    yield make
    for context in contexts:
        context.close()


def screenshots_requested() -> bool:
    return os.environ.get("OTKLIK_SCREENSHOTS") == "1"


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """docs/screenshots/<name>.png, only on request: the files are tracked, a test run must not touch them."""
    if not screenshots_requested():
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
