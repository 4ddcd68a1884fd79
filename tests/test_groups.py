"""Group complaints (群体投诉): the group details on the intake form, the alert at the top of
leaders' and managers' pages until handled, recording it handled, and correcting the
details later (recorded in the complaint's history)."""
import pytest

from domain.group_models import GroupDetail, GroupRepresentative
from domain.models import Complaint, Event, FieldChange
from domain.stage_models import Notification
from tests.factories import make_user
from tests.test_intake import HX, field_error, form_data, post_intake

GROUP_FORM = {"group_headcount": "25", "group_location": "总部一楼大厅",
              "group_mood": "agitated", "group_core_demands": "要求退还预付卡余额并公开道歉",
              "rep1_name": "王芳", "rep1_contact": "13900000001",
              "rep2_name": "陈强", "rep2_contact": "", "rep3_name": "", "rep3_contact": ""}


def group_form(**overrides):
    return form_data(severity="group", channel="group_visit", **{**GROUP_FORM, **overrides})


@pytest.fixture
def leadership(app):
    return make_user("leader"), make_user("manager")


def register_group(login_as, **overrides):
    c = login_as("intake")
    response = post_intake(c, group_form(**overrides))
    assert response.status_code == 303, response.get_data(as_text=True)
    return Complaint.select().order_by(Complaint.id.desc()).get()


def test_intake_staff_register_a_group_complaint_with_its_details_and_representatives(
        login_as, leadership):
    complaint = register_group(login_as)
    detail = GroupDetail.get(GroupDetail.complaint == complaint.id)
    assert (detail.headcount, detail.location, detail.mood) == (25, "总部一楼大厅", "agitated")
    reps = [(r.position, r.name, r.contact) for r in
            GroupRepresentative.select().order_by(GroupRepresentative.position)]
    assert reps == [(1, "王芳", "13900000001"), (2, "陈强", "")]


def test_the_intake_form_shows_the_group_fieldset_marked_for_group_complaints(login_as):
    page = login_as("intake").get("/complaints/new").get_data(as_text=True)
    assert "Group complaint details" in page and "For group complaints only" in page
    assert 'name="rep3_contact"' in page and "2–3 representatives" in page


def test_a_group_complaint_notifies_each_leader_and_manager_once_of_its_own_kind(
        login_as, leadership):
    leader, manager = leadership
    both = make_user("leader", roles=["leader", "manager"])
    complaint = register_group(login_as)
    told = [n.user_id for n in Notification.select().where(
        Notification.complaint == complaint.id)]
    assert sorted(told) == sorted([leader.id, manager.id, both.id])
    assert {n.kind for n in Notification.select()} == {"group_complaint"}


@pytest.mark.parametrize("overrides, field, message", [
    ({"group_headcount": ""}, "group_headcount", "Enter how many people came."),
    ({"group_headcount": "1"}, "group_headcount", "A group is at least 2 people."),
    ({"group_location": ""}, "group_location", "Enter where the group is."),
    ({"group_mood": ""}, "group_mood", "Choose the mood of the group."),
    ({"group_core_demands": ""}, "group_core_demands", "Enter the group's core demands."),
    ({"rep1_name": "", "rep1_contact": "", "rep2_name": ""}, "rep1_name",
     "Name at least one representative of the group."),
    ({"rep2_name": "", "rep2_contact": "138"}, "rep2_name",
     "Enter the representative's name too."),
])
def test_missing_group_details_are_refused_beside_the_field_and_nothing_is_saved(
        login_as, overrides, field, message):
    c = login_as("intake")
    for headers in ({}, HX):
        response = post_intake(c, group_form(**overrides), headers=headers)
        assert response.status_code == 422
        assert field_error(response.get_data(as_text=True), field) == message
    assert Complaint.select().count() == 0 and GroupDetail.select().count() == 0


def test_group_details_on_an_ordinary_complaint_are_refused_at_the_severity(login_as):
    c = login_as("intake")
    response = post_intake(c, form_data(**GROUP_FORM))
    assert response.status_code == 422
    assert "set the severity to “Group”" in field_error(response.get_data(as_text=True),
                                                        "severity")
    assert Complaint.select().count() == 0


def test_an_ordinary_complaint_needs_no_group_details(login_as):
    assert post_intake(login_as("intake"), form_data()).status_code == 303
    assert GroupDetail.select().count() == 0


def test_the_alert_heads_leaders_and_managers_pages_but_not_other_staff(login_as, leadership):
    leader, manager = leadership
    complaint = register_group(login_as)
    for who in (leader, manager):
        page = login_as(who).get("/work").get_data(as_text=True)
        assert "1 group complaint is waiting to be handled" in page
        assert complaint.number in page and "25 people" in page and "总部一楼大厅" in page
        assert "Agitated" in page
    intake_page = login_as("intake").get("/work").get_data(as_text=True)
    assert "waiting to be handled" not in intake_page


def test_a_manager_records_the_group_handled_with_a_note_and_the_alert_goes(
        login_as, leadership):
    leader, manager = leadership
    complaint = register_group(login_as)
    version = Complaint.get_by_id(complaint.id).version
    c = login_as(manager)
    refused = c.post(f"/complaints/{complaint.id}/group-handled", data={"note": ""})
    assert refused.status_code == 422
    assert "Say in a few words how the group was handled." in refused.get_data(as_text=True)
    done = c.post(f"/complaints/{complaint.id}/group-handled",
                  data={"note": "副总经理在会议室接待，11:30 散去"})
    assert done.status_code == 303
    detail = GroupDetail.get(GroupDetail.complaint == complaint.id)
    assert detail.handled_by_id == manager.id and detail.handled_note.startswith("副总经理")
    event = Event.select().where(Event.complaint == complaint.id).order_by(Event.seq.desc()).get()
    assert (event.action, event.from_status, event.to_status) == (
        "group_handled", "registered", "registered")
    assert Complaint.get_by_id(complaint.id).version == version
    page = login_as(leader).get(f"/complaints/{complaint.id}").get_data(as_text=True)
    assert "waiting to be handled" not in page
    assert "Group complaint handled" in page  # the history's label


def test_staff_other_than_leaders_and_managers_may_not_record_a_group_handled(login_as):
    complaint = register_group(login_as)
    c = login_as(Complaint.get_by_id(complaint.id).registered_by)
    assert c.post(f"/complaints/{complaint.id}/group-handled",
                  data={"note": "x"}).status_code == 403
    assert GroupDetail.get(GroupDetail.complaint == complaint.id).handled_at is None


def test_the_alert_goes_when_the_complaint_is_no_longer_open(login_as, leadership):
    leader, _manager = leadership
    complaint = register_group(login_as)
    Complaint.update(status="closed").where(Complaint.id == complaint.id).execute()
    page = login_as(leader).get("/work").get_data(as_text=True)
    assert "waiting to be handled" not in page


def test_the_complaint_page_shows_the_group_with_its_representatives(login_as, leadership):
    leader, _manager = leadership
    complaint = register_group(login_as)
    c = login_as(leader)
    for headers in ({}, HX):
        page = c.get(f"/complaints/{complaint.id}", headers=headers).get_data(as_text=True)
        assert "王芳 · 13900000001" in page and "陈强" in page
        assert "Record the group as handled" in page


def test_correcting_group_details_records_each_change_in_the_history(login_as, leadership):
    complaint = register_group(login_as)
    c = login_as("manager")
    page = c.get(f"/complaints/{complaint.id}/edit").get_data(as_text=True)
    assert 'value="总部一楼大厅"' in page and 'value="王芳"' in page
    version = str(Complaint.get_by_id(complaint.id).version)
    response = c.post(f"/complaints/{complaint.id}/edit", data=group_form(
        version=version, received_at=form_data()["received_at"], group_headcount="40",
        group_mood="confrontational", rep2_name="", rep3_name="赵敏", rep3_contact="13700000003"))
    assert response.status_code == 303, response.get_data(as_text=True)
    detail = GroupDetail.get(GroupDetail.complaint == complaint.id)
    assert (detail.headcount, detail.mood) == (40, "confrontational")
    event = Event.select().where(Event.complaint == complaint.id).order_by(Event.seq.desc()).get()
    changes = {fc.field: (fc.old, fc.new) for fc in FieldChange.select().where(
        FieldChange.event == event.id)}
    assert changes["group_headcount"] == ("25", "40")
    assert changes["group_mood"] == ("agitated", "confrontational")
    assert changes["group_representative_2"] == ("陈强", "赵敏 · 13700000003")
    shown = [r.name for r in GroupRepresentative.select().where(GroupRepresentative.name != "")
             .order_by(GroupRepresentative.position)]
    assert shown == ["王芳", "赵敏"]
    assert GroupRepresentative.select().count() == 2  # corrected in place, nothing deleted
