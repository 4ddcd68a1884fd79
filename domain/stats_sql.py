"""The SQL every figure of Part F is built from: the cohort of complaints, the working-day
calendar (each day's working-day ordinal), and one row per complaint with each stage's
start, end, due date, handling time and on-time flag (`stage_rows_sql`). Both the
dashboard's aggregates (domain/stats.py, from the rows stored per complaint by
domain/stage_facts.py and copied into one TEMP table per period: `stage_table`) and the
ledger export (domain/ledger.py, one streamed statement) read these rows, so a stage is
defined once. Changing a definition here: bump stage_facts.FORMULAS.

Cost: every look-up is per complaint of the cohort on an index (complaint_id of the stage
tables, the calendar's automatic index), so a statement's time follows the cohort's size,
not the tables' (see docs/performance.md, "Analysis (Part F)"; tests/test_stats_sql.py
checks the plans).

Dates are the organisation's calendar dates. Timestamps are stored in UTC; a stored moment's
local date is `date(moment, '<offset> minutes')` with the zone's UTC offset at the start of
the period asked for (exact for zones without daylight saving, such as Asia/Shanghai; in a
zone with DST a moment within an hour of midnight on the other side of a change can land on
the neighbouring day). Period bounds are local midnights turned into UTC
(deadlines.day_start_utc, as the plan figures use them), so the cohort itself is exact.

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
import itertools
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from extensions import db
from domain import sqlfn
from domain.deadlines import WorkCalendar, day_start_utc
from domain.statuses import OPEN_STATUSES

STAGES = ("acceptance", "assignment", "receipt", "investigation", "review", "approval",
          "response", "reply", "visit")
CALENDAR_STAGES = ("acceptance",)


def offset_minutes(settings: dict, day: dt.date) -> int:
    """The zone's UTC offset in minutes at noon on `day`."""
    moment = dt.datetime.combine(day, dt.time(12)).replace(tzinfo=ZoneInfo(settings["timezone"]))
    return int(moment.utcoffset().total_seconds() // 60)


def offset_modifier(settings: dict, day: dt.date) -> str:
    """The SQLite date modifier that turns a stored UTC moment into local time."""
    return f"{offset_minutes(settings, day):+d} minutes"


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
        rows.append(f"({sqlfn.date_literal_sql(day)},{idx},{working})")
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
                 ids_params=(), stale_basis=None):
        self.first, self.last, self.settings = first, last, settings
        self.department, self.channel, self.nature = department, channel, nature
        self.severity, self.root_cause = severity, root_cause
        self.ids_sql, self.ids_params = ids_sql, tuple(ids_params)
        # Only the complaints whose stored stage figures (domain/stage_facts.py) are missing
        # or were computed from another version or basis.
        self.stale_basis = stale_basis

    @property
    def mod(self) -> str:
        return offset_modifier(self.settings, self.first or dt.date.today())

    def local_start_literal(self, day: dt.date) -> str:
        """The stored moment at which `day` begins in the local time of `mod`, as an SQL
        literal of the stored type (text on SQLite, a timestamp on PostgreSQL):
        `received_at >= local_start_literal(d)` is `date(received_at, mod) >= d`."""
        minutes = offset_minutes(self.settings, self.first or dt.date.today())
        text = _sql_moment(dt.datetime.combine(day, dt.time()) - dt.timedelta(minutes=minutes))
        return f"TIMESTAMP '{text}'" if sqlfn.is_postgres() else f"'{text}'"

    def where(self) -> tuple[str, list]:
        parts, params = [], []
        if self.first is not None:
            parts.append("c.received_at >= ?")
            params.append(_sql_moment(day_start_utc(self.first, self.settings)))
        if self.last is not None:
            parts.append("c.received_at < ?")
            params.append(_sql_moment(day_start_utc(self.last + dt.timedelta(days=1), self.settings)))
        for column in ("channel", "nature", "severity"):
            if getattr(self, column):
                parts.append(f"c.{column} = ?")
                params.append(getattr(self, column))
        if self.department is not None:
            parts.append("c.department_id = ?")
            params.append(self.department)
        if self.root_cause:
            parts.append(f"{NEWEST_CAUSE_SQL} = ?")
            params.append(self.root_cause)
        if self.ids_sql:
            parts.append(f"c.id IN ({self.ids_sql})")
            params.extend(self.ids_params)
        if self.stale_basis:
            parts.append("NOT EXISTS (SELECT 1 FROM stage_fact sf_now WHERE "
                         "sf_now.complaint_id = c.id AND sf_now.version = c.version "
                         "AND sf_now.basis = ?)")
            params.append(self.stale_basis)
        return (" AND ".join(parts) or "1=1"), params


# The root cause of a complaint is its newest investigation report's. Both are correlated
# look-ups of the complaint `c` on the investigation_complaint_id index (one index seek per
# complaint). Not `i.id IN (SELECT MAX(id) FROM investigation GROUP BY complaint_id)`:
# SQLite probes that whole list for every complaint (quadratic: 47 s for a quarter's
# hotline complaints at 100,000 complaints).
NEWEST_INVESTIGATION_SQL = ("(SELECT MAX(i_new.id) FROM investigation i_new "
                            "WHERE i_new.complaint_id = c.id)")
NEWEST_CAUSE_SQL = ("(SELECT i_new.root_cause_id FROM investigation i_new "
                    "WHERE i_new.complaint_id = c.id ORDER BY i_new.id DESC LIMIT 1)")


def open_statuses_sql() -> str:
    return ",".join(f"'{s}'" for s in OPEN_STATUSES)


def stage_rows_sql(cohort: Cohort, settings: dict,
                   extra: dict[str, str] | None = None) -> tuple[str, list]:
    """`WITH wd AS (...), ..., cs AS (...)` and its parameters: `cs` has one row per
    complaint of the cohort with id, dept, and for each stage <stage>_start, <stage>_end
    (stored UTC moments), <stage>_end_day (the end's local date), <stage>_due (local date,
    'YYYY-MM-DD'), <stage>_days (handling time, see the module docstring) and
    <stage>_on_time (1 or 0 when the stage ended and has a due date, else NULL).

    The statement is built in layers, each computed once per complaint (MATERIALIZED):
    `firsts` and `m` find the moments with correlated look-ups on the complaint_id indexes
    (so the cost follows the cohort, not the size of the tables); `d` gives each moment its
    local date and, for working-day stages, its working-day ordinal (`wd.idx`: working days
    between two dates are the difference of their ordinals); `du` the due dates (the working
    day whose ordinal is the start's + n, from `wdi`); `cs` only names the columns.
    `extra` ({name: SQL on the complaint `c`}) adds columns of one's own, computed in
    `firsts` and passed through to `cs`."""
    where, params = cohort.where()
    mod = cohort.mod
    from domain.deadlines import load_calendar, local_date
    from domain.models import utcnow
    today = local_date(utcnow(), settings)
    first, last = calendar_range(cohort.first or today - dt.timedelta(days=3650), today,
                                 cohort.last or today)
    cal = load_calendar(settings)
    n = {k: int(settings[k]) for k in ("verification_days", "assignment_days", "receipt_days",
                                        "investigation_days", "review_days", "response_days",
                                        "visit_days")}
    # moment: how `m` gets it (None: computed in `m` itself; "f.": a column of `firsts`)
    moments = {"received_at": "f.received_at", "acc_end": "COALESCE(f.accepted_at, f.closed_at)",
               "accepted_at": "f.accepted_at", "first_assigned": "f.first_assigned",
               "rcp_assigned": "a.assigned_at", "rcp_signed": "a.received_at",
               "first_prop": "f.first_prop", "rev_at": "f.rev_at", "apr_at": "f.apr_at",
               "resp_at": "f.resp_at", "vis_at": None}
    calendar_moments = ("received_at", "acc_end")
    stages = {
        # stage: (start, end, due: working days to add, "reply", or None for calendar days)
        "acceptance": ("received_at", "acc_end", None),
        "assignment": ("accepted_at", "first_assigned", n["assignment_days"]),
        "receipt": ("rcp_assigned", "rcp_signed", n["receipt_days"]),
        "investigation": ("rcp_signed", "first_prop",
                          f"{n['investigation_days']} + COALESCE(d.ext_days, 0)"),
        "review": ("first_prop", "rev_at", n["review_days"]),
        "approval": ("rev_at", "apr_at", n["review_days"]),
        "response": ("apr_at", "resp_at", n["response_days"]),
        "reply": ("accepted_at", "resp_at", "reply"),
        "visit": ("resp_at", "vis_at", n["visit_days"]),
    }
    extra = extra or {}
    extra_columns = "".join(f", {expr} AS {name}" for name, expr in extra.items())
    m_columns = "".join(f", {expr} AS {name}" for name, expr in moments.items()
                        if expr and not expr.startswith("f."))
    d_columns = []
    for name in moments:
        local = sqlfn.local_date_mod_sql(f"m.{name}", mod)
        d_columns.append(f"{local} AS {name}_d")
        if name not in calendar_moments:
            d_columns.append(f"(SELECT wd.idx FROM wd WHERE wd.day = {local}) AS {name}_o")
    du_columns, cs_columns = [], []
    for code, (start, end, days) in stages.items():
        if days is None:
            due = sqlfn.add_days_sql(f"d.{start}_d", n["verification_days"])
            handling = (f"CASE WHEN d.{end} IS NULL THEN NULL ELSE "
                        f"{sqlfn.days_between_sql(f'd.{end}', f'd.{start}')} END")
        else:
            if days == "reply":
                due = f"CASE WHEN d.{start} IS NULL THEN NULL ELSE d.reply_due_on END"
            else:
                due = (f"CASE WHEN d.{start} IS NULL THEN NULL ELSE (SELECT wdi.day FROM wdi "
                       f"WHERE wdi.idx = d.{start}_o + ({days})) END")
            handling = (f"CASE WHEN d.{start} IS NULL OR d.{end} IS NULL THEN NULL ELSE "
                        f"d.{end}_o - d.{start}_o END")
        du_columns += [f"{due} AS {code}_due", f"{handling} AS {code}_days"]
        cs_columns += [f"du.{start} AS {code}_start", f"du.{end} AS {code}_end",
                       f"du.{end}_d AS {code}_end_day", f"du.{code}_due",
                       f"du.{code}_days", f"{on_time_sql(code, 'du', end_day=f'{end}_d', end=end)} "
                       f"AS {code}_on_time"]
    sql = f"""WITH {calendar_cte(cal, first, last)},
wdi AS MATERIALIZED (SELECT idx, day FROM wd WHERE working = 1),
firsts AS MATERIALIZED (
  SELECT c.id, c.department_id AS dept, c.received_at, c.accepted_at, c.closed_at,
         c.reply_due_on, c.status, c.stage_due_on{extra_columns},
         (SELECT MIN(a.assigned_at) FROM assignment a WHERE a.complaint_id = c.id)
           AS first_assigned,
         (SELECT MIN(a.id) FROM assignment a WHERE a.complaint_id = c.id
            AND a.received_at IS NOT NULL) AS rcp_id,
         (SELECT MIN(p.submitted_at) FROM proposal p WHERE p.complaint_id = c.id) AS first_prop,
         (SELECT MIN(ap.decided_at) FROM approval ap WHERE ap.complaint_id = c.id
            AND ap.level = 1 AND ap.approved = TRUE) AS rev_at,
         (SELECT MIN(ap.decided_at) FROM approval ap WHERE ap.complaint_id = c.id
            AND ap.level = 2 AND ap.approved = TRUE) AS apr_at,
         (SELECT MIN(r.recorded_at) FROM response r WHERE r.complaint_id = c.id) AS resp_at
  FROM complaint c WHERE {where}),
m AS MATERIALIZED (
  SELECT f.*{m_columns},
         (SELECT SUM(e.days) FROM extension e WHERE e.complaint_id = f.id AND e.approved = TRUE
            AND (f.first_prop IS NULL OR e.decided_at <= f.first_prop)) AS ext_days,
         (SELECT MIN(v.recorded_at) FROM visit v WHERE v.complaint_id = f.id
            AND v.recorded_at >= f.resp_at) AS vis_at
  FROM firsts f LEFT JOIN assignment a ON a.id = f.rcp_id),
d AS MATERIALIZED (SELECT m.*, {", ".join(d_columns)} FROM m),
du AS MATERIALIZED (SELECT d.*, {", ".join(du_columns)} FROM d),
cs AS (SELECT du.id, du.dept, {", ".join(cs_columns + [f"du.{k}" for k in extra])} FROM du)"""
    return sql, params


_TEMP_NAMES = itertools.count(1)


@contextmanager
def stage_table(cohort: Cohort, settings: dict):
    """The cohort's stored stage figures (domain/stage_facts.py, refreshed first) copied into
    a TEMP table, private to this database connection, whose name the block gets; it is
    dropped at the end of the block. One row per complaint: id, dept and for each stage
    <stage>_started and <stage>_ended (0/1; ended only counts for a started stage),
    <stage>_on_time and <stage>_days as in `cs`; and answered, reopened, appealed (0/1)."""
    from domain import stage_facts
    from domain.stats_models import FIGURE_COLUMNS
    stage_facts.refresh(cohort)
    name = f"analysis_cs_{next(_TEMP_NAMES)}"
    sql, params = stage_facts.joined_sql(
        cohort, "c.id, c.department_id AS dept, " + ", ".join(f"sf.{c}" for c in FIGURE_COLUMNS))
    db.execute_sql(f"CREATE TEMP TABLE {name} AS {sql}", params)
    table = sqlfn.temp_table_sql(name)
    try:
        yield table
    finally:
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")


def on_time_sql(code: str, alias: str = "", end_day: str = "", end: str = "") -> str:
    """The stage's on-time flag: 1 or 0 when it ended and has a due date, else NULL. From
    the columns <code>_end, <code>_end_day and <code>_due of `alias` (or the given names)."""
    p = f"{alias}." if alias else ""
    end, end_day = p + (end or f"{code}_end"), p + (end_day or f"{code}_end_day")
    return (f"CASE WHEN {end} IS NULL OR {p}{code}_due IS NULL THEN NULL "
            f"WHEN {end_day} <= {p}{code}_due THEN 1 ELSE 0 END")


def stage_sums_sql(table: str) -> str:
    """Per department, one pass over a stage_table: answered, reopened, appealed, then
    for each stage in STAGES order,
    started, ended, on time, with a due date (ended with a due date), the sum and the
    number of handling times."""
    columns = ["SUM(answered)", "SUM(reopened)", "SUM(appealed)"]
    for code in STAGES:
        columns += [f"SUM({code}_started)", f"SUM({code}_ended)", f"SUM({code}_on_time)",
                    f"COUNT({code}_on_time)", f"SUM({code}_days)", f"COUNT({code}_days)"]
    return f"SELECT dept, {', '.join(columns)} FROM {table} GROUP BY dept"


def stage_medians_sql(table: str, counts: dict[str, int]) -> str:
    """Per stage, the median handling time in a stage_table: the middle value (or the
    mean of the two middle values) of the `counts[stage]` handling times, read with
    ORDER BY ... LIMIT/OFFSET. Stages without a handling time are left out."""
    parts = []
    for code in STAGES:
        k = int(counts.get(code) or 0)
        if k:
            parts.append(f"SELECT '{code}', AVG(x) FROM (SELECT {code}_days AS x FROM {table} "
                         f"WHERE {code}_days IS NOT NULL "
                         f"ORDER BY x LIMIT {2 - k % 2} OFFSET {(k - 1) // 2}) AS middle")
    return " UNION ALL ".join(parts)
