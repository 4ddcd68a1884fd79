"""The status machine without HTTP: the table in domain/statuses.py, the actions in
domain/workflow/, the person and department checks in domain/access.py."""
import datetime as dt
import threading

import pytest

from domain import access, history, workflow
from domain.deadlines import load_calendar
from domain.errors import Conflict, DomainError, Forbidden
from domain.models import Event
from domain.stage_models import (Approval, Assignment, Dispute, Extension, Investigation,
                                 Notification, Proposal, Response, Visit)
from domain.statuses import ACTIONS, STATUSES, TRANSITIONS, next_status, roles_for
from extensions import db
from tests.factories import make_complaint
from tests.workflow_helpers import (MAIN_PATH, ROLES, ROUTES, act, current_proposal, drive,
                                    event_count, last_event, make_cast,
                                    open_items, prepare, quick_user, reload, run_steps,
                                    valid_args)


@pytest.fixture
def cast(app):
    """The people of a small organisation, inside a request (messages are rendered)."""
    with app.test_request_context():
        yield make_cast(app)


STAGE_ROWS = (Event, Assignment, Investigation, Extension, Proposal, Approval, Response,
              Dispute, Visit)
SNAPSHOT_SQL = (
    "SELECT status, version, history_count, history_head, department_id, assignee_id, "
    "stage_due_on, reply_due_on, investigation_days, "
    + ", ".join(f"(SELECT count(*) FROM {m._meta.table_name} WHERE complaint_id = c.id)"
                for m in STAGE_ROWS)
    + f", (SELECT count(*) FROM {Notification._meta.table_name}) "
    "FROM complaint AS c WHERE c.id = ?")


def snapshot(complaint_id) -> tuple:
    """What a refused action must leave untouched (one query: the matrix runs it often)."""
    return tuple(db.execute_sql(SNAPSHOT_SQL, (complaint_id,)).fetchone())


def attempt(cast, complaint_id, action, actor):
    """Try `action` as `actor` with valid arguments, inside a transaction that is rolled
    back afterwards. Returns (error or None, offered by available_actions, problems)."""
    problems = []
    with db.atomic() as txn:
        c = reload(complaint_id)
        prepare(cast, c, action)
        offered = action in access.available_actions(actor, c)
        before, events = snapshot(complaint_id), event_count(complaint_id)
        try:
            getattr(workflow, action)(complaint_id, actor, c.version, cast.settings,
                                      **valid_args(cast, c, action))
        except DomainError as e:
            error = e
            if snapshot(complaint_id) != before:
                problems.append("a refused action changed something")
        else:
            error = None
            after = reload(complaint_id)
            event = last_event(after)
            expected = next_status(c.status, action)
            if (after.status, after.version) != (expected, c.version + 1):
                problems.append(f"went to {after.status} v{after.version}")
            if event_count(complaint_id) != events + 1:
                problems.append("did not append exactly one event")
            if (event.action, event.from_status, event.to_status, event.actor_id) != (
                    action, c.status, expected, actor.id):
                problems.append(f"event {event.action} {event.from_status}→{event.to_status}")
        txn.rollback()
    return error, offered, problems


def check(cast, complaint, action, actor, role, expect_allowed) -> tuple[list[str], bool]:
    """Problems found trying `action` as `actor`, and whether it succeeded."""
    error, offered, problems = attempt(cast, complaint.id, action, actor)
    where = f"{complaint.status} × {action} × {role}"
    out = [f"{where}: {p}" for p in problems]
    if expect_allowed and error is not None:
        out.append(f"{where}: should succeed, refused: {type(error).__name__} {error}")
    if not expect_allowed:
        wanted = Forbidden if (complaint.status, action) in TRANSITIONS else Conflict
        if error is None:
            out.append(f"{where}: should be refused, succeeded")
        elif type(error) is not wanted:
            out.append(f"{where}: refused with {type(error).__name__} ({error}), "
                       f"expected {wanted.__name__}")
    if offered != expect_allowed:
        out.append(f"{where}: available_actions offers it: {offered}")
    return out, error is None


# --- the whole table --------------------------------------------------------------------

def test_the_table_covers_every_status_and_each_action_has_a_workflow_function():
    assert set(ROUTES) == set(STATUSES)
    assert {s for s, _a in TRANSITIONS} | {n for n, _r in TRANSITIONS.values()} <= set(STATUSES)
    assert all(callable(getattr(workflow, a, None)) for a in ACTIONS)
    assert all(set(roles) <= set(ROLES) for _n, roles in TRANSITIONS.values())


@pytest.mark.parametrize("status", list(STATUSES))
def test_in_every_status_exactly_the_actions_and_roles_of_the_table_succeed(cast, status):
    """Every (status, action, role): allowed ⇔ the table lists the action for the status
    and the role; a refusal is Conflict (wrong status) or Forbidden (wrong person) and
    saves nothing; a success moves to the table's status with one event."""
    complaint = drive(cast, status)
    if status not in ("registered", "accepted", "rejected"):
        assert complaint.department_id == cast.dept.id
    if status in ("investigating", "proposing", "reviewing", "approving", "approved",
                  "responded", "external", "executing", "visiting", "closed", "archived"):
        assert complaint.assignee_id == cast.investigator.id
    before = snapshot(complaint.id)
    mismatches, succeeded = [], set()
    for action in ACTIONS:
        for role in ROLES:
            expect = role in roles_for(status, action)
            problems, ok = check(cast, complaint, action, cast.by_role(role), role, expect)
            mismatches += problems
            if ok:
                succeeded.add((action, role))
    assert mismatches == []
    assert succeeded == {(a, r) for (s, a), (_n, roles) in TRANSITIONS.items()
                         if s == status for r in roles}
    assert snapshot(complaint.id) == before  # every attempt was rolled back


@pytest.mark.parametrize("status", list(STATUSES))
def test_people_of_another_department_or_not_named_investigator_are_refused_everything(
        cast, status):
    complaint = drive(cast, status)
    outsiders = {"head of another department": cast.other_head,
                 "investigator of another department": cast.other_investigator,
                 "investigator not named": cast.idle_investigator,
                 "intake staff of another department": cast.outside_intake}
    mismatches = []
    for action in ACTIONS:
        for label, person in outsiders.items():
            mismatches += check(cast, complaint, action, person, label, False)[0]
    assert mismatches == []


# --- assessment -------------------------------------------------------------------------

def test_rejecting_a_complaint_needs_a_written_reason(cast):
    complaint = drive(cast, "registered")
    for reason in ("", "   ", None):
        with pytest.raises(DomainError) as refused:
            act(cast, complaint, "reject", reason=reason)
        assert refused.value.field == "reason"
        assert str(refused.value.message) == "Write the reason for not accepting the complaint."
    assert reload(complaint).status == "registered"
    complaint = act(cast, complaint, "reject", reason="  Bought from another shop.  ")
    assert complaint.status == "rejected"
    assert complaint.rejection_reason == "Bought from another shop."
    assert complaint.closed_at is not None
    event = last_event(complaint)
    assert (event.action, event.note, event.public) == ("reject", "Bought from another shop.",
                                                        True)


@pytest.mark.parametrize("severity", ["major", "group"])
def test_a_major_or_group_complaint_registered_notifies_the_leaders_and_managers(cast,
                                                                                 severity):
    retired_leader = quick_user("leader", active=False)
    complaint = make_complaint(cast.app, registered_by=cast.intake, severity=severity)
    told = {n.user_id for n in Notification.select().where(
        (Notification.complaint == complaint.id) & (Notification.kind == "major_complaint"))}
    assert told == {cast.leader.id, cast.manager.id}
    assert retired_leader.id not in told


def test_assessing_a_complaint_as_group_notifies_the_leaders_and_managers_once(cast):
    complaint = drive(cast, "registered")

    def alerts():
        return sorted(n.user_id for n in Notification.select().where(
            (Notification.complaint == complaint.id)
            & (Notification.kind == "major_complaint")))

    assert alerts() == []
    act(cast, complaint, "assess", severity="group", urgency="urgent")
    assert alerts() == sorted([cast.leader.id, cast.manager.id])
    act(cast, complaint, "assess", severity="major")  # already serious: no second alert
    assert alerts() == sorted([cast.leader.id, cast.manager.id])
    assert reload(complaint).severity == "major"


def test_a_complaint_cannot_be_accepted_before_its_nature_is_assessed(cast):
    complaint = make_complaint(cast.app, registered_by=cast.intake, nature="")
    with pytest.raises(DomainError) as refused:
        act(cast, complaint, "accept")
    assert refused.value.field == "nature"
    complaint = act(cast, act(cast, complaint, "assess"), "accept")
    assert complaint.status == "accepted"
    assert complaint.reply_due_on == load_calendar(cast.settings).add_working_days(
        cast.today, 15)


# --- assignment and transfer ------------------------------------------------------------

def test_a_transfer_keeps_earlier_assignments_and_the_first_contact_person(cast):
    complaint = drive(cast, "investigating")
    assert complaint.first_contact_id == cast.intake.id
    complaint = act(cast, complaint, "transfer", department_id=cast.other_dept.id,
                    reason="The warehouse shipped it.")
    assert (complaint.status, complaint.department_id, complaint.assignee_id) == (
        "assigned", cast.other_dept.id, None)
    assert Notification.select().where((Notification.user == cast.other_head.id)
                                       & (Notification.kind == "assigned")).exists()
    # The head of the old department has no say any more; the new one confirms receipt.
    with pytest.raises(Forbidden):
        act(cast, complaint, "confirm_receipt", actor=cast.head)
    complaint = act(cast, complaint, "confirm_receipt", actor=cast.other_head,
                    investigator_id=cast.other_investigator.id)
    complaint = act(cast, complaint, "transfer", actor=cast.manager,
                    department_id=cast.dept.id, reason="Back to customer service.")
    rows = list(Assignment.select().where(Assignment.complaint == complaint.id)
                .order_by(Assignment.id))
    assert [r.department_id for r in rows] == [cast.dept.id, cast.other_dept.id, cast.dept.id]
    assert [r.current for r in rows] == [False, False, True]
    assert [r.investigator_id for r in rows] == [cast.investigator.id,
                                                 cast.other_investigator.id, None]
    assert [r.transfer_reason for r in rows] == ["", "The warehouse shipped it.",
                                                 "Back to customer service."]
    assert complaint.first_contact_id == cast.intake.id
    assert complaint.registered_by_id == cast.intake.id
    changes = [e.action for e in Event.select().where(Event.complaint == complaint.id)]
    assert changes.count("transfer") == 2


def test_a_transfer_needs_a_reason_and_another_department(cast):
    complaint = drive(cast, "assigned")
    with pytest.raises(DomainError) as refused:
        act(cast, complaint, "transfer", reason=" ")
    assert refused.value.field == "reason"
    with pytest.raises(DomainError) as refused:
        act(cast, complaint, "transfer", department_id=cast.dept.id)
    assert str(refused.value.message) == "The complaint is already with this department."
    assert Assignment.select().where(Assignment.complaint == complaint.id).count() == 1


def test_the_head_of_another_department_cannot_confirm_receipt(cast):
    complaint = drive(cast, "assigned")
    before = snapshot(complaint.id)
    with pytest.raises(Forbidden) as refused:
        act(cast, complaint, "confirm_receipt", actor=cast.other_head)
    assert str(refused.value.message) == "You may not take this step on this complaint."
    assert snapshot(complaint.id) == before
    assert "confirm_receipt" not in access.available_actions(cast.other_head, complaint)
    assert "confirm_receipt" in access.available_actions(cast.head, complaint)


def test_the_investigator_named_must_belong_to_the_department(cast):
    complaint = drive(cast, "assigned")
    not_investigator = quick_user("intake", cast.dept)
    retired = quick_user("investigator", cast.dept, active=False)
    for person in (cast.other_investigator, not_investigator, retired):
        with pytest.raises(DomainError) as refused:
            act(cast, complaint, "confirm_receipt", investigator_id=person.id)
        assert refused.value.field == "investigator"
        assert str(refused.value.message) == "Choose an investigator of this department."
    with pytest.raises(DomainError):
        act(cast, complaint, "confirm_receipt", investigator_id=None)
    assert reload(complaint).status == "assigned"
    complaint = act(cast, complaint, "confirm_receipt", investigator_id=cast.investigator.id)
    assert (complaint.status, complaint.assignee_id) == ("investigating", cast.investigator.id)
    current = Assignment.get((Assignment.complaint == complaint.id) & Assignment.current)
    assert (current.received_by_id, current.investigator_id) == (cast.head.id,
                                                                 cast.investigator.id)
    assert Notification.select().where((Notification.user == cast.investigator.id)
                                       & (Notification.kind == "investigator_named")).exists()


# --- investigation deadline and extensions ----------------------------------------------

def test_an_extension_beyond_the_cap_is_refused_with_a_message_naming_the_numbers(cast):
    complaint = drive(cast, "investigating")
    assert complaint.investigation_days == 5
    with pytest.raises(DomainError) as refused:
        act(cast, complaint, "request_extension", days=11)
    assert refused.value.field == "days"
    assert str(refused.value.message) == (
        "That would make 16 working days for the investigation; at most 15 are allowed, "
        "so at most 10 more can be asked for.")
    assert Extension.select().count() == 0
    complaint = act(cast, complaint, "request_extension", days=10)
    complaint = act(cast, complaint, "decide_extension", approve=True)
    assert complaint.investigation_days == 15
    with pytest.raises(DomainError) as refused:
        act(cast, complaint, "request_extension", days=1)
    assert "at most 0 more" in str(refused.value.message)


def test_an_extension_cap_set_by_the_admin_is_the_one_enforced(cast):
    cast.settings["investigation_cap_days"] = 8
    complaint = drive(cast, "investigating")
    with pytest.raises(DomainError) as refused:
        act(cast, complaint, "request_extension", days=4)
    assert str(refused.value.message) == (
        "That would make 9 working days for the investigation; at most 8 are allowed, "
        "so at most 3 more can be asked for.")
    assert act(cast, complaint, "request_extension", days=3).status == "investigating"


def test_an_approved_extension_moves_the_due_date_by_working_days(cast):
    complaint = drive(cast, "investigating")
    cal = load_calendar(cast.settings)
    start = complaint.investigation_started_on
    assert start == cast.today
    assert complaint.stage_due_on == cal.add_working_days(start, 5)
    old_due = complaint.stage_due_on
    complaint = act(cast, complaint, "request_extension", days=3, reason="Supplier away.")
    assert complaint.stage_due_on == old_due  # asking moves nothing
    assert Notification.select().where((Notification.user == cast.head.id)
                                       & (Notification.kind == "extension_requested")).exists()
    complaint = act(cast, complaint, "decide_extension", approve=True, comment="Fine.")
    assert complaint.investigation_days == 8
    assert complaint.stage_due_on == cal.add_working_days(start, 8)
    assert complaint.stage_due_on == cal.add_working_days(old_due, 3)
    assert cal.working_days_between(old_due, complaint.stage_due_on) == 3
    request = Extension.get(Extension.complaint == complaint.id)
    assert (request.approved, request.decided_by_id, request.comment) == (True, cast.head.id,
                                                                          "Fine.")
    fields = {(fc.field, fc.old, fc.new) for fc in last_event(complaint).changes}
    assert ("investigation_days", "5", "8") in fields


def test_a_refused_extension_needs_a_reason_and_leaves_the_due_date(cast):
    complaint = drive(cast, "proposing")
    due = complaint.stage_due_on
    complaint = act(cast, complaint, "request_extension", days=2)
    with pytest.raises(DomainError) as refused:
        act(cast, complaint, "decide_extension", actor=cast.leader, approve=False, comment="")
    assert refused.value.field == "comment"
    complaint = act(cast, complaint, "decide_extension", actor=cast.leader, approve=False,
                    comment="Finish with what you have.")
    assert (complaint.status, complaint.stage_due_on, complaint.investigation_days) == (
        "proposing", due, 5)
    assert Extension.get(Extension.complaint == complaint.id).approved is False
    with pytest.raises(DomainError) as refused:
        act(cast, complaint, "decide_extension", approve=True)
    assert str(refused.value.message) == "There is no extension request to decide."


# --- proposal and approval --------------------------------------------------------------

def test_nobody_approves_their_own_proposal(cast):
    """A department head who is also the named investigator cannot review (or return, or
    grant an extension on) the proposal they wrote; another head of the department can."""
    both = quick_user(roles=["investigator", "dept_head"], department=cast.dept)
    complaint = drive(cast, "assigned")
    complaint = act(cast, complaint, "confirm_receipt", investigator_id=both.id)
    complaint = act(cast, complaint, "request_extension", actor=both)
    with pytest.raises(Forbidden):
        act(cast, complaint, "decide_extension", actor=both)
    complaint = act(cast, complaint, "decide_extension", actor=cast.head)
    complaint = act(cast, complaint, "submit_investigation", actor=both)
    complaint = act(cast, complaint, "submit_proposal", actor=both)
    assert current_proposal(complaint).author_id == both.id
    assert access.available_actions(both, complaint) == []
    for action in ("review", "return_for_rework"):
        with pytest.raises(Forbidden):
            act(cast, complaint, action, actor=both)
    assert Approval.select().count() == 0
    assert access.available_actions(cast.head, complaint) == ["review", "return_for_rework"]
    complaint = act(cast, complaint, "review", actor=cast.head)
    assert complaint.status == "approving"


def test_the_department_head_and_then_a_leader_approve_each_recording_who_and_what(cast):
    complaint = drive(cast, "reviewing")
    complaint = act(cast, complaint, "review", comment="Refund is fair.")
    assert Notification.select().where((Notification.user == cast.leader.id)
                                       & (Notification.kind == "approval_needed")).exists()
    complaint = act(cast, complaint, "approve", comment="Go ahead.")
    assert complaint.status == "approved"
    decisions = [(a.level, a.approved, a.decided_by_id, a.comment)
                 for a in Approval.select().order_by(Approval.id)]
    assert decisions == [(1, True, cast.head.id, "Refund is fair."),
                         (2, True, cast.leader.id, "Go ahead.")]
    assert complaint.stage_due_on == load_calendar(cast.settings).add_working_days(
        cast.today, 3)


@pytest.mark.parametrize("status, role, level", [("reviewing", "dept_head", 1),
                                                 ("approving", "leader", 2)])
def test_returning_a_proposal_needs_a_comment_and_sends_it_back_to_investigation(
        cast, status, role, level):
    complaint = drive(cast, status)
    for comment in ("", "  "):
        with pytest.raises(DomainError) as refused:
            act(cast, complaint, "return_for_rework", actor=cast.by_role(role),
                comment=comment)
        assert str(refused.value.message) == "Say what needs to change."
    assert reload(complaint).status == status
    complaint = act(cast, complaint, "return_for_rework", actor=cast.by_role(role),
                    comment="Ask the supplier first.")
    assert complaint.status == "investigating"
    assert complaint.assignee_id == cast.investigator.id
    returned = Approval.get(Approval.approved == False)  # noqa: E712
    assert (returned.level, returned.decided_by_id, returned.comment) == (
        level, cast.by_role(role).id, "Ask the supplier first.")
    assert Notification.select().where((Notification.user == cast.investigator.id)
                                       & (Notification.kind == "returned")).exists()
    old = current_proposal(complaint)
    complaint = run_steps(cast, complaint, ["submit_investigation", "submit_proposal"])
    assert complaint.status == "reviewing"
    assert Proposal.get_by_id(old.id).current is False
    assert Investigation.select().where(Investigation.complaint == complaint.id).count() == 2


def test_two_people_acting_on_the_same_version_the_second_gets_a_conflict_and_nothing_saved(
        cast):
    second_head = quick_user("dept_head", cast.dept)
    complaint = drive(cast, "reviewing")
    seen = complaint.version
    act(cast, complaint, "review", version=seen)
    before = snapshot(complaint.id)
    with pytest.raises(Conflict) as refused:
        act(cast, complaint, "return_for_rework", actor=second_head, version=seen)
    assert "Someone else acted on this complaint" in str(refused.value.message)
    assert snapshot(complaint.id) == before
    assert reload(complaint).status == "approving"
    assert [a.decided_by_id for a in Approval.select()] == [cast.head.id]
    # Even the same action with the stale version is refused.
    with pytest.raises(Conflict):
        act(cast, complaint, "record_visit", version=seen)


def test_two_heads_pressing_at_the_same_moment_only_one_decision_is_saved(cast):
    second_head = quick_user("dept_head", cast.dept)
    complaint = drive(cast, "reviewing")
    seen, settings = complaint.version, cast.settings
    db.close()  # each thread opens its own connection to the same file
    start = threading.Barrier(2)
    results = {}

    def press(name, function, actor, **kwargs):
        try:
            with cast.app.test_request_context():
                start.wait()
                function(complaint.id, actor, seen, settings, **kwargs)
            results[name] = "saved"
        except Conflict:
            results[name] = "conflict"
        except Exception as e:  # noqa: BLE001 - reported below
            results[name] = repr(e)
        finally:
            db.close()

    threads = [threading.Thread(target=press, args=("review", workflow.review, cast.head)),
               threading.Thread(target=press, args=("return", workflow.return_for_rework,
                                                    second_head),
                                kwargs={"comment": "No."})]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results.values()) == ["conflict", "saved"], results
    after = reload(complaint)
    assert after.version == seen + 1
    assert Approval.select().count() == 1
    assert event_count(after) == after.history_count
    assert history.verify_complaint(after.id) == []


# --- response, execution, visit ---------------------------------------------------------

def test_execution_cannot_complete_while_an_item_is_open_but_can_after_a_leader_waives_it(
        cast):
    complaint = drive(cast, "executing")
    (remedy_kind, remedy), (measure_kind, measure) = open_items(complaint)
    assert (remedy_kind, measure_kind) == ("remedy", "measure")
    complaint = act(cast, complaint, "mark_done", kind="remedy", item_id=remedy.id,
                    note="Refunded 199 yuan.")
    with pytest.raises(DomainError) as refused:
        act(cast, complaint, "complete_execution")
    assert str(refused.value.message) == (
        "Every remedy and measure must be done, or waived by a leader, first.")
    assert reload(complaint).status == "executing"
    with pytest.raises(Forbidden):
        act(cast, complaint, "waive", actor=cast.head, kind="measure", item_id=measure.id)
    with pytest.raises(DomainError) as refused:
        act(cast, complaint, "waive", kind="measure", item_id=measure.id, reason="")
    assert refused.value.field == "reason"
    complaint = act(cast, complaint, "waive", kind="measure", item_id=measure.id,
                    reason="Batch already recalled by the supplier.")
    assert open_items(complaint) == []
    with pytest.raises(DomainError) as refused:
        act(cast, complaint, "mark_done", kind="measure", item_id=measure.id)
    assert str(refused.value.message) == "This is already done."
    complaint = act(cast, complaint, "complete_execution")
    assert complaint.status == "visiting"
    assert complaint.stage_due_on >= cast.today


def test_marking_an_item_of_another_complaint_done_is_refused(cast):
    first = drive(cast, "executing")
    second = drive(cast, "executing")
    _kind, item = open_items(first)[0]
    with pytest.raises(DomainError) as refused:
        act(cast, second, "mark_done", kind="remedy", item_id=item.id)
    assert str(refused.value.message) == "There is no such measure on this complaint."
    assert len(open_items(first)) == 2


def test_a_complaint_cannot_be_closed_without_a_return_visit(cast):
    complaint = drive(cast, "visiting", steps=MAIN_PATH[:MAIN_PATH.index("complete_execution")
                                                       + 1])
    with pytest.raises(DomainError) as refused:
        act(cast, complaint, "close")
    assert str(refused.value.message) == "Record the return visit before closing the complaint."
    assert reload(complaint).status == "visiting"
    complaint = act(cast, act(cast, complaint, "record_visit"), "close")
    assert complaint.status == "closed"
    assert complaint.closed_at is not None


def test_after_a_reopening_the_complaint_needs_a_new_return_visit_before_closing(cast):
    complaint = drive(cast, "visiting")
    complaint = act(cast, complaint, "record_visit", satisfaction=1, resolved=False)
    complaint = act(cast, complaint, "reopen")
    complaint = run_steps(cast, complaint, MAIN_PATH[MAIN_PATH.index("submit_investigation"):
                                                     MAIN_PATH.index("complete_execution") + 1])
    assert complaint.status == "visiting"
    with pytest.raises(DomainError):
        act(cast, complaint, "close")


@pytest.mark.parametrize("satisfaction, resolved, managers_told", [
    (1, True, True), (2, True, True), (3, True, False), (5, True, False), (4, False, True)])
def test_a_return_visit_with_satisfaction_two_or_less_notifies_the_managers(
        cast, satisfaction, resolved, managers_told):
    second_manager = quick_user("manager")
    complaint = drive(cast, "visiting", steps=MAIN_PATH[:MAIN_PATH.index("complete_execution")
                                                       + 1])
    complaint = act(cast, complaint, "record_visit", satisfaction=satisfaction,
                    resolved=resolved)
    told = {n.user_id for n in Notification.select().where(
        (Notification.complaint == complaint.id) & (Notification.kind == "dissatisfied"))}
    assert told == ({cast.manager.id, second_manager.id} if managers_told else set())
    visit = Visit.get(Visit.complaint == complaint.id)
    assert (visit.satisfaction, visit.resolved, visit.recorded_by_id) == (
        satisfaction, resolved, cast.intake.id)
    assert complaint.status == "visiting"


@pytest.mark.parametrize("satisfaction", [0, 6, "3", None])
def test_satisfaction_is_a_whole_number_from_one_to_five(cast, satisfaction):
    complaint = drive(cast, "visiting")
    with pytest.raises(DomainError) as refused:
        act(cast, complaint, "record_visit", satisfaction=satisfaction)
    assert refused.value.field == "satisfaction"


def test_dates_of_a_response_or_visit_cannot_be_in_the_future(cast):
    complaint = drive(cast, "approved")
    tomorrow = cast.today + dt.timedelta(days=1)
    with pytest.raises(DomainError) as refused:
        act(cast, complaint, "record_response", sent_on=tomorrow)
    assert refused.value.field == "sent_on"
    complaint = act(cast, complaint, "record_response")
    assert Response.get(Response.complaint == complaint.id).recorded_by_id == cast.intake.id


def test_an_appeal_reopens_the_complaint_to_investigation_with_a_dispute_and_keeps_history(
        cast):
    complaint = drive(cast, "responded")
    earlier = [(e.seq, e.hash) for e in Event.select().where(Event.complaint == complaint.id)
               .order_by(Event.seq)]
    with pytest.raises(DomainError) as refused:
        act(cast, complaint, "appeal", reason=" ")
    assert refused.value.field == "reason"
    complaint = act(cast, complaint, "appeal", reason="Refund is too small.")
    assert complaint.status == "investigating"
    assert complaint.assignee_id == cast.investigator.id
    assert complaint.investigation_days == 5
    assert complaint.stage_due_on == load_calendar(cast.settings).add_working_days(
        cast.today, 5)
    dispute = Dispute.get(Dispute.complaint == complaint.id)
    assert (dispute.kind, dispute.reason, dispute.started_on, dispute.recorded_by_id) == (
        "appeal", "Refund is too small.", cast.today, cast.intake.id)
    after = [(e.seq, e.hash) for e in Event.select().where(Event.complaint == complaint.id)
             .order_by(Event.seq)]
    assert after[:-1] == earlier and len(after) == len(earlier) + 1
    assert (Response.select().where(Response.complaint == complaint.id).count(),
            Investigation.select().where(Investigation.complaint == complaint.id).count(),
            Approval.select().where(Approval.complaint == complaint.id).count()) == (1, 1, 2)
    assert history.verify_complaint(complaint.id) == []
    complaint = run_steps(cast, complaint, MAIN_PATH[MAIN_PATH.index("submit_investigation"):
                                                     MAIN_PATH.index("record_response") + 1])
    assert complaint.status == "responded"
    assert Investigation.select().where(Investigation.complaint == complaint.id).count() == 2


def test_the_complainants_own_answer_to_the_return_visit_is_recorded_without_staff(cast):
    """Part E's public pages record the complainant's own actions with no staff actor."""
    complaint = drive(cast, "visiting", steps=MAIN_PATH[:MAIN_PATH.index("complete_execution")
                                                       + 1])
    workflow.record_visit(complaint.id, None, complaint.version, cast.settings,
                          method="questionnaire", visited_on=cast.today, satisfaction=5,
                          resolved=True, system=True)
    visit = Visit.get(Visit.complaint == complaint.id)
    assert (visit.recorded_by_id, visit.satisfaction) == (None, 5)
    event = last_event(complaint)
    assert (event.action, event.actor_id) == ("record_visit", None)
    assert history.verify_complaint(complaint.id) == []


def test_the_complainants_own_appeal_reopens_the_complaint_without_staff(cast):
    complaint = drive(cast, "responded")
    workflow.appeal(complaint.id, None, complaint.version, cast.settings,
                    reason="I do not accept the result.", system=True)
    complaint = reload(complaint)
    assert complaint.status == "investigating"
    dispute = Dispute.get(Dispute.complaint == complaint.id)
    assert (dispute.kind, dispute.recorded_by_id) == ("appeal", None)


def test_a_dispute_referred_outside_waits_until_its_outcome_is_recorded(cast):
    complaint = drive(cast, "responded")
    complaint = act(cast, complaint, "refer_out", kind="arbitration", body="Arbitration board",
                    reference="ARB-2026-4")
    assert (complaint.status, complaint.stage_due_on) == ("external", None)
    for action in ACTIONS:
        if action == "record_outcome":
            continue
        with pytest.raises(Conflict):
            act(cast, complaint, action, actor=cast.manager)
    with pytest.raises(DomainError) as refused:
        act(cast, complaint, "record_outcome", outcome="")
    assert refused.value.field == "outcome"
    assert reload(complaint).status == "external"
    complaint = act(cast, complaint, "record_outcome", outcome="Award: refund 150 yuan.")
    assert complaint.status == "executing"
    dispute = Dispute.get(Dispute.complaint == complaint.id)
    assert (dispute.kind, dispute.body, dispute.reference, dispute.outcome, dispute.ended_on) == (
        "arbitration", "Arbitration board", "ARB-2026-4", "Award: refund 150 yuan.", cast.today)


@pytest.mark.parametrize("route", ["archived", "rejected"])
def test_an_archived_complaint_refuses_every_action_to_everyone(cast, route):
    complaint = drive(cast, route)
    if route == "rejected":
        complaint = act(cast, complaint, "archive", actor=cast.admin)
    assert complaint.status == "archived"
    before = snapshot(complaint.id)
    for action in ACTIONS:
        for role in ROLES:
            with pytest.raises(Conflict):
                act(cast, complaint, action, actor=cast.by_role(role))
    assert all(access.available_actions(cast.by_role(role), complaint) == []
               for role in ROLES)
    assert snapshot(complaint.id) == before


# --- the history ------------------------------------------------------------------------

def test_every_action_appends_exactly_one_event_with_its_statuses_and_the_chain_verifies(
        cast):
    journey = [
        ("assess", {}), ("accept", {}), ("assign", {}),
        ("transfer", {"department_id": cast.other_dept.id}),
        ("transfer", {"actor": cast.other_head, "department_id": cast.dept.id}),
        ("confirm_receipt", {}), ("request_extension", {}), ("decide_extension", {}),
        ("submit_investigation", {}), ("request_extension", {}),
        ("decide_extension", {"actor": cast.leader, "approve": False, "comment": "No."}),
        ("submit_proposal", {}), ("return_for_rework", {}), ("submit_investigation", {}),
        ("submit_proposal", {}), ("review", {}), ("return_for_rework", {}),
        ("submit_investigation", {}), ("submit_proposal", {}), ("review", {}),
        ("approve", {}), ("record_response", {}), ("appeal", {}),
        ("submit_investigation", {}), ("submit_proposal", {}), ("review", {}),
        ("approve", {}), ("record_response", {}), ("refer_out", {}), ("record_outcome", {}),
        ("mark_done", {}), ("waive", {}), ("complete_execution", {}),
        ("record_visit", {"satisfaction": 2}), ("reopen", {}), ("submit_investigation", {}),
        ("submit_proposal", {}), ("review", {}), ("approve", {}), ("record_response", {}),
        ("accept_result", {}), ("mark_done", {}), ("mark_done", {}),
        ("complete_execution", {}), ("record_visit", {}), ("close", {}), ("archive", {}),
    ]
    complaint = make_complaint(cast.app, registered_by=cast.intake)
    rejected = make_complaint(cast.app, registered_by=cast.intake)
    taken = set()
    for target, steps in ((complaint, journey),
                          (rejected, [("reject", {}), ("archive", {"actor": cast.admin})])):
        for action, kwargs in steps:
            before = reload(target)
            count = event_count(target)
            after = act(cast, target, action, **kwargs)
            event = last_event(after)
            assert event_count(after) == count + 1, action
            assert (event.action, event.from_status, event.to_status) == (
                action, before.status, next_status(before.status, action)), action
            assert after.status == event.to_status
            assert after.version == before.version + 1
            taken.add(action)
    assert taken == set(ACTIONS)
    assert reload(complaint).status == reload(rejected).status == "archived"
    checked, problems = history.verify_all()
    assert (checked, problems) == (2, [])


def test_the_history_chain_detects_an_event_changed_after_an_action(cast):
    complaint = drive(cast, "approving")
    assert history.verify_complaint(complaint.id) == []
    Event.update(note="edited").where((Event.complaint == complaint.id)
                                      & (Event.action == "review")).execute()
    assert any("does not match its hash" in p for p in history.verify_complaint(complaint.id))


def test_a_step_on_a_complaint_that_does_not_exist_is_refused(cast):
    with pytest.raises(DomainError) as refused:
        workflow.accept(999999, cast.intake, 1, cast.settings)
    assert str(refused.value.message) == "There is no such complaint."
