"""The complainant's pages in a real browser at phone width (360 px), in both languages:
make a complaint, see the number and code, look it up, rate the handling. Every page is
checked with axe-core (no serious or critical accessibility violation) and must not scroll
sideways; a full-page screenshot of each is saved in the test's tmp dir (and in
$REDRESS_SHOTS when set).

axe-core is fetched by `script/setup --test` into tests/browser/vendor/ (pinned, checked,
not committed) and injected into each page; the context bypasses the pages' CSP for that
one inline script.
"""
import os
import shutil
from pathlib import Path

import pytest

from domain.numbering import hash_lookup_code
from domain.models import Complaint
from tests.workflow_helpers import drive, make_cast

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
SHOTS = os.environ.get("REDRESS_SHOTS")
WIDTH = 360
KNOWN_CODE = "ABCDEFGHJK23"
LOCALES = {"en": "en-GB", "zh_Hans": "zh-CN"}


@pytest.fixture
def phone(browser, live_server, live_app):
    """new_phone(lang) → a page in a fresh 360 px wide context in that language."""
    live_app.config["PUBLIC_MIN_FILL_SECONDS"] = 0
    contexts = []

    def _new(lang):
        context = browser.new_context(base_url=live_server, locale=LOCALES[lang],
                                      viewport={"width": WIDTH, "height": 780},
                                      bypass_csp=True)
        contexts.append(context)
        return context.new_page()
    yield _new
    for context in contexts:
        context.close()


def check(page, name, tmp_path):
    """No serious/critical axe violation, no sideways scrolling; a screenshot."""
    assert AXE.exists(), "axe-core is missing: run script/setup --test"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}));
    }""")
    bad = [v for v in result if v["impact"] in ("serious", "critical")]
    assert not bad, f"{name}: {bad}"
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, \
        f"{name} scrolls sideways"
    shot = tmp_path / f"{name}.png"
    page.screenshot(path=str(shot), full_page=True)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(SHOTS) / shot.name)


@pytest.mark.parametrize("lang", ["en", "zh_Hans"])
def test_a_complainant_complains_and_follows_it_up_on_a_phone(phone, lang, tmp_path):
    page = phone(lang)
    page.goto("/complain")
    assert page.locator("html").get_attribute("lang") == ("zh-Hans" if lang == "zh_Hans" else "en")
    check(page, f"{lang}-complain", tmp_path)

    page.locator("form.public-form button[type=submit]").click()  # empty: errors beside fields
    page.wait_for_load_state()
    assert page.locator("#complainant_name-error").is_visible()
    check(page, f"{lang}-complain-errors", tmp_path)

    page.locator("#complainant_name").fill("王芳" if lang == "zh_Hans" else "Jane Doe")
    page.locator("#complainant_phone").fill("13900139000")
    page.locator("#matter").fill("快递三天未送达。" if lang == "zh_Hans"
                                 else "My parcel has not arrived after three days.")
    page.locator("form.public-form button[type=submit]").click()
    page.wait_for_url("**/complain/done")
    number = page.locator("dd .code").first.inner_text()
    code = page.locator(".lookup-code").inner_text()
    assert len(code) >= 10
    check(page, f"{lang}-done", tmp_path)
    with page.expect_download() as download:
        page.locator("a[download]").click()
    assert download.value.suggested_filename.endswith(".pdf")

    lookup = phone(lang)
    lookup.goto("/track")
    check(lookup, f"{lang}-track", tmp_path)
    lookup.locator("#number").fill(number)
    lookup.locator("#code").fill("WRONGCODE234")
    lookup.locator("form.public-form button[type=submit]").click()
    lookup.wait_for_load_state()
    assert lookup.locator("#lookup-error").is_visible()
    check(lookup, f"{lang}-track-failed", tmp_path)
    lookup.locator("#code").fill(code)
    lookup.locator("form.public-form button[type=submit]").click()
    lookup.wait_for_url("**/track/status")
    assert number in lookup.locator("h1").inner_text()
    check(lookup, f"{lang}-status", tmp_path)


@pytest.mark.parametrize("lang", ["en", "zh_Hans"])
def test_the_rating_form_on_a_phone(phone, live_app, lang, tmp_path):
    with live_app.test_request_context():
        cast = make_cast(live_app)
        complaint = drive(cast, "visiting")
    Complaint.update(lookup_code_hash=hash_lookup_code(KNOWN_CODE)).where(
        Complaint.id == complaint.id).execute()
    page = phone(lang)
    page.goto("/track")
    page.locator("#number").fill(complaint.number)
    page.locator("#code").fill(KNOWN_CODE)
    page.locator("form.public-form button[type=submit]").click()
    page.wait_for_url("**/track/status")
    assert page.locator("#rating form").is_visible()
    check(page, f"{lang}-status-rating", tmp_path)
    page.locator("#satisfaction-0").check()
    page.locator("#resolved-0").check()
    page.locator("#rating button[type=submit]").click()
    page.wait_for_url("**/track/status#rating")
    assert page.locator("#rating form").count() == 0
    check(page, f"{lang}-status-rated", tmp_path)
