"""The board: open complaints by stage and by department, with the overdue ones."""
import datetime as dt
from dataclasses import dataclass

from peewee import fn

from domain import access
from domain.deadlines import local_date
from domain.models import Complaint, Department, User, utcnow
from domain.statuses import OPEN_STATUSES
from domain.work.tasks import _sum_if


def may_see_board(user: User) -> bool:
    return access.sees_all(user) or (user.has_role("dept_head") and bool(user.department_id))


@dataclass
class Board:
    today: dt.date
    department: Department | None  # set when the board is limited to one department
    by_status: list  # (status, open, overdue), in the status table's order
    by_department: list  # (department or None, open, overdue)
    total: int
    overdue: int


def board(user: User, settings: dict, now: dt.datetime | None = None) -> Board:
    """Open complaints by stage and by department, with the overdue ones: one GROUP BY
    query (plus the department names)."""
    today = local_date(now or utcnow(), settings)
    query = (Complaint.select(Complaint.status, Complaint.department,
                              fn.COUNT(Complaint.id).alias("n"),
                              _sum_if(Complaint.stage_due_on < today).alias("late"))
             .where(Complaint.status.in_(OPEN_STATUSES))
             .group_by(Complaint.status, Complaint.department))
    department = None
    if not access.sees_all(user):
        department = Department.get_by_id(user.department_id)
        query = query.where(Complaint.department == user.department_id)
    statuses, depts = {}, {}
    for r in query.dicts():
        for table, key in ((statuses, r["status"]), (depts, r["department"])):
            n, late = table.get(key, (0, 0))
            table[key] = (n + r["n"], late + r["late"])
    ids = [k for k in depts if k is not None]
    names = {d.id: d for d in Department.select().where(Department.id.in_(ids))} if ids else {}
    by_status = [(s, *statuses.get(s, (0, 0))) for s in OPEN_STATUSES]
    by_department = sorted(((names.get(k), *v) for k, v in depts.items()),
                           key=lambda r: (r[0] is None, r[0].name if r[0] else ""))
    return Board(today, department, by_status, by_department,
                 sum(n for n, _ in statuses.values()), sum(late for _, late in statuses.values()))
