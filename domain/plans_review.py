"""The effectiveness review of an improvement plan (see domain/plans.py): the figures for
the periods compared, the conclusion, and the follow-up plan, in one transaction."""
from flask_babel import lazy_gettext as _l

from extensions import db
from domain import access, record_history
from domain.errors import Conflict, Forbidden
from domain.models import User
from domain.oversight_models import PlanComplaint, PlanReview
from domain.plans import _bump, _load, _require, _text, create_plan
from domain.plans_figures import check_periods, effectiveness
from domain.vocab import PLAN_CONCLUSIONS


def review(plan_id: int, reviewer: User, version: int | None, *, periods: dict,
           conclusion: str, note: str = "", follow_up: dict | None = None,
           settings: dict) -> PlanReview:
    """Record the effectiveness review with the figures for `periods` (before_from,
    before_to, after_from, after_to) as they are now. "Not effective" needs a follow-up
    plan (`follow_up`: create_plan's arguments, scope and complaints taken from this plan);
    "partly" may have one. Both are saved in one transaction."""
    with db.atomic():
        plan = _load(plan_id, version)
        if not access.can_review_plan(reviewer, plan):
            raise Forbidden(_l("You may not review improvement plans."))
        if plan.status != "completed":
            raise Conflict(_l("Only a plan whose measures are all done can be reviewed, "
                              "and only once."))
        _require(conclusion in PLAN_CONCLUSIONS, _l("Choose the conclusion."), "conclusion")
        note = _text(note, "note", None, required=False)
        check_periods(periods)
        if conclusion == "not_effective":
            _require(follow_up, _l("A plan that was not effective needs a follow-up plan: "
                                   "fill in the follow-up below."), "follow_up")
        figures = effectiveness(plan, settings=settings, **periods)
        child = None
        if follow_up and conclusion != "effective":
            links = [pc.complaint_id for pc in
                     PlanComplaint.select().where(PlanComplaint.plan == plan.id)]
            args = dict(root_cause=plan.root_cause_id, nature=plan.nature,
                        department=plan.department_id, complaint_ids=links)
            args.update(follow_up)
            child = create_plan(reviewer, parent=plan, settings=settings,
                                _in_transaction=True, **args)
        row = PlanReview.create(
            plan=plan, reviewer=reviewer, conclusion=conclusion, note=note, follow_up=child,
            before_count=figures["before"]["count"], after_count=figures["after"]["count"],
            before_avg_days=figures["before"]["avg_days"],
            after_avg_days=figures["after"]["avg_days"], **periods)
        record_history.append(plan, reviewer, "reviewed", note=note, data={
            "conclusion": conclusion, "periods": periods,
            "before": figures["before"], "after": figures["after"],
            "follow_up": child.number if child else "",
            "changes": [["status", plan.status, "reviewed"]]})
        plan.status = "reviewed"
        _bump(plan)
    return row
