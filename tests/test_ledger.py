"""The ledger export: CSV with a BOM and XLSX, the list's filters and access, one row per
complaint with each stage's dates, and no formula injection."""
import csv
import io
import zipfile

import pytest

from domain import ledger
from tests.factories import make_user
from tests.test_stats import build


@pytest.fixture
def data(app):
    with app.app_context():
        return build(app)


def _csv(response):
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_has_one_row_per_complaint_with_stage_dates_and_flags(data, login_as):
    r = login_as("manager").get("/analysis/ledger.csv?received_from=2024-09-01&received_to=2024-09-30")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert "attachment" in r.headers["Content-Disposition"]
    rows = _csv(r)
    head, body = rows[0], rows[1:]
    assert len(body) == 6
    c1 = dict(zip(head, next(row for row in body if row[0] == data.c1.number)))
    assert c1["Department"] == "Quality" and c1["Satisfaction"] == "4"
    assert c1["Receipt by the department: ended"] == "2024-10-08"
    assert c1["Receipt by the department: due"] == "2024-09-30"
    assert c1["Receipt by the department: on time"] == "No"
    assert c1["Investigation and proposal: on time"] == "Yes"
    assert c1["Received"] == "2024-09-27 10:00:00"
    c3 = dict(zip(head, next(row for row in body if row[0] == data.c3.number)))
    assert c3["Status"] == "Not accepted" and c3["Acceptance (assessment): on time"] == "Yes"


def test_csv_follows_the_list_filters(data, login_as):
    rows = _csv(login_as("manager").get(f"/analysis/ledger.csv?root_cause={data.rc1.id}"))
    assert sorted(r[0] for r in rows[1:]) == sorted([data.c1.number, data.c4.number,
                                                     data.c6.number])


def test_department_head_exports_only_their_department(data, login_as):
    head = make_user("dept_head", department=data.svc)
    rows = _csv(login_as(head).get("/analysis/ledger.csv"))
    assert sorted(r[0] for r in rows[1:]) == sorted([data.c2.number, data.c5.number])


def test_headers_follow_the_users_language(data, login_as):
    user = make_user("manager")
    user.locale = "zh_Hans"
    user.save()
    r = login_as(user).get("/analysis/ledger.csv")
    head = _csv(r)[0]
    assert head[0] != "Number"  # translated once the catalogue is merged
    assert "filename*=UTF-8''" in r.headers["Content-Disposition"]


def test_xlsx_export_is_a_workbook_with_every_row(data, login_as):
    r = login_as("auditor").get("/analysis/ledger.xlsx")
    assert r.status_code == 200
    book = zipfile.ZipFile(io.BytesIO(r.get_data()))
    sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert sheet.count("<row ") == 9  # header + 8 complaints
    strings = book.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in book.namelist() else sheet
    assert data.c1.number in strings


def test_cells_that_look_like_formulas_are_neutralised(data, login_as):
    data.c1.complainant_name = "=HYPERLINK(\"http://evil\")"
    data.c1.save()
    rows = _csv(login_as("manager").get("/analysis/ledger.csv"))
    assert "'=HYPERLINK(\"http://evil\")" in [cell for row in rows for cell in row]
    assert ledger.safe_text("+1") == "'+1" and ledger.safe_text("-x") == "'-x"
    assert ledger.safe_text("@a") == "'@a" and ledger.safe_text("普通") == "普通"
