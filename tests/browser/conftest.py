"""Fixtures for real-browser tests: a live server, headless Chromium, page checks.

Every test in this folder is marked ``browser``. Without Chromium (or Python
playwright) the tests are skipped locally and fail under CI=true; the same goes
for java/vnu.jar and the HTML check (see helpers.skip_or_fail).
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from . import helpers

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(item.path).resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Check every page saved by check_page during the test in one vnu.jar run.

    Runs after the test body, in the call phase, so HTML errors fail the test
    itself (not its teardown). Skipped when the body already failed.
    """
    helpers.start_html_batch()
    try:
        result = yield
    except BaseException:
        helpers._batch = None
        raise
    helpers.finish_html_batch()
    page = item.funcargs.get("page")
    if page is not None:
        helpers.assert_no_browser_errors(page)
    return result


def pytest_sessionfinish(session, exitstatus):
    helpers.write_reports()


@pytest.fixture(scope="session")
def _playwright():
    executable = helpers.find_chromium()
    if executable is None:
        helpers.skip_or_fail("Chromium not found at /usr/bin/chromium or on PATH (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        helpers.skip_or_fail("Python playwright is not installed (pip install -e '.[dev]')")
    pw = sync_playwright().start()
    yield pw, executable
    pw.stop()


@pytest.fixture(scope="session")
def browser(_playwright):
    pw, executable = _playwright
    browser = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code="-", size="-"):  # one line per request drowns the test output
        pass


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="live-server", daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


@pytest.fixture
def live_server(app):
    """The test app (tests/conftest.py) served on 127.0.0.1 at a free port; yields the base URL."""
    with LiveServer(app) as server:
        yield server.url


@pytest.fixture
def mail_outbox(app):
    """Emails the live server sent (MAIL_BACKEND=memory); the list fills as requests run."""
    return app.extensions.setdefault("genius_mail_outbox", [])


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context and page per test, with relative URLs against the live server.

    The site's CSP stays on. Browser errors (script errors, CSP refusals, failed
    sub-resources) fail check_page, and the test if any are left at its end.
    """
    context = browser.new_context(base_url=live_server)
    context.set_default_timeout(10_000)
    page = context.new_page()
    helpers.watch_errors(page)
    yield page
    context.close()
