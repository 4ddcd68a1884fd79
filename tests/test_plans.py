"""Improvement plans: starting one (from complaints, a root cause or an earlier plan), the
plan's page, linking complaints, adding measures and marking them done, the list."""
import datetime as dt

import pytest

from domain import plans, record_history
from domain.errors import Conflict, DomainError, Forbidden
from domain.oversight_models import ImprovementPlan, PlanComplaint, PlanMeasure
from domain.stage_models import Notification, RootCause
from tests.factories import make_complaint, make_department, make_user

HX = {"HX-Request": "true"}
TODAY = dt.date.today()


def _plan(owner, measure_owners, complaints=(), **overrides):
    args = dict(title="配送延误改进", problem="配送延误投诉多", target="三个月内配送延误投诉下降50%",
                owner=owner.id, starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=90),
                measures=[{"text": f"措施{i}", "owner_id": u.id,
                           "due_on": TODAY + dt.timedelta(days=10 + i)}
                          for i, u in enumerate(measure_owners, start=1)],
                complaint_ids=[c.id for c in complaints])
    args.update(overrides)
    return plans.create_plan(owner, **args)


def _form(owner, measures, **overrides):
    data = {"title": "退货流程改进", "problem": "退货慢", "target": "退货类投诉三个月内下降50%",
            "owner": str(owner.id), "starts_on": TODAY.isoformat(),
            "ends_on": (TODAY + dt.timedelta(days=60)).isoformat(), "complaints": ""}
    for i, (text, who, due) in enumerate(measures):
        data.update({f"measures-{i}-text": text, f"measures-{i}-owner": str(who.id) if who else "",
                     f"measures-{i}-due_on": due.isoformat() if due else "",
                     f"measures-{i}-department": ""})
    data.update(overrides)
    return data


# --- starting a plan -----------------------------------------------------------------------

def test_manager_starts_a_plan_from_complaints_and_the_measure_owners_are_told(app, login_as):
    manager = make_user("manager")
    worker, head = make_user("investigator"), make_user("dept_head")
    first, second = make_complaint(app), make_complaint(app)
    client = login_as(manager)
    due = TODAY + dt.timedelta(days=20)
    data = _form(manager, [("培训客服", worker, due), ("", None, None), ("修订流程", head, due)],
                 complaints=f"{first.number}，{second.number.lower()}")
    response = client.post("/plans/new", data=data)
    assert response.status_code == 303
    plan = ImprovementPlan.get()
    assert response.headers["Location"].endswith(f"/plans/{plan.id}")
    assert plan.number == f"GJ-{TODAY.year}-0001" and plan.status == "active"
    assert [m.text for m in plan.measures.order_by(PlanMeasure.position)] == ["培训客服", "修订流程"]
    assert {pc.complaint_id for pc in plan.complaint_links} == {first.id, second.id}
    events = record_history.events_of(plan)
    assert [e.action for e in events] == ["created"]
    assert set(record_history.event_data(events[0])["complaints"]) == {first.number,
                                                                       second.number}
    told = Notification.select().where(Notification.kind == "plan_measure")
    assert {(n.user_id, n.subject, n.subject_id) for n in told} == {
        (worker.id, "plan", plan.id), (head.id, "plan", plan.id)}


def test_a_plan_without_measures_is_refused_and_nothing_is_saved(app, login_as):
    manager = make_user("manager")
    client = login_as(manager)
    response = client.post("/plans/new", data=_form(manager, []), headers=HX)
    assert response.status_code == 422
    assert "Add at least one measure." in response.get_data(as_text=True)
    assert ImprovementPlan.select().count() == 0


def test_a_half_filled_measure_row_shows_its_error_beside_the_field(app, login_as):
    manager = make_user("manager")
    client = login_as(manager)
    response = client.post("/plans/new", data=_form(manager, [("培训", None, TODAY)]))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="measures-0-owner-error"' in page and "Choose an active staff member." in page
    assert ImprovementPlan.select().count() == 0


def test_an_unknown_complaint_number_is_named_beside_the_complaints_field(app, login_as):
    manager = make_user("manager")
    client = login_as(manager)
    data = _form(manager, [("培训", manager, TODAY)], complaints="TS-1999-000001")
    response = client.post("/plans/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="complaints-error"' in page and "TS-1999-000001" in page
    assert ImprovementPlan.select().count() == 0


def test_a_target_date_before_the_start_is_refused(app, login_as):
    manager = make_user("manager")
    client = login_as(manager)
    data = _form(manager, [("培训", manager, TODAY)],
                 ends_on=(TODAY - dt.timedelta(days=1)).isoformat())
    response = client.post("/plans/new", data=data)
    assert response.status_code == 422
    assert "The target date cannot be before the start." in response.get_data(as_text=True)


def test_more_measure_rows_come_without_javascript_and_nothing_is_saved(app, login_as):
    manager = make_user("manager")
    client = login_as(manager)
    response = client.post("/plans/new", data=_form(manager, [("培训", manager, TODAY)],
                                                     more_rows="1"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'name="measures-3-text"' in page
    assert 'value="培训"' in page
    assert ImprovementPlan.select().count() == 0


def test_new_plan_form_has_three_empty_measure_rows_and_says_to_leave_them_blank(app, login_as):
    client = login_as("leader")
    page = client.get("/plans/new").get_data(as_text=True)
    assert all(f'name="measures-{i}-text"' in page for i in range(3))
    assert "Leave empty rows blank." in page
    assert '<label for="measures-0-owner">' in page


def test_new_plan_form_is_prefilled_with_the_complaints_it_is_made_from(app, login_as):
    head = make_user("dept_head")
    first, second = make_complaint(app), make_complaint(app)
    client = login_as("manager")
    page = client.get(f"/plans/new?complaint={first.id}&complaint={second.id}"
                      ).get_data(as_text=True)
    assert f"{first.number}, {second.number}" in page
    assert f'<option selected value="{head.id}">' not in page  # the owner is the manager


def test_new_plan_form_is_prefilled_with_a_root_cause(app, login_as):
    cause = RootCause.select().order_by(RootCause.id).first()
    client = login_as("manager")
    page = client.get(f"/plans/new?root_cause={cause.id}").get_data(as_text=True)
    assert f'<option selected value="{cause.id}">' in page
    assert cause.name in page


def test_new_plan_form_as_an_htmx_fragment_is_the_form_alone(app, login_as):
    client = login_as("manager")
    response = client.get("/plans/new", headers=HX)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and page.lstrip().startswith("<form")
    assert "<html" not in page and "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize("role", ["intake", "investigator", "auditor", "admin"])
def test_only_managers_leaders_and_heads_may_start_plans(app, login_as, role):
    client = login_as(role)
    assert client.get("/plans/new").status_code == 403
    assert client.post("/plans/new", data={}).status_code == 403


def test_a_follow_up_plan_is_prefilled_from_its_parent_and_linked_to_it(app, login_as):
    manager = make_user("manager")
    complaint = make_complaint(app)
    parent = _plan(manager, [manager], complaints=[complaint])
    client = login_as(manager)
    page = client.get(f"/plans/new?follow_up_of={parent.id}").get_data(as_text=True)
    assert "Follow-up: 配送延误改进" in page and complaint.number in page
    assert f'name="parent" type="hidden" value="{parent.id}"' in page
    data = _form(manager, [("再次培训", manager, TODAY)], parent=str(parent.id),
                 complaints=complaint.number)
    assert client.post("/plans/new", data=data).status_code == 303
    child = ImprovementPlan.get(ImprovementPlan.parent == parent.id)
    assert [e.action for e in record_history.events_of(parent)][-1] == "follow_up_created"
    assert child.number != parent.number


# --- the plan's page -----------------------------------------------------------------------

def test_plan_page_shows_facts_scope_complaints_measures_and_history(app, login_as):
    manager, worker = make_user("manager"), make_user("investigator")
    complaint = make_complaint(app)
    dept = make_department("Logistics")
    cause = RootCause.select().order_by(RootCause.id).first()
    plan = _plan(manager, [worker], complaints=[complaint], root_cause=cause.id,
                 nature="service", department=dept.id)
    page = login_as(manager).get(f"/plans/{plan.id}").get_data(as_text=True)
    for text in (plan.number, "配送延误投诉多", "三个月内配送延误投诉下降50%", complaint.number,
                 "措施1", worker.full_name, "Plan created", "Logistics", cause.name, "Service"):
        assert text in page, text
    assert 'scope="col"' in page


def test_measure_owner_sees_the_plan_but_other_staff_get_404(app, login_as):
    manager, worker = make_user("manager"), make_user("investigator")
    plan = _plan(manager, [worker])
    assert login_as(worker).get(f"/plans/{plan.id}").status_code == 200
    assert login_as("intake").get(f"/plans/{plan.id}").status_code == 404
    assert login_as("auditor").get(f"/plans/{plan.id}").status_code == 200


def test_auditor_reads_a_plan_without_any_buttons(app, login_as):
    manager = make_user("manager")
    plan = _plan(manager, [manager])
    page = login_as("auditor").get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "Mark measure 1 done" not in page and "Link the complaint" not in page


def test_measure_owner_marks_a_measure_done_from_the_page_with_htmx(app, login_as):
    manager, worker = make_user("manager"), make_user("investigator")
    plan = _plan(manager, [worker, manager])
    measure = plan.measures.order_by(PlanMeasure.position).first()
    client = login_as(worker)
    page = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "Mark measure 1 done" in page and "Mark measure 2 done" not in page
    response = client.post(f"/plans/{plan.id}/measures/{measure.id}/done", headers=HX,
                           data={f"done-{measure.id}-version": "1",
                                 f"done-{measure.id}-note": "已完成全员培训"})
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="plan-panel">') and "Measure 1 marked done." in fragment
    measure = PlanMeasure.get_by_id(measure.id)
    assert measure.done_by_id == worker.id and measure.done_note == "已完成全员培训"
    assert ImprovementPlan.get_by_id(plan.id).status == "active"
    assert record_history.events_of(plan)[-1].action == "measure_done"


def test_the_last_measure_done_completes_the_plan_and_tells_the_reviewers(app, login_as):
    manager, leader = make_user("manager"), make_user("leader")
    make_user("intake")
    plan = _plan(manager, [manager])
    measure = plan.measures.get()
    response = login_as(manager).post(f"/plans/{plan.id}/measures/{measure.id}/done",
                                      data={f"done-{measure.id}-version": "1"})
    assert response.status_code == 303
    plan = ImprovementPlan.get_by_id(plan.id)
    assert plan.status == "completed" and plan.version == 2
    assert [e.action for e in record_history.events_of(plan)] == [
        "created", "measure_done", "completed"]
    told = {n.user_id for n in Notification.select().where(
        Notification.kind == "plan_ready_for_review")}
    assert told == {manager.id, leader.id}
    assert record_history.verify_record(plan) == []


def test_a_measure_done_on_a_stale_page_is_refused_with_409(app, login_as):
    manager = make_user("manager")
    plan = _plan(manager, [manager, manager])
    first, second = list(plan.measures.order_by(PlanMeasure.position))
    client = login_as(manager)
    client.post(f"/plans/{plan.id}/measures/{first.id}/done", data={f"done-{first.id}-version": "1"})
    response = client.post(f"/plans/{plan.id}/measures/{second.id}/done", headers=HX,
                           data={f"done-{second.id}-version": "1"})
    assert response.status_code == 409
    assert "Someone else changed this plan" in response.get_data(as_text=True)
    assert PlanMeasure.get_by_id(second.id).done_at is None


def test_someone_who_is_not_the_owner_may_not_mark_a_measure_done(app, login_as):
    manager, worker, other = make_user("manager"), make_user("investigator"), make_user("dept_head")
    plan = _plan(manager, [worker])
    measure = plan.measures.get()
    response = login_as(other).post(f"/plans/{plan.id}/measures/{measure.id}/done",
                                    data={f"done-{measure.id}-version": "1"})
    assert response.status_code == 403
    assert PlanMeasure.get_by_id(measure.id).done_at is None


def test_plan_owner_links_another_complaint_by_its_number(app, login_as):
    manager = make_user("manager")
    complaint = make_complaint(app)
    plan = _plan(manager, [manager])
    client = login_as(manager)
    response = client.post(f"/plans/{plan.id}/complaints", headers=HX,
                           data={"version": "1", "number": complaint.number.lower()})
    assert response.status_code == 200 and complaint.number in response.get_data(as_text=True)
    assert PlanComplaint.select().where(PlanComplaint.plan == plan.id).count() == 1
    again = client.post(f"/plans/{plan.id}/complaints", headers=HX,
                        data={"version": "2", "number": complaint.number})
    assert again.status_code == 422 and "already linked" in again.get_data(as_text=True)
    assert PlanComplaint.select().count() == 1


def test_a_complaint_the_user_may_not_see_cannot_be_linked(app, login_as):
    dept, other = make_department(), make_department()
    head = make_user("dept_head", department=dept)
    hidden = make_complaint(app, department=other)
    plan = _plan(head, [head])
    response = login_as(head).post(f"/plans/{plan.id}/complaints",
                                   data={"version": "1", "number": hidden.number})
    assert response.status_code == 422
    assert PlanComplaint.select().count() == 0


def test_plan_owner_adds_a_measure_and_its_owner_is_told(app, login_as):
    manager, worker = make_user("manager"), make_user("investigator")
    plan = _plan(manager, [manager])
    response = login_as(manager).post(f"/plans/{plan.id}/measures", data={
        "measure-version": "1", "measure-text": "增加夜班配送", "measure-owner": str(worker.id),
        "measure-due_on": (TODAY + dt.timedelta(days=5)).isoformat(), "measure-department": ""})
    assert response.status_code == 303
    assert [m.text for m in plan.measures.order_by(PlanMeasure.position)] == ["措施1", "增加夜班配送"]
    assert Notification.select().where((Notification.user == worker.id)
                                       & (Notification.kind == "plan_measure")).count() == 1


def test_a_measure_due_before_the_plan_starts_is_refused_beside_its_date(app, login_as):
    manager = make_user("manager")
    plan = _plan(manager, [manager])
    response = login_as(manager).post(f"/plans/{plan.id}/measures", headers=HX, data={
        "measure-version": "1", "measure-text": "x", "measure-owner": str(manager.id),
        "measure-due_on": (TODAY - dt.timedelta(days=5)).isoformat()})
    assert response.status_code == 422
    assert 'id="measure-due_on-error"' in response.get_data(as_text=True)
    assert plan.measures.count() == 1


def test_plan_changes_check_the_version_and_who_acts_in_the_domain(app):
    manager, intake = make_user("manager"), make_user("intake")
    plan = _plan(manager, [manager])
    with pytest.raises(Conflict):
        plans.link_complaint(plan.id, manager, 7, "TS-1")
    with pytest.raises(Forbidden):
        plans.add_measure(plan.id, intake, 1, text="x", owner_id=manager.id, due_on=TODAY)
    with pytest.raises(Forbidden):
        _plan(intake, [manager])
    with pytest.raises(DomainError):
        _plan(manager, [], )


# --- the list ------------------------------------------------------------------------------

def test_plan_list_filters_by_status_department_and_overdue_measures(app, login_as):
    manager = make_user("manager")
    dept = make_department("Logistics")
    late = _plan(manager, [manager], title="晚了", department=dept.id)
    PlanMeasure.update(due_on=TODAY - dt.timedelta(days=1)).where(
        PlanMeasure.plan == late.id).execute()
    _plan(manager, [manager], title="按时")
    client = login_as("leader")
    page = client.get("/plans/").get_data(as_text=True)
    assert "晚了" in page and "按时" in page and "1 overdue" in page
    only_late = client.get("/plans/?overdue=1", headers=HX).get_data(as_text=True)
    assert "晚了" in only_late and "按时" not in only_late and "<html" not in only_late
    by_dept = client.get(f"/plans/?department={dept.id}").get_data(as_text=True)
    assert "晚了" in by_dept and "按时" not in by_dept
    assert "No improvement plans match." in client.get("/plans/?status=reviewed").get_data(
        as_text=True)


def test_plan_list_shows_others_only_the_plans_they_own_or_hold_a_measure_in(app, login_as):
    manager, worker = make_user("manager"), make_user("investigator")
    _plan(manager, [worker], title="有我的措施")
    _plan(manager, [manager], title="与我无关")
    page = login_as(worker).get("/plans/").get_data(as_text=True)
    assert "有我的措施" in page and "与我无关" not in page


def test_plan_list_is_paginated_in_a_fixed_number_of_queries(app, login_as, count_queries):
    manager = make_user("manager")
    for i in range(27):
        _plan(manager, [manager, manager], title=f"计划{i:02d}")
    client = login_as(manager)
    with count_queries() as few:
        client.get("/plans/?page=2")
    _plan(manager, [manager], title="再一个")
    with count_queries() as more:
        first = client.get("/plans/").get_data(as_text=True)
    assert more.count == few.count
    assert "Page 1 of 2" in first and "再一个" in first
    assert "计划00" in client.get("/plans/?page=2").get_data(as_text=True)


def test_plan_page_takes_the_same_number_of_queries_however_many_rows(app, login_as,
                                                                      count_queries):
    manager = make_user("manager")
    small = _plan(manager, [manager], complaints=[make_complaint(app)])
    big = _plan(manager, [make_user("investigator") for _ in range(5)],
                complaints=[make_complaint(app) for _ in range(4)])
    for m in list(big.measures)[:3]:
        plans.mark_measure_done(m.id, manager, ImprovementPlan.get_by_id(big.id).version)
    client = login_as(manager)
    with count_queries() as few:
        client.get(f"/plans/{small.id}")
    with count_queries() as more:
        page = client.get(f"/plans/{big.id}").get_data(as_text=True)
    assert more.count == few.count
    assert page.count("Mark measure") == 2
