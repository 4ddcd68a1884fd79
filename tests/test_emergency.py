"""Emergency responses and drills in the domain: activation with a team, the append-only
action log (the response's own history), statements, team changes, stand-down, lessons,
notifications, the complaint's own history, and drills kept out of every statistic."""
import datetime as dt

import pytest

from domain import emergency, emergency_queries, intake, record_history
from domain.errors import Conflict, DomainError, Forbidden
from domain.group_models import EmergencyMember, EmergencyResponse, GroupDetail
from domain.models import Complaint, Event, utcnow
from domain.settings import load_settings
from domain.stage_models import Notification
from tests.factories import complaint_data
from tests.workflow_helpers import make_cast, quick_user

GROUP = {"group_headcount": 12, "group_location": "一楼大厅", "group_mood": "agitated",
         "group_core_demands": "要求退还预付卡余额",
         "representatives": [{"name": "王芳", "contact": "13900000001"}]}


@pytest.fixture
def cast(app):
    return make_cast(app)


def group_complaint(cast, **overrides):
    complaint, _code = intake.register(
        complaint_data(severity="group", channel="group_visit", **overrides), cast.intake, [],
        settings=load_settings(), upload_dir=cast.app.config["UPLOAD_DIR"],
        max_bytes=1024, group=dict(GROUP))
    return complaint


def team(cast):
    return [(cast.manager.id, "coordination"), (cast.investigator.id, "on_site"),
            (cast.head.id, "negotiation")]


def kinds_for(user, kind):
    return Notification.select().where((Notification.user == user.id)
                                       & (Notification.kind == kind)).count()


def test_a_leader_activates_a_response_with_a_numbered_record_team_and_first_log_line(cast):
    complaint = group_complaint(cast)
    response = emergency.activate(complaint, cast.leader, "II", "群体来访", team(cast))
    assert response.number.startswith("YJ-") and not response.drill
    assert response.status == "active" and response.complaint_id == complaint.id
    members = emergency.current_members(response)
    assert [(m.user_id, m.role) for m in members] == [
        (cast.manager.id, "coordination"), (cast.investigator.id, "on_site"),
        (cast.head.id, "negotiation")]
    events = record_history.events_of(response)
    assert [e.action for e in events] == ["activate"]
    assert record_history.event_data(events[0])["team"][0] == [cast.manager.full_name,
                                                               "coordination"]
    assert record_history.verify_record(response) == []


def test_activation_writes_on_the_complaint_history_without_changing_status_or_version(cast):
    complaint = group_complaint(cast)
    before = Complaint.get_by_id(complaint.id)
    response = emergency.activate(complaint, cast.leader, "II", "群体来访", team(cast))
    after = Complaint.get_by_id(complaint.id)
    assert (after.status, after.version) == (before.status, before.version)
    actions = [e.action for e in Event.select().where(Event.complaint == complaint.id)
               .order_by(Event.seq)]
    assert actions[-2:] == ["emergency_activated", "group_handled"]
    emergency.stand_down(response, cast.leader, "人群已散去", "", response.version)
    last = Event.select().where(Event.complaint == complaint.id).order_by(Event.seq.desc()).get()
    assert last.action == "emergency_stood_down" and "人群已散去" in last.note
    assert Complaint.get_by_id(complaint.id).version == before.version


def test_activation_handles_the_group_alert_and_notifies_team_and_leadership_once(cast):
    complaint = group_complaint(cast)
    other_leader = quick_user("leader")
    emergency.activate(complaint, cast.leader, "II", "群体来访", team(cast))
    assert GroupDetail.get(GroupDetail.complaint == complaint.id).handled_at is not None
    assert kinds_for(cast.investigator, "emergency_team") == 1
    assert kinds_for(cast.manager, "emergency_team") == 1
    assert kinds_for(cast.manager, "emergency_activated") == 0  # on the team: one notice
    assert kinds_for(other_leader, "emergency_activated") == 1
    assert kinds_for(cast.leader, "emergency_activated") == 0   # did it themselves


def test_only_one_response_may_be_active_for_a_complaint(cast):
    complaint = group_complaint(cast)
    emergency.activate(complaint, cast.leader, "II", "群体来访", team(cast))
    with pytest.raises(Conflict):
        emergency.activate(complaint, cast.leader, "I", "again", team(cast))


def test_only_a_leader_activates_and_only_for_an_open_group_or_major_complaint(cast):
    complaint = group_complaint(cast)
    with pytest.raises(Forbidden):
        emergency.activate(complaint, cast.manager, "II", "x", team(cast))
    ordinary, _code = intake.register(complaint_data(), cast.intake, [],
                                      settings=load_settings(),
                                      upload_dir=cast.app.config["UPLOAD_DIR"], max_bytes=1024)
    with pytest.raises(Forbidden):
        emergency.activate(ordinary, cast.leader, "II", "x", team(cast))


@pytest.mark.parametrize("level, title, members, field", [
    ("V", "x", None, "level"), ("II", "  ", None, "title"), ("II", "x", [], "team")])
def test_activation_refuses_bad_input_naming_the_field_and_saves_nothing(cast, level, title,
                                                                         members, field):
    complaint = group_complaint(cast)
    with pytest.raises(DomainError) as refused:
        emergency.activate(complaint, cast.leader, level, title,
                           team(cast) if members is None else members)
    assert refused.value.field == field
    assert EmergencyResponse.select().count() == 0


def test_team_members_and_leaders_append_to_the_log_and_others_may_not(cast):
    complaint = group_complaint(cast)
    response = emergency.activate(complaint, cast.leader, "II", "群体来访", team(cast))
    emergency.log(response, cast.investigator, "到达现场，安排人员到会议室")
    earlier = utcnow() - dt.timedelta(minutes=30)
    emergency.log(response, cast.head, "与代表王芳初步沟通", happened_at=earlier)
    emergency.log(response, cast.leader, "通知法务到场")
    with pytest.raises(Forbidden):
        emergency.log(response, cast.auditor, "not on the team")
    with pytest.raises(DomainError) as refused:
        emergency.log(response, cast.investigator, "  ")
    assert refused.value.field == "text"
    entries = emergency_queries.log_entries(response)
    assert [e.action for e in entries] == ["log", "activate", "log", "log"]  # by time
    assert entries[0].note == "与代表王芳初步沟通"
    assert entries[0].happened_at == earlier.replace(second=0, microsecond=0)
    assert entries[0].at > entries[0].happened_at
    assert EmergencyResponse.get_by_id(response.id).version == response.version  # appends
    assert record_history.verify_record(EmergencyResponse.get_by_id(response.id)) == []


def test_log_times_in_the_future_are_refused(cast):
    complaint = group_complaint(cast)
    response = emergency.activate(complaint, cast.leader, "II", "群体来访", team(cast))
    with pytest.raises(DomainError) as refused:
        emergency.log(response, cast.investigator, "x", utcnow() + dt.timedelta(hours=2))
    assert refused.value.field == "happened_at"


def test_statements_are_issued_by_leaders_and_the_coordination_or_statement_people(cast):
    complaint = group_complaint(cast)
    response = emergency.activate(complaint, cast.leader, "II", "群体来访", team(cast))
    emergency.statement(response, cast.manager, "website", "我公司已成立专项工作组")
    with pytest.raises(Forbidden):
        emergency.statement(response, cast.investigator, "website", "on-site people may not")
    with pytest.raises(DomainError):
        emergency.statement(response, cast.leader, "radio", "unknown channel")
    event = record_history.events_of(response, ("statement",))[0]
    assert record_history.event_data(event) == {"channel": "website"}


def test_a_leader_changes_the_team_removal_is_kept_and_access_follows(cast):
    complaint = group_complaint(cast)
    response = emergency.activate(complaint, cast.leader, "II", "群体来访", team(cast))
    newcomer = quick_user("investigator")
    response = emergency.add_member(response, cast.leader, newcomer.id, "logistics",
                                    response.version)
    assert kinds_for(newcomer, "emergency_team") == 1
    with pytest.raises(DomainError):
        emergency.add_member(response, cast.leader, newcomer.id, "logistics", response.version)
    with pytest.raises(Conflict):
        emergency.add_member(response, cast.leader, cast.auditor.id, "analysis", 1)
    member = EmergencyMember.get((EmergencyMember.user == cast.investigator.id))
    response = emergency.remove_member(response, cast.leader, member.id, response.version)
    assert EmergencyMember.get_by_id(member.id).removed_at is not None
    assert cast.investigator.id not in emergency.member_ids(response)
    with pytest.raises(Forbidden):
        emergency.log(response, cast.investigator, "no longer on the team")
    assert [e.action for e in record_history.events_of(response)] == [
        "activate", "add_member", "remove_member"]


def test_standing_down_needs_a_summary_closes_the_log_and_tells_the_team(cast):
    complaint = group_complaint(cast)
    response = emergency.activate(complaint, cast.leader, "II", "群体来访", team(cast))
    with pytest.raises(DomainError) as refused:
        emergency.stand_down(response, cast.leader, "", "", response.version)
    assert refused.value.field == "summary"
    with pytest.raises(Forbidden):
        emergency.stand_down(response, cast.manager, "x", "", response.version)
    with pytest.raises(Conflict):
        emergency.stand_down(response, cast.leader, "x", "", response.version - 1)
    response = emergency.stand_down(response, cast.leader, "代表签字确认方案，人群散去",
                                    "前台应更早报告", response.version)
    assert (response.status, response.summary, response.lessons) == (
        "stood_down", "代表签字确认方案，人群散去", "前台应更早报告")
    assert kinds_for(cast.investigator, "emergency_stood_down") == 1
    with pytest.raises(Conflict):
        emergency.log(response, cast.investigator, "too late")
    with pytest.raises(Conflict):
        emergency.stand_down(response, cast.leader, "again", "", response.version)


def test_a_drill_has_its_own_numbers_no_complaint_and_lessons_after_stand_down(cast):
    drill = emergency.start_drill(cast.leader, "III", "模拟30人到门店聚集", team(cast))
    assert drill.number.startswith("YL-") and drill.drill and drill.complaint_id is None
    assert kinds_for(cast.manager, "emergency_team") == 1
    assert Notification.select().where(Notification.kind == "emergency_activated").count() == 0
    emergency.log(drill, cast.investigator, "模拟：到达现场")
    drill = emergency.stand_down(drill, cast.leader, "演练完成", "", drill.version)
    drill = emergency.record_lessons(drill, cast.leader, "通知链条需缩短", drill.version)
    assert drill.lessons == "通知链条需缩短"
    assert record_history.events_of(drill)[-1].action == "lessons"
    with pytest.raises(Forbidden):
        emergency.start_drill(cast.manager, "III", "x", team(cast))


def test_drills_change_no_complaint_count_nor_the_real_response_count(cast):
    complaint = group_complaint(cast)
    emergency.activate(complaint, cast.leader, "II", "群体来访", team(cast))
    complaints, events, real = (Complaint.select().count(), Event.select().count(),
                                emergency.real_responses().count())
    for _ in range(2):
        emergency.start_drill(cast.leader, "IV", "演练", team(cast))
    assert Complaint.select().count() == complaints
    assert Event.select().count() == events
    assert emergency.real_responses().count() == real == 1
    assert EmergencyResponse.select().count() == 3


def test_my_work_lists_the_active_responses_a_person_is_on_with_their_roles(cast):
    complaint = group_complaint(cast)
    response = emergency.activate(complaint, cast.leader, "II", "群体来访",
                                  team(cast) + [(cast.manager.id, "statement")])
    drill = emergency.start_drill(cast.leader, "IV", "演练", [(cast.manager.id, "logistics")])
    mine = emergency_queries.active_for_member(cast.manager)
    assert [(r.id, r.my_roles) for r in mine] == [(drill.id, ["logistics"]),
                                                  (response.id, ["coordination", "statement"])]
    emergency.stand_down(drill, cast.leader, "done", "", drill.version)
    assert [r.id for r in emergency_queries.active_for_member(cast.manager)] == [response.id]
