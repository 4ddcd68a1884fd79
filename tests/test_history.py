"""The append-only, hash-chained history and `flask audit verify`."""
import pytest

from domain import history, intake
from domain.models import Complaint, Event, FieldChange
from extensions import db
from tests.conftest import PDF, PNG
from tests.factories import make_complaint, make_user


def events_of(complaint) -> list[Event]:
    return list(Event.select().where(Event.complaint == complaint.id).order_by(Event.seq))


def _with_history(app, user=None):
    """A complaint registered with a file, corrected twice, with evidence added: 4 events."""
    user = user or make_user("intake")
    complaint = make_complaint(app, registered_by=user, files=[("photo.png", PNG)])
    complaint = intake.update(complaint.id, {"complainant_name": "张伟伟"}, user, 1)
    complaint = intake.update(complaint.id, {"demand": "换新", "severity": "major"}, user, 2)
    intake.add_evidence(complaint.id, [("invoice.pdf", PDF)], user, note="发票",
                        upload_dir=app.config["UPLOAD_DIR"], max_bytes=1024 * 1024)
    return complaint


def audit(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def test_history_every_intake_action_appends_a_numbered_event_linked_to_the_one_before(app):
    complaint = _with_history(app)
    events = events_of(complaint)
    assert [e.action for e in events] == ["register", "edit", "edit", "add_evidence"]
    assert [e.seq for e in events] == [1, 2, 3, 4]
    assert events[0].prev_hash == history.GENESIS
    for before, after in zip(events, events[1:]):
        assert after.prev_hash == before.hash
    assert len({e.hash for e in events}) == 4
    assert all(len(e.hash) == 64 for e in events)
    edit = events[2]
    assert {(fc.field, fc.old, fc.new) for fc in edit.changes} == {
        ("demand", "全额退款", "换新"), ("severity", "ordinary", "major")}


def test_history_chains_are_kept_per_complaint(app):
    first, second = _with_history(app), _with_history(app)
    for complaint in (first, second):
        events = events_of(complaint)
        assert [e.seq for e in events] == [1, 2, 3, 4]
        assert events[0].prev_hash == history.GENESIS


def test_history_verify_reports_nothing_on_an_intact_database(app):
    for _ in range(3):
        _with_history(app)
    assert history.verify_all() == (3, [])
    assert history.verify_all(batch=2) == (3, [])  # batches do not lose anything


def _one_event(complaint, action):
    return Event.get((Event.complaint == complaint.id) & (Event.action == action))


@pytest.mark.parametrize("column, value", [
    ("note", "'nothing to see here'"),
    ("action", "'register'"),
    ("at", "'2020-01-01 00:00:00.000000'"),
    ("public", "TRUE"),
    ("to_status", "'closed'"),
    ("from_status", "'accepted'"),
])
def test_history_verify_reports_an_event_changed_behind_the_apps_back(app, column, value):
    complaint = _with_history(app)
    event = _one_event(complaint, "add_evidence")
    db.execute_sql(f"UPDATE event SET {column} = {value} WHERE id = ?", (event.id,))
    checked, problems = history.verify_all()
    assert checked == 1
    assert problems == [f"complaint {complaint.id} event {event.seq}: "
                        "content does not match its hash"]


def test_history_verify_reports_an_event_credited_to_someone_else(app):
    complaint = _with_history(app)
    other = make_user("manager")
    event = events_of(complaint)[1]
    db.execute_sql("UPDATE event SET actor_id = ? WHERE id = ?", (other.id, event.id))
    assert history.verify_all()[1] == [
        f"complaint {complaint.id} event 2: content does not match its hash"]


@pytest.mark.parametrize("sql", [
    "UPDATE field_change SET new = '张三' WHERE id = ?",
    "UPDATE field_change SET old = '' WHERE id = ?",
    "UPDATE field_change SET field = 'matter' WHERE id = ?",
    "DELETE FROM field_change WHERE id = ?",
])
def test_history_verify_reports_a_field_change_altered_through_raw_sql(app, sql):
    complaint = _with_history(app)
    edit = events_of(complaint)[1]
    change = FieldChange.get(FieldChange.event == edit.id)
    db.execute_sql(sql, (change.id,))
    assert history.verify_all()[1] == [
        f"complaint {complaint.id} event 2: content does not match its hash"]


def test_history_verify_reports_a_field_change_slipped_into_an_event(app):
    complaint = _with_history(app)
    register = events_of(complaint)[0]
    FieldChange.insert(event=register.id, field="amount_claimed", old="", new="9999").execute()
    assert history.verify_all()[1] == [
        f"complaint {complaint.id} event 1: content does not match its hash"]


def test_history_verify_reports_a_rewritten_event_even_with_its_hash_recomputed(app):
    complaint = _with_history(app)
    event = events_of(complaint)[1]
    event.note = "rewritten"
    changes = [(fc.field, fc.old, fc.new) for fc in event.changes.order_by(FieldChange.id)]
    forged = history._digest(event, changes)
    db.execute_sql("UPDATE event SET note = 'rewritten', hash = ? WHERE id = ?",
                   (forged, event.id))
    assert history.verify_all()[1] == [
        f"complaint {complaint.id} event 3: does not link to the previous event"]


def test_history_verify_reports_an_event_removed_from_the_middle(app):
    complaint = _with_history(app)
    edit = events_of(complaint)[1]
    db.execute_sql("DELETE FROM field_change WHERE event_id = ?", (edit.id,))
    db.execute_sql("DELETE FROM event WHERE id = ?", (edit.id,))
    problems = history.verify_all()[1]
    assert f"complaint {complaint.id} event 3: sequence gap (expected 2)" in problems
    assert f"complaint {complaint.id} event 3: does not link to the previous event" in problems


def test_history_verify_reports_a_complaint_without_any_history(app):
    complaint = make_complaint(app)
    db.execute_sql("DELETE FROM event WHERE complaint_id = ?", (complaint.id,))
    assert history.verify_all() == (1, [f"complaint {complaint.id}: has no history"])


def test_history_verify_finds_a_break_in_a_later_batch(app):
    complaints = [make_complaint(app) for _ in range(5)]
    target = complaints[3]
    db.execute_sql("UPDATE event SET note = 'x' WHERE complaint_id = ?", (target.id,))
    assert history.verify_all(batch=2) == (
        5, [f"complaint {target.id} event 1: content does not match its hash"])
    assert history.verify_complaint(target.id) == [
        f"complaint {target.id} event 1: content does not match its hash"]
    assert history.verify_complaint(complaints[0].id) == []


def test_history_audit_verify_command_exits_0_when_the_history_is_intact(app):
    _with_history(app)
    _with_history(app)
    result = audit(app)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "2 complaints and 0 other records checked, 0 problems"


def test_history_audit_verify_command_exits_1_and_names_the_problem_when_tampered(app):
    complaint = _with_history(app)
    edit = events_of(complaint)[1]
    change = FieldChange.get(FieldChange.event == edit.id)
    db.execute_sql("UPDATE field_change SET new = '李四' WHERE id = ?", (change.id,))
    result = audit(app)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"complaint {complaint.id} event 2: content does not match its hash",
        "1 complaints and 0 other records checked, 1 problems",
    ]


def test_history_audit_verify_command_on_an_empty_database(app):
    result = audit(app)
    assert result.exit_code == 0
    assert "0 complaints and 0 other records checked, 0 problems" in result.output


def test_history_a_refused_correction_leaves_the_chain_untouched(app):
    user = make_user("intake")
    complaint = make_complaint(app, registered_by=user)
    before = [(e.seq, e.hash) for e in events_of(complaint)]
    from domain.errors import Conflict
    with pytest.raises(Conflict):
        intake.update(complaint.id, {"complainant_name": "迟到的修改"}, user, 99)
    assert [(e.seq, e.hash) for e in events_of(complaint)] == before
    assert Complaint.get_by_id(complaint.id).complainant_name == "张伟"
    assert history.verify_all() == (1, [])


def test_history_verify_reports_the_newest_events_removed(app):
    complaint = make_complaint(app)
    intake.update(complaint.id, {"demand": "换货"}, complaint.registered_by, complaint.version)
    assert history.verify_complaint(complaint.id) == []
    db.execute_sql("DELETE FROM field_change WHERE event_id IN "
                   "(SELECT id FROM event WHERE complaint_id = ? AND seq = 2)", (complaint.id,))
    db.execute_sql("DELETE FROM event WHERE complaint_id = ? AND seq = 2", (complaint.id,))
    problems = history.verify_complaint(complaint.id)
    assert problems == [f"complaint {complaint.id}: its newest events are missing (expected 2)"]
    assert history.verify_all() == (1, problems)
