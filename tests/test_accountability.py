"""Accountability records (责任追究), the rules without HTTP: opening, findings, evidence,
proposal, decision, acceptance, appeal and its decision, the appeal period running out,
the record's own hash-chained history, notifications and numbering."""
import datetime as dt
from decimal import Decimal

import pytest

from domain import accountability as acc, record_history
from domain.errors import Conflict, DomainError, Forbidden
from domain.models import Event
from domain.oversight_models import AccountabilityEvidence, AccountabilityRecord, RecordEvent
from domain.stage_models import Notification
from domain.uploads import path_of
from tests.conftest import PDF, PNG
from tests.factories import make_complaint
from tests.test_accountability_support import day_after_due, make_world, open_record, record_at
from tests.workflow_helpers import quick_user


@pytest.fixture
def world(app):
    with app.test_request_context():
        yield make_world(app)


def _kinds(user):
    return [n.kind for n in Notification.select().where(Notification.user == user.id)]


def _actions(record):
    return [e.action for e in record_history.events_of(record)]


def _reload(record):
    return AccountabilityRecord.get_by_id(record.id)


def test_manager_opens_a_numbered_record_with_evidence_and_the_person_is_not_told(world):
    complaint = make_complaint(world.app, registered_by=world.cast.intake)
    record = open_record(world, complaint, files=[("proof.png", PNG), ("memo.pdf", PDF)])
    year = acc.local_today().year
    assert record.number == f"ZR-{year}-0001"
    assert (record.status, record.subject_id, record.complaint_id) == (
        "investigating", world.person.id, complaint.id)
    assert record.subject_department_id == world.person.department_id
    files = list(AccountabilityEvidence.select().where(AccountabilityEvidence.record == record.id))
    assert sorted(f.original_name for f in files) == ["memo.pdf", "proof.png"]
    assert all(path_of(world.app.config["UPLOAD_DIR"], f.stored_name).read_bytes() in (PNG, PDF)
               for f in files)
    event = record_history.events_of(record)[0]
    assert event.action == "opened" and event.actor_id == world.cast.manager.id
    assert ["level", "", "direct"] in record_history.event_data(event)["changes"]
    assert _kinds(world.person) == []
    assert open_record(world).number == f"ZR-{year}-0002"


def test_accountability_events_never_enter_the_complaints_own_history(world):
    complaint = make_complaint(world.app, registered_by=world.cast.intake)
    before = Event.select().where(Event.complaint == complaint.id).count()
    record_at(world, "final", complaint=complaint)
    assert Event.select().where(Event.complaint == complaint.id).count() == before


def test_only_the_complaint_manager_opens_records_and_never_about_themselves(world):
    c = world.cast
    with pytest.raises(Forbidden):
        acc.open_record(c.leader, world.person, "direct", "未按时回复")
    with pytest.raises(DomainError) as e:
        acc.open_record(c.manager, c.manager, "direct", "未按时回复")
    assert e.value.field == "subject"
    assert AccountabilityRecord.select().count() == 0


@pytest.mark.parametrize("level, findings, field", [
    ("", "未按时回复", "level"), ("chief", "未按时回复", "level"), ("direct", "   ", "findings"),
    ("direct", "x" * 10001, "findings")])
def test_opening_refuses_a_missing_level_or_findings_beside_the_field(world, level, findings,
                                                                      field):
    with pytest.raises(DomainError) as e:
        acc.open_record(world.cast.manager, world.person, level, findings)
    assert e.value.field == field
    assert AccountabilityRecord.select().count() == 0


def test_a_bad_evidence_file_saves_nothing(world):
    with pytest.raises(DomainError) as e:
        open_record(world, files=[("proof.png", PNG), ("run.exe", b"MZ\x90\x00" + b"\x00" * 64)])
    assert e.value.field == "evidence"
    assert AccountabilityRecord.select().count() == 0
    assert AccountabilityEvidence.select().count() == 0


def test_findings_are_updated_with_old_and_new_in_the_history_while_investigating(world):
    record = open_record(world)
    record = acc.update_findings(record, world.cast.manager, "补充：多次催办未回复。", "primary",
                                 record.version)
    assert (record.level, record.findings, record.version) == ("primary", "补充：多次催办未回复。", 2)
    changes = record_history.event_data(record_history.events_of(record)[-1])["changes"]
    assert ["level", "direct", "primary"] in changes
    record = acc.propose(record, world.cast.manager, "criticism", None, "批评教育", record.version)
    with pytest.raises(Conflict):
        acc.update_findings(record, world.cast.manager, "再改", "direct", record.version)


def test_a_stale_version_is_refused_and_nothing_is_saved(world):
    record = open_record(world)
    with pytest.raises(Conflict):
        acc.propose(record, world.cast.manager, "criticism", None, "批评教育", record.version - 1)
    assert _reload(record).status == "investigating"
    assert _actions(record) == ["opened"]


@pytest.mark.parametrize("sanction, amount, field", [
    ("fine", None, "amount"), ("fine", "0", "amount"), ("fine", "-5", "amount"),
    ("fine", "abc", "amount"), ("warning", "200", "amount"), ("jail", None, "sanction")])
def test_a_proposal_needs_an_amount_for_a_fine_and_only_then(world, sanction, amount, field):
    record = open_record(world)
    with pytest.raises(DomainError) as e:
        acc.propose(record, world.cast.manager, sanction, amount, "理由", record.version)
    assert e.value.field == field
    assert _reload(record).status == "investigating"


def test_a_proposal_tells_the_leaders_but_not_the_person(world):
    record = open_record(world)
    record = acc.propose(record, world.cast.manager, "fine", "500", "扣发当月绩效", record.version)
    assert (record.status, record.proposed_sanction, record.proposed_amount) == (
        "proposed", "fine", Decimal("500.00"))
    assert _kinds(world.cast.leader) == ["accountability_proposed"]
    assert _kinds(world.person) == []


def test_the_leader_decides_the_proposed_sanction_and_the_person_is_told_with_the_appeal_date(
        world):
    record = record_at(world, "decided")
    assert (record.status, record.sanction, record.amount) == ("decided", "fine", Decimal("500.00"))
    days = world.cast.settings["accountability_appeal_days"]
    assert record.appeal_due_on == acc.local_today() + dt.timedelta(days=days)
    assert record.decided_by_id == world.cast.leader.id
    assert _kinds(world.person) == ["accountability_decided"]
    assert Notification.get(Notification.user == world.person.id).subject == "accountability"


def test_the_leader_may_decide_another_sanction_than_proposed(world):
    record = record_at(world, "proposed")
    record = acc.decide(record, world.cast.leader, "warning", None, "情节较重", record.version)
    assert (record.sanction, record.amount) == ("warning", None)
    changes = record_history.event_data(record_history.events_of(record)[-1])["changes"]
    assert ["sanction", "", "warning"] in changes


def test_a_leader_never_decides_about_themselves_and_others_may_not_decide(world):
    c = world.cast
    leader_subject = quick_user("leader")
    record = acc.open_record(c.manager, leader_subject, "leadership", "督办不力")
    record = acc.propose(record, c.manager, "criticism", None, "批评教育", record.version)
    with pytest.raises(Forbidden):
        acc.decide(record, leader_subject, None, None, "", record.version)
    with pytest.raises(Forbidden):
        acc.decide(record, c.manager, None, None, "", record.version)
    assert _kinds(leader_subject) == []  # the proposal went to the other leaders only
    assert "accountability_proposed" in _kinds(c.leader)


def test_the_person_accepts_the_decision_and_it_is_final_at_once(world):
    record = record_at(world, "decided")
    with pytest.raises(Forbidden):
        acc.accept(record, world.cast.leader, record.version)
    record = acc.accept(record, world.person, record.version)
    assert record.status == "final" and record.final_at is not None
    assert _actions(record)[-1] == "accepted"


def test_the_person_appeals_within_the_period_and_leaders_are_told(world):
    record = record_at(world, "decided")
    with pytest.raises(Forbidden):
        acc.appeal(record, world.cast.manager, "不服", record.version)
    with pytest.raises(DomainError) as e:
        acc.appeal(record, world.person, "  ", record.version)
    assert e.value.field == "text"
    record = acc.appeal(record, world.person, "延误系物流原因。", record.version,
                        today=record.appeal_due_on)
    assert (record.status, record.appeal_text) == ("appealed", "延误系物流原因。")
    assert "accountability_appealed" in _kinds(world.cast.leader)


def test_an_appeal_after_the_period_is_refused_with_the_date(world):
    record = record_at(world, "decided")
    with pytest.raises(DomainError) as e:
        acc.appeal(record, world.person, "不服", record.version, today=day_after_due(record))
    assert e.value.field == "text"
    assert record.appeal_due_on.isoformat() in str(e.value.message)
    assert _reload(record).status == "decided"


@pytest.mark.parametrize("outcome, sanction, amount, expected", [
    ("upheld", None, None, ("fine", Decimal("500.00"))),
    ("varied", "criticism", None, ("criticism", None)),
    ("varied", "fine", "200", ("fine", Decimal("200.00"))),
    ("revoked", None, None, ("none", None))])
def test_the_leader_decides_the_appeal_and_the_record_is_final(world, outcome, sanction, amount,
                                                               expected):
    record = record_at(world, "appealed")
    record = acc.decide_appeal(record, world.cast.leader, outcome, sanction, amount, "复核意见",
                               record.version)
    assert record.status == "final" and record.appeal_outcome == outcome
    assert (record.sanction, record.amount) == expected
    assert "accountability_appeal_decided" in _kinds(world.person)
    assert _actions(record)[-1] == "appeal_decided"


def test_varying_an_appeal_needs_a_different_sanction(world):
    record = record_at(world, "appealed")
    for sanction, amount in ((None, None), ("fine", "500")):
        with pytest.raises(DomainError) as e:
            acc.decide_appeal(record, world.cast.leader, "varied", sanction, amount, "复核",
                              record.version)
        assert e.value.field == "sanction"
    assert _reload(record).status == "appealed"


def test_decisions_nobody_appealed_in_time_become_final_with_a_final_event(world):
    expired = record_at(world, "decided")
    appealed = record_at(world, "appealed")
    later = day_after_due(expired)
    fresh = record_at(world, "decided")
    assert acc.finalise_expired(expired.appeal_due_on) == 0  # the last day still counts
    assert acc.finalise_expired(later) == 2  # `fresh` is due the same day as `expired`
    assert _reload(expired).status == "final" and _reload(fresh).status == "final"
    assert _reload(appealed).status == "appealed"
    last = record_history.events_of(expired)[-1]
    assert (last.action, last.actor_id) == ("final", None)
    assert acc.finalise_expired(later) == 0


def test_a_record_loaded_for_display_after_its_appeal_period_is_final(world):
    record = record_at(world, "decided")
    assert acc.finalise_if_expired(record, record.appeal_due_on).status == "decided"
    assert acc.finalise_if_expired(record, day_after_due(record)).status == "final"
    assert _actions(record)[-1] == "final"


def test_every_step_is_in_the_records_intact_hash_chain(world):
    record = record_at(world, "final")
    assert _actions(record) == ["opened", "proposed", "decided", "appealed", "appeal_decided"]
    assert record_history.verify_record(_reload(record)) == []
    RecordEvent.update(note="改过").where((RecordEvent.subject == "accountability")
                                          & (RecordEvent.seq == 2)).execute()
    assert record_history.verify_record(_reload(record))


def test_evidence_is_added_until_the_decision(world):
    record = record_at(world, "proposed")
    record = acc.add_evidence(record, world.cast.manager, [("more.pdf", PDF)],
                              upload_dir=world.app.config["UPLOAD_DIR"], max_bytes=10 ** 6,
                              version=record.version)
    assert record.evidence.count() == 2
    assert record_history.event_data(record_history.events_of(record)[-1])["files"] == ["more.pdf"]
    record = acc.decide(record, world.cast.leader, None, None, "", record.version)
    with pytest.raises(Conflict):
        acc.add_evidence(record, world.cast.manager, [("late.pdf", PDF)],
                         upload_dir=world.app.config["UPLOAD_DIR"], max_bytes=10 ** 6)


def test_records_about_a_person_follow_the_confidentiality_rules(world):
    c = world.cast
    complaint = make_complaint(world.app, registered_by=world.cast.intake)
    first, second = open_record(world, complaint), open_record(world)
    other = acc.open_record(c.manager, c.investigator, "direct", "另一人")
    rows = acc.records_about(world.person.id)
    assert [r.id for r in rows] == [second.id, first.id]
    assert rows[1].complaint_number == complaint.number
    for viewer, count in ((c.leader, 2), (c.admin, 2), (c.manager, 2), (world.person, 2),
                          (c.auditor, 0), (c.head, 0), (c.investigator, 0)):
        assert len(acc.records_about(world.person.id, viewer=viewer)) == count
    assert [r.id for r in acc.records_about(c.investigator.id)] == [other.id]


def test_the_steps_offered_follow_status_role_and_appeal_period(world):
    c = world.cast
    record = record_at(world, "decided")
    today = acc.local_today()
    assert acc.available_steps(world.person, record, today) == ["accept", "appeal"]
    assert acc.available_steps(world.person, record, day_after_due(record)) == []
    assert acc.available_steps(c.leader, record, today) == []
    assert acc.available_steps(c.manager, open_record(world), today) == [
        "findings", "evidence", "propose"]
    assert acc.available_steps(c.leader, record_at(world, "proposed"), today) == ["decide"]
