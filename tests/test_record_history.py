"""The append-only, hash-chained history of records that are not complaints (emergency
responses, accountability records, improvement plans), and `flask audit verify` over them."""
import datetime as dt

from domain import record_history
from domain.group_models import EmergencyResponse
from domain.oversight_models import AccountabilityRecord, ImprovementPlan, RecordEvent
from extensions import db
from tests.factories import make_user


def _plan(owner):
    return ImprovementPlan.create(number=f"GJ-2026-{ImprovementPlan.select().count() + 1:04d}",
                                  title="配送延误", problem="配送慢", target="−50 %", owner=owner,
                                  created_by=owner, starts_on=dt.date(2026, 1, 1),
                                  ends_on=dt.date(2026, 3, 31))


def _response(leader):
    return EmergencyResponse.create(number="YL-2026-0001", drill=True, title="演练", level="III",
                                    activated_by=leader)


def _record(manager, subject):
    return AccountabilityRecord.create(number="ZR-2026-0001", subject=subject, level="direct",
                                       findings="未按时回复", opened_by=manager)


def _audit(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def test_each_record_keeps_its_own_numbered_chain_and_its_newest_hash(app):
    leader, manager, clerk = make_user("leader"), make_user("manager"), make_user("intake")
    plan, response = _plan(manager), _response(leader)
    with db.atomic():
        first = record_history.append(plan, manager, "create", data={"changes": [["title", "", "配送延误"]]})
        second = record_history.append(plan, manager, "edit", note="目标改为 −60 %")
        log = record_history.append(response, clerk, "log", note="现场人员到达")
    assert (first.seq, second.seq, log.seq) == (1, 2, 1)
    assert first.prev_hash == record_history.GENESIS and second.prev_hash == first.hash
    assert log.prev_hash == record_history.GENESIS  # another record, another chain
    plan = ImprovementPlan.get_by_id(plan.id)
    assert (plan.history_count, plan.history_head) == (2, second.hash)
    events = record_history.events_of(plan)
    assert [e.action for e in events] == ["create", "edit"]
    assert events[0].actor.full_name == manager.full_name
    assert record_history.event_data(events[0]) == {"changes": [["title", "", "配送延误"]]}
    assert record_history.verify_record(plan) == []


def test_audit_verify_finds_an_edited_a_removed_and_a_truncated_event(app):
    leader, manager = make_user("leader"), make_user("manager")
    subject = make_user("investigator")
    response, record, plan = _response(leader), _record(manager, subject), _plan(manager)
    with db.atomic():
        for text in ("启动", "谈判开始", "人群散去"):
            record_history.append(response, leader, "log", note=text)
        for action in ("open", "propose"):
            record_history.append(record, manager, action)
        for action in ("create", "add_measure"):
            record_history.append(plan, manager, action)
    result = _audit(app)
    assert result.exit_code == 0
    assert "3 other records checked, 0 problems" in result.output

    # Someone rewrites a log entry, deletes the middle of a chain, and cuts off the newest.
    RecordEvent.update(note="无事发生").where((RecordEvent.subject == "emergency")
                                          & (RecordEvent.seq == 2)).execute()
    RecordEvent.delete().where((RecordEvent.subject == "accountability")
                               & (RecordEvent.seq == 1)).execute()
    RecordEvent.delete().where((RecordEvent.subject == "plan") & (RecordEvent.seq == 2)).execute()
    result = _audit(app)
    assert result.exit_code == 1
    assert f"emergency {response.id} event 2: content does not match its hash" in result.output
    assert f"accountability {record.id} event 2: sequence gap" in result.output
    assert f"plan {plan.id}: its newest events are missing (expected 2)" in result.output
