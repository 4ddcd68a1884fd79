"""One complaint's whole life in a real browser, each step taken by the person it waits on.

Every step signs out, signs in as the right person, opens the step's disclosure on the
complaint page, fills the form and sends it: htmx swaps the complaint panel in place and
the status badge moves on. My work shows the complaint to the person it waits on. Once in
English from registration to archive, then the first stages again in Chinese.

Screenshots: set REDRESS_SHOTS=/some/dir to save full-page PNGs of the key pages.
"""
import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from flask_babel import force_locale, gettext
from playwright.sync_api import Locator, Page, expect

from domain.models import Department, User
from domain.statuses import STATUSES
from tests.factories import make_department, make_user

COMPLAINT_URL = re.compile(r"/complaints/(\d+)$")
SHOTS = os.environ.get("REDRESS_SHOTS")
BADGE = "#complaint-panel h1 .badge"


@dataclass
class Cast:
    quality: Department
    intake: User
    head: User
    investigator: User
    leader: User
    manager: User


def make_cast() -> Cast:
    """The Quality department and one person for each role the journey needs."""
    make_department("Logistics", "物流配送部")
    quality = make_department("Quality", "质量管理部")
    make_department("Stores", "门店运营部")
    people = {
        "intake": make_user("intake", full_name="Irene Intake"),
        "head": make_user("dept_head", department=quality, full_name="Harold Head"),
        "investigator": make_user("investigator", department=quality,
                                  full_name="Ivy Investigator"),
        "leader": make_user("leader", full_name="Leonard Leader"),
        "manager": make_user("manager", full_name="Mona Manager"),
    }
    # A second investigator of Quality: the head has a real choice to make.
    make_user("investigator", department=quality, full_name="Ian Other")
    return Cast(quality, **people)


def labels(app, code: str) -> tuple[str, str | None]:
    """(English label, Chinese label or None while it is untranslated) of a status."""
    with app.test_request_context():
        with force_locale("en"):
            en = str(STATUSES[code])
        with force_locale("zh_Hans"):
            zh = str(STATUSES[code])
    return en, (zh if zh != en else None)


def zh_text(app, msgid: str) -> str | None:
    """The Chinese the app shows for an interface string, or None while untranslated."""
    with app.test_request_context(), force_locale("zh_Hans"):
        text = gettext(msgid)
    return text if text != msgid else None


def shot(page: Page, name: str):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def assert_no_problems(problems):
    assert not problems.all(), problems.all()


def expect_status(page: Page, app, code: str, chinese=False):
    badge = page.locator(BADGE)
    expect(badge).to_have_class(re.compile(rf"\bstatus-{code}\b"))
    en, zh = labels(app, code)
    if not chinese:
        expect(badge).to_have_text(en)
    elif zh:
        expect(badge).to_have_text(zh)


def open_step(page: Page, key: str) -> Locator:
    """The disclosure of step `key` (act-<key>), opened."""
    details = page.locator(f"#act-{key}")
    expect(details).to_be_visible()
    if not details.evaluate("d => d.open"):
        details.locator("summary").click()
    expect(details.locator("form")).to_be_visible()
    return details


def send(page: Page, details: Locator, button: str | None = None):
    """Submit the step's form; it must come back as an htmx swap of the panel (200)."""
    # Marks on the document and on the panel: the swap replaces the panel, not the page.
    page.evaluate("window.__sameDocument = true;"
                  "document.getElementById('complaint-panel').dataset.before = '1'")
    submit = (details.get_by_role("button", name=button, exact=True) if button
              else details.locator("button[type=submit]"))
    with page.expect_response(lambda r: "/act/" in r.url and r.request.method == "POST") as r:
        submit.click()
    assert r.value.status == 200, f"{r.value.url} answered {r.value.status}"
    expect(page.locator("#complaint-panel[data-before]")).to_have_count(0)
    expect(page.locator("#complaint-panel .notice-success")).to_be_visible()
    assert page.evaluate("window.__sameDocument === true"), "a full page load, not a swap"


def take_step(page: Page, app, key: str, fill=None, button=None, then=None, chinese=False):
    details = open_step(page, key)
    if fill:
        fill(details)
    send(page, details, button)
    if then:
        expect_status(page, app, then, chinese)


def open_from_my_work(page: Page, task: str, number: str):
    """My work lists the complaint under `task`; its number opens the complaint page."""
    page.locator('nav[aria-label] a[href$="/work"]').first.click()
    page.wait_for_url(re.compile(r"/work$"))
    group = page.locator(f"#task-{task}")
    expect(group).to_be_visible()
    link = group.get_by_role("link", name=number, exact=True)
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url(COMPLAINT_URL)


def register(page: Page, matter: str, by_label=True) -> tuple[str, str]:
    """Fill and send the intake form; returns (complaint page URL, number)."""
    page.goto("/complaints/new")
    if by_label:
        page.get_by_label("Channel").select_option("hotline")
        page.get_by_label("Complainant's name").fill("Wang Fang")
        page.get_by_label("Phone", exact=True).fill("139 8765 4321")
        page.get_by_label("The matter complained of").fill(matter)
        page.get_by_role("button", name="Register").click()
    else:
        page.locator("#channel").select_option("hotline")
        page.locator("#complainant_name").fill("王芳")
        page.locator("#complainant_phone").fill("13987654321")
        page.locator("#matter").fill(matter)
        page.locator("#intake-form button[type=submit]").click()
    page.wait_for_url(COMPLAINT_URL)
    number = page.get_by_role("heading", level=1).inner_text().split()[1]
    return page.url, number


def test_one_complaint_from_intake_to_archive(page: Page, problems, sign_in_as, live_app):
    cast = make_cast()
    soon = (dt.date.today() + dt.timedelta(days=30)).isoformat()

    # 1. Intake staff register the complaint.
    sign_in_as(cast.intake, "/complaints/new")
    _url, number = register(page, "The kettle leaks after three days; I want my money back.")
    expect_status(page, live_app, "registered")
    expect(page.get_by_role("heading", name="Your next steps")).to_be_visible()

    # 2. They assess it (nature, severity), which keeps it registered, and accept it.
    def assess(d):
        d.get_by_label("Nature").select_option(label="Product quality")
        d.get_by_label("Severity").select_option(label="Major")
        d.get_by_label("Urgency").select_option(label="Urgent")
    take_step(page, live_app, "assess", assess, "Save the assessment", then="registered")
    expect(page.locator("#complaint-panel .notice-success")).to_have_text("Saved.")
    take_step(page, live_app, "accept", lambda d: d.get_by_label("Note (optional)").fill(
        "Within our remit."), "Accept", then="accepted")
    expect(page.locator("#complaint-panel .notice-success")).to_contain_text(
        "The complaint is now: Accepted")

    # 3. …and assign it to the Quality department.
    def assign(d):
        d.get_by_label("Department").select_option(label="Quality")
        d.get_by_label("Handling requirements").fill("Test the returned kettle.")
    take_step(page, live_app, "assign", assign, "Assign", then="assigned")
    shot(page, "lifecycle-assigned")

    # 4. The head of Quality finds it in My work and confirms receipt, naming the investigator.
    sign_in_as(cast.head)
    open_from_my_work(page, "confirm", number)
    take_step(page, live_app, "confirm_receipt",
              lambda d: d.get_by_label("Investigator").select_option(label="Ivy Investigator"),
              "Confirm receipt", then="investigating")
    expect(page.locator("#complaint-panel")).to_contain_text("Ivy Investigator")

    # 5. The investigator submits the report, then the proposal.
    sign_in_as(cast.investigator)
    open_from_my_work(page, "investigate", number)

    def report(d):
        d.get_by_label("Review of records and contracts").check()
        d.get_by_label("Site inspection").check()
        d.get_by_label("True", exact=True).check()
        d.get_by_label("Facts found").fill("The seal of the lid is cracked from the factory.")
        d.get_by_label("Root cause", exact=True).select_option(index=1)
        d.get_by_label("Root cause in detail").fill("A batch of faulty seals.")
    take_step(page, live_app, "submit_investigation", report, "Submit the report",
              then="proposing")

    def proposal(d):
        d.get_by_label("Apology and explanation").fill("We are sorry for the faulty kettle.")
        remedy = d.locator("fieldset.row-group").nth(0)
        remedy.get_by_label("Kind").select_option(label="Refund")
        remedy.get_by_label("Amount").fill("199.00")
        remedy.get_by_label("Description").fill("Full price of the kettle")
        measure = d.locator("fieldset.row-group").nth(3)  # after the three remedy rows
        measure.get_by_label("Measure").fill("Check the seals of the whole batch")
        measure.get_by_label("Person responsible").select_option(label="Harold Head")
        measure.get_by_label("Due date").fill(soon)
    take_step(page, live_app, "submit_proposal", proposal, "Submit the proposal",
              then="reviewing")

    # 6. The head reviews (approves); 7. a leader approves.
    sign_in_as(cast.head)
    open_from_my_work(page, "review", number)
    take_step(page, live_app, "review", None, "Approve and send to a leader", then="approving")
    sign_in_as(cast.leader)
    open_from_my_work(page, "approve", number)
    take_step(page, live_app, "approve", lambda d: d.get_by_label("Comment (optional)").fill(
        "Agreed."), "Approve", then="approved")

    # 8. Intake staff record the response, 9. and that the complainant accepted the result.
    sign_in_as(cast.intake)
    open_from_my_work(page, "respond", number)
    take_step(page, live_app, "record_response",
              lambda d: d.get_by_label("Sent by").select_option(label="Post"),
              "Record the response", then="responded")
    take_step(page, live_app, "accept_result", None, "Record the acceptance", then="executing")

    # 10. The head marks the remedy and the measure done, then completes execution.
    sign_in_as(cast.head)
    open_from_my_work(page, "execute", number)
    done = page.locator("details.action-mark_done")
    expect(done).to_have_count(2)
    for left in (1, 0):
        take_step(page, live_app, done.first.get_attribute("id").removeprefix("act-"),
                  lambda d: d.get_by_label("Note").fill("Done."), "Mark as done",
                  then="executing")
        expect(done).to_have_count(left)
    take_step(page, live_app, "complete_execution", None, "Complete execution",
              then="visiting")

    # 11. Intake staff record the return visit: very satisfied, resolved.
    sign_in_as(cast.intake)
    open_from_my_work(page, "visit", number)

    def visit(d):
        d.get_by_label("How").select_option(label="Phone")
        d.get_by_label("5 – very satisfied").check()
        d.get_by_label("Yes", exact=True).check()
        d.get_by_label("Comments").fill("Happy with the refund.")
    take_step(page, live_app, "record_visit", visit, "Record the visit", then="visiting")
    expect(page.locator("#complaint-panel .notice-warn")).to_have_count(0)  # no reopen offer

    # 12. The manager closes it, 13. and archives it: read-only, no steps left.
    sign_in_as(cast.manager)
    open_from_my_work(page, "close", number)
    take_step(page, live_app, "close", None, "Close", then="closed")
    take_step(page, live_app, "archive", None, "Archive", then="archived")
    expect(page.locator("#actions")).to_have_count(0)
    page.reload()
    expect_status(page, live_app, "archived")
    expect(page.locator("#actions")).to_have_count(0)
    # Archiving made the dossier, which the page offers as a PDF.
    dossier = page.locator("#dossier a[href]").first
    expect(dossier).to_be_visible()
    pdf = page.request.get(dossier.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"].startswith("application/pdf")
    assert pdf.body().startswith(b"%PDF")
    shot(page, "lifecycle-archived")

    # Every step is in the history, and nothing waits on anyone any more.
    timeline = page.locator("#timeline")
    for text in ("Receipt confirmed", "Investigation report submitted", "Approved",
                 "Response sent", "Return visit", "Closed", "Archived"):
        expect(timeline).to_contain_text(text)
    page.goto("/work")
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    expect(page.get_by_role("link", name=number, exact=True)).to_have_count(0)

    assert_no_problems(problems)


def test_the_first_stages_in_chinese(page: Page, problems, sign_in_as, live_app):
    cast = make_cast()

    sign_in_as(cast.intake, "/complaints/new", chinese=True)
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    _url, number = register(page, "电热水壶漏水，要求退款。", by_label=False)
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect_status(page, live_app, "registered", chinese=True)
    if heading := zh_text(live_app, "Your next steps"):
        expect(page.locator("#h-actions")).to_have_text(heading)

    def assess(d):
        d.locator("select[id$='-nature']").select_option("product_quality")
        d.locator("select[id$='-severity']").select_option("ordinary")
    take_step(page, live_app, "assess", assess, then="registered", chinese=True)
    if nature := zh_text(live_app, "Product quality"):  # the assessment shows in the page
        expect(page.locator("#complaint-panel")).to_contain_text(nature)
    take_step(page, live_app, "accept", then="accepted", chinese=True)
    saved, accepted = zh_text(live_app, "Saved. The complaint is now: %(status)s."), \
        labels(live_app, "accepted")[1]
    if saved and accepted:
        expect(page.locator("#complaint-panel .notice-success")).to_have_text(
            saved % {"status": accepted})
    take_step(page, live_app, "assign",
              lambda d: d.locator("select[id$='-department']").select_option(
                  label="质量管理部"),  # departments show their Chinese names
              then="assigned", chinese=True)
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    shot(page, "lifecycle-zh-assigned")

    sign_in_as(cast.head, chinese=True)
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    if title := zh_text(live_app, "My work"):
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
    open_from_my_work(page, "confirm", number)
    take_step(page, live_app, "confirm_receipt",
              lambda d: d.locator("select[id$='-investigator']").select_option(
                  label="Ivy Investigator"),
              then="investigating", chinese=True)
    if dept := zh_text(live_app, "Department"):
        expect(page.locator("#complaint-panel")).to_contain_text(dept)
    expect(page.locator("#complaint-panel")).to_contain_text("质量管理部")

    sign_in_as(cast.investigator, chinese=True)
    open_from_my_work(page, "investigate", number)

    def report(d):
        d.locator("input[type=checkbox][value=interviews]").check()
        d.locator("input[type=radio][value=partly]").check()
        d.locator("textarea[id$='-facts_text']").fill("壶盖密封圈出厂时已有裂纹。")
        d.locator("select[id$='-root_cause']").select_option(index=1)
    take_step(page, live_app, "submit_investigation", report, then="proposing", chinese=True)
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    shot(page, "lifecycle-zh-proposing")

    assert_no_problems(problems)
