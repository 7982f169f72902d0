"""The browser layer: real Chromium (through Playwright's sync API) against the app served by a real HTTP
server, with CSRF protection on, so forms, cookies and redirects go the way they do for a person using
the site. The world each test needs is built through the services, on a database emptied after it.

Chromium is Debian's /usr/bin/chromium, or the path in QUIZAPP_CHROMIUM. When it is missing the tests
skip, unless QUIZAPP_REQUIRE_BROWSER=1 (as in CI), when they fail instead. The helpers that are not
fixtures (signing in, screenshots, the axe audit) are in tests/support/browser.py."""

from __future__ import annotations

import os
import threading

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from quizapp.extensions import db
from quizapp.models import Quiz
from quizapp.services.banks import loading
from tests import support
from tests.support.browser import CHROMIUM_ARGS, TIMEOUT_MS, VIEWPORTS, expect
from tests.support.fixtures import (  # noqa: F401 (fixtures)
    auth,
    classroom,
    client,
    csrf,
    make_user,
    student,
    teacher,
    tiny_bank,
)

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # reported by the chromium_path fixture
    sync_playwright = None


@pytest.fixture(autouse=True)
def _clean_database(clean_database):
    """Every test runs in an app context, and the next one finds the database empty."""


@pytest.fixture(scope="module", autouse=True)
def chromium_path() -> str:
    """The Chromium to drive; skips (or, with QUIZAPP_REQUIRE_BROWSER=1, fails) without one."""
    path = os.environ.get("QUIZAPP_CHROMIUM") or "/usr/bin/chromium"
    if sync_playwright is None:
        support.require("QUIZAPP_REQUIRE_BROWSER", "the playwright package is not installed (pip install -e '.[dev]')")
    elif not (os.path.isfile(path) and os.access(path, os.X_OK)):
        support.require("QUIZAPP_REQUIRE_BROWSER",
                        f"no Chromium executable at {path} (set QUIZAPP_CHROMIUM to another path)")
    return path


@pytest.fixture(scope="module")
def live_server(app):
    """The test app on a real HTTP server at 127.0.0.1 and a free port; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="quizapp-live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        assert not thread.is_alive(), "the live server thread did not stop"


@pytest.fixture(scope="module")
def browser(chromium_path):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _new_page(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 1000, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    return context, context.new_page()


@pytest.fixture
def page(browser, live_server, csrf):  # noqa: F811 (the imported fixture)
    """A fresh browser context (no cookies) on the live server, with CSRF protection on."""
    context, page = _new_page(browser, live_server)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def student_page(browser, live_server, csrf):  # noqa: F811 (the imported fixture)
    """A second fresh browser context, open at the same time as ``page``'s."""
    context, student_page = _new_page(browser, live_server)
    try:
        yield student_page
    finally:
        context.close()


@pytest.fixture(params=sorted(VIEWPORTS), ids=lambda width: f"{width}px")
def width(request, page):
    """The page at a desktop's width (1280 px) and at a phone's (390 px): the test runs at each."""
    page.set_viewport_size(VIEWPORTS[request.param])
    return request.param


@pytest.fixture
def bundled_bank(app) -> dict[str, str]:
    """The bank shipped in questions/, loaded as a teacher would; quiz titles by key."""
    loading.load_files([support.ROOT / "questions"])
    titles = {q.key: q.title for q in db.session.scalars(select(Quiz))}
    db.session.remove()  # hold no connection or transaction while the server works
    return titles
