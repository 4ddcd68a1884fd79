"""What a new plan's form starts with: the complaints it is made from (?complaint=ID,
repeatable), a root cause (?root_cause=ID) or the plan it follows up (?follow_up_of=ID)."""
import datetime as dt

from flask_babel import gettext as _, get_locale

from domain import access
from domain.models import Complaint
from domain.oversight_models import ImprovementPlan, PlanComplaint, PlanReview
from domain.plans import can_view_plan
from domain.stage_models import RootCause
from domain.vocab import PLAN_CONCLUSIONS, label


def _ids(values) -> list[int]:
    return [int(v) for v in values if v and v.isdigit()][:50]


def new_plan_data(args, user, today: dt.date) -> dict:
    """Form data for a new plan from the query arguments (unknown or hidden ids ignored)."""
    data = {"starts_on": today, "ends_on": today + dt.timedelta(days=90), "owner": user.id}
    ids = _ids(args.getlist("complaint"))
    if ids:
        complaints = [c for c in Complaint.select().where(Complaint.id.in_(ids))
                      .order_by(Complaint.received_at) if access.can_view(user, c)]
        data["complaints"] = ", ".join(c.number for c in complaints)
        if len(complaints) == 1:
            data["nature"] = complaints[0].nature
            data["problem"] = complaints[0].matter
    cause_id = _ids([args.get("root_cause", "")])
    if cause_id:
        cause = RootCause.get_or_none(RootCause.id == cause_id[0])
        if cause is not None:
            data["root_cause"] = cause.id
            data["problem"] = _("Complaints keep arising from the root cause “%(cause)s”.",
                                cause=cause.label(str(get_locale())))
    parent = follow_up_parent(args, user)
    if parent is not None:
        data.update(follow_up_data(parent, today))
        data["complaints"] = ", ".join(
            c.number for c in Complaint.select().join(PlanComplaint)
            .where(PlanComplaint.plan == parent.id).order_by(Complaint.received_at)
            if access.can_view(user, c))
    return data


def follow_up_parent(args, user) -> ImprovementPlan | None:
    parent_id = _ids([args.get("follow_up_of", "")])
    if not parent_id:
        return None
    parent = ImprovementPlan.get_or_none(ImprovementPlan.id == parent_id[0])
    return parent if parent is not None and can_view_plan(user, parent) else None


def follow_up_data(parent: ImprovementPlan, today: dt.date) -> dict:
    """A follow-up starts from its parent: same scope, owner and length, from today."""
    length = parent.ends_on - parent.starts_on
    review = (PlanReview.select().where(PlanReview.plan == parent.id)
              .order_by(PlanReview.id.desc()).first())
    problem = parent.problem
    if review is not None:
        problem = _("%(problem)s\n\nThe review of %(number)s found it: %(conclusion)s.",
                    problem=parent.problem, number=parent.number,
                    conclusion=label(PLAN_CONCLUSIONS, review.conclusion))
    return {"parent": parent.id, "title": _("Follow-up: %(title)s", title=parent.title)[:200],
            "problem": problem, "target": parent.target, "root_cause": parent.root_cause_id,
            "nature": parent.nature, "department": parent.department_id,
            "owner": parent.owner_id, "starts_on": today, "ends_on": today + length}
