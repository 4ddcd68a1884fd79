"""The stored stage figures (domain/stage_facts.py) that the dashboard, the report and the
root-cause pages read: always what the stage definitions give for the complaint as it
stands, recomputed after a workflow step, a change of a deadline setting or of the
calendar, and not recomputed when nothing changed."""
import datetime as dt

import pytest

from extensions import db
from domain import stage_facts, stats, stats_sql
from domain.settings import load_settings, save_settings
from domain.stage_models import CalendarDay
from domain.stats_models import FIGURE_COLUMNS, StageFact
from tests.test_stats import SEPT, build
from tests.workflow_helpers import act, drive, make_cast


@pytest.fixture
def data(app):
    with app.app_context():
        yield build(app)


def _cohort(data, settings=None):
    return stats.Filters().cohort(SEPT.first, SEPT.last, settings or data.settings)


def _direct(cohort) -> dict:
    """Each complaint's figures straight from the stage rows, without the store."""
    cte, params = stats_sql.stage_rows_sql(cohort, cohort.settings)
    rows = db.execute_sql(f"{cte} SELECT * FROM cs", params)
    names = [d[0] for d in rows.description]
    out = {}
    for row in rows.fetchall():
        r = dict(zip(names, row))
        figures = []
        for code in stats_sql.STAGES:
            started = r[f"{code}_start"] is not None
            days = r[f"{code}_days"]  # numeric on PostgreSQL, stored as a double
            figures += [int(started), int(started and r[f"{code}_end"] is not None),
                        r[f"{code}_on_time"], float(days) if days is not None else None]
        out[r["id"]] = figures
    return out


def _stored(ids) -> dict:
    stage_columns = [c for c in FIGURE_COLUMNS if c not in ("answered", "reopened", "appealed")]
    query = StageFact.select().where(StageFact.complaint.in_(list(ids)))
    return {f.complaint_id: [getattr(f, c) for c in stage_columns] for f in query}


def test_stored_figures_are_the_stage_rows_of_each_complaint(data):
    cohort = _cohort(data)
    assert stage_facts.refresh(cohort) == 6
    direct = _direct(cohort)
    assert len(direct) == 6
    assert _stored(direct) == direct


def test_a_second_look_recomputes_nothing(data):
    cohort = _cohort(data)
    first = stats.stages(cohort, data.settings)
    assert stage_facts.refresh(cohort) == 0
    assert stats.stages(cohort, data.settings) == first


def test_changing_a_deadline_setting_recomputes_every_figure(data):
    cohort = _cohort(data)
    before = stats.stages(cohort, data.settings)
    save_settings({"investigation_days": 1, "response_days": 1})
    settings = load_settings()
    changed = _cohort(data, settings)
    assert stage_facts.refresh(changed) == 6
    assert _stored(_direct(changed)) == _direct(changed)
    after = stats.stages(changed, settings)
    # Shorter deadlines: fewer investigations and responses on time than before.
    assert after["investigation"]["on_time"] < before["investigation"]["on_time"]
    assert after["response"]["on_time"] <= before["response"]["on_time"]


def test_a_closed_day_in_the_calendar_recomputes_the_due_dates(data):
    cohort = _cohort(data)
    stage_facts.refresh(cohort)
    for k in range(10):  # the organisation closes for the ten days after 9 September
        CalendarDay.create(day=dt.date(2024, 9, 10) + dt.timedelta(days=k), working=False)
    assert stage_facts.refresh(cohort) == 6
    assert _stored(_direct(cohort)) == _direct(cohort)


def test_a_workflow_step_shows_in_the_figures_at_once(app):
    with app.app_context():
        cast = make_cast(app)
        settings = load_settings()
        complaint = drive(cast, "accepted")
        today = stats.org_today(settings)
        cohort = stats.Filters().cohort(today, today, settings)
        assert stats.stages(cohort, settings)["assignment"]["ended"] == 0
        act(cast, complaint, "assign")
        figures = stats.stages(cohort, settings)["assignment"]
        assert (figures["started"], figures["ended"], figures["on_time"]) == (1, 1, 1)
        reopened = stats.rates(cohort)
        assert reopened["answered"] == 0 and reopened["reopened"] == 0


@pytest.mark.sqlite_only(reason="reads SQLite's EXPLAIN QUERY PLAN")
def test_finding_stale_rows_looks_each_complaint_up_by_its_key(data):
    stale = _cohort(data)
    stale.stale_basis = stage_facts.basis(stale)
    where, params = stale.where()
    plan = [r[3] for r in db.execute_sql(
        f"EXPLAIN QUERY PLAN SELECT 1 FROM complaint c WHERE {where}", params).fetchall()]
    assert not [step for step in plan if step.startswith("SCAN")], plan
