"""The SQL building blocks of the analysis figures (domain/stats_sql.py): the working-day
ordinals against domain/deadlines.WorkCalendar, the temporary stage table, and query plans
that stay proportional to the cohort (no full scans of the stage tables, no quadratic
`IN (SELECT MAX(id) ... GROUP BY ...)`).
"""
import datetime as dt

import pytest

from extensions import db
from domain import sqlfn, stats, stats_sql
from domain.deadlines import WorkCalendar
from domain.models import Event
from tests.test_stats import SEPT, build


def _day(value) -> dt.date:
    """A date as the database returns it (text on SQLite, a date on PostgreSQL)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _ordinals(cal: WorkCalendar, first: dt.date, last: dt.date) -> tuple[dict, dict]:
    """The calendar CTE as SQLite computes it: {day: ordinal}, {ordinal: working day}."""
    rows = db.execute_sql(f"WITH {stats_sql.calendar_cte(cal, first, last)} "
                          "SELECT day, idx, working FROM wd").fetchall()
    rows = [(_day(day), i, w) for day, i, w in rows]
    idx = {day: i for day, i, _w in rows}
    working = {i: day for day, i, w in rows if w}
    return idx, working


@pytest.mark.parametrize("first,last", [
    # National Day 2024: 1–7 October off, Sunday 29 September and Saturday 12 October worked.
    (dt.date(2024, 9, 20), dt.date(2024, 10, 20)),
    # Spring Festival 2025: 28 January – 4 February off, Sunday 26 January and Saturday
    # 8 February worked.
    (dt.date(2025, 1, 20), dt.date(2025, 2, 15)),
])
def test_working_day_ordinals_match_the_work_calendar_across_holidays(app, first, last):
    with app.app_context():
        cal = WorkCalendar("CN", {dt.date(2024, 10, 14): False})  # an own closed day too
        lo, hi = first - dt.timedelta(days=7), last + dt.timedelta(days=30)
        idx, working = _ordinals(cal, lo, hi)
        days = [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]
        for start in days:
            for end in days:
                # Working days between two dates: the difference of their ordinals.
                assert idx[end] - idx[start] == cal.working_days_between(start, end), (start, end)
            for n in (1, 2, 3, 5, 10):
                # The n-th working day after a start: the working day of ordinal start + n.
                assert working[idx[start] + n] == cal.add_working_days(start, n), (start, n)


def test_the_make_up_days_are_working_days_in_the_ordinals(app):
    with app.app_context():
        cal = WorkCalendar("CN")
        idx, working = _ordinals(cal, dt.date(2025, 1, 24), dt.date(2025, 2, 10))
        sunday, saturday = dt.date(2025, 1, 26), dt.date(2025, 2, 8)
        assert working[idx[sunday]] == sunday and working[idx[saturday]] == saturday
        # 27 January (Monday) and then nothing until 5 February (Wednesday).
        assert idx[dt.date(2025, 2, 5)] - idx[dt.date(2025, 1, 27)] == 1


@pytest.fixture
def data(app):
    with app.app_context():
        yield build(app)


def _cohort(data, **kw):
    return stats.Filters(**kw).cohort(SEPT.first, SEPT.last, data.settings)


def _temp_tables() -> list[str]:
    if sqlfn.is_postgres():
        sql, params = "SELECT tablename FROM pg_tables WHERE schemaname LIKE ?", ["pg_temp%"]
    else:
        sql, params = "SELECT name FROM sqlite_temp_master WHERE type = ?", ["table"]
    return [r[0] for r in db.execute_sql(sql, params).fetchall()]


def test_the_stage_table_is_one_row_per_complaint_and_is_dropped_afterwards(data):
    with stats_sql.stage_table(_cohort(data), data.settings) as table:
        rows = db.execute_sql(f"SELECT id, acceptance_started, acceptance_ended, reply_started, "
                              f"reply_ended, reply_on_time FROM {table} ORDER BY id").fetchall()
        assert table.split(".", 1)[1] in _temp_tables()
    assert len(rows) == 6
    by_id = {r[0]: r[1:] for r in rows}
    assert by_id[data.c1.id] == (1, 1, 1, 1, 1)        # replied on time
    assert by_id[data.c2.id] == (1, 1, 1, 1, 0)        # the late response
    assert by_id[data.c5.id][2:] == (1, 0, None)        # waiting: started, not ended
    assert not [t for t in _temp_tables() if t.startswith("analysis_cs_")]


def test_the_stage_table_is_dropped_when_a_figure_fails(data):
    with pytest.raises(RuntimeError):
        with stats_sql.stage_table(_cohort(data), data.settings):
            raise RuntimeError("boom")
    assert not [t for t in _temp_tables() if t.startswith("analysis_cs_")]


def test_a_complaint_both_reopened_and_appealed_counts_in_both_rates(data):
    seq = Event.select().where(Event.complaint == data.c4.id).count() + 1
    Event.create(complaint=data.c4, seq=seq, at=dt.datetime(2024, 10, 21), actor=data.staff,
                 action="reopen", prev_hash="0", hash=f"{data.c4.id}-{seq}")
    assert stats.rates(_cohort(data)) == {"answered": 3, "reopened": 2, "appealed": 1,
                                          "reopen_rate": 66.7, "appeal_rate": 33.3}


def test_the_root_cause_filter_follows_the_newest_report(data):
    today = stats.org_today(data.settings)
    # C2's first report named "process", its newest "staff".
    assert stats.counts(_cohort(data, root_cause=data.rc2.id), today)["received"] == 1
    assert stats.counts(_cohort(data, root_cause=data.rc1.id), today)["received"] == 2


def test_weekly_trend_buckets_follow_local_dates(data):
    weeks = stats.trend(_cohort(data), "week")
    assert [w["bucket"] for w in weeks] == [dt.date(2024, 8, 26) + dt.timedelta(weeks=k)
                                            for k in range(6)]
    assert [(w["received"], w["rejected"]) for w in weeks] == [
        (1, 0), (1, 0), (0, 0), (1, 1), (3, 0), (0, 0)]


STAGE_TABLES = ("assignment", "proposal", "approval", "response", "visit", "extension",
                "investigation")


def _plan(sql: str, params) -> list[str]:
    return [r[3] for r in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()]


SQLITE_PLAN = "reads SQLite's EXPLAIN QUERY PLAN; PostgreSQL chooses plans from its statistics"


@pytest.mark.sqlite_only(reason=SQLITE_PLAN)
def test_the_stage_rows_look_up_each_complaints_rows_by_index(data):
    cte, params = stats_sql.stage_rows_sql(_cohort(data), data.settings)
    plan = _plan(f"{cte} SELECT * FROM cs", params)
    aliases = {"a", "p", "ap", "r", "v", "e"}
    scans = [step for step in plan if step.startswith("SCAN ")
             and step.split()[1] in aliases | set(STAGE_TABLES)]
    assert scans == [], plan


@pytest.mark.sqlite_only(reason=SQLITE_PLAN)
def test_root_causes_look_up_the_newest_report_per_complaint(data):
    where, params = _cohort(data).where()
    for sql in (f"SELECT COUNT(*) FROM complaint c JOIN investigation i "
                f"ON i.id = {stats_sql.NEWEST_INVESTIGATION_SQL} WHERE {where}",
                f"SELECT COUNT(*) FROM complaint c WHERE {stats_sql.NEWEST_CAUSE_SQL} = 1 "
                f"AND {where}"):
        plan = _plan(sql, params)
        assert not [s for s in plan if "LIST SUBQUERY" in s or s.startswith("SCAN i")], plan
