"""Improvement plans (改进计划): made from complaints or from a root cause; measures with
owners and due dates; completed when every measure is done; an effectiveness review that
compares complaint figures before and after (domain/plans_figures.py) and may start a
follow-up plan.

Every change runs in one transaction together with its event in the plan's hash-chained
history (domain/record_history.py), checks the version the user's page showed and bumps it.
Nothing is ever deleted: complaints are linked, never unlinked; measures are added and done.
"""
import datetime as dt

from flask_babel import lazy_gettext as _l

from extensions import db
from domain import access, record_history
from domain.errors import Conflict, DomainError, Forbidden
from domain.models import Complaint, Department, User, utcnow
from domain.notifications import active_with_role, notify
from domain.numbering import next_number
from domain.oversight_models import ImprovementPlan, PlanComplaint, PlanMeasure
from domain.stage_models import RootCause
from domain.vocab import NATURES
from domain.workflow.core import require as _require

# What each event of a plan's history is called.
PLAN_ACTIONS = {
    "created": _l("Plan created"),
    "complaint_linked": _l("Complaint linked"),
    "measure_added": _l("Measure added"),
    "measure_done": _l("Measure done"),
    "completed": _l("All measures done: ready for the effectiveness review"),
    "reviewed": _l("Effectiveness reviewed"),
    "follow_up_created": _l("Follow-up plan started"),
}
MAX_LENGTHS = {"title": 200, "problem": 5000, "target": 2000, "text": 1000, "note": 2000}


# The access rules for plans live in domain/access.py; re-exported for the views.
can_view_plan = access.can_view_plan
can_mark_measure_done = access.can_mark_measure_done


def _text(value, name: str, message, required: bool = True, field: str | None = None) -> str:
    value = (value or "").strip()
    if required:
        _require(value, message, field or name)
    _require(len(value) <= MAX_LENGTHS.get(name, 5000),
             _l("This text is too long."), field or name)
    return value


def _active_user(user_id, field: str) -> User:
    user = User.get_or_none(User.id == user_id) if user_id else None
    return _require(user if user is not None and user.active else None,
                    _l("Choose an active staff member."), field)


def _department(department_id, field: str) -> Department | None:
    if not department_id:
        return None
    return _require(Department.get_or_none((Department.id == department_id) & Department.active),
                    _l("Choose a department from the list."), field)


def _clean_measures(measures: list[dict], starts_on: dt.date | None) -> list[dict]:
    """Check measure rows (text, department_id, owner_id, due_on; `row`: the form's row
    number, else the position from 0) for errors beside measures-<row>-<field>."""
    rows = []
    for i, m in enumerate(measures):
        prefix = f"measures-{m.get('row', i)}-"
        text = _text(m.get("text"), "text", _l("Describe the measure."), field=prefix + "text")
        owner = _active_user(m.get("owner_id"), prefix + "owner")
        department = _department(m.get("department_id"), prefix + "department")
        due_on = _require(m.get("due_on"), _l("Give the due date."), prefix + "due_on")
        if starts_on:
            _require(due_on >= starts_on, _l("A measure cannot be due before the plan starts."),
                     prefix + "due_on")
        rows.append({"text": text, "owner": owner, "department": department, "due_on": due_on})
    return rows


def complaints_by_numbers(actor: User, numbers: list[str], field: str = "complaints"
                          ) -> list[Complaint]:
    """The complaints with these numbers, each one the actor may see (else an error beside
    `field` naming the number)."""
    wanted = [n.strip().upper() for n in numbers if n and n.strip()]
    found = {c.number.upper(): c for c in
             Complaint.select().where(Complaint.number.in_(wanted))} if wanted else {}
    result = []
    for number in wanted:
        complaint = found.get(number)
        if complaint is None or not access.can_view(actor, complaint):
            raise DomainError(_l("There is no complaint numbered %(number)s that you may see.",
                                 number=number), field)
        if complaint not in result:
            result.append(complaint)
    return result


def _load(plan_id: int, version: int | None) -> ImprovementPlan:
    plan = ImprovementPlan.get_or_none(ImprovementPlan.id == plan_id)
    _require(plan, _l("There is no such improvement plan."))
    if version is not None and plan.version != version:
        raise Conflict(_l("Someone else changed this plan after you opened it. Nothing was "
                          "saved; the page now shows the plan as it is."))
    return plan


def _bump(plan: ImprovementPlan) -> None:
    plan.version += 1
    plan.save()


def _year(settings: dict | None) -> int:
    from domain.deadlines import local_date
    from domain.settings import load_settings
    return local_date(utcnow(), settings or load_settings()).year


def _notify_owners(plan: ImprovementPlan, owners) -> None:
    notify(owners, None, "plan_measure", subject=("plan", plan.id))


def create_plan(actor: User, *, title, problem, target, root_cause=None, nature="",
                department=None, owner, starts_on, ends_on, measures: list[dict],
                complaint_ids=(), parent: ImprovementPlan | None = None,
                settings: dict | None = None, _in_transaction: bool = False) -> ImprovementPlan:
    """A new plan with at least one measure, linked to the complaints it was made from.
    `root_cause`, `department`, `owner` are ids; `measures` dicts with text, department_id,
    owner_id, due_on. Measure owners are told."""
    if not access.can_create_plan(actor):
        raise Forbidden(_l("You may not start improvement plans."))
    title = _text(title, "title", _l("Give the plan a title."))
    problem = _text(problem, "problem", _l("Describe the problem."))
    target = _text(target, "target", _l("Give the target, e.g. how far complaints should fall "
                                        "and by when."))
    cause = None
    if root_cause:
        cause = _require(RootCause.get_or_none(RootCause.id == root_cause),
                         _l("Choose a root cause from the list."), "root_cause")
    _require(not nature or nature in NATURES, _l("Choose the nature from the list."), "nature")
    dept = _department(department, "department")
    plan_owner = _active_user(owner, "owner")
    _require(starts_on, _l("Give the start date."), "starts_on")
    _require(ends_on, _l("Give the target date."), "ends_on")
    _require(ends_on >= starts_on, _l("The target date cannot be before the start."), "ends_on")
    rows = _clean_measures(measures, starts_on)
    _require(rows, _l("Add at least one measure."), "measures")
    complaints = list(Complaint.select().where(Complaint.id.in_(list(complaint_ids)))
                      ) if complaint_ids else []
    for c in complaints:
        _require(access.can_view(actor, c),
                 _l("There is no complaint numbered %(number)s that you may see.",
                    number=c.number), "complaints")

    def _create():
        plan = ImprovementPlan.create(
            number=next_number("GJ", _year(settings), 4),
            title=title, problem=problem, target=target, root_cause=cause, nature=nature or "",
            department=dept, owner=plan_owner, starts_on=starts_on, ends_on=ends_on,
            created_by=actor, parent=parent)
        for position, row in enumerate(rows, start=1):
            PlanMeasure.create(plan=plan, position=position, **row)
        for c in complaints:
            PlanComplaint.create(plan=plan, complaint=c)
        record_history.append(plan, actor, "created", data={
            "fields": {"title": title, "target": target, "owner": plan_owner.full_name,
                       "starts_on": starts_on, "ends_on": ends_on,
                       "root_cause": cause.code if cause else "", "nature": nature or "",
                       "department": dept.name if dept else ""},
            "measures": [r["text"] for r in rows],
            "complaints": [c.number for c in complaints],
            "parent": parent.number if parent else ""})
        if parent is not None:
            record_history.append(parent, actor, "follow_up_created",
                                  data={"follow_up": plan.number})
        _notify_owners(plan, [r["owner"] for r in rows])
        return plan

    if _in_transaction:
        return _create()
    with db.atomic():
        return _create()


def link_complaint(plan_id: int, actor: User, version: int | None, number: str
                   ) -> ImprovementPlan:
    """Link one more complaint (by its number) to the plan. Links are never removed."""
    with db.atomic():
        plan = _load(plan_id, version)
        if not access.can_edit_plan(actor, plan):
            raise Forbidden(_l("You may not change this plan."))
        _require((number or "").strip(), _l("Give the complaint's number."), "number")
        complaint = complaints_by_numbers(actor, [number], "number")[0]
        _require(not PlanComplaint.select().where((PlanComplaint.plan == plan.id) & (
            PlanComplaint.complaint == complaint.id)).exists(),
            _l("%(number)s is already linked to this plan.", number=complaint.number),
            "number")
        PlanComplaint.create(plan=plan, complaint=complaint)
        record_history.append(plan, actor, "complaint_linked",
                              data={"complaint": complaint.number})
        _bump(plan)
    return plan


def add_measure(plan_id: int, actor: User, version: int | None, *, text, owner_id,
                due_on, department_id=None) -> PlanMeasure:
    with db.atomic():
        plan = _load(plan_id, version)
        if not access.can_edit_plan(actor, plan):
            raise Forbidden(_l("You may not change this plan."))
        _require(plan.status == "active", _l("Measures can be added only while the plan is "
                                             "in progress."))
        try:
            row = _clean_measures([{"text": text, "owner_id": owner_id, "due_on": due_on,
                                    "department_id": department_id}], plan.starts_on)[0]
        except DomainError as e:  # the form has one measure: errors beside its own fields
            raise DomainError(e.message, (e.field or "").rsplit("-", 1)[-1]) from None
        position = (PlanMeasure.select().where(PlanMeasure.plan == plan.id).count()) + 1
        measure = PlanMeasure.create(plan=plan, position=position, **row)
        record_history.append(plan, actor, "measure_added", data={
            "measure": position, "text": row["text"], "owner": row["owner"].full_name,
            "due_on": row["due_on"]})
        _bump(plan)
        _notify_owners(plan, [row["owner"]])
    return measure


def mark_measure_done(measure_id: int, actor: User, version: int | None, note: str = ""
                      ) -> ImprovementPlan:
    """Mark one measure done; the last one completes the plan and tells the reviewers."""
    with db.atomic():
        measure = _require(PlanMeasure.get_or_none(PlanMeasure.id == measure_id),
                           _l("There is no such measure."))
        plan = _load(measure.plan_id, version)
        if measure.done_at is not None or plan.status != "active":
            raise Conflict(_l("This measure is already done. Nothing was saved."))
        if not can_mark_measure_done(actor, plan, measure):
            raise Forbidden(_l("You may not mark this measure done."))
        note = _text(note, "note", None, required=False)
        now = utcnow()
        measure.done_at, measure.done_by, measure.done_note = now, actor, note
        measure.save()
        record_history.append(plan, actor, "measure_done", note=note, data={
            "measure": measure.position, "changes": [["done", "", now.isoformat()]]})
        if not PlanMeasure.select().where((PlanMeasure.plan == plan.id)
                                          & PlanMeasure.done_at.is_null()).exists():
            _complete(plan, actor)
        _bump(plan)
    return plan


def _complete(plan: ImprovementPlan, actor: User) -> None:
    record_history.append(plan, actor, "completed",
                          data={"changes": [["status", plan.status, "completed"]]})
    plan.status = "completed"
    reviewers = active_with_role("manager") + active_with_role("leader")
    notify(reviewers, None, "plan_ready_for_review", subject=("plan", plan.id))


from domain.plans_figures import effectiveness  # noqa: E402,F401  (plans.effectiveness)
from domain.plans_review import review  # noqa: E402,F401  (plans.review)
