"""Reading accountability records: the filtered list (readers see every record, anyone
else only the records about themselves), the CSV export's rows, and the view log (every
look at a confidential record: who, when, what)."""
import csv
import datetime as dt
import io
from dataclasses import dataclass

from peewee import JOIN

from domain import access
from domain.models import Complaint, Department, User, utcnow
from domain.oversight_models import AccountabilityRecord, AccountabilityView
from domain.queries import Page
from domain.vocab import (ACCOUNTABILITY_STATUSES, APPEAL_OUTCOMES, RESPONSIBILITY_LEVELS,
                          SANCTIONS, label)

VIEW_KINDS = ("page", "fragment", "pdf", "evidence", "export")


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


@dataclass
class RecordFilter:
    status: str = ""
    level: str = ""
    person: int | None = None
    department: int | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "RecordFilter":
        status = args.get("status", "")
        level = args.get("level", "")
        return cls(status=status if status in ACCOUNTABILITY_STATUSES else "",
                   level=level if level in RESPONSIBILITY_LEVELS else "",
                   person=_int(args.get("person")), department=_int(args.get("department")),
                   page=_int(args.get("page")) or 1)

    def args(self, **overrides) -> dict:
        values = {"status": self.status, "level": self.level, "person": self.person or "",
                  "department": self.department or "", "page": self.page if self.page > 1 else ""}
        values.update(overrides)
        return {k: v for k, v in values.items() if v not in ("", None)}

    def query(self, user: User):
        """Every record the user may see that matches: all for readers, else their own."""
        R = AccountabilityRecord
        query = R.select()
        if not access.reads_all_accountability(user):
            query = query.where(R.subject == user.id)
        if self.status:
            query = query.where(R.status == self.status)
        if self.level:
            query = query.where(R.level == self.level)
        if self.person:
            query = query.where(R.subject == self.person)
        if self.department:
            query = query.where(R.subject_department == self.department)
        return query


def _with_names(query):
    """Records with the person's name, their department and the complaint's number, in
    one statement."""
    R = AccountabilityRecord
    person = User.alias("person")
    return (query.select(R, person.full_name.alias("person_name"),
                         Department.name.alias("dept_name"),
                         Department.name_zh.alias("dept_name_zh"),
                         Complaint.number.alias("complaint_number"))
            .join_from(R, person, on=(R.subject == person.id))
            .join_from(R, Department, JOIN.LEFT_OUTER, on=(R.subject_department == Department.id))
            .join_from(R, Complaint, JOIN.LEFT_OUTER, on=(R.complaint == Complaint.id))
            .order_by(R.opened_at.desc(), R.id.desc())
            .objects())


def list_page(f: RecordFilter, user: User, per_page: int) -> Page:
    total = f.query(user).count()
    rows = _with_names(f.query(user)).limit(per_page).offset((f.page - 1) * per_page)
    return Page(list(rows), total, f.page, per_page)


def persons_with_records() -> list[User]:
    """The people records exist about (for the list's filter), by name."""
    R = AccountabilityRecord
    return list(User.select().where(User.id.in_(R.select(R.subject).distinct()))
                .order_by(User.full_name))


def log_views(records, user: User, what: str) -> None:
    """One view-log row per record looked at (call for every GET that shows a record)."""
    now = utcnow()
    rows = [{"record": r.id, "user": user.id, "at": now, "what": what} for r in records]
    if rows:
        AccountabilityView.insert_many(rows).execute()


def view_log(record, limit: int = 100) -> tuple[list[AccountabilityView], int]:
    """The latest looks at the record (with who looked), and how many there were in all."""
    V = AccountabilityView
    rows = list(V.select(V, User).join(User).where(V.record == record.id)
                .order_by(V.at.desc(), V.id.desc()).limit(limit))
    return rows, V.select().where(V.record == record.id).count()


def _cell(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _money(value) -> str:
    return "" if value is None else f"{value:.2f}"


def export_csv(rows, headers: list[str], locale: str, formats) -> bytes:
    """The rows as CSV, UTF-8 with a BOM (so that spreadsheet programs read the Chinese).
    `formats`: callables dt(value) and date(value) that format in the viewer's locale."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    zh = locale.startswith("zh")
    for r in rows:
        dept = (r.dept_name_zh if zh and r.dept_name_zh else r.dept_name) or ""
        writer.writerow([_cell(v) for v in (
            r.number, r.person_name, dept, label(RESPONSIBILITY_LEVELS, r.level),
            label(ACCOUNTABILITY_STATUSES, r.status), r.complaint_number or "",
            formats.dt(r.opened_at), label(SANCTIONS, r.proposed_sanction),
            _money(r.proposed_amount), label(SANCTIONS, r.sanction), _money(r.amount),
            formats.dt(r.decided_at), formats.date(r.appeal_due_on),
            "" if not r.appeal_outcome else r.appeal_outcome_label,
            formats.dt(r.final_at), r.findings)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_rows(f: RecordFilter, user: User) -> list[AccountabilityRecord]:
    """Every matching record (no paging), for the export."""
    from domain.vocab import APPEAL_OUTCOMES
    rows = list(_with_names(f.query(user)))
    for r in rows:
        r.appeal_outcome_label = label(APPEAL_OUTCOMES, r.appeal_outcome)
    return rows


def records_about(user_id: int, viewer: User | None = None) -> list[AccountabilityRecord]:
    """The records about one staff member, newest first, with their complaint's number
    (`complaint_number`). With `viewer`, only if the viewer may see them (the same rule as
    the record pages: leaders, admins, the complaint manager and the person themselves)."""
    query = (AccountabilityRecord.select(AccountabilityRecord,
                                         Complaint.number.alias("complaint_number"))
             .join(Complaint, JOIN.LEFT_OUTER,
                   on=(AccountabilityRecord.complaint == Complaint.id))
             .where(AccountabilityRecord.subject == user_id)
             .order_by(AccountabilityRecord.opened_at.desc(), AccountabilityRecord.id.desc())
             .objects())
    rows = list(query)
    if viewer is not None:
        rows = [r for r in rows if access.can_view_accountability(viewer, r)]
    return rows


# The step → the statuses it is taken in.
STEP_STATUSES = {
    "findings": ("investigating",), "evidence": ("investigating", "proposed"),
    "propose": ("investigating",), "decide": ("proposed",), "accept": ("decided",),
    "appeal": ("decided",), "decide_appeal": ("appealed",),
}


def may_take(user: User, record: AccountabilityRecord, step: str) -> bool:
    """Whether the step is the user's to take on this record (whatever its status)."""
    if step in ("findings", "evidence", "propose"):
        return access.can_work_on_accountability(user, record)
    if step in ("decide", "decide_appeal"):
        return access.can_decide_accountability(user, record)
    if step in ("accept", "appeal"):
        return access.can_appeal_accountability(user, record)
    return False


def available_steps(user: User, record: AccountabilityRecord, today: dt.date) -> list[str]:
    """The steps the user may take on the record now, in the order the page shows them."""
    steps = [s for s, statuses in STEP_STATUSES.items()
             if record.status in statuses and may_take(user, record, s)]
    if record.appeal_due_on and today > record.appeal_due_on:
        steps = [s for s in steps if s not in ("accept", "appeal")]
    return steps


def value_label(field: str, value: str) -> str:
    """A recorded old/new value as the history shows it: codes become their labels."""
    mapping = {"level": RESPONSIBILITY_LEVELS, "proposed_sanction": SANCTIONS,
               "sanction": SANCTIONS, "status": ACCOUNTABILITY_STATUSES,
               "appeal_outcome": APPEAL_OUTCOMES}.get(field)
    return label(mapping, value) if mapping else value
