"""My work, the board, overdue marks, notifications and the daily reminders."""
import datetime as dt
import re
from types import SimpleNamespace

import pytest
from werkzeug.security import generate_password_hash

from domain import accounts
from domain import workflow as wf
from domain.deadlines import local_date
from domain.models import Complaint, utcnow
from domain.notifications import notify
from domain.settings import load_settings
from domain.stage_models import Notification, RootCause
from domain.work import send_reminders
from tests.factories import make_complaint, make_department, make_user

PATH = ("accepted", "assigned", "investigating", "proposing", "reviewing", "approving",
        "approved", "responded", "executing", "visiting", "visited")


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    monkeypatch.setattr(accounts, "generate_password_hash",
                        lambda password: generate_password_hash(password, "pbkdf2:sha256:1"))


@pytest.fixture
def w(app):
    """Two departments, each with a head and investigators; intake staff, a manager, a
    leader, an auditor."""
    service, warehouse = make_department("Service"), make_department("Warehouse")
    return SimpleNamespace(
        app=app, service=service, warehouse=warehouse,
        intake=make_user("intake", username="intake.wang"),
        other_intake=make_user("intake", username="intake.li"),
        manager=make_user("manager", username="manager.zhou"),
        leader=make_user("leader", username="leader.sun"),
        auditor=make_user("auditor", username="auditor.qian"),
        head=make_user("dept_head", department=service, username="head.service"),
        head_b=make_user("dept_head", department=warehouse, username="head.warehouse"),
        inv=make_user("investigator", department=service, username="inv.chen"),
        inv2=make_user("investigator", department=service, username="inv.zhao"),
        inv_b=make_user("investigator", department=warehouse, username="inv.wu"))


def today() -> dt.date:
    return local_date(utcnow(), load_settings())


def reach(w, status, *, dept=None, head=None, inv=None, intake=None, **data):
    """A complaint registered by `intake` and taken, through the workflow, to `status`
    ("visited": visiting with a return visit recorded)."""
    dept, head = dept or w.service, head or (w.head_b if dept is w.warehouse else w.head)
    inv = inv or (w.inv_b if dept is w.warehouse else w.inv)
    intake = intake or w.intake
    s = load_settings()
    c = make_complaint(w.app, registered_by=intake, **data)
    cause = RootCause.get(RootCause.code == "product_defect")
    steps = {
        "accepted": lambda c: wf.accept(c.id, intake, c.version, s),
        "assigned": lambda c: wf.assign(c.id, intake, c.version, s, department_id=dept.id),
        "investigating": lambda c: wf.confirm_receipt(c.id, head, c.version, s,
                                                      investigator_id=inv.id),
        "proposing": lambda c: wf.submit_investigation(
            c.id, inv, c.version, s, methods=["records"], facts_verdict="true",
            facts_text="The kettle leaks.", root_cause_id=cause.id),
        "reviewing": lambda c: wf.submit_proposal(c.id, inv, c.version, s,
                                                  apology="We are sorry."),
        "approving": lambda c: wf.review(c.id, head, c.version, s),
        "approved": lambda c: wf.approve(c.id, w.leader, c.version, s),
        "responded": lambda c: wf.record_response(c.id, intake, c.version, s, method="post",
                                                  sent_on=today(), recipient="张伟"),
        "executing": lambda c: wf.accept_result(c.id, intake, c.version, s),
        "visiting": lambda c: wf.complete_execution(c.id, head, c.version, s),
        "visited": lambda c: wf.record_visit(c.id, intake, c.version, s, method="phone",
                                             visited_on=today(), satisfaction=5,
                                             resolved=True),
    }
    if status != "registered":
        for name in PATH[:PATH.index(status) + 1]:
            c = steps[name](c)
    return c


def due(c, day):
    Complaint.update(stage_due_on=day).where(Complaint.id == c.id).execute()


def groups(html: str) -> dict:
    """My work as {task key: [complaint ids in the order shown]}."""
    found = {}
    for key, body in re.findall(r'<section class="card task-group" id="task-(\w+)"(.*?)</section>',
                                html, re.S):
        found[key] = [int(i) for i in re.findall(r'href="/complaints/(\d+)"', body)]
    return found


def my_work(client) -> dict:
    response = client.get("/work")
    assert response.status_code == 200
    return groups(response.get_data(as_text=True))


# --- my work ------------------------------------------------------------------------------

def test_intake_staff_are_asked_to_assess_assign_respond_and_visit_what_they_registered(
        w, login_as):
    c = {s: reach(w, s) for s in ("registered", "accepted", "approved", "responded",
                                 "visiting", "visited", "investigating")}
    someone_elses = reach(w, "registered", intake=w.other_intake)
    work = my_work(login_as(w.intake))
    assert work == {"assess": [c["registered"].id], "assign": [c["accepted"].id],
                    "respond": [c["approved"].id], "answer": [c["responded"].id],
                    "visit": [c["visiting"].id]}
    assert someone_elses.id not in sum(work.values(), [])


def test_department_head_is_asked_about_their_own_department_only(w, login_as):
    assigned = reach(w, "assigned")
    reviewing = reach(w, "reviewing")
    executing = reach(w, "executing")
    reach(w, "assigned", dept=w.warehouse)
    reach(w, "reviewing", dept=w.warehouse)
    reach(w, "approving")  # the leader's turn
    assert my_work(login_as(w.head)) == {"confirm": [assigned.id], "review": [reviewing.id],
                                         "execute": [executing.id]}


def test_investigator_sees_only_the_investigations_given_to_them(w, login_as):
    mine = reach(w, "investigating")
    drafting = reach(w, "proposing")
    reach(w, "investigating", inv=w.inv2)
    reach(w, "reviewing")  # submitted: no longer the investigator's
    assert my_work(login_as(w.inv)) == {"investigate": [mine.id, drafting.id]}


def test_extension_requests_wait_on_the_department_head_and_the_leaders(w, login_as):
    s = load_settings()
    c = reach(w, "investigating")
    wf.request_extension(c.id, w.inv, c.version, s, days=3, reason="Waiting for the lab.")
    reach(w, "investigating")  # no request
    assert my_work(login_as(w.head))["extension"] == [c.id]
    assert my_work(login_as(w.leader))["extension"] == [c.id]
    assert "extension" not in my_work(login_as(w.head_b))
    assert "extension" not in my_work(login_as(w.inv))


def test_leader_is_asked_to_approve(w, login_as):
    c = reach(w, "approving")
    reach(w, "reviewing")
    assert my_work(login_as(w.leader)) == {"approve": [c.id]}


def test_nobody_is_asked_to_review_a_proposal_they_wrote(w, login_as):
    both = make_user("dept_head", department=w.service, roles=["investigator", "dept_head"],
                     username="head.and.inv")
    own = reach(w, "reviewing", inv=both)
    other = reach(w, "reviewing")
    work = my_work(login_as(both))
    assert work["review"] == [other.id]
    assert own.id not in sum(work.values(), [])
    assert my_work(login_as(w.head))["review"] == [own.id, other.id]


def test_manager_is_asked_to_close_after_the_visit_and_sees_every_intake_task(w, login_as):
    visited = reach(w, "visited")
    visiting = reach(w, "visiting")
    registered = reach(w, "registered", intake=w.other_intake)
    executing = reach(w, "executing")
    work = my_work(login_as(w.manager))
    assert work["close"] == [visited.id]
    assert work["visit"] == [visiting.id]
    assert work["assess"] == [registered.id]
    assert work["execute"] == [executing.id]


def test_auditor_and_admin_have_no_tasks(w, login_as):
    reach(w, "registered")
    reach(w, "approving")
    for who in (w.auditor, make_user("admin")):
        page = login_as(who).get("/work").get_data(as_text=True)
        assert groups(page) == {}
        assert "Nothing waits on you now." in page


def test_overdue_come_first_then_due_soon_then_later(w, login_as):
    later, overdue, soon, very_late = (reach(w, "registered") for _ in range(4))
    t = today()
    due(later, t + dt.timedelta(days=20))
    due(overdue, t - dt.timedelta(days=1))
    due(soon, t)
    due(very_late, t - dt.timedelta(days=9))
    page = login_as(w.intake).get("/work").get_data(as_text=True)
    assert groups(page)["assess"] == [very_late.id, overdue.id, soon.id, later.id]
    rows = {int(m.group(1)): m.group(0)
            for m in re.finditer(r'href="/complaints/(\d+)">.*?</tr>', page, re.S)}
    assert "Overdue" in rows[overdue.id] and "Overdue" in rows[very_late.id]
    assert "Due soon" in rows[soon.id] and "Overdue" not in rows[soon.id]
    assert "Overdue" not in rows[later.id] and "Due soon" not in rows[later.id]
    assert "2 overdue" in page and "1 due soon" in page


def test_a_long_group_shows_ten_and_links_to_the_whole_list(w, login_as):
    for _ in range(12):
        reach(w, "assigned")
    page = login_as(w.head).get("/work").get_data(as_text=True)
    assert len(groups(page)["confirm"]) == 10
    assert "The first 10 of 12 are shown." in page
    assert f'href="/complaints?status=assigned&amp;department={w.service.id}"' in page


def test_signed_out_visitor_is_sent_to_sign_in(client):
    for path in ("/work", "/work/board", "/work/notifications"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")


# --- the board ----------------------------------------------------------------------------

def board_cells(html: str) -> dict:
    """{row heading: (open, overdue)} from the board's tables."""
    cells = {}
    for head, a, b in re.findall(
            r'<th scope="row">(.*?)</th>\s*<td class="num[^"]*">(.*?)</td>\s*'
            r'<td class="num[^"]*">(.*?)</td>', html, re.S):
        cells[head] = tuple(int(re.sub(r"<[^>]+>", "", x)) for x in (a, b))
    return cells


def test_board_counts_open_and_overdue_by_stage_and_department(w, login_as):
    t = today()
    late = [reach(w, "assigned"), reach(w, "investigating")]
    for c in late:
        due(c, t - dt.timedelta(days=3))
    reach(w, "investigating", dept=w.warehouse)
    reach(w, "registered")
    closed = reach(w, "visited")
    wf.close(closed.id, w.manager, closed.version, load_settings())
    page = login_as(w.auditor).get("/work/board").get_data(as_text=True)
    cells = board_cells(page)
    assert cells["Assigned"] == (1, 1)
    assert cells["Under investigation"] == (2, 1)
    assert cells["Registered"] == (1, 0)
    assert cells["All open"] == (4, 2)
    assert "Closed" not in cells
    assert cells["Service"] == (2, 2)
    assert cells["Warehouse"] == (1, 0)
    assert cells["Not yet assigned"] == (1, 0)
    assert f'href="/complaints?status=open&amp;department={w.service.id}">2</a>' in page
    assert 'href="/complaints?status=investigating">2</a>' in page


def test_department_head_board_shows_only_their_department(w, login_as):
    reach(w, "assigned")
    reach(w, "assigned", dept=w.warehouse)
    reach(w, "registered")
    page = login_as(w.head).get("/work/board").get_data(as_text=True)
    cells = board_cells(page)
    assert cells["All open"] == (1, 0)
    assert "Warehouse" not in cells and "Not yet assigned" not in cells
    assert f'href="/complaints?status=assigned&amp;department={w.service.id}">1</a>' in page


@pytest.mark.parametrize("role", ["intake", "investigator"])
def test_staff_without_oversight_cannot_open_the_board(w, login_as, role):
    client = login_as(role, department=w.service)
    assert client.get("/work/board").status_code == 403
    assert 'href="/work/board"' not in client.get("/work").get_data(as_text=True)


@pytest.mark.parametrize("role", ["manager", "leader", "auditor", "admin"])
def test_oversight_roles_see_the_board(w, login_as, role):
    client = login_as(role)
    assert client.get("/work/board").status_code == 200
    assert 'href="/work/board"' in client.get("/work").get_data(as_text=True)


def _spread(w, n):
    """n complaints spread over the stages (and both departments)."""
    stages = ("registered", "accepted", "assigned", "investigating", "reviewing", "approving",
              "approved", "visited")
    for i in range(n):
        reach(w, stages[i % len(stages)], dept=(w.service, w.warehouse)[i % 2])


@pytest.mark.parametrize("who", ["manager", "head", "inv", "leader", "intake"])
def test_my_work_and_board_run_the_same_number_of_queries_for_few_or_many_complaints(
        w, login_as, count_queries, who):
    client = login_as(getattr(w, who))

    def measure():
        with count_queries() as work:
            page = client.get("/work").get_data(as_text=True)
        with count_queries() as board:
            client.get("/work/board")
        return work.count, board.count, len(groups(page)), work.statements + board.statements

    _spread(w, 8)
    few = measure()
    _spread(w, 24)
    many = measure()
    assert few[:3] == many[:3], (few[3], many[3])
    work, board, shown, _ = many
    # /work: user, settings, calendar, the counts, one query per task shown, unread count,
    # the emergency responses the person is on (+ leaders and managers: the group alert);
    # /work/board: user, settings, the GROUP BY, department names (+ the own department)
    alerts = 1 if who in ("manager", "leader") else 0
    assert work == 6 + alerts + shown and board <= 6 + alerts, many[3]


# --- overdue in the complaint list --------------------------------------------------------

def test_complaint_list_marks_overdue_complaints(w, login_as, count_queries):
    late, on_time = reach(w, "assigned"), reach(w, "assigned")
    due(late, today() - dt.timedelta(days=1))
    due(on_time, today())
    page = login_as(w.manager).get("/complaints").get_data(as_text=True)
    rows = {int(m.group(1)): m.group(0) for m in
            re.finditer(r'<tr>\s*<td class="nowrap"><a href="/complaints/(\d+)">.*?</tr>', page, re.S)}
    assert "badge-overdue" in rows[late.id]
    assert "badge-overdue" not in rows[on_time.id]


# --- notifications ------------------------------------------------------------------------

def test_header_shows_the_unread_count_and_the_page_lists_them(w, login_as):
    c = reach(w, "registered")
    notify([w.head], c, "assigned")
    notify([w.head], None, "overdue")
    notify([w.head_b], c, "review_needed")  # someone else's
    client = login_as(w.head)
    page = client.get("/work/notifications").get_data(as_text=True)
    assert "Notifications (2)" in page
    assert "A complaint was assigned to your department" in page
    assert f'href="/complaints/{c.id}">{c.number}</a>' in page
    assert "A proposal waits for your review" not in page
    assert page.count('class="badge badge-new"') == 2


def test_mark_all_read_clears_the_count(w, login_as):
    c = reach(w, "registered")
    notify([w.head, w.head_b], c, "assigned")
    client = login_as(w.head)
    response = client.post("/work/notifications/read")
    assert response.status_code == 303
    assert response.headers["Location"] == "/work/notifications"
    page = client.get("/work/notifications").get_data(as_text=True)
    assert "Notifications (0)" in page and "All notifications are marked as read." in page
    assert 'class="badge badge-new"' not in page
    assert "A complaint was assigned to your department" in page  # still listed
    assert Notification.select().where((Notification.user == w.head_b.id)
                                       & Notification.read_at.is_null()).count() == 1


def test_mark_all_read_only_answers_post(w, login_as):
    assert login_as(w.head).get("/work/notifications/read").status_code == 405


# --- reminders ----------------------------------------------------------------------------

def reminders(user, kind=None):
    q = Notification.select().where(Notification.user == user.id)
    q = q.where(Notification.kind.in_(("due_soon", "overdue")) if kind is None
                else Notification.kind == kind)
    return sorted((n.kind, n.complaint_id) for n in q)


def test_reminders_tell_the_people_a_complaint_waits_on_once_a_day(app, w):
    t = today()
    late_receipt = reach(w, "assigned")
    soon_investigation = reach(w, "investigating")
    late_approval = reach(w, "approving")
    later = reach(w, "registered")
    for c, day in ((late_receipt, t - dt.timedelta(days=2)), (soon_investigation, t),
                   (late_approval, t - dt.timedelta(days=1)),
                   (later, t + dt.timedelta(days=30))):
        due(c, day)
    Notification.delete().execute()  # only the reminders below count
    runner = app.test_cli_runner()
    result = runner.invoke(args=["reminders"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "3 reminders created"
    assert reminders(w.head) == [("overdue", late_receipt.id)]
    assert reminders(w.inv) == [("due_soon", soon_investigation.id)]
    assert reminders(w.leader) == [("overdue", late_approval.id)]
    assert reminders(w.intake) == [] and reminders(w.head_b) == []
    again = runner.invoke(args=["reminders"])
    assert again.output.splitlines()[0] == "0 reminders created"
    assert Notification.select().count() == 3
    tomorrow = utcnow() + dt.timedelta(days=1)
    assert send_reminders(load_settings(), now=tomorrow) == 3
    assert send_reminders(load_settings(), now=tomorrow) == 0


def test_reminders_skip_closed_complaints_and_go_to_the_manager_to_close(app, w):
    t = today()
    visited = reach(w, "visited")
    closed = reach(w, "visited")
    wf.close(closed.id, w.manager, closed.version, load_settings())
    visiting = reach(w, "visiting")
    for c in (visited, closed, visiting):
        due(c, t - dt.timedelta(days=1))
    Notification.delete().execute()
    assert send_reminders(load_settings()) == 2
    assert reminders(w.manager) == [("overdue", visited.id)]
    assert reminders(w.intake) == [("overdue", visiting.id)]


def test_reminders_work_through_many_complaints_in_batches(app, w):
    cs = [reach(w, "registered") for _ in range(7)]
    for c in cs:
        due(c, today() - dt.timedelta(days=1))
    Notification.delete().execute()
    assert send_reminders(load_settings(), batch_size=3) == 7
    assert send_reminders(load_settings(), batch_size=3) == 0
    assert reminders(w.intake) == sorted(("overdue", c.id) for c in cs)
