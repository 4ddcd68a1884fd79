"""The effectiveness review of a plan: the figures side by side, changing the dates (htmx),
the conclusion recorded with the figures shown, and the follow-up plan a plan that was not
effective needs (saved in the same transaction)."""
import datetime as dt

import pytest

from domain import plans, record_history
from domain.models import Complaint
from domain.oversight_models import ImprovementPlan, PlanComplaint, PlanMeasure, PlanReview
from domain.settings import load_settings
from tests.factories import make_complaint, make_user

HX = {"HX-Request": "true"}
D = dt.date


def _completed_plan(app, manager, **overrides):
    """A plan from 1 to 31 March 2026 (scope: nature service), measures all done, with
    complaints received on 10 February and on 10 March (UTC+8 noon)."""
    complaint = make_complaint(app, nature="service")
    for day in (D(2026, 2, 10), D(2026, 3, 10)):
        c = make_complaint(app, nature="service")
        Complaint.update(received_at=dt.datetime.combine(day, dt.time(4)),
                         responded_at=dt.datetime.combine(day + dt.timedelta(days=2),
                                                          dt.time(4))).where(
            Complaint.id == c.id).execute()
    args = dict(title="服务态度改进", problem="服务类投诉多", target="服务类投诉下降一半",
                owner=manager.id, nature="service", starts_on=D(2026, 3, 1),
                ends_on=D(2026, 3, 31), complaint_ids=[complaint.id],
                measures=[{"text": "全员培训", "owner_id": manager.id, "due_on": D(2026, 3, 15)}])
    args.update(overrides)
    plan = plans.create_plan(manager, settings=load_settings(), **args)
    plans.mark_measure_done(plan.measures.get().id, manager, plan.version)
    return ImprovementPlan.get_by_id(plan.id), complaint


PERIODS = {"before_from": "2026-01-29", "before_to": "2026-02-28",
           "after_from": "2026-03-01", "after_to": "2026-03-31"}


def _review_data(plan, conclusion, **extra):
    data = {"version": str(plan.version), "conclusion": conclusion, "note": "复盘意见",
            **PERIODS}
    data.update(extra)
    return data


def test_review_page_shows_the_figures_before_and_after_side_by_side(app, login_as):
    manager = make_user("manager")
    plan, _c = _completed_plan(app, manager)
    page = login_as(manager).get(f"/plans/{plan.id}/review?" + "&".join(
        f"{k}={v}" for k, v in PERIODS.items())).get_data(as_text=True)
    assert "Before the plan" in page and "After the start" in page
    assert '<th scope="row">Complaints received</th>' in page
    assert "complaints that were not accepted count too" in page
    assert 'name="before_from" value="2026-01-29"' in page
    assert "Follow-up: 服务态度改进" in page  # the follow-up comes prefilled


def test_changing_the_dates_refreshes_the_figures_fragment(app, login_as):
    manager = make_user("manager")
    plan, _c = _completed_plan(app, manager)
    client = login_as(manager)
    response = client.get(f"/plans/{plan.id}/review/figures", headers=HX, query_string={
        **PERIODS, "before_from": "2026-02-11"})
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and fragment.lstrip().startswith('<div id="figures"')
    assert 'type="hidden" name="before_from" value="2026-02-11"' in fragment
    bad = client.get(f"/plans/{plan.id}/review/figures", headers=HX, query_string={
        **PERIODS, "after_to": "2026-02-01"})
    assert bad.status_code == 422
    assert "The period cannot end before it starts." in bad.get_data(as_text=True)


def test_an_effective_review_records_the_figures_it_showed(app, login_as):
    manager = make_user("manager")
    plan, _c = _completed_plan(app, manager)
    response = login_as(manager).post(f"/plans/{plan.id}/review",
                                      data=_review_data(plan, "effective"))
    assert response.status_code == 303
    review = PlanReview.get()
    assert (review.before_count, review.after_count) == (1, 1)
    assert (review.before_avg_days, review.after_avg_days) == (2.0, 2.0)
    assert (review.before_from, review.after_to) == (D(2026, 1, 29), D(2026, 3, 31))
    assert review.conclusion == "effective" and review.follow_up is None
    plan = ImprovementPlan.get_by_id(plan.id)
    assert plan.status == "reviewed"
    assert record_history.events_of(plan)[-1].action == "reviewed"
    page = login_as(manager).get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "Effective" in page and "复盘意见" in page


def test_a_not_effective_review_without_a_follow_up_plan_is_refused(app, login_as):
    manager = make_user("manager")
    plan, _c = _completed_plan(app, manager)
    response = login_as(manager).post(f"/plans/{plan.id}/review", headers=HX,
                                      data=_review_data(plan, "not_effective"))
    assert response.status_code == 422
    assert "needs a follow-up plan" in response.get_data(as_text=True)
    assert PlanReview.select().count() == 0
    assert ImprovementPlan.get_by_id(plan.id).status == "completed"


def test_a_not_effective_review_saves_its_follow_up_plan_in_the_same_step(app, login_as):
    manager, worker = make_user("manager"), make_user("investigator")
    plan, complaint = _completed_plan(app, manager)
    data = _review_data(plan, "not_effective", **{
        "follow_up-title": "服务态度再改进", "follow_up-problem": "培训后仍有投诉",
        "follow_up-target": "再降30%", "follow_up-owner": str(manager.id),
        "follow_up-starts_on": "2026-04-01", "follow_up-ends_on": "2026-06-30",
        "follow_up-measures-0-text": "引入神秘顾客检查",
        "follow_up-measures-0-owner": str(worker.id),
        "follow_up-measures-0-due_on": "2026-05-01"})
    response = login_as(manager).post(f"/plans/{plan.id}/review", data=data)
    assert response.status_code == 303
    review = PlanReview.get()
    child = ImprovementPlan.get(ImprovementPlan.parent == plan.id)
    assert review.follow_up_id == child.id and child.nature == "service"
    assert [pc.complaint_id for pc in PlanComplaint.select().where(
        PlanComplaint.plan == child.id)] == [complaint.id]
    assert [m.owner_id for m in child.measures] == [worker.id]
    assert [e.action for e in record_history.events_of(plan)][-2:] == [
        "follow_up_created", "reviewed"]


def test_a_follow_up_with_an_error_saves_neither_it_nor_the_review(app, login_as):
    manager = make_user("manager")
    plan, _c = _completed_plan(app, manager)
    data = _review_data(plan, "partly", **{
        "follow_up-title": "", "follow_up-problem": "p", "follow_up-target": "t",
        "follow_up-owner": str(manager.id), "follow_up-starts_on": "2026-04-01",
        "follow_up-ends_on": "2026-06-30", "follow_up-measures-0-text": "检查",
        "follow_up-measures-0-owner": str(manager.id),
        "follow_up-measures-0-due_on": "2026-05-01"})
    response = login_as(manager).post(f"/plans/{plan.id}/review", data=data)
    assert response.status_code == 422
    assert 'id="follow_up-title-error"' in response.get_data(as_text=True)
    assert PlanReview.select().count() == 0 and ImprovementPlan.select().count() == 1


def test_review_needs_a_conclusion(app, login_as):
    manager = make_user("manager")
    plan, _c = _completed_plan(app, manager)
    response = login_as(manager).post(f"/plans/{plan.id}/review",
                                      data=_review_data(plan, ""))
    assert response.status_code == 422
    assert "Choose the conclusion." in response.get_data(as_text=True)


def test_a_plan_with_open_measures_cannot_be_reviewed_yet(app, login_as):
    manager = make_user("manager")
    plan = plans.create_plan(manager, title="t", problem="p", target="t", owner=manager.id,
                             starts_on=D(2026, 3, 1), ends_on=D(2026, 3, 31),
                             measures=[{"text": "m", "owner_id": manager.id,
                                        "due_on": D(2026, 3, 2)}])
    client = login_as(manager)
    assert client.get(f"/plans/{plan.id}/review").status_code == 303
    response = client.post(f"/plans/{plan.id}/review", data=_review_data(plan, "effective"))
    assert response.status_code == 409 and PlanReview.select().count() == 0


@pytest.mark.parametrize("role", ["auditor", "dept_head"])
def test_only_managers_and_leaders_review_plans(app, login_as, role):
    manager = make_user("manager")
    plan, _c = _completed_plan(app, manager)
    client = login_as(role)
    assert client.get(f"/plans/{plan.id}/review").status_code == 403
    assert client.post(f"/plans/{plan.id}/review",
                       data=_review_data(plan, "effective")).status_code == 403
    assert PlanReview.select().count() == 0


def test_the_plan_page_offers_the_review_to_reviewers_once_all_is_done(app, login_as):
    manager = make_user("manager")
    plan, _c = _completed_plan(app, manager)
    assert "Review the plan's effectiveness" in login_as("leader").get(
        f"/plans/{plan.id}").get_data(as_text=True)
    assert "effectiveness</a>" not in login_as("auditor").get(
        f"/plans/{plan.id}").get_data(as_text=True)
    assert PlanMeasure.select().where(PlanMeasure.done_at.is_null()).count() == 0
