"""The intake journey in a real browser: sign in, register, find, open, go back; errors,
duplicates, the Chinese interface, and no console errors or CSP violations on the way.

Screenshots: set REDRESS_SHOTS=/some/dir to save full-page PNGs of the key pages.
"""
import gettext
import os
import re
from functools import lru_cache
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PNG
from tests.factories import PASSWORD, make_complaint, make_user

COMPLAINT_URL = re.compile(r"/complaints/\d+$")
SHOTS = os.environ.get("REDRESS_SHOTS")

# The 422 of a form sent with errors is expected; Chromium logs every 4xx fetch as an error.
EXPECTED_422 = "status of 422"


@lru_cache(maxsize=1)
def _zh_catalog():
    root = Path(__file__).resolve().parents[2] / "translations"
    return gettext.translation("messages", localedir=str(root), languages=["zh_Hans"])


def zh(msgid: str) -> str:
    """The Chinese for an interface string, which must be translated."""
    text = _zh_catalog().gettext(msgid)
    assert text != msgid, f"no Chinese translation yet for {msgid!r}"
    return text


def assert_no_problems(problems, allow=()):
    unexpected = [p for p in problems.all() if not any(a in p for a in allow)]
    assert not unexpected, unexpected


def mark_document(page: Page):
    """A marker that survives htmx swaps but not a full page load."""
    page.evaluate("window.__sameDocument = true")


def still_same_document(page: Page) -> bool:
    return page.evaluate("window.__sameDocument === true")


def shot(page: Page, name: str):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def switch_to_chinese(page: Page):
    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")


def fill_intake_form(page: Page, tmp_path: Path, matter: str):
    """By element id, so the same helper works whatever the interface language."""
    page.locator("#channel").select_option("online")
    page.locator("#complainant_name").fill("李娜")
    page.locator("#complainant_phone").fill("139 1234 5678")
    page.locator("#matter").fill(matter)
    png = tmp_path / "receipt.png"
    png.write_bytes(PNG)
    page.locator("#evidence").set_input_files(str(png))


def test_intake_registers_finds_and_opens_a_complaint(page: Page, problems, sign_in,
                                                       live_app, tmp_path):
    user = sign_in("intake")
    # Another of this user's complaints, which the search must leave out.
    other = make_complaint(live_app, registered_by=user, complainant_name="王芳",
                           complainant_phone="13700000000", matter="快递延误三天。",
                           demand="道歉")

    page.get_by_role("link", name="Register a complaint").first.click()
    expect(page.get_by_role("heading", name="Register a complaint")).to_be_visible()
    page.get_by_label("Channel").select_option("online")
    page.get_by_label("Complainant's name").fill("李娜")
    page.get_by_label("Phone", exact=True).fill("139 1234 5678")
    page.get_by_label("The matter complained of").fill("收到的吹风机不能开机，要求退款。")
    png = tmp_path / "receipt.png"
    png.write_bytes(PNG)
    page.get_by_label("Evidence files").set_input_files(str(png))
    page.get_by_role("button", name="Register").click()

    # The htmx post answers with HX-Redirect: a real navigation to the complaint page.
    page.wait_for_url(COMPLAINT_URL)
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Complaint")
    number = heading.inner_text().split()[1]
    assert number != other.number
    expect(page.get_by_role("status").filter(has_text="registered")).to_contain_text(number)
    lookup = page.locator(".notice-important .code")
    expect(lookup).to_have_text(re.compile(r"\S{4,}"))
    expect(page.get_by_role("link", name="receipt.png")).to_be_visible()
    expect(page.locator(".prose").first).to_have_text("收到的吹风机不能开机，要求退款。")
    complaint_url = page.url

    # The lookup code is shown once only.
    page.reload()
    expect(page.locator(".notice-important")).to_have_count(0)

    # The list, searched through htmx: the table changes in place and the URL follows.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Complaints").click()
    page.wait_for_url(re.compile(r"/complaints$"))
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(2)
    mark_document(page)
    page.get_by_label("Search").fill("退款")
    expect(rows).to_have_count(1)
    expect(page).to_have_url(re.compile(r"[?&]q=(%E9%80%80%E6%AC%BE|退款)(&|$)"))
    assert still_same_document(page), "the search reloaded the page instead of swapping"
    expect(rows.first).to_contain_text(number)
    expect(page.locator("#results")).not_to_contain_text(other.number)
    filtered_url = page.url

    page.get_by_role("link", name=number, exact=True).click()
    page.wait_for_url(complaint_url)
    timeline = page.locator("#timeline")
    expect(timeline.get_by_role("heading", name="History")).to_be_visible()
    expect(timeline.locator("ol.timeline > li")).not_to_have_count(0)
    expect(timeline).to_contain_text(user.full_name)

    page.go_back()
    page.wait_for_url(filtered_url)
    expect(page.get_by_label("Search")).to_have_value("退款")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(number)

    assert_no_problems(problems)


def test_the_journey_in_chinese(page: Page, problems, sign_in, live_app, tmp_path):
    user = sign_in("intake")
    switch_to_chinese(page)
    # The language button itself now offers English, in English.
    expect(page.get_by_role("button", name="English")).to_be_visible()
    page.goto("/complaints")
    expect(page.locator("#results")).to_be_attached()

    page.get_by_role("link", name="登记投诉").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("登记投诉")
    fill_intake_form(page, tmp_path, "电热水壶漏水，申请退款。")
    page.locator("#intake-form button[type=submit]").click()
    page.wait_for_url(COMPLAINT_URL)
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    number = page.get_by_role("heading", level=1).inner_text().split()[1]
    expect(page.locator(".notice-important .code")).not_to_be_empty()
    expect(page.locator("#h-timeline")).to_have_text(zh("History"))

    page.goto("/complaints")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("heading", level=1)).to_have_text(zh("Complaints"))
    page.locator("#q").fill("退款")
    expect(page).to_have_url(re.compile(r"[?&]q="))
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results tbody tr").first).to_contain_text(number)

    # The choice is remembered for the account, and a new session starts in Chinese.
    page.context.clear_cookies()
    page.goto("/login")
    page.locator("#username").fill(user.username)
    page.locator("#password").fill(PASSWORD)
    page.locator("form:not(.lang-form) button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/work$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")

    assert_no_problems(problems)


def test_intake_form_errors_appear_next_to_the_fields(page: Page, problems,
                                                                      sign_in):
    sign_in("intake")
    page.goto("/complaints/new")
    mark_document(page)
    with page.expect_response(lambda r: r.url.endswith("/complaints/new")
                              and r.request.method == "POST") as sent:
        page.get_by_role("button", name="Register").click()
    assert sent.value.status == 422

    expect(page.get_by_role("alert")).to_contain_text("Please correct the marked fields")
    assert still_same_document(page), "the errors came back as a new page, not an htmx swap"
    for name in ("complainant_name", "matter"):
        field = page.locator(f"#{name}")
        expect(field).to_have_attribute("aria-invalid", "true")
        error = page.locator(f"#{name}-error")
        expect(error).to_be_visible()
        expect(error).not_to_be_empty()
        described = field.get_attribute("aria-describedby") or ""
        assert f"{name}-error" in described.split()
        # Next to the field: inside the same .field wrapper.
        expect(page.locator(".field.has-error", has=field)).to_contain_text(error.inner_text())
    expect(page.locator("#channel")).not_to_have_attribute("aria-invalid", "true")

    # The form still works after the swap: correct it and register.
    page.get_by_label("Complainant's name").fill("赵磊")
    page.get_by_label("Phone", exact=True).fill("13500000000")
    page.get_by_label("The matter complained of").fill("空调安装后漏水。")
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(COMPLAINT_URL)

    assert_no_problems(problems, allow=[EXPECTED_422])


def test_focus_moves_to_the_first_field_in_error(page: Page, problems, sign_in):
    sign_in("intake")
    page.goto("/complaints/new")
    page.get_by_role("button", name="Register").click()
    expect(page.locator("#complainant_name")).to_have_attribute("aria-invalid", "true")
    # For keyboard and screen-reader users: the first field in error takes the focus.
    expect(page.locator("#complainant_name")).to_be_focused(timeout=2000)


def test_typing_the_phone_of_an_open_complaint_warns_of_duplicates(page: Page, problems,
                                                                     sign_in, live_app):
    user = sign_in("intake")
    earlier = make_complaint(live_app, registered_by=user, complainant_phone="13800138000")
    page.goto("/complaints/new")
    expect(page.locator("#intake-form .notice")).to_have_count(0)

    # Typed the way people do, with country code and separators.
    page.get_by_label("Phone", exact=True).press_sequentially("+86 138-0013-8000")
    notice = page.locator("#intake-form .notice")
    expect(notice).to_contain_text("Possible duplicates")
    expect(notice.get_by_role("link", name=earlier.number)).to_be_visible()
    expect(notice).to_have_attribute("role", "status")

    assert_no_problems(problems)


def test_the_duplicates_notice_follows_the_phone_as_it_changes(page: Page, problems, sign_in,
                                                              live_app):
    user = sign_in("intake")
    earlier = make_complaint(live_app, registered_by=user, complainant_phone="13800138000")
    page.goto("/complaints/new")
    phone = page.get_by_label("Phone", exact=True)
    region = page.locator("#duplicates")

    with page.expect_response(lambda r: "/complaints/duplicates" in r.url):
        phone.fill("13911112222")  # no match first
    expect(region).to_be_attached(timeout=2000)
    phone.fill("13800138000")
    expect(region.get_by_role("link", name=earlier.number)).to_be_visible(timeout=2000)
    phone.fill("13911113333")
    expect(region).to_be_empty(timeout=2000)
    assert_no_problems(problems)


def test_the_language_chosen_before_signing_in_is_kept(page: Page, problems, live_app):
    user = make_user("intake")
    page.goto("/login")
    switch_to_chinese(page)
    page.locator("#username").fill(user.username)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/work$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans", timeout=2000)


def test_key_pages_render_without_errors_in_both_languages(page: Page, problems, live_app,
                                                           tmp_path):
    """Every key page, in English then Chinese, with no console errors or CSP violations."""
    admin = make_user("admin", roles=["admin", "intake"], full_name="Alexandra Administrator")
    for i, (name, matter) in enumerate([
            ("张伟", "购买的电水壶漏水，申请退款。"),
            ("Margaret Featherstonehaugh-Wellington",
             "The washing machine delivered on 3 March leaks from the door seal on every "
             "cycle; two technician visits did not fix it and the floor is now damaged."),
            ("欧阳娜娜", "网上订购的手机七天无理由退货被拒绝，客服多次承诺回电但一直没有回复。"
                        "要求按照消费者权益保护法办理退货并退款。")]):
        make_complaint(live_app, registered_by=admin, complainant_name=name, matter=matter,
                       complainant_phone=f"1380000000{i}")

    for lang in ("en", "zh"):
        page.context.clear_cookies()
        page.goto("/login")
        if lang == "zh":
            switch_to_chinese(page)
        shot(page, f"{lang}-login")
        page.locator("#username").fill(admin.username)
        page.locator("#password").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/work$"))
        if lang == "zh" and page.locator("html").get_attribute("lang") != "zh-Hans":
            switch_to_chinese(page)
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hans" if lang == "zh" else "en")
        shot(page, f"{lang}-work")
        page.goto("/complaints")
        expect(page.locator("#results tbody tr")).to_have_count(3)
        shot(page, f"{lang}-list")

        page.goto("/complaints/new")
        page.locator("#intake-form button[type=submit]").click()
        expect(page.locator("#complainant_name")).to_have_attribute("aria-invalid", "true")
        shot(page, f"{lang}-intake-errors")

        page.goto("/complaints")
        page.locator("#results tbody tr a").first.click()
        page.wait_for_url(COMPLAINT_URL)
        expect(page.locator("#timeline li")).not_to_have_count(0)
        shot(page, f"{lang}-complaint")

        page.goto("/admin/users")
        expect(page.locator("table.list tbody tr")).to_have_count(1)
        shot(page, f"{lang}-admin-users")

        if lang == "zh":  # back to English for the account, so the next run starts clean
            page.get_by_role("button", name="English").click()

    assert_no_problems(problems, allow=[EXPECTED_422])
