"""The effectiveness review's figures: for the complaints in a plan's scope, how many were
received in the period before the plan and in the period after it started, and how long
they took to answer on average (received → responded, in days).

Scope: the plan's root cause (the root cause of the complaint's current investigation,
i.e. its newest report), nature and department, whichever are set, combined. Complaints
are counted by the date they were received in the organisation's time zone (stored UTC);
rejected complaints count as received too. One SQL statement with conditional sums."""
import datetime as dt

from flask_babel import lazy_gettext as _l
from peewee import Case, fn

from domain.deadlines import day_start_utc, local_date
from domain.errors import DomainError
from domain.models import Complaint, utcnow
from domain.oversight_models import ImprovementPlan
from domain.stage_models import Investigation

PERIOD_FIELDS = ("before_from", "before_to", "after_from", "after_to")


def default_periods(plan: ImprovementPlan, today: dt.date) -> dict:
    """Before: as long as the plan (start → target date), ending the day before it starts.
    After: from the start to the target date or today, whichever comes first."""
    length = (plan.ends_on - plan.starts_on).days + 1
    before_to = plan.starts_on - dt.timedelta(days=1)
    after_to = max(plan.starts_on, min(plan.ends_on, today))
    return {"before_from": before_to - dt.timedelta(days=length - 1), "before_to": before_to,
            "after_from": plan.starts_on, "after_to": after_to}


def check_periods(periods: dict) -> None:
    """Every date given, each period's start not after its end (errors beside the field)."""
    for name in PERIOD_FIELDS:
        if not isinstance(periods.get(name), dt.date):
            raise DomainError(_l("Give a date."), name)
    for start, end in (("before_from", "before_to"), ("after_from", "after_to")):
        if periods[start] > periods[end]:
            raise DomainError(_l("The period cannot end before it starts."), end)


def days_between(later, earlier):
    """SQL: the days (fractional) from `earlier` to `later`, two timestamp columns."""
    from domain import sqlfn
    return sqlfn.days_between(later, earlier)


def scope_query(plan: ImprovementPlan):
    """The complaints a plan's review counts (any of root cause, nature, department)."""
    query = Complaint.select()
    if plan.root_cause_id:
        newest = (Investigation.select(fn.MAX(Investigation.id))
                  .group_by(Investigation.complaint))
        caused = (Investigation.select(Investigation.complaint)
                  .where(Investigation.id.in_(newest)
                         & (Investigation.root_cause == plan.root_cause_id)))
        query = query.where(Complaint.id.in_(caused))
    if plan.nature:
        query = query.where(Complaint.nature == plan.nature)
    if plan.department_id:
        query = query.where(Complaint.department == plan.department_id)
    return query


def _change(before, after):
    if before in (None, 0) or after is None:
        return None
    return round((after - before) * 100.0 / before, 1)


def effectiveness(plan: ImprovementPlan, before_from: dt.date, before_to: dt.date,
                  after_from: dt.date, after_to: dt.date, settings: dict) -> dict:
    """{"before": {...}, "after": {...}, "change": {...}} where each period has count,
    responded, avg_days (None when none was responded), days and per_30_days; change has
    count_pct, avg_days_pct and per_30_days_pct (None when there is nothing to compare)."""
    one_day = dt.timedelta(days=1)
    bounds = {"before": (day_start_utc(before_from, settings),
                         day_start_utc(before_to + one_day, settings)),
              "after": (day_start_utc(after_from, settings),
                        day_start_utc(after_to + one_day, settings))}
    duration = days_between(Complaint.responded_at, Complaint.received_at)
    columns = []
    for name, (start, end) in bounds.items():
        inside = (Complaint.received_at >= start) & (Complaint.received_at < end)
        answered = inside & Complaint.responded_at.is_null(False)
        columns += [fn.SUM(Case(None, [(inside, 1)], 0)).alias(f"{name}_count"),
                    fn.SUM(Case(None, [(answered, 1)], 0)).alias(f"{name}_responded"),
                    fn.AVG(Case(None, [(answered, duration)], None)).alias(f"{name}_avg")]
    lowest = min(b[0] for b in bounds.values())
    highest = max(b[1] for b in bounds.values())
    row = (scope_query(plan).select(*columns)
           .where((Complaint.received_at >= lowest) & (Complaint.received_at < highest))
           .dicts().get())
    result = {}
    for name, (first, last) in (("before", (before_from, before_to)),
                                ("after", (after_from, after_to))):
        count = int(row[f"{name}_count"] or 0)
        avg = row[f"{name}_avg"]
        days = (last - first).days + 1
        result[name] = {"count": count, "responded": int(row[f"{name}_responded"] or 0),
                        "avg_days": round(float(avg), 2) if avg is not None else None,
                        "days": days, "per_30_days": round(count * 30.0 / days, 1),
                        "from": first, "to": last}
    result["change"] = {
        "count_pct": _change(result["before"]["count"], result["after"]["count"]),
        "avg_days_pct": _change(result["before"]["avg_days"], result["after"]["avg_days"]),
        "per_30_days_pct": _change(result["before"]["per_30_days"],
                                   result["after"]["per_30_days"]),
    }
    return result


def org_today(settings: dict) -> dt.date:
    return local_date(utcnow(), settings)
