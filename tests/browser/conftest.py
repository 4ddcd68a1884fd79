"""Browser tests: the real app served by werkzeug in a thread, driven by Debian's chromium.

Never run `playwright install` here: the browser is /usr/bin/chromium (see STACK.md).
"""
import threading
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from app import create_app
from config import TestConfig
from domain.database import migrate
from extensions import db
from tests import pg_support
from tests.factories import PASSWORD, make_user

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(items):
    """Every test in this folder drives a browser: mark it so `-m "not browser"` skips them."""
    for item in items:
        if "tests/browser/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


class BrowserTestConfig(TestConfig):
    """TestConfig with CSRF on, so the hidden field and htmx's X-CSRFToken header are exercised."""
    WTF_CSRF_ENABLED = True


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):  # overrides pytest-playwright's
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium",
            "args": CHROMIUM_ARGS}


@pytest.fixture
def live_app(tmp_path):
    with pg_support.migrated():  # on PostgreSQL: a clone of the migrated template
        application = create_app(BrowserTestConfig(tmp_path))
    migrate()  # SQLite: the fresh file; PostgreSQL: nothing left to apply
    yield application
    if not db.is_closed():
        db.close()


@pytest.fixture
def live_server(live_app):
    """The app on a free port of 127.0.0.1; yields its base URL."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture
def browser_context_args(browser_context_args, live_server):
    """Relative page.goto() against the live server, English browser, a desktop viewport."""
    return {**browser_context_args, "base_url": live_server, "locale": "en-GB",
            "viewport": {"width": 1280, "height": 900}}


class ProblemLog:
    """Console errors, uncaught page errors and CSP violations seen by one page."""

    def __init__(self):
        self.console_errors = []
        self.page_errors = []
        self.csp_violations = []

    def all(self):
        return self.console_errors + self.page_errors + self.csp_violations

    def clear(self):
        for items in (self.console_errors, self.page_errors, self.csp_violations):
            items.clear()


CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
  window.__reportCsp(e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
                     " on " + document.location.pathname);
});
"""


@pytest.fixture
def problems(context):
    """Collects errors on every page of the context; asserted empty by the tests."""
    log = ProblemLog()
    context.expose_function("__reportCsp", lambda text: log.csp_violations.append(text))
    context.add_init_script(CSP_LISTENER)

    def watch(page):
        page.on("console", lambda msg: msg.type == "error" and log.console_errors.append(
            f"{msg.text} ({msg.location.get('url', '')})"))
        page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))

    for existing in context.pages:
        watch(existing)
    context.on("page", watch)
    return log


@pytest.fixture
def sign_in(page):
    """sign_in(role) → creates a user with that role and signs in through the login form."""
    def _sign_in(role="intake", **kwargs):
        user = make_user(role, **kwargs)
        page.goto("/login")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/work")
        return user
    return _sign_in


@pytest.fixture
def sign_in_as(page):
    """sign_in_as(user, next_url="/work", chinese=False) → signs out whoever is signed in
    (the header's Sign out button), then signs `user` in through the login form and lands on
    `next_url`. With `chinese`, picks 简体中文 on the sign-in page first (the account keeps it).
    By element, not by label, so it works whatever the interface language."""
    def _sign_in_as(user, next_url="/work", chinese=False):
        sign_out = page.locator('form[action$="/logout"] button[type=submit]')
        if page.url.startswith("http") and sign_out.count():
            sign_out.click()
            page.wait_for_url("**/login")
        page.goto("/login?" + urlencode({"next": next_url}))
        if chinese and page.locator("html").get_attribute("lang") != "zh-Hans":
            page.locator('.lang-form button[value="zh_Hans"]').click()
            expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
        page.locator("#username").fill(user.username)
        page.locator("#password").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(lambda url: "/login" not in url)
        return user
    return _sign_in_as
