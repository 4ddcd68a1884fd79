"""The SQL every figure of Part F is built from: the cohort of complaints, the working-day
calendar as a table the query joins, and one row per complaint with each stage's start,
end and due date (`stage_rows_sql`). Both the dashboard's aggregates (domain/stats.py) and
the ledger export (domain/ledger.py) read these rows, so a stage is defined once.

Dates are the organisation's calendar dates. Timestamps are stored in UTC; a stored moment's
local date is `date(moment, '<offset> minutes')` with the zone's UTC offset at the start of
the period asked for (exact for zones without daylight saving, such as Asia/Shanghai; in a
zone with DST a moment within an hour of midnight on the other side of a change can land on
the neighbouring day). Period bounds are local midnights turned into UTC as in
domain/plans_figures.py, so the cohort itself is always exact.

The stages (first round only: a reopening or an appeal does not start the stage again;
returns for rework count inside the stage they interrupt):

=============  =========================================  ======================================  ===========================
stage          starts                                     ends                                    due (rule, unit)
=============  =========================================  ======================================  ===========================
acceptance     received_at                                accepted_at, or closed_at when rejected received day + verification_days,
                                                                                                  **calendar** days (72 h rule)
assignment     accepted_at                                first Assignment.assigned_at           accepted day + assignment_days
                                                                                                  **working** days
receipt        assigned_at of the first assignment that   that assignment's received_at (签收)    assigned day + receipt_days
               was signed for                                                                     **working** days
investigation  that received_at (签收)                    first Proposal.submitted_at (the        receipt day + investigation_days
                                                          investigation and the proposal share    + approved Extension days decided
                                                          one deadline)                           before that proposal, **working**
review         first Proposal.submitted_at                first approving level-1 Approval        + review_days **working** days
approval       first approving level-1 Approval           first approving level-2 Approval        + review_days **working** days
response       first approving level-2 Approval           first Response.recorded_at              + response_days **working** days
reply          accepted_at                                first Response.recorded_at              Complaint.reply_due_on (set on
                                                                                                  acceptance: reply_days **working**)
visit          first Response.recorded_at                 first Visit.recorded_at                 response day + visit_days
                                                                                                  **working** days
=============  =========================================  ======================================  ===========================

On time: the stage ended, and the local date it ended is not after its due date. A stage
that has not ended has no on-time flag (it shows in the open / overdue counts instead).
Handling time: for calendar-day stages the elapsed time in days (fractional, from the two
timestamps); for working-day stages the working days from the start's local date to the
end's (0 when both fall on the same day), counted with domain/deadlines.WorkCalendar.
"""
import datetime as dt
from zoneinfo import ZoneInfo

from domain.deadlines import WorkCalendar
from domain.statuses import OPEN_STATUSES

STAGES = ("acceptance", "assignment", "receipt", "investigation", "review", "approval",
          "response", "reply", "visit")
CALENDAR_STAGES = ("acceptance",)


def offset_modifier(settings: dict, day: dt.date) -> str:
    """The SQLite date modifier that turns a stored UTC moment into local time."""
    moment = dt.datetime.combine(day, dt.time(12)).replace(tzinfo=ZoneInfo(settings["timezone"]))
    minutes = int(moment.utcoffset().total_seconds() // 60)
    return f"{minutes:+d} minutes"


def utc_start(day: dt.date, settings: dict) -> dt.datetime:
    """The UTC moment the organisation's calendar day `day` begins (naive, as stored)."""
    return (dt.datetime.combine(day, dt.time()).replace(tzinfo=ZoneInfo(settings["timezone"]))
            .astimezone(dt.timezone.utc).replace(tzinfo=None))


def _sql_moment(moment: dt.datetime) -> str:
    """A stored moment as SQLite text (how Peewee stores DateTimeField)."""
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def calendar_cte(cal: WorkCalendar, first: dt.date, last: dt.date) -> str:
    """`wd(day, idx, working)`: every day from `first` to `last`, whether it is a working
    day and how many working days there are from `first` up to and including it. Literal
    values (dates and integers we make), so no bound-parameter limit applies."""
    rows, idx, day = [], 0, first
    while day <= last:
        working = 1 if cal.is_working_day(day) else 0
        idx += working
        rows.append(f"('{day.isoformat()}',{idx},{working})")
        day += dt.timedelta(days=1)
    return "wd(day, idx, working) AS (VALUES " + ",".join(rows) + ")"


def calendar_range(first: dt.date, today: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """Days the calendar must cover: from a week before the cohort's first day (a stage
    starts on or after receipt) to well after today (due dates lie ahead)."""
    return first - dt.timedelta(days=7), max(today, last) + dt.timedelta(days=120)


class Cohort:
    """The complaints the figures count: received from `first` to `last` (local dates),
    narrowed by department, channel, nature, severity and root cause. `where()` gives SQL
    on the alias `c` and its parameters."""

    def __init__(self, first: dt.date, last: dt.date, settings: dict, *, department=None,
                 channel="", nature="", severity="", root_cause=None, ids_sql=None,
                 ids_params=()):
        self.first, self.last, self.settings = first, last, settings
        self.department, self.channel, self.nature = department, channel, nature
        self.severity, self.root_cause = severity, root_cause
        self.ids_sql, self.ids_params = ids_sql, tuple(ids_params)

    @property
    def mod(self) -> str:
        return offset_modifier(self.settings, self.first or dt.date.today())

    def where(self) -> tuple[str, list]:
        parts, params = [], []
        if self.first is not None:
            parts.append("c.received_at >= ?")
            params.append(_sql_moment(utc_start(self.first, self.settings)))
        if self.last is not None:
            parts.append("c.received_at < ?")
            params.append(_sql_moment(utc_start(self.last + dt.timedelta(days=1), self.settings)))
        for column in ("channel", "nature", "severity"):
            if getattr(self, column):
                parts.append(f"c.{column} = ?")
                params.append(getattr(self, column))
        if self.department is not None:
            parts.append("c.department_id = ?")
            params.append(self.department)
        if self.root_cause:
            parts.append(f"c.id IN ({NEWEST_CAUSE_SQL} AND i.root_cause_id = ?)")
            params.append(self.root_cause)
        if self.ids_sql:
            parts.append(f"c.id IN ({self.ids_sql})")
            params.extend(self.ids_params)
        return (" AND ".join(parts) or "1=1"), params


# The root cause of a complaint is its newest investigation report's.
NEWEST_CAUSE_SQL = ("SELECT i.complaint_id FROM investigation i WHERE i.id IN "
                    "(SELECT MAX(id) FROM investigation GROUP BY complaint_id)")


def open_statuses_sql() -> str:
    return ",".join(f"'{s}'" for s in OPEN_STATUSES)


def stage_rows_sql(cohort: Cohort, settings: dict, extra_columns: str = "") -> tuple[str, list]:
    """`WITH wd AS (...), base AS (...), ..., cs AS (...)` and its parameters: `cs` has
    one row per complaint of the cohort with id, dept, and for each stage <stage>_start,
    <stage>_end (stored UTC moments), <stage>_due (local date, 'YYYY-MM-DD') and
    <stage>_days (handling time, see the module docstring)."""
    where, params = cohort.where()
    mod = cohort.mod
    from domain.deadlines import local_date
    from domain.models import utcnow
    today = local_date(utcnow(), settings)
    first, last = calendar_range(cohort.first or today - dt.timedelta(days=3650), today,
                                 cohort.last or today)
    from domain.deadlines import load_calendar
    cal = load_calendar(settings)
    n = {k: int(settings[k]) for k in ("verification_days", "assignment_days", "receipt_days",
                                        "investigation_days", "review_days", "response_days",
                                        "visit_days")}

    def local(expr):
        return f"date({expr}, '{mod}')"

    def idx(day_expr):
        return f"(SELECT idx FROM wd WHERE wd.day = {day_expr})"

    def work_due(start, days):
        return (f"CASE WHEN {start} IS NULL THEN NULL ELSE (SELECT w2.day FROM wd w2 WHERE "
                f"w2.working = 1 AND w2.idx = {idx(local(start))} + ({days})) END")

    def work_days(start, end):
        return (f"CASE WHEN {start} IS NULL OR {end} IS NULL THEN NULL ELSE "
                f"{idx(local(end))} - {idx(local(start))} END")

    stages = {
        # stage: (start, end, due expression, days expression)
        "acceptance": ("b.received_at", "COALESCE(b.accepted_at, CASE WHEN b.closed_at IS NOT NULL "
                       "AND b.accepted_at IS NULL THEN b.closed_at END)", None, None),
        "assignment": ("b.accepted_at", "asg.first_assigned", n["assignment_days"], None),
        "receipt": ("rcp.assigned_at", "rcp.signed_at", n["receipt_days"], None),
        "investigation": ("rcp.signed_at", "prop.first_prop",
                          f"{n['investigation_days']} + COALESCE(ext.days, 0)", None),
        "review": ("prop.first_prop", "rev.at", n["review_days"], None),
        "approval": ("rev.at", "apr.at", n["review_days"], None),
        "response": ("apr.at", "resp.first_at", n["response_days"], None),
        "reply": ("b.accepted_at", "resp.first_at", "reply", None),
        "visit": ("resp.first_at", "vis.first_at", n["visit_days"], None),
    }
    columns = []
    for code, (start, end, days, _) in stages.items():
        columns.append(f"{start} AS {code}_start")
        columns.append(f"{end} AS {code}_end")
        if code == "acceptance":
            columns.append(f"date({local(start)}, '+{n['verification_days']} days') AS {code}_due")
            columns.append(f"CASE WHEN ({end}) IS NULL THEN NULL ELSE "
                           f"julianday({end}) - julianday({start}) END AS {code}_days")
        elif days == "reply":
            columns.append(f"CASE WHEN {start} IS NULL THEN NULL ELSE b.reply_due_on END "
                           f"AS {code}_due")
            columns.append(f"{work_days(start, end)} AS {code}_days")
        else:
            columns.append(f"{work_due(start, days)} AS {code}_due")
            columns.append(f"{work_days(start, end)} AS {code}_days")
    sql = f"""WITH {calendar_cte(cal, first, last)},
base AS (SELECT c.id, c.department_id AS dept, c.received_at, c.accepted_at, c.closed_at,
                c.reply_due_on, c.status, c.stage_due_on{extra_columns}
         FROM complaint c WHERE {where}),
asg AS (SELECT a.complaint_id AS cid, MIN(a.assigned_at) AS first_assigned
        FROM assignment a JOIN base ON base.id = a.complaint_id GROUP BY a.complaint_id),
rcp AS (SELECT a.complaint_id AS cid, a.assigned_at, a.received_at AS signed_at
        FROM assignment a WHERE a.id IN (
          SELECT MIN(a2.id) FROM assignment a2 JOIN base ON base.id = a2.complaint_id
          WHERE a2.received_at IS NOT NULL GROUP BY a2.complaint_id)),
prop AS (SELECT p.complaint_id AS cid, MIN(p.submitted_at) AS first_prop
         FROM proposal p JOIN base ON base.id = p.complaint_id GROUP BY p.complaint_id),
ext AS (SELECT e.complaint_id AS cid, SUM(e.days) AS days
        FROM extension e JOIN base ON base.id = e.complaint_id
        LEFT JOIN prop ON prop.cid = e.complaint_id
        WHERE e.approved = 1 AND (prop.first_prop IS NULL OR e.decided_at <= prop.first_prop)
        GROUP BY e.complaint_id),
rev AS (SELECT ap.complaint_id AS cid, MIN(ap.decided_at) AS at
        FROM approval ap JOIN base ON base.id = ap.complaint_id
        WHERE ap.level = 1 AND ap.approved = 1 GROUP BY ap.complaint_id),
apr AS (SELECT ap.complaint_id AS cid, MIN(ap.decided_at) AS at
        FROM approval ap JOIN base ON base.id = ap.complaint_id
        WHERE ap.level = 2 AND ap.approved = 1 GROUP BY ap.complaint_id),
resp AS (SELECT r.complaint_id AS cid, MIN(r.recorded_at) AS first_at
         FROM response r JOIN base ON base.id = r.complaint_id GROUP BY r.complaint_id),
vis AS (SELECT v.complaint_id AS cid, MIN(v.recorded_at) AS first_at
        FROM visit v JOIN base ON base.id = v.complaint_id
        JOIN resp ON resp.cid = v.complaint_id
        WHERE v.recorded_at >= resp.first_at GROUP BY v.complaint_id),
cs AS (SELECT b.id, b.dept, {", ".join(columns)}
       FROM base b
       LEFT JOIN asg ON asg.cid = b.id LEFT JOIN rcp ON rcp.cid = b.id
       LEFT JOIN prop ON prop.cid = b.id LEFT JOIN ext ON ext.cid = b.id
       LEFT JOIN rev ON rev.cid = b.id LEFT JOIN apr ON apr.cid = b.id
       LEFT JOIN resp ON resp.cid = b.id LEFT JOIN vis ON vis.cid = b.id)"""
    return sql, params


def stage_union_sql(mod: str) -> str:
    """One row per (complaint, stage that started): stage, dept, ended, on_time, days."""
    parts = []
    for code in STAGES:
        parts.append(
            f"SELECT '{code}' AS stage, dept, ({code}_end IS NOT NULL) AS ended, "
            f"CASE WHEN {code}_end IS NULL OR {code}_due IS NULL THEN NULL "
            f"WHEN date({code}_end, '{mod}') <= {code}_due THEN 1 ELSE 0 END AS on_time, "
            f"{code}_days AS days FROM cs WHERE {code}_start IS NOT NULL")
    return " UNION ALL ".join(parts)
