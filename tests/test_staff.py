"""A staff member's page (leaders and admins): complaints handled, on-time rate,
satisfaction and accountability records, checked against a dataset computed by hand.

Time zone Asia/Shanghai (UTC+8): an answer at 23:00 local on the due date is on time; at
00:30 local the next day (still the due date in UTC) it is late."""
import datetime as dt

import pytest

from domain.models import Complaint
from domain.oversight_models import AccountabilityRecord, AccountabilityView
from domain.stage_models import Assignment, Visit
from tests.workflow_helpers import act, drive, make_cast, quick_user

HX = {"HX-Request": "true"}
DUE = dt.date(2026, 5, 20)


def _set(complaint, **fields):
    Complaint.update(**fields).where(Complaint.id == complaint.id).execute()


def _visit(complaint, score):
    Visit.create(complaint=complaint, method="phone", visited_on=DUE, satisfaction=score,
                 resolved=score >= 3)


@pytest.fixture
def cast(app):
    cast = make_cast(app)
    i = cast.investigator
    on_time = drive(cast, "responded")
    _set(on_time, reply_due_on=DUE, responded_at=dt.datetime(2026, 5, 20, 15, 0))  # 23:00 local
    late = drive(cast, "responded")
    _set(late, reply_due_on=DUE, responded_at=dt.datetime(2026, 5, 20, 16, 30))  # 00:30 next day
    drive(cast, "investigating")                       # open, not answered
    closed = drive(cast, "closed")                     # answered today, due in 15 working days
    moved = drive(cast, "investigating")
    act(cast, moved, "transfer")                       # the assignee is cleared; still handled
    assert Complaint.get_by_id(moved.id).assignee_id is None
    other = drive(cast, "investigating")               # another investigator's complaint
    _set(other, assignee=cast.other_investigator)
    Assignment.update(investigator=cast.other_investigator).where(
        Assignment.complaint == other.id).execute()
    # Scores: 4 from the closed complaint's visit (drive), 5 and 2 added; 1 for the other's.
    _visit(on_time, 5)
    _visit(closed, 2)
    _visit(other, 1)
    cast.record = AccountabilityRecord.create(number="ZR-2026-0001", subject=i, level="direct",
                                              findings="未按时回复", opened_by=cast.manager,
                                              status="final", sanction="criticism")
    return cast


def test_staff_page_shows_handled_on_time_and_satisfaction_computed_by_hand(cast, login_as):
    client = login_as(cast.leader)
    page = client.get(f"/staff/{cast.investigator.id}").get_data(as_text=True)
    assert "<dt>Handled</dt><dd>5</dd>" in page
    assert "<dt>Open</dt><dd>4</dd>" in page and "<dt>Closed</dt><dd>1</dd>" in page
    assert "66.7 %" in page
    assert "2 of 3 answered complaints were answered on or before the reply deadline." in page
    assert "3.7" in page  # (4 + 5 + 2) / 3
    for score, n in ((5, 1), (4, 1), (3, 0), (2, 1), (1, 0)):
        assert f'<tr><th scope="row">{score}</th><td class="num">{n}</td></tr>' in page
    assert page.count('href="/complaints/') == 5


def test_staff_page_lists_accountability_records_and_logs_each_view(cast, login_as):
    client = login_as(cast.admin)
    page = client.get(f"/staff/{cast.investigator.id}").get_data(as_text=True)
    assert "ZR-2026-0001" in page and "Every look at these records is logged." in page
    views = list(AccountabilityView.select())
    assert [(v.record_id, v.user_id, v.what) for v in views] == [
        (cast.record.id, cast.admin.id, "staff_page")]


def test_a_staff_page_without_records_logs_nothing(cast, login_as):
    page = login_as(cast.leader).get(f"/staff/{cast.head.id}").get_data(as_text=True)
    assert "<dt>Handled</dt><dd>0</dd>" in page and "No answered complaints yet." in page
    assert AccountabilityView.select().count() == 0


def test_staff_list_shows_each_active_person_with_their_figures(cast, login_as):
    quick_user("intake", active=False)
    client = login_as(cast.leader)
    page = client.get("/staff/").get_data(as_text=True)
    row = page[page.index(f'href="/staff/{cast.investigator.id}"'):]
    row = row[:row.index("</tr>")]
    cells = row.split("<td")[1:]
    assert [c.split(">", 1)[1].split("<", 1)[0] for c in cells[2:]] == ["5", "4", "66.7 %", "3.7"]
    assert cast.dept.name in row
    assert "Inactive" not in page and "ZR-2026-0001" not in page
    assert AccountabilityView.select().count() == 0


def test_staff_list_as_an_htmx_fragment_is_the_table_alone(cast, login_as):
    response = login_as(cast.leader).get("/staff/", headers=HX)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in page and "<table" in page


def test_staff_list_takes_the_same_number_of_queries_however_many_people(cast, login_as,
                                                                       count_queries):
    client = login_as(cast.leader)
    with count_queries() as few:
        client.get("/staff/")
    for _ in range(6):
        quick_user("investigator", cast.dept)
    with count_queries() as more:
        client.get("/staff/")
    assert more.count == few.count


def test_staff_list_is_paginated(app, login_as):
    for _ in range(30):
        quick_user("intake")
    client = login_as("admin")
    assert "Page 1 of 2" in client.get("/staff/").get_data(as_text=True)
    assert "Page 2 of 2" in client.get("/staff/?page=2").get_data(as_text=True)


@pytest.mark.parametrize("role", ["intake", "investigator", "dept_head", "manager", "auditor"])
def test_only_leaders_and_admins_see_the_staff_pages(cast, login_as, role):
    client = login_as(role)
    assert client.get("/staff/").status_code == 403
    assert client.get(f"/staff/{cast.investigator.id}").status_code == 403
    assert AccountabilityView.select().count() == 0


def test_an_unknown_staff_member_is_404(app, login_as):
    assert login_as("leader").get("/staff/999").status_code == 404
