"""Every staff page is valid HTML (the Nu Html Checker, vnu), in English and in Chinese.

The demo data (scripts/seed_demo.py: every stage, emergencies, accountability records, plans)
is loaded into the test app; then, as each demo user, every page reachable by a link from
"My work" is fetched (one page per kind of address: /complaints/<n> once, …), plus what links
do not reach: a complaint at every stage as the people who act on it, each workflow form sent
empty (its errors shown), the intake and admin forms with errors, the list with filters, the
sign-in page, the 403 and 404 pages. A few htmx fragments are checked too, wrapped in a
minimal document. All files go to vnu in one run (one JVM start); any error fails the test
with file and message.

vnu.jar is fetched by script/setup-vnu into tests/vendor/ (pinned, checked, not committed) and
needs Java (Debian: default-jre-headless). Without either the test is skipped, saying so.
"""
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from domain.models import Complaint
from domain.statuses import STATUSES
from scripts.seed_demo import DEMO_PASSWORD, USERS, seed

VNU = Path(__file__).resolve().parent / "vendor" / "vnu.jar"
LANGS = ("en", "zh_Hans")
# Not pages: downloads, images, the public side (tests/browser/test_public_pages.py), sign-out.
NOT_PAGES = re.compile(r"\.(pdf|csv|xlsx|css|png|svg)$|/evidence/|/branding/|/logo/|^/static/"
                       r"|^/track|^/complain(/|$)|^/logout|^/healthz")
# Who opens a complaint at each stage: the people who act on it (and the read-only auditor).
COMPLAINT_READERS = ("manager", "intake", "head", "investigator", "leader", "auditor")
FILTERS = ("/complaints?status=investigating&sort=due&order=asc",
           "/complaints?overdue=1&severity=major&channel=hotline",
           "/complaints?q=%E5%BF%AB%E9%80%92&received_from=2020-01-01&received_to=2030-12-31",
           "/complaints?status=nonsense&received_from=not-a-date")  # filters in error
FRAGMENTS = {  # user, address fetched with HX-Request: true
    "manager": ("/complaints?status=investigating", "/work/board", "/analysis/",
                "/complaints/1/timeline", "/emergencies/1/log", "/plans/1/review/figures"),
    "admin": ("/admin/audit", "/admin/sessions", "/admin/email"),
}
WRAPPER = ('<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>fragment</title>'
           '</head><body><main>{body}</main></body></html>')


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []
        self.actions = []  # (workflow form address, version) of forms with a required field
        self._form = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form" and "/act/" in (attrs.get("action") or ""):
            self._form = {"action": attrs["action"], "version": "", "required": False}
        elif self._form and tag == "input" and attrs.get("name") == "version":
            self._form["version"] = attrs.get("value") or ""
        elif self._form and tag in ("input", "select", "textarea") and (
                "required" in attrs or "aria-required" in attrs):
            self._form["required"] = True

    def handle_endtag(self, tag):
        if tag == "form" and self._form:
            if self._form["required"]:  # sent empty it shows errors and changes nothing
                self.actions.append((self._form["action"], self._form["version"]))
            self._form = None


def _kind(url: str) -> str:
    """One page per kind of address: the path with numbers left out, and the query's keys."""
    path, _, query = url.partition("?")
    keys = sorted(part.split("=")[0] for part in query.split("&") if part)
    return re.sub(r"\d+", "N", path) + "?" + ",".join(keys)


class Pages:
    """Fetches pages and writes each one to `folder`, named after who fetched what."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.saved = []

    def save(self, name: str, html: str, lang: str, fragment=False):
        if fragment:
            html = WRAPPER.format(lang="zh-Hans" if lang == "zh_Hans" else "en", body=html)
        path = self.folder / (re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_")[:150] + ".html")
        path.write_text(html, encoding="utf-8")
        self.saved.append(path)
        return path

    def get(self, client, who, lang, url, expect=(200,), fragment=False):
        headers = {"HX-Request": "true"} if fragment else {}
        response = client.get(url, headers=headers)
        assert response.status_code in expect, f"{who} {url}: {response.status_code}"
        if 200 in expect and response.status_code != 200:  # not for this user: fine
            return None
        if "text/html" not in response.content_type:
            return None
        html = response.get_data(as_text=True)
        fragment = fragment and not html.lstrip().lower().startswith("<!doctype")
        self.save(f"{lang}-{who}-{'fragment-' if fragment else ''}{url}", html, lang, fragment)
        return html

    def post(self, client, who, lang, url, data, expect):
        response = client.post(url, data=data)
        assert response.status_code in expect, f"{who} POST {url}: {response.status_code}"
        self.save(f"{lang}-{who}-POST-{url}", response.get_data(as_text=True), lang)
        return response


def _signed_in(app, username, lang):
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 303, username
    response = client.post("/language", data={"lang": lang, "next": "/work"})
    assert response.status_code == 303
    return client


def _crawl(pages, client, who, lang):
    """Every kind of page reachable from My work by links, once each."""
    queue, seen = ["/work"], {_kind("/work")}
    while queue:
        url = queue.pop(0)
        html = pages.get(client, who, lang, url, expect=(200, 302, 303, 403, 404))
        if html is None:
            continue
        parser = _Links()
        parser.feed(html)
        for href in parser.links:
            href = href.split("#")[0]
            if not href.startswith("/") or NOT_PAGES.search(href.split("?")[0]):
                continue
            if _kind(href) not in seen:
                seen.add(_kind(href))
                queue.append(href)


def _complaints_at_every_stage(pages, lang, clients):
    """A complaint at each stage, as each reader; each workflow form offered, sent empty."""
    for status in STATUSES:
        complaint = (Complaint.select().where(Complaint.status == status)
                     .order_by(Complaint.id).first())
        if complaint is None:
            continue
        url = f"/complaints/{complaint.id}"
        for who in COMPLAINT_READERS:
            html = pages.get(clients[who], who, lang, url, expect=(200, 403, 404))
            if html is None:
                continue
            parser = _Links()
            parser.feed(html)
            for action_url, version in parser.actions:
                pages.post(clients[who], who, lang, action_url, {"version": version},
                           expect=(422, 409, 403))


def _forms_with_errors(pages, clients, lang):
    pages.post(clients["intake"], "intake", lang, "/complaints/new", {}, expect=(200, 422))
    for url in ("/admin/users/new", "/admin/departments/new", "/admin/root-causes/new",
                "/admin/settings", "/admin/calendar"):
        pages.post(clients["admin"], "admin", lang, url, {}, expect=(200, 422))
    pages.post(clients["manager"], "manager", lang, "/accountability/new", {}, expect=(200, 422))
    pages.post(clients["manager"], "manager", lang, "/plans/new", {}, expect=(200, 422))
    pages.post(clients["leader"], "leader", lang, "/emergencies/drill", {}, expect=(200, 422))
    pages.post(clients["admin"], "admin", lang, "/account", {"pw-password": ""}, expect=(422,))


def _anonymous_and_errors(pages, app, clients, lang):
    anonymous = app.test_client()
    anonymous.post("/language", data={"lang": lang, "next": "/login"})
    pages.get(anonymous, "anonymous", lang, "/login")
    pages.post(anonymous, "anonymous", lang, "/login", {"username": "admin", "password": "wrong"},
               expect=(200, 401, 422))
    pages.get(clients["intake"], "intake", lang, "/admin/users", expect=(403,))
    pages.get(clients["intake"], "intake", lang, "/no-such-page", expect=(404,))
    pages.get(clients["manager"], "manager", lang, "/complaints/999999", expect=(404,))


def _run_vnu(files):
    result = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--errors-only",
                             *map(str, files)], capture_output=True, text=True, timeout=600)
    report = json.loads(result.stderr or '{"messages": []}')
    return [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]


@pytest.mark.skipif(shutil.which("java") is None,
                    reason="java is missing (Debian: apt-get install default-jre-headless)")
@pytest.mark.skipif(not VNU.exists(),
                    reason="tests/vendor/vnu.jar is missing: run script/setup-vnu")
def test_every_staff_page_is_valid_html_in_both_languages(app, tmp_path):
    with app.test_request_context():
        seed(app.config["UPLOAD_DIR"])
    folder = tmp_path / "pages"
    folder.mkdir()
    pages = Pages(folder)
    for lang in LANGS:
        clients = {username: _signed_in(app, username, lang) for username, *_ in USERS}
        for username, *_ in USERS:
            _crawl(pages, clients[username], username, lang)
        for who, urls in FRAGMENTS.items():
            for url in urls:
                pages.get(clients[who], who, lang, url, fragment=True)
        for url in FILTERS:
            pages.get(clients["manager"], "manager", lang, url)
        _complaints_at_every_stage(pages, lang, clients)
        _forms_with_errors(pages, clients, lang)
        _anonymous_and_errors(pages, app, clients, lang)
    assert len(pages.saved) > 400  # the crawl reached the whole staff side
    wrong_lang = [p.name for p in pages.saved if 'lang="zh-Hans"' not in p.read_text()[:200]
                  and p.name.startswith("zh_Hans") and "preview" not in p.name]  # letters
    assert not wrong_lang, f"Chinese pages without lang=zh-Hans: {wrong_lang[:10]}"

    errors = _run_vnu(pages.saved)
    lines = sorted({f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: "
                    f"{m['message'][:160]}" for m in errors})
    assert not lines, f"{len(lines)} HTML errors:\n" + "\n".join(lines[:80])
