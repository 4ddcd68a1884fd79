"""Reading emergency responses: the list (readers see all, anyone else those they are on
the team of), My work's active ones, and the action log as shown on the page and the PDF."""
import datetime as dt
from dataclasses import dataclass

from peewee import JOIN, Case, fn

from domain import access, record_history
from domain.group_models import EmergencyMember, EmergencyResponse, GroupDetail
from domain.models import Complaint, User
from domain.queries import Page

KINDS = ("real", "drill")
STATES = ("active", "stood_down")


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


@dataclass
class ResponseFilter:
    kind: str = ""     # "" | real | drill
    status: str = ""   # "" | active | stood_down
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "ResponseFilter":
        kind, status = args.get("kind", ""), args.get("status", "")
        return cls(kind=kind if kind in KINDS else "", status=status if status in STATES else "",
                   page=_int(args.get("page")) or 1)

    def args(self, **overrides) -> dict:
        values = {"kind": self.kind, "status": self.status,
                  "page": self.page if self.page > 1 else ""}
        values.update(overrides)
        return {k: v for k, v in values.items() if v not in ("", None)}

    def query(self, user: User):
        R = EmergencyResponse
        query = R.select()
        if not access.reads_all_emergencies(user):
            query = query.where(R.id.in_(
                EmergencyMember.select(EmergencyMember.response)
                .where((EmergencyMember.user == user.id) & EmergencyMember.removed_at.is_null())))
        if self.kind:
            query = query.where(R.drill == (self.kind == "drill"))
        if self.status:
            query = query.where(R.status == self.status)
        return query


def _team_sizes(ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    M = EmergencyMember
    return dict(M.select(M.response, fn.COUNT(fn.DISTINCT(M.user)))
                .where(M.response.in_(ids) & M.removed_at.is_null())
                .group_by(M.response).tuples())


def list_page(f: ResponseFilter, user: User, per_page: int) -> Page:
    """Active first, then newest; with the complaint's number and team size (2 queries)."""
    R = EmergencyResponse
    total = f.query(user).count()
    rows = list(f.query(user)
                .select(R, Complaint.number.alias("complaint_number"),
                        User.full_name.alias("activated_by_name"))
                .join_from(R, Complaint, JOIN.LEFT_OUTER, on=(R.complaint == Complaint.id))
                .join_from(R, User, on=(R.activated_by == User.id))
                .order_by(Case(None, [(R.status == "active", 0)], 1), R.activated_at.desc(),
                          R.id.desc())
                .limit(per_page).offset((f.page - 1) * per_page).objects())
    sizes = _team_sizes([r.id for r in rows])
    for r in rows:
        r.team_size = sizes.get(r.id, 0)
    return Page(rows, total, f.page, per_page)


def active_for_member(user: User) -> list[EmergencyResponse]:
    """The active responses (drills included) the user is on the team of, newest first,
    with their roles (My work)."""
    M, R = EmergencyMember, EmergencyResponse
    rows = list(R.select(R, M.role.alias("my_role"), Complaint.number.alias("complaint_number"))
                .join(M, on=(M.response == R.id))
                .join_from(R, Complaint, JOIN.LEFT_OUTER, on=(R.complaint == Complaint.id))
                .where((M.user == user.id) & M.removed_at.is_null() & (R.status == "active"))
                .order_by(R.activated_at.desc(), M.id).objects())
    found: dict[int, EmergencyResponse] = {}
    for row in rows:
        response = found.setdefault(row.id, row)
        if response is row:
            response.my_roles = []
        response.my_roles.append(row.my_role)
    return list(found.values())


@dataclass
class LogEntry:
    """One line of the action log: an event of the response's history, ready to show."""
    seq: int
    at: dt.datetime            # when it was written
    happened_at: dt.datetime   # when it took place (given with the entry, else `at`)
    actor_name: str
    action: str
    note: str
    data: dict


def log_entries(response: EmergencyResponse) -> list[LogEntry]:
    """The whole action log, in the order things happened (then written), oldest first."""
    entries = []
    for event in record_history.events_of(response):
        data = record_history.event_data(event)
        happened = event.at
        if data.get("happened_at"):
            try:
                happened = dt.datetime.fromisoformat(data["happened_at"])
            except ValueError:
                pass
        entries.append(LogEntry(event.seq, event.at, happened,
                                event.actor.full_name if event.actor_id else "",
                                event.action, event.note, data))
    return sorted(entries, key=lambda e: (e.happened_at, e.seq))


def group_of(complaint_id: int | None):
    if not complaint_id:
        return None
    return GroupDetail.get_or_none(GroupDetail.complaint == complaint_id)

