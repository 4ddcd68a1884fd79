"""The monthly / quarterly analysis report: its content in the organisation's language and
the cron command."""
import datetime as dt

import pytest

import cli_analysis
from domain import report, stats
from domain.oversight_models import ImprovementPlan, PlanReview
from domain.settings import save_settings
from tests.test_stats import build

SEPT = stats.month_period(dt.date(2024, 9, 1))


@pytest.fixture
def data(app):
    with app.app_context():
        d = build(app)
        plan = ImprovementPlan.create(number="GJ-F-1", title="压缩签收时间", problem="签收慢",
                                      target="签收按时率 95%", root_cause=d.rc1, owner=d.staff,
                                      starts_on=dt.date(2024, 9, 1), ends_on=dt.date(2024, 9, 30),
                                      status="reviewed", created_by=d.staff)
        PlanReview.create(plan=plan, reviewer=d.staff, before_from=dt.date(2024, 8, 1),
                          before_to=dt.date(2024, 8, 31), after_from=dt.date(2024, 9, 1),
                          after_to=dt.date(2024, 9, 30), before_count=5, after_count=2,
                          before_avg_days=9.5, after_avg_days=6.0, conclusion="effective")
        return d


def test_report_shows_figures_causes_with_examples_overdue_cases_and_plan_reviews(app, data):
    with app.test_request_context():
        context = report.gather(SEPT, data.settings)
        html = report.render_html(context, data.settings, "en")
    assert "Complaint analysis report" in html and "compared with 2024-08" in html
    assert data.c4.number in html and data.c1.number in html  # examples of "Process gap"
    assert "Overdue cases" in html and data.c7.number in html  # overdue now
    assert "GJ-F-1" in html and "Effective" in html and "9.5 / 6.0" in html
    assert context["overdue_total"] == 2
    assert "<script" not in html


def test_report_is_written_in_the_organisations_letter_language(app, data):
    with app.test_request_context():
        html = report.render_html(report.gather(SEPT, data.settings), data.settings,
                                  report.report_language(data.settings))
    assert "2024年9月" in html and 'lang="zh-Hans"' in html
    save_settings({"letter_language": "en"})
    with app.app_context():
        from domain.settings import load_settings
        assert report.report_language(load_settings()) == "en"


def test_report_for_a_department_head_covers_their_department(app, data):
    with app.test_request_context():
        context = report.gather(SEPT, data.settings, department=data.svc.id)
    assert context["d"]["current"]["counts"]["received"] == 2
    assert context["overdue_total"] == 0


def test_monthly_report_command_writes_the_pdf_and_prints_its_path(app, data):
    if "monthly-report" not in app.cli.commands:
        cli_analysis.register(app)
    result = app.test_cli_runner().invoke(args=["monthly-report", "--month", "2024-09"])
    assert result.exit_code == 0, result.output
    path = result.output.strip()
    assert path.endswith("reports/complaint-analysis-2024-09.pdf")
    with open(path, "rb") as f:
        assert f.read(5) == b"%PDF-"
    bad = app.test_cli_runner().invoke(args=["monthly-report", "--quarter", "2024-09"])
    assert bad.exit_code != 0
    quarter = app.test_cli_runner().invoke(args=["monthly-report", "--quarter", "2024-Q3"])
    assert quarter.exit_code == 0 and quarter.output.strip().endswith("2024-Q3.pdf")
