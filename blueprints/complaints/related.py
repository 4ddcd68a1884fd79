"""What the complaint page shows of the records around a complaint (Part D): its group
details, emergency responses, accountability records (confidential) and improvement
plans, each only to those who may see it. A fixed number of queries."""
from domain import access
from domain.group_models import EmergencyResponse, GroupDetail, GroupRepresentative
from domain.oversight_models import AccountabilityRecord, ImprovementPlan, PlanComplaint


def related_records(user, complaint) -> dict:
    group = GroupDetail.get_or_none(GroupDetail.complaint == complaint.id)
    representatives = []
    if group is not None:
        representatives = list(GroupRepresentative.select()
                               .where(GroupRepresentative.group == group.id)
                               .order_by(GroupRepresentative.position))
    emergencies = []
    if access.reads_all_emergencies(user):
        emergencies = list(EmergencyResponse.select()
                           .where(EmergencyResponse.complaint == complaint.id)
                           .order_by(EmergencyResponse.activated_at.desc()))
    active = any(r.status == "active" for r in emergencies)
    records = []
    if access.reads_all_accountability(user):
        records = list(AccountabilityRecord.select()
                       .where(AccountabilityRecord.complaint == complaint.id)
                       .order_by(AccountabilityRecord.opened_at.desc()))
    plans = list(ImprovementPlan.select().join(PlanComplaint)
                 .where(PlanComplaint.complaint == complaint.id)
                 .order_by(ImprovementPlan.created_at.desc()))
    return {
        "group": group,
        "representatives": representatives,
        "may_mark_group_handled": (group is not None and group.handled_at is None
                                   and access.can_mark_group_handled(user, complaint)),
        "emergencies": emergencies,
        "may_activate": (not active and access.can_activate_emergency(user, complaint)),
        "accountability": records,
        "may_open_accountability": access.can_open_accountability(user),
        "plans": plans,
        "may_create_plan": access.can_create_plan(user),
    }
