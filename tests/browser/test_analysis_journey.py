"""A complaint manager takes the month's figures to the management meeting, in a real browser
and in Chinese: the dashboard shows this month's complaints, a channel filter narrows every
figure without a page load (htmx), a step taken meanwhile shows at the next look, the ledger
downloads as CSV with the complaints in it, the analysis report opens as a PDF, and the root
causes page leads to the complaints of a cause and to a new improvement plan for it. Then
the same dashboard in English.

Screenshots: set REDRESS_SHOTS=/some/dir to save full-page PNGs of the key pages."""
import re
import subprocess

from playwright.sync_api import expect

from domain.stage_models import RootCause
from tests.browser.test_journey import (assert_no_problems, mark_document, shot,
                                        still_same_document)
from tests.factories import make_user
from tests.workflow_helpers import act, drive, make_cast


def _summary_cell(page, label: str):
    """The "this period" number of a row of the summary table."""
    return page.locator("table.analysis-summary tr", has=page.locator(
        "th", has_text=label)).locator("td").first


def _stage_ended(page, label: str):
    return page.locator("table.analysis-stages tr", has=page.locator(
        "th", has_text=label)).locator("td").nth(1)


def test_a_manager_reads_filters_exports_and_acts_on_the_months_figures(
        page, live_app, sign_in_as, problems, tmp_path):
    with live_app.app_context():
        cast = make_cast(live_app)
        investigated = drive(cast, "proposing", channel="hotline")
        waiting = drive(cast, "accepted", channel="email")
        cause = RootCause.select().where(RootCause.active).order_by(RootCause.id).first()
    manager = make_user("manager", full_name="Mei Manager")

    # The dashboard in Chinese: two complaints received this month, both accepted.
    sign_in_as(manager, next_url="/analysis/", chinese=True)
    expect(page.locator("h1")).to_have_text("投诉统计分析")
    expect(_summary_cell(page, "受理投诉量")).to_have_text("2")
    expect(_summary_cell(page, "已受理")).to_have_text("2")
    shot(page, "analysis-1-dashboard-zh")

    # Choosing a channel narrows every figure in place: the hotline complaint only.
    mark_document(page)
    page.locator("#channel").select_option("hotline")
    expect(page).to_have_url(re.compile(r"channel=hotline"))
    expect(_summary_cell(page, "受理投诉量")).to_have_text("1")
    assert still_same_document(page)
    # Its assignment stage is over; the email complaint's is not yet.
    page.locator("#channel").select_option("")
    expect(_stage_ended(page, "分类转办")).to_have_text("1 / 2")

    # Meanwhile the email complaint is assigned: the next look counts it.
    with live_app.app_context():
        act(cast, waiting, "assign")
    page.reload()
    expect(_stage_ended(page, "分类转办")).to_have_text("2 / 2")

    # The ledger as CSV (UTF-8 with a BOM, for Excel), with both complaints.
    with page.expect_download() as download:
        page.get_by_role("link", name="导出跟踪台账（CSV）").click()
    ledger = download.value.path().read_bytes()
    assert ledger.startswith(b"\xef\xbb\xbf")
    text = ledger.decode("utf-8-sig")
    assert investigated.number in text and waiting.number in text

    # The analysis report as PDF, in Chinese.
    href = page.get_by_role("link", name="投诉分析报告（PDF）").get_attribute("href")
    pdf = page.context.request.get(href)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf.body())
    report = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                            text=True, check=True).stdout
    assert "投诉分析报告" in report

    # Root causes: the investigated complaint's cause, its complaints, a plan for it.
    page.get_by_role("link", name="原因类别").click()
    row = page.locator("table.analysis-causes tr", has=page.locator(
        "th", has_text=cause.name_zh or cause.name))
    expect(row.locator("td").first).to_have_text("1")
    shot(page, "analysis-2-root-causes-zh")
    row.locator("td").first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"root_cause={cause.id}"))
    expect(page.locator("#results")).to_contain_text(investigated.number)
    expect(page.locator("#results")).not_to_contain_text(waiting.number)
    page.go_back()
    row.get_by_role("link", name="发起改进计划").click()
    expect(page).to_have_url(re.compile(rf"/plans/new\?root_cause={cause.id}"))
    expect(page.locator("h1")).to_contain_text("改进计划")

    # The same figures in English.
    page.goto("/analysis/")
    page.locator('.lang-form button[value="en"]').click()
    expect(page.locator("h1")).to_have_text("Complaint analysis")
    expect(_summary_cell(page, "Complaints received")).to_have_text("2")
    shot(page, "analysis-3-dashboard-en")
    assert_no_problems(problems)
