"""My work: the tasks waiting on a user, each a set of statuses and the roles that act on
them (the status table of domain/statuses.py with the scopes of domain/access.py), written as
query conditions so that the page is a fixed number of indexed queries."""
import datetime as dt
import functools
import operator
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from peewee import Case, Value, fn

from domain import access
from domain.deadlines import load_calendar, local_date, next_working_day
from domain.models import Complaint, User, utcnow
from domain.stage_models import Extension, Notification, Visit

# How far a role's hold on a task reaches: every complaint, those the user can see, those of
# the user's department, or those assigned to the user.
ALL, VISIBLE, DEPARTMENT, ASSIGNEE = "all", "visible", "department", "assignee"
GROUP_CAP = 10  # rows shown per task; the rest are one click away in the list


def _pending_extension():
    return Complaint.id.in_(Extension.select(Extension.complaint)
                            .where(Extension.approved.is_null()))


def _visited():
    return fn.EXISTS(Visit.select(Value(1)).where(Visit.complaint == Complaint.id))


@dataclass(frozen=True)
class Task:
    key: str
    label: object
    statuses: tuple
    roles: dict  # role → scope
    extra: object = None  # a function giving one more condition
    not_own: bool = False  # nobody decides on a complaint they investigate themselves


INTAKE = {"intake": VISIBLE, "manager": ALL}
TASKS = (
    Task("assess", _l("To assess and accept"), ("registered",), INTAKE),
    Task("assign", _l("To assign to a department"), ("accepted",), INTAKE),
    Task("confirm", _l("To confirm receipt"), ("assigned",), {"dept_head": DEPARTMENT}),
    Task("investigate", _l("To investigate and propose"), ("investigating", "proposing"),
         {"investigator": ASSIGNEE}),
    Task("extension", _l("Extension requests to decide"), ("investigating", "proposing"),
         {"dept_head": DEPARTMENT, "leader": ALL}, _pending_extension, not_own=True),
    Task("review", _l("To review"), ("reviewing",), {"dept_head": DEPARTMENT}, not_own=True),
    Task("approve", _l("To approve"), ("approving",), {"leader": ALL}, not_own=True),
    Task("respond", _l("To send the written response"), ("approved",),
         {"intake": VISIBLE, "manager": ALL, "dept_head": DEPARTMENT}),
    Task("answer", _l("To record the complainant's answer or the outside outcome"),
         ("responded", "external"), INTAKE),
    Task("execute", _l("To carry out the decision"), ("executing",),
         {"dept_head": DEPARTMENT, "manager": ALL}),
    Task("visit", _l("To make the return visit"), ("visiting",), INTAKE,
         lambda: ~_visited()),
    Task("close", _l("To close"), ("visiting",), {"manager": ALL}, _visited),
)
TASKS_BY_KEY = {t.key: t for t in TASKS}


def _scope_condition(scope: str, user: User):
    """The condition for one scope; None: no limit; False: nothing for this user."""
    if scope == ALL:
        return None
    if scope == VISIBLE:
        if access.sees_all(user):
            return None
        cond = (Complaint.registered_by == user.id) | (Complaint.assignee == user.id)
        if user.department_id:
            cond = cond | (Complaint.department == user.department_id)
        return cond
    if scope == DEPARTMENT:
        return (Complaint.department == user.department_id) if user.department_id else False
    return Complaint.assignee == user.id


def task_condition(task: Task, user: User):
    """Where `task` waits on `user`, or False if it never does (user lacks the roles)."""
    scopes = [task.roles[r] for r in task.roles if user.has_role(r)]
    conds = [_scope_condition(s, user) for s in scopes]
    conds = [c for c in conds if c is not False]
    if not conds:
        return False
    statuses = (Complaint.status == task.statuses[0] if len(task.statuses) == 1
                else Complaint.status.in_(task.statuses))
    where = [statuses]
    if not any(c is None for c in conds):  # (`in` would compare expressions with ==)
        where.append(functools.reduce(operator.or_, conds))
    if task.extra:
        where.append(task.extra())
    if task.not_own:
        where.append(Complaint.assignee.is_null() | (Complaint.assignee != user.id))
    return functools.reduce(operator.and_, where)


def list_filter(task: Task, user: User) -> dict:
    """Complaint-list arguments that narrow the list to (about) this task's complaints."""
    scopes = {task.roles[r] for r in task.roles if user.has_role(r)}
    if scopes == {DEPARTMENT} and user.department_id:
        return {"department": user.department_id}
    if scopes == {ASSIGNEE}:
        return {"assignee": user.id}
    return {}


@dataclass
class Group:
    task: Task
    rows: list
    total: int = 0
    overdue: int = 0
    due_soon: int = 0
    filters: dict = field(default_factory=dict)


@dataclass
class Work:
    today: dt.date
    soon: dt.date  # the next working day: due on or before it (and not overdue) = due soon
    groups: list

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groups)


def today_and_soon(settings: dict, now: dt.datetime | None = None):
    today = local_date(now or utcnow(), settings)
    return today, next_working_day(today, load_calendar(settings))


def inbox(user: User, limit: int = 50) -> list[Notification]:
    """The user's newest notifications, each with `complaint_number` (one query)."""
    return list(Notification.select(Notification, Complaint.number.alias("complaint_number"))
                .join(Complaint, on=(Notification.complaint == Complaint.id),
                      join_type="LEFT OUTER JOIN")
                .where(Notification.user == user.id)
                .order_by(Notification.created_at.desc(), Notification.id.desc())
                .limit(limit).objects())


def _sum_if(cond):
    return fn.COALESCE(fn.SUM(Case(None, ((cond, 1),), 0)), 0)


def my_work(user: User, settings: dict, cap: int = GROUP_CAP,
            now: dt.datetime | None = None) -> Work:
    """The tasks waiting on `user`: every applicable task's counts in one query, then its
    first `cap` complaints (overdue first, by due date) in one indexed query per task."""
    today, soon = today_and_soon(settings, now)
    conds = [(t, task_condition(t, user)) for t in TASKS]
    conds = [(t, c) for t, c in conds if c is not False]
    if not conds:
        return Work(today, soon, [])
    due = Complaint.stage_due_on
    counts = functools.reduce(operator.add, [
        Complaint.select(Value(t.key).alias("task"), fn.COUNT(Complaint.id).alias("total"),
                         _sum_if(due < today).alias("overdue"),
                         _sum_if((due >= today) & (due <= soon)).alias("soon"))
        .where(c) for t, c in conds])
    by_key = {r["task"]: r for r in counts.dicts()}
    groups = []
    for task, cond in conds:
        row = by_key.get(task.key) or {}
        if not row.get("total"):
            continue
        rows = list(Complaint.select(Complaint.id, Complaint.number, Complaint.status,
                                     Complaint.complainant_name, Complaint.stage_due_on,
                                     Complaint.severity)
                    .where(cond)
                    .order_by(due.asc(nulls="LAST"), Complaint.id)
                    .limit(cap))
        groups.append(Group(task, rows, row["total"], row["overdue"], row["soon"],
                            list_filter(task, user)))
    return Work(today, soon, groups)
