"""The figures of the analysis dashboard and report, each one SQL aggregation (GROUP BY,
conditional sums, window functions) over the complaints *received in the period* (local
dates of the organisation's time zone), as they stand now:

- received: every complaint received in the period (rejected ones included);
- accepted: of those, accepted (accepted_at set); rejected: not accepted and closed
  (the reject step sets closed_at without accepted_at);
- closed: accepted and closed (办结; archived after closing included);
- open: in an open status now; overdue: open and the current stage's due date
  (stage_due_on) is before today;
- by channel / nature / severity / department: counts of received;
- stages: see domain/stats_sql.py for each stage's start, end, due date and unit;
- satisfaction: each visited complaint's latest return visit (1–5): average and
  distribution; a complaint counts once;
- reopened: had a "reopen" event; appealed: had an "appeal" event; both as a share of the
  complaints answered (with at least one Response);
- root causes: the newest investigation report's cause of each complaint;
- trend: received (and rejected) per local week (Monday) or month.
Emergency responses (and so their drills) are not counted by any figure.
"""
import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from extensions import db
from domain import sqlfn, stats_sql
from domain.deadlines import local_date
from domain.errors import DomainError
from domain.models import utcnow
from domain.stats_sql import Cohort, STAGES

STAGE_LABELS = {
    "acceptance": _l("Acceptance (assessment)"),
    "assignment": _l("Assignment"),
    "receipt": _l("Receipt by the department"),
    "investigation": _l("Investigation and proposal"),
    "review": _l("Department review"),
    "approval": _l("Leader approval"),
    "response": _l("Written response"),
    "reply": _l("Reply deadline (acceptance to response)"),
    "visit": _l("Return visit"),
}
STAGE_UNITS = {code: ("calendar" if code in stats_sql.CALENDAR_STAGES else "working")
               for code in STAGES}
UNIT_LABELS = {"calendar": _l("calendar days"), "working": _l("working days")}
TOP_CAUSES = 5


@dataclass
class Period:
    kind: str          # month | quarter | custom
    first: dt.date
    last: dt.date

    @property
    def key(self) -> str:
        if self.kind == "month":
            return f"{self.first.year}-{self.first.month:02d}"
        if self.kind == "quarter":
            return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"
        return f"{self.first.isoformat()}..{self.last.isoformat()}"

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> "Period":
        """The period just before: the previous month or quarter, or as many days."""
        if self.kind == "month":
            return month_period(_add_months(self.first, -1))
        if self.kind == "quarter":
            return quarter_period(_add_months(self.first, -3))
        last = self.first - dt.timedelta(days=1)
        return Period("custom", last - dt.timedelta(days=self.days - 1), last)

    def year_before(self) -> "Period":
        if self.kind in ("month", "quarter"):
            first = self.first.replace(year=self.first.year - 1)
            return (month_period if self.kind == "month" else quarter_period)(first)
        return Period("custom", _minus_year(self.first), _minus_year(self.last))


def _minus_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_period(day: dt.date) -> Period:
    first = day.replace(day=1)
    return Period("month", first, _add_months(first, 1) - dt.timedelta(days=1))


def quarter_period(day: dt.date) -> Period:
    first = dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return Period("quarter", first, _add_months(first, 3) - dt.timedelta(days=1))


def parse_period(value: str, today: dt.date, field: str = "period") -> Period:
    """"YYYY-MM", "YYYY-Qn" or empty (the current month). A bad value raises DomainError."""
    value = (value or "").strip()
    if not value:
        return month_period(today)
    try:
        if len(value) == 7 and value[4] == "-" and value[5:].isdigit():
            return month_period(dt.date(int(value[:4]), int(value[5:]), 1))
        if len(value) == 7 and value[4:6].upper() == "-Q" and value[6] in "1234":
            return quarter_period(dt.date(int(value[:4]), (int(value[6]) - 1) * 3 + 1, 1))
    except ValueError:
        pass
    raise DomainError(_l("Give a month as YYYY-MM or a quarter as YYYY-Qn."), field)


def custom_period(first: dt.date, last: dt.date) -> Period:
    if last < first:
        raise DomainError(_l("The period cannot end before it starts."), "to")
    if (last - first).days > 3660:
        raise DomainError(_l("Choose a period of at most ten years."), "to")
    return Period("custom", first, last)


def org_today(settings: dict) -> dt.date:
    return local_date(utcnow(), settings)


def _rows(sql: str, params) -> list[tuple]:
    return list(db.execute_sql(sql, params).fetchall())


def counts(cohort: Cohort, today: dt.date) -> dict:
    """received, accepted, rejected, closed, open, overdue: one statement."""
    where, params = cohort.where()
    open_list = stats_sql.open_statuses_sql()
    count_if = sqlfn.count_if_sql
    sql = f"""SELECT COUNT(*),
        {count_if("c.accepted_at IS NOT NULL")},
        {count_if("c.accepted_at IS NULL AND c.closed_at IS NOT NULL")},
        {count_if("c.accepted_at IS NOT NULL AND c.closed_at IS NOT NULL")},
        {count_if(f"c.status IN ({open_list})")},
        {count_if(f"c.status IN ({open_list}) AND c.stage_due_on < ?")}
        FROM complaint c WHERE {where}"""
    row = _rows(sql, [today.isoformat()] + params)[0]
    return dict(zip(("received", "accepted", "rejected", "closed", "open", "overdue"),
                    (int(v) for v in row)))


def breakdowns(cohort: Cohort) -> dict:
    """Received per channel, nature, severity and department (one statement)."""
    where, params = cohort.where()
    parts = [f"SELECT '{col}', CAST(c.{col} AS TEXT), COUNT(*) FROM complaint c WHERE {where} "
             f"GROUP BY c.{col}" for col in ("channel", "nature", "severity", "department_id")]
    result = {"channel": {}, "nature": {}, "severity": {}, "department": {}}
    for kind, value, n in _rows(" UNION ALL ".join(parts), params * 4):
        key = "department" if kind == "department_id" else kind
        if key == "department":
            value = int(value) if value not in (None, "") else None
        result[key][value if value is not None else ""] = int(n)
    return {k: dict(sorted(v.items(), key=lambda kv: (-kv[1], str(kv[0]))))
            for k, v in result.items()}


def stage_figures(cohort: Cohort, settings: dict) -> tuple[dict, dict]:
    """(stages, rates) of the cohort, from its stored stage figures (domain/stage_facts.py)
    copied once into a temporary table (stats_sql.stage_table) that two statements read:
    the sums per department (one pass) and the medians (ORDER BY ... LIMIT/OFFSET per stage).

    stages: per stage started, ended, on_time, with_due, rate (on time / ended with a due
    date, %), avg and median handling time (in the stage's unit); and per department the
    same counts and rate. rates: reopened and appealed complaints and their share of the
    answered ones."""
    result = {code: {"started": 0, "ended": 0, "on_time": 0, "with_due": 0, "days_sum": 0.0,
                     "days_n": 0, "by_department": {}} for code in STAGES}
    answered = reopened = appealed = 0
    with stats_sql.stage_table(cohort, settings) as table:
        for row in _rows(stats_sql.stage_sums_sql(table), []):
            dept = row[0]
            answered += int(row[1] or 0)
            reopened += int(row[2] or 0)
            appealed += int(row[3] or 0)
            for k, code in enumerate(STAGES):
                started, ended, on_time, with_due, days_sum, days_n = row[4 + 6 * k:10 + 6 * k]
                if not started:
                    continue
                r = result[code]
                values = {"started": int(started), "ended": int(ended or 0),
                          "on_time": int(on_time or 0), "with_due": int(with_due or 0)}
                for key, v in values.items():
                    r[key] += v
                r["days_sum"] += float(days_sum or 0)
                r["days_n"] += int(days_n or 0)
                values["rate"] = _pct(values["on_time"], values["with_due"])
                r["by_department"][dept] = values
        counts = {code: r["days_n"] for code, r in result.items()}
        medians = dict(_rows(stats_sql.stage_medians_sql(table, counts), [])) if any(
            counts.values()) else {}
    for code, r in result.items():
        r["rate"] = _pct(r["on_time"], r["with_due"])
        r["avg"] = round(r["days_sum"] / r["days_n"], 2) if r["days_n"] else None
        median = medians.get(code)
        r["median"] = round(float(median), 2) if median is not None else None
        r["unit"] = STAGE_UNITS[code]
        del r["days_sum"], r["days_n"]
    rates = {"answered": answered, "reopened": reopened, "appealed": appealed,
             "reopen_rate": _pct(reopened, answered), "appeal_rate": _pct(appealed, answered)}
    return result, rates


def stages(cohort: Cohort, settings: dict) -> dict:
    """Per stage figures of the cohort (see stage_figures)."""
    return stage_figures(cohort, settings)[0]


def satisfaction(cohort: Cohort) -> dict:
    """The latest return visit of each visited complaint: distribution 1–5 and average."""
    where, params = cohort.where()
    rows = _rows(f"""SELECT v.satisfaction, COUNT(*) FROM visit v
        WHERE v.id IN (SELECT MAX(v2.id) FROM visit v2 JOIN complaint c ON c.id = v2.complaint_id
                       WHERE {where} GROUP BY v2.complaint_id)
        GROUP BY v.satisfaction""", params)
    dist = {score: 0 for score in range(1, 6)}
    for score, n in rows:
        dist[int(score)] = int(n)
    total = sum(dist.values())
    avg = round(sum(s * n for s, n in dist.items()) / total, 2) if total else None
    return {"distribution": dist, "visited": total, "average": avg}


def rates(cohort: Cohort) -> dict:
    """Reopened (a "reopen" event) and appealed (an "appeal" event) complaints, and their
    share of the answered ones (with a response) (see stage_figures)."""
    return stage_figures(cohort, cohort.settings)[1]


def root_causes(cohort: Cohort, limit: int | None = TOP_CAUSES) -> list[dict]:
    """Root causes of the cohort's complaints, most frequent first:
    [{"id", "code", "name", "name_zh", "count"}]."""
    where, params = cohort.where()
    sql = f"""SELECT rc.id, rc.code, rc.name, rc.name_zh, COUNT(*) AS n
        FROM complaint c
        JOIN investigation i ON i.id = {stats_sql.NEWEST_INVESTIGATION_SQL}
        JOIN root_cause rc ON rc.id = i.root_cause_id
        WHERE {where}
        GROUP BY rc.id ORDER BY n DESC, rc.code"""
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [{"id": r[0], "code": r[1], "name": r[2], "name_zh": r[3], "count": int(r[4])}
            for r in _rows(sql, params)]


def trend(cohort: Cohort, unit: str) -> list[dict]:
    """Received and rejected per local week (starting Monday) or month within the
    cohort's dates, empty buckets included: [{"bucket": date, "received", "rejected"}].
    A bucket is a range of received_at (its local start to the next one's, in the cohort's
    `mod` offset), so the counts are index range scans rather than a date function and a
    GROUP BY over every row."""
    where, params = cohort.where()
    starts = buckets(cohort.first, cohort.last, unit)
    if not starts:
        return []
    ends = starts[1:] + [_next_bucket(starts[-1], unit)]
    values = ",".join(f"('{b.isoformat()}',{cohort.local_start_literal(b)},"
                      f"{cohort.local_start_literal(e)})" for b, e in zip(starts, ends))
    in_bucket = "c.received_at >= bk.lo AND c.received_at < bk.hi"
    rows = _rows(f"""WITH bk(b, lo, hi) AS (VALUES {values})
        SELECT bk.b, (SELECT COUNT(*) FROM complaint c WHERE {in_bucket} AND {where}),
               (SELECT {sqlfn.count_if_sql("c.accepted_at IS NULL AND c.closed_at IS NOT NULL")}
                FROM complaint c
                WHERE {in_bucket} AND {where})
        FROM bk ORDER BY bk.b""", params + params)
    return [{"bucket": dt.date.fromisoformat(b), "received": int(n), "rejected": int(r or 0)}
            for b, n, r in rows]


def _next_bucket(day: dt.date, unit: str) -> dt.date:
    return day + dt.timedelta(days=7) if unit == "week" else _add_months(day, 1)


def buckets(first: dt.date, last: dt.date, unit: str) -> list[dt.date]:
    day = first - dt.timedelta(days=first.weekday()) if unit == "week" else first.replace(day=1)
    out = []
    while day <= last:
        out.append(day)
        day = _next_bucket(day, unit)
    return out


def trend_window(period: Period, unit: str) -> tuple[dt.date, dt.date]:
    """The trend shows the 12 weeks or 12 months up to the period's end."""
    if unit == "week":
        end = period.last
        start = end - dt.timedelta(days=end.weekday()) - dt.timedelta(weeks=11)
        return start, end
    return _add_months(period.last.replace(day=1), -11), period.last


def _pct(part: int, whole: int):
    return round(part * 100.0 / whole, 1) if whole else None


def _change(before, after):
    if before in (None, 0) or after is None:
        return None
    return round((after - before) * 100.0 / before, 1)


@dataclass
class Filters:
    department: int | None = None
    channel: str = ""
    nature: str = ""
    severity: str = ""
    root_cause: int | None = None

    def cohort(self, first, last, settings) -> Cohort:
        return Cohort(first, last, settings, department=self.department, channel=self.channel,
                      nature=self.nature, severity=self.severity, root_cause=self.root_cause)


def dashboard(period: Period, compare: Period, filters: Filters, settings: dict,
              trend_unit: str = "month", today: dt.date | None = None) -> dict:
    """Every figure of the dashboard for `period` and the comparison period."""
    today = today or org_today(settings)
    now_c = filters.cohort(period.first, period.last, settings)
    then_c = filters.cohort(compare.first, compare.last, settings)
    current, previous = ({"counts": counts(c, today), "satisfaction": satisfaction(c)}
                         for c in (now_c, then_c))
    current["stages"], current["rates"] = stage_figures(now_c, settings)
    previous["stages"], previous["rates"] = stage_figures(then_c, settings)
    causes = root_causes(now_c)
    before = {c["id"]: c["count"] for c in root_causes(then_c, limit=None)}
    for cause in causes:
        cause["previous"] = before.get(cause["id"], 0)
    start, end = trend_window(period, trend_unit)
    changes = {k: _change(previous["counts"][k], current["counts"][k])
               for k in current["counts"]}
    return {"period": period, "compare": compare, "current": current, "previous": previous,
            "breakdowns": breakdowns(now_c), "causes": causes, "changes": changes,
            "trend": trend(filters.cohort(start, end, settings), trend_unit),
            "trend_unit": trend_unit, "today": today}


def cause_trend(cause_ids: list[int], period: Period, settings: dict, department=None,
                months: int = 6) -> dict:
    """Per root cause, complaints per month for the `months` months up to the period's end
    (one statement): {cause_id: [counts oldest first]}, with the month list under None."""
    first = _add_months(period.last.replace(day=1), -(months - 1))
    cohort = Cohort(first, period.last, settings, department=department)
    where, params = cohort.where()
    rows = _rows(f"""SELECT i.root_cause_id,
        {sqlfn.local_month_start_sql("c.received_at", cohort.mod)} AS b, COUNT(*)
        FROM complaint c JOIN investigation i ON i.id = {stats_sql.NEWEST_INVESTIGATION_SQL}
        WHERE {where} GROUP BY i.root_cause_id, b""", params)
    months_list = buckets(first, period.last, "month")
    out = {cid: [0] * len(months_list) for cid in cause_ids}
    position = {m.isoformat(): k for k, m in enumerate(months_list)}
    for cid, bucket, n in rows:
        if cid in out and bucket in position:
            out[cid][position[bucket]] = int(n)
    out[None] = months_list
    return out
