"""The analysis pages: who may see them, the department scope, full page and htmx
fragment, both languages, charts that pass the CSP, root causes with drill-down."""
import re

import pytest

from domain.models import Complaint
from tests.factories import make_user
from tests.test_stats import build


@pytest.fixture
def data(app):
    with app.app_context():
        return build(app)


@pytest.mark.parametrize("role", ["intake", "investigator"])
def test_staff_without_an_analysis_role_get_403_everywhere(app, login_as, role):
    c = login_as(role)
    for url in ("/analysis/", "/analysis/ledger.csv", "/analysis/ledger.xlsx",
                "/analysis/report?period=2024-09", "/analysis/root-causes"):
        assert c.get(url).status_code == 403, url


def test_signed_out_visitors_are_sent_to_the_sign_in_page(client):
    assert client.get("/analysis/").status_code in (302, 303)
    assert client.get("/analysis/ledger.csv").status_code in (302, 303)


def test_manager_sees_the_dashboard_with_figures_charts_and_tables(data, login_as):
    page = login_as("manager").get("/analysis/?period=2024-09").get_data(as_text=True)
    assert "<h1>Complaint analysis</h1>" in page
    summary = page[page.index('id="h-summary"'):page.index('id="h-trend"')]
    received = re.search(r"Complaints received</a></th>\s*<td class=\"num\">(\d+)</td>\s*"
                         r"<td class=\"num\">(\d+)</td>\s*<td class=\"num\">([^<]+)</td>", summary)
    assert received.groups() == ("6", "2", "+200.0 %")
    assert 'role="img"' in page and "<title id=\"chart-channel-title\">" in page
    assert "Show the numbers as a table" in page
    # CSP: no inline style, no style attribute, no script in the charts.
    assert "style=" not in page and "<style" not in page
    assert "Process gap" in page  # the top root cause


def test_dashboard_filters_answer_as_an_htmx_fragment(data, login_as):
    r = login_as("manager").get("/analysis/?period=2024-09&channel=letter",
                                headers={"HX-Request": "true"})
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and "<html" not in body and "<h1>" not in body
    assert re.search(r"Complaints received</a></th>\s*<td class=\"num\">1</td>", body)


def test_a_bad_period_is_refused_beside_the_field(data, login_as):
    r = login_as("manager").get("/analysis/?period=2024-13")
    assert r.status_code == 422
    assert "Give a month as YYYY-MM or a quarter as YYYY-Qn." in r.get_data(as_text=True)


def test_department_head_sees_only_their_departments_figures(data, login_as):
    head = make_user("dept_head", department=data.svc)
    page = login_as(head).get("/analysis/?period=2024-09&department=%d" % data.qa.id)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Figures for your department: Service." in text
    assert re.search(r"Complaints received</a></th>\s*<td class=\"num\">2</td>", text)
    assert 'id="department"' not in text  # no department choice for a head


def test_dashboard_in_chinese_translates_chart_labels(data, login_as):
    user = make_user("manager")
    user.locale = "zh_Hans"
    user.save()
    page = login_as(user).get("/analysis/?period=2024-09").get_data(as_text=True)
    assert "热线" in page or "电话" in page  # the hotline channel's Chinese label
    assert "质量部" in page


def test_root_causes_list_counts_drills_down_and_offers_a_plan(data, login_as):
    page = login_as("manager").get("/analysis/root-causes?period=2024-09").get_data(as_text=True)
    assert "Process gap" in page and "Staff conduct" in page
    assert f"root_cause={data.rc1.id}" in page
    assert f"/plans/new?root_cause={data.rc1.id}" in page
    fragment = login_as("auditor").get("/analysis/root-causes?period=2024-09",
                                       headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<h1>" not in fragment and "/plans/new" not in fragment  # auditors make no plans


def test_complaint_list_filters_by_root_cause(data, login_as):
    page = login_as("manager").get(f"/complaints?root_cause={data.rc2.id}").get_data(as_text=True)
    numbers = set(re.findall(r"TS-F-\d{3}", page))
    assert numbers == {data.c2.number}
    assert f'<option value="{data.rc2.id}" selected>' in page


def test_report_pdf_on_demand(data, login_as):
    r = login_as("leader").get("/analysis/report?period=2024-Q3")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.data.startswith(b"%PDF")
    assert login_as("manager").get("/analysis/report?period=bad").status_code == 422
