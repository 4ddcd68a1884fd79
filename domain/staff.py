"""A staff member's figures (for leaders and admins): the complaints they handled, how many
were answered on time, the complainants' satisfaction at the return visit, and their
accountability records (confidential: every record shown is logged as viewed).

"Handled" means the person is the complaint's assignee or was named its investigator on
any assignment (a transfer clears the assignee; the earlier investigator still handled it).
Nothing else is left out: every status counts, rejected and archived included.
On time: of the handled complaints that were answered, those answered on or before the
reply deadline (the answer's date in the organisation's time zone). Satisfaction: every
return visit recorded for a handled complaint. All figures come from aggregate SQL over
every person of a page at once (a fixed number of queries)."""
import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from peewee import JOIN, Case, PostgresqlDatabase, SQL, fn

from extensions import db
from domain import access
from domain.models import Complaint, Department, User, utcnow
from domain.oversight_models import AccountabilityRecord, AccountabilityView
from domain.queries import Page
from domain.stage_models import Assignment, Visit
from domain.statuses import OPEN_STATUSES

LATEST = 20


def handled_pairs():
    """(uid, cid): each person and each complaint they handled, once."""
    assignees = (Complaint.select(Complaint.assignee.alias("uid"), Complaint.id.alias("cid"))
                 .where(Complaint.assignee.is_null(False)))
    investigators = (Assignment.select(Assignment.investigator.alias("uid"),
                                       Assignment.complaint.alias("cid"))
                     .where(Assignment.investigator.is_null(False)))
    return (assignees | investigators).alias("handled")


def _utc_offset_minutes(settings: dict) -> int:
    """The organisation's offset from UTC now (exact for zones without daylight saving,
    such as Asia/Shanghai; elsewhere an answer given within an hour of midnight during the
    other half of the year may fall on the neighbouring day)."""
    offset = dt.datetime.now(ZoneInfo(settings["timezone"])).utcoffset()
    return int(offset.total_seconds() // 60)


def _answered_on_time(settings: dict):
    minutes = _utc_offset_minutes(settings)
    if isinstance(db.obj, PostgresqlDatabase):
        local_day = fn.DATE(Complaint.responded_at + SQL(f"interval '{minutes} minutes'"))
    else:
        local_day = fn.date(Complaint.responded_at, f"{minutes:+d} minutes")
    return (Complaint.responded_at.is_null(False) & Complaint.reply_due_on.is_null(False)
            & (local_day <= Complaint.reply_due_on))


@dataclass
class Figures:
    handled: int = 0
    open: int = 0
    closed: int = 0
    responded: int = 0
    on_time: int = 0
    visits: int = 0
    satisfaction: float | None = None
    distribution: dict = field(default_factory=lambda: {n: 0 for n in range(1, 6)})

    @property
    def on_time_rate(self) -> float | None:
        return round(self.on_time * 100.0 / self.responded, 1) if self.responded else None


def figures_for(user_ids: list[int], settings: dict) -> dict[int, Figures]:
    """Figures for each of `user_ids` in two queries."""
    result = {uid: Figures() for uid in user_ids}
    if not user_ids:
        return result
    pairs = handled_pairs()
    is_open = Complaint.status.in_(OPEN_STATUSES)
    rows = (Complaint.select(
        pairs.c.uid.alias("uid"), fn.COUNT(Complaint.id).alias("handled"),
        fn.SUM(Case(None, [(is_open, 1)], 0)).alias("open"),
        fn.SUM(Case(None, [(Complaint.responded_at.is_null(False), 1)], 0)).alias("responded"),
        fn.SUM(Case(None, [(_answered_on_time(settings), 1)], 0)).alias("on_time"))
        .join(pairs, on=(pairs.c.cid == Complaint.id))
        .where(pairs.c.uid.in_(user_ids)).group_by(pairs.c.uid).dicts())
    for row in rows:
        f = result[row["uid"]]
        f.handled, f.open = row["handled"], int(row["open"] or 0)
        f.closed = f.handled - f.open
        f.responded, f.on_time = int(row["responded"] or 0), int(row["on_time"] or 0)
    pairs = handled_pairs()
    visits = (Visit.select(pairs.c.uid.alias("uid"), fn.COUNT(Visit.id).alias("visits"),
                           fn.AVG(Visit.satisfaction).alias("average"))
              .join(pairs, on=(pairs.c.cid == Visit.complaint))
              .where(pairs.c.uid.in_(user_ids)).group_by(pairs.c.uid).dicts())
    for row in visits:
        f = result[row["uid"]]
        f.visits = row["visits"]
        f.satisfaction = round(float(row["average"]), 2) if row["average"] is not None else None
    return result


def staff_page(page: int, per_page: int, settings: dict) -> Page:
    """Active staff, by name, with department, roles and figures (four queries)."""
    query = User.select().where(User.active)
    total = query.count()
    users = list(User.select(User, Department).join(Department, JOIN.LEFT_OUTER)
                 .where(User.active).order_by(User.full_name, User.id)
                 .limit(per_page).offset((page - 1) * per_page))
    figures = figures_for([u.id for u in users], settings)
    for u in users:
        u.figures = figures[u.id]
    return Page(users, total, page, per_page)


@dataclass
class StaffMember:
    user: User
    figures: Figures
    latest: list
    records: list


def member(user: User, viewer: User, settings: dict) -> StaffMember:
    """One person's page. Their accountability records are listed only to those who may
    see them, and each one listed is logged as viewed (what="staff_page")."""
    figures = figures_for([user.id], settings)[user.id]
    pairs = handled_pairs()
    for row in (Visit.select(Visit.satisfaction, fn.COUNT(Visit.id).alias("n"))
                .join(pairs, on=(pairs.c.cid == Visit.complaint))
                .where(pairs.c.uid == user.id).group_by(Visit.satisfaction).dicts()):
        if row["satisfaction"] in figures.distribution:
            figures.distribution[row["satisfaction"]] = row["n"]
    pairs = handled_pairs()
    latest = list(Complaint.select(Complaint, Department.name.alias("dept_name"),
                                   Department.name_zh.alias("dept_name_zh"))
                  .join(pairs, on=(pairs.c.cid == Complaint.id))
                  .join_from(Complaint, Department, JOIN.LEFT_OUTER)
                  .where(pairs.c.uid == user.id)
                  .order_by(Complaint.received_at.desc(), Complaint.id.desc())
                  .limit(LATEST).objects())
    records = [r for r in AccountabilityRecord.select()
               .where(AccountabilityRecord.subject == user.id)
               .order_by(AccountabilityRecord.opened_at.desc())
               if access.can_view_accountability(viewer, r)]
    if records:
        now = utcnow()
        with db.atomic():
            AccountabilityView.insert_many([
                {"record": r.id, "user": viewer.id, "at": now, "what": "staff_page"}
                for r in records]).execute()
    return StaffMember(user=user, figures=figures, latest=latest, records=records)
