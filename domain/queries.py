"""The complaint list: filters parsed from query arguments, sorting and pagination."""
import datetime as dt
from dataclasses import dataclass, field

from peewee import JOIN, fn

from domain import access, search
from domain.models import Complaint, Department, User
from domain.stage_models import Investigation, RootCause
from domain.vocab import CHANNELS, NATURES, SEVERITIES
from domain.statuses import OPEN_STATUSES, STATUSES

SORTS = {
    "received": Complaint.received_at,
    "number": Complaint.number,
    "status": Complaint.status,
    "severity": Complaint.severity,
    "complainant": Complaint.complainant_name,
}
MAX_PAGE = 10_000


def _date(value: str):
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _int(value: str):
    return int(value) if value and value.isdigit() else None


@dataclass
class ComplaintFilter:
    q: str = ""
    status: str = ""
    channel: str = ""
    nature: str = ""
    severity: str = ""
    department: int | None = None
    assignee: int | None = None
    root_cause: int | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    overdue: bool = False
    sort: str = "received"
    order: str = "desc"
    page: int = 1
    errors: dict = field(default_factory=dict)

    @classmethod
    def from_args(cls, args) -> "ComplaintFilter":
        """Parse query arguments; unknown values are dropped and noted in `errors`."""
        f = cls()
        f.q = (args.get("q") or "").strip()[:100]
        for name, allowed in (("status", list(STATUSES) + ["open"]), ("channel", CHANNELS),
                              ("nature", NATURES), ("severity", SEVERITIES)):
            value = args.get(name) or ""
            if value and value not in allowed:
                f.errors[name] = True
                value = ""
            setattr(f, name, value)
        for name in ("department", "assignee", "root_cause"):
            raw = args.get(name) or ""
            setattr(f, name, _int(raw))
            if raw and getattr(f, name) is None:
                f.errors[name] = True
        for name in ("received_from", "received_to"):
            raw = args.get(name) or ""
            setattr(f, name, _date(raw))
            if raw and getattr(f, name) is None:
                f.errors[name] = True
        f.overdue = args.get("overdue") == "1"
        f.sort = args.get("sort") if args.get("sort") in SORTS else "received"
        f.order = "asc" if args.get("order") == "asc" else "desc"
        f.page = min(max(_int(args.get("page") or "") or 1, 1), MAX_PAGE)
        return f

    def args(self, **overrides) -> dict:
        """Query arguments that reproduce this filter (for links and the pushed URL)."""
        values = {
            "q": self.q, "status": self.status, "channel": self.channel,
            "nature": self.nature, "severity": self.severity,
            "department": self.department, "assignee": self.assignee,
            "root_cause": self.root_cause,
            "received_from": self.received_from.isoformat() if self.received_from else "",
            "received_to": self.received_to.isoformat() if self.received_to else "",
            "overdue": "1" if self.overdue else "",
            "sort": "" if self.sort == "received" else self.sort,
            "order": "" if self.order == "desc" else self.order,
            "page": self.page if self.page > 1 else "",
        }
        values.update(overrides)
        return {k: v for k, v in values.items() if v not in ("", None)}

    def root_cause_choices(self) -> list:
        """Root causes for the list's filter: the active ones, and the chosen one."""
        return list(RootCause.select().where(RootCause.active | (RootCause.id == (self.root_cause or 0)))
                    .order_by(RootCause.code))

    def narrows(self) -> bool:
        """Whether anything besides the keyword narrows the list."""
        return any((self.status, self.channel, self.nature, self.severity, self.department,
                    self.assignee, self.root_cause, self.received_from, self.received_to, self.overdue))

    def query(self, user: User, tz_offset=None, search_drives: bool = True):
        """The filtered, visible complaints (not yet sorted or paginated).

        search_drives: how the keyword's matches are used (see search.filter_query)."""
        q = access.visible_complaints(user)
        if self.status == "open":
            q = q.where(Complaint.status.in_(OPEN_STATUSES))
        elif self.status:
            q = q.where(Complaint.status == self.status)
        for name in ("channel", "nature", "severity"):
            if getattr(self, name):
                q = q.where(getattr(Complaint, name) == getattr(self, name))
        if self.department:
            q = q.where(Complaint.department == self.department)
        if self.assignee:
            q = q.where(Complaint.assignee == self.assignee)
        if self.root_cause:
            # The root cause of a complaint is its newest investigation report's.
            newest = (Investigation.select(fn.MAX(Investigation.id))
                      .group_by(Investigation.complaint))
            q = q.where(Complaint.id.in_(
                Investigation.select(Investigation.complaint)
                .where(Investigation.id.in_(newest)
                       & (Investigation.root_cause == self.root_cause))))
        if self.received_from:
            q = q.where(Complaint.received_at >= _utc_day_start(self.received_from, tz_offset))
        if self.received_to:
            q = q.where(Complaint.received_at < _utc_day_start(
                self.received_to + dt.timedelta(days=1), tz_offset))
        if self.overdue:
            today = dt.datetime.now(tz_offset).date() if tz_offset else dt.date.today()
            if not self.status:
                q = q.where(Complaint.status.in_(OPEN_STATUSES))
            q = q.where(Complaint.stage_due_on < today)
        if self.q:
            q = search.filter_query(q, self.q, drive=search_drives)
        return q


def _utc_day_start(day: dt.date, tz) -> dt.datetime:
    start = dt.datetime.combine(day, dt.time())
    if tz is None:
        return start
    return start.replace(tzinfo=tz).astimezone(dt.timezone.utc).replace(tzinfo=None)


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


# A keyword search is planned from its number of matches (one cheap query on the index).
# Up to PAGE_DRIVE_MATCHES, the page is read by looking each match up and sorting them;
# above it, by walking the received_at index newest first and keeping the matches, which
# stops after 25 hits. Up to COUNT_DRIVE_MATCHES the count looks each match up; above it,
# it checks the rows another filter's index selects (or every row) against the matches.
# With 100,000 complaints: 18,000 matches looked up and sorted took 120 ms, walked 4 ms.
PAGE_DRIVE_MATCHES = 500
COUNT_DRIVE_MATCHES = 5000


def _total(f: ComplaintFilter, user: User, tz, matches: int | None) -> int:
    if matches is None:
        return f.query(user, tz).count()
    if not f.narrows() and access.sees_all(user):
        return matches
    return f.query(user, tz, search_drives=matches <= COUNT_DRIVE_MATCHES).count()


def list_page(f: ComplaintFilter, user: User, per_page: int, tz=None) -> Page:
    """One page of the list, with department and assignee loaded in the same query.

    The page's ids are chosen by a subquery that reads no other table, so SQLite can take
    them from an index in sort order and stop after one page; only those rows are then read
    whole and joined (with the joins in the same statement, SQLite read and sorted every
    row of an "open" filter: 180 ms instead of under 1 ms at 100,000 complaints)."""
    matches = search.match_count(f.q) if f.q else None
    total = _total(f, user, tz, matches)
    drive = matches is None or matches <= PAGE_DRIVE_MATCHES or f.sort != "received"
    column = SORTS[f.sort]
    ordering = [column.asc() if f.order == "asc" else column.desc(),
                Complaint.id.asc() if f.order == "asc" else Complaint.id.desc()]
    page_ids = (f.query(user, tz, search_drives=drive).select(Complaint.id)
                .order_by(*ordering).limit(per_page).offset((f.page - 1) * per_page))
    assignee = User.alias("assignee_user")
    rows = (Complaint.select(Complaint, Department.name.alias("dept_name"),
                             Department.name_zh.alias("dept_name_zh"),
                             assignee.full_name.alias("assignee_name"))
            .join_from(Complaint, Department, JOIN.LEFT_OUTER)
            .join_from(Complaint, assignee, JOIN.LEFT_OUTER, on=(Complaint.assignee == assignee.id))
            .where(Complaint.id.in_(page_ids))
            .order_by(*ordering)
            .objects())
    return Page(list(rows), total, f.page, per_page)
