"""Reading plans: the list (filters, pagination, measure counts in one query) and
everything one plan's page shows, in a fixed number of queries."""
import datetime as dt
from dataclasses import dataclass, field

from peewee import JOIN, Case, fn

from domain import access, record_history
from domain.models import Complaint, Department, User
from domain.oversight_models import ImprovementPlan, PlanComplaint, PlanMeasure, PlanReview
from domain.queries import Page
from domain.stage_models import RootCause
from domain.vocab import PLAN_STATUSES

MAX_PAGE = 10_000


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


@dataclass
class PlanFilter:
    status: str = ""
    department: int | None = None
    overdue: bool = False
    page: int = 1
    errors: dict = field(default_factory=dict)

    @classmethod
    def from_args(cls, args) -> "PlanFilter":
        f = cls()
        status = args.get("status") or ""
        if status and status not in PLAN_STATUSES:
            f.errors["status"], status = True, ""
        f.status = status
        raw = args.get("department") or ""
        f.department = _int(raw)
        if raw and f.department is None:
            f.errors["department"] = True
        f.overdue = args.get("overdue") == "1"
        f.page = min(max(_int(args.get("page")) or 1, 1), MAX_PAGE)
        return f

    def args(self, **overrides) -> dict:
        values = {"status": self.status, "department": self.department,
                  "overdue": "1" if self.overdue else "",
                  "page": self.page if self.page > 1 else ""}
        values.update(overrides)
        return {k: v for k, v in values.items() if v not in ("", None)}


def visible_plans(user: User, query=None):
    """Plans `user` may see: all for plan readers; else those they own or hold a measure in."""
    query = query if query is not None else ImprovementPlan.select()
    if access.reads_all_plans(user):
        return query
    mine = PlanMeasure.select(PlanMeasure.plan).where(PlanMeasure.owner == user.id)
    return query.where((ImprovementPlan.owner == user.id) | ImprovementPlan.id.in_(mine))


def overdue_plan_ids(today: dt.date):
    return (PlanMeasure.select(PlanMeasure.plan)
            .where(PlanMeasure.done_at.is_null() & (PlanMeasure.due_on < today)))


def list_page(f: PlanFilter, user: User, per_page: int, today: dt.date) -> Page:
    """One page of plans, newest first, with department, owner and measure counts
    (done, total, overdue) in the same statement."""
    query = visible_plans(user)
    if f.status:
        query = query.where(ImprovementPlan.status == f.status)
    if f.department:
        query = query.where(ImprovementPlan.department == f.department)
    if f.overdue:
        query = query.where(ImprovementPlan.status == "active",
                            ImprovementPlan.id.in_(overdue_plan_ids(today)))
    total = query.count()
    owner = User.alias("owner_user")
    counts = (PlanMeasure.select(
        PlanMeasure.plan.alias("plan_id"), fn.COUNT(PlanMeasure.id).alias("total"),
        fn.SUM(Case(None, [(PlanMeasure.done_at.is_null(False), 1)], 0)).alias("done"),
        fn.SUM(Case(None, [(PlanMeasure.done_at.is_null() & (PlanMeasure.due_on < today), 1)],
                    0)).alias("late"))
        .group_by(PlanMeasure.plan).alias("mc"))
    rows = (query.select(ImprovementPlan, Department.name.alias("dept_name"),
                         Department.name_zh.alias("dept_name_zh"),
                         owner.full_name.alias("owner_name"),
                         counts.c.total.alias("measures_total"),
                         counts.c.done.alias("measures_done"),
                         counts.c.late.alias("measures_late"))
            .join_from(ImprovementPlan, Department, JOIN.LEFT_OUTER)
            .join_from(ImprovementPlan, owner, on=(ImprovementPlan.owner == owner.id))
            .join_from(ImprovementPlan, counts, JOIN.LEFT_OUTER,
                       on=(counts.c.plan_id == ImprovementPlan.id))
            .order_by(ImprovementPlan.created_at.desc(), ImprovementPlan.id.desc())
            .limit(per_page).offset((f.page - 1) * per_page).objects())
    return Page(list(rows), total, f.page, per_page)


@dataclass
class PlanView:
    plan: ImprovementPlan
    measures: list
    complaints: list
    reviews: list
    events: list
    follow_ups: list
    parent: ImprovementPlan | None
    root_cause: RootCause | None
    department: Department | None
    users: dict


def load_plan(plan: ImprovementPlan, today: dt.date) -> PlanView:
    """Everything the plan's page shows (about ten queries, however many rows)."""
    measures = list(PlanMeasure.select(PlanMeasure, Department)
                    .join(Department, JOIN.LEFT_OUTER)
                    .where(PlanMeasure.plan == plan.id).order_by(PlanMeasure.position))
    for m in measures:
        m.overdue = m.done_at is None and m.due_on < today
        if m.department_id is None:
            m.department = None
    complaints = list(Complaint.select().join(PlanComplaint)
                      .where(PlanComplaint.plan == plan.id).order_by(Complaint.received_at))
    reviews = list(PlanReview.select().where(PlanReview.plan == plan.id)
                   .order_by(PlanReview.reviewed_at))
    follow_ups = list(ImprovementPlan.select().where(ImprovementPlan.parent == plan.id)
                      .order_by(ImprovementPlan.id))
    parent = (ImprovementPlan.get_or_none(ImprovementPlan.id == plan.parent_id)
              if plan.parent_id else None)
    ids = {plan.owner_id, plan.created_by_id}
    for m in measures:
        ids.update((m.owner_id, m.done_by_id))
    ids.update(r.reviewer_id for r in reviews)
    users = {u.id: u for u in User.select().where(User.id.in_([i for i in ids if i]))}
    return PlanView(
        plan=plan, measures=measures, complaints=complaints, reviews=reviews,
        events=record_history.events_of(plan), follow_ups=follow_ups, parent=parent,
        root_cause=(RootCause.get_or_none(RootCause.id == plan.root_cause_id)
                    if plan.root_cause_id else None),
        department=(Department.get_or_none(Department.id == plan.department_id)
                    if plan.department_id else None),
        users=users)
