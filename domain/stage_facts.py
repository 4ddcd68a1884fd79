"""Each complaint's stage figures, computed once and kept (StageFact) rather than worked out
again for every look at the dashboard, the report or the root-cause pages.

A stored row is current while both of these are what it was computed with:
- the complaint's `version`: every workflow step (assignment, 签收, proposal, approval,
  response, return visit, reopening, appeal, transfer, correction …) bumps it in its own
  transaction, so a step makes the row stale at once;
- the `basis`: the deadline settings, the zone's offset, the organisation's calendar days,
  the public-holiday data and FORMULAS (bump it when a stage's definition in
  domain/stats_sql.py changes). Changing a setting or a calendar day makes every row stale.

`refresh(cohort)` brings the rows of a cohort up to date before a figure reads them: one
read finds whether any is stale (an index look-up per complaint), and only then one write
transaction recomputes the stale ones with stats_sql.stage_rows_sql (an upsert). So the
first look after a change costs what the figures cost without the store, the next ones a
plain read. The rows are derived data: nothing in them is ever the only copy of a fact.
"""
import copy
import hashlib
import json

import holidays

from extensions import db
from domain import sqlfn
from domain.stage_models import CalendarDay
from domain.stats_models import FIGURE_COLUMNS
from domain.stats_sql import STAGES, Cohort, stage_rows_sql

FORMULAS = 1  # the version of the stage definitions in domain/stats_sql.py
DAY_SETTINGS = ("verification_days", "assignment_days", "receipt_days", "investigation_days",
                "review_days", "response_days", "visit_days")


def basis(cohort: Cohort) -> str:
    """What a stored row depends on besides the complaint itself, as a short hash."""
    settings = cohort.settings
    own = [(day.isoformat(), bool(working)) for day, working in
           CalendarDay.select(CalendarDay.day, CalendarDay.working)
           .order_by(CalendarDay.day).tuples()]
    data = {"formulas": FORMULAS, "country": settings["country"], "zone": settings["timezone"],
            "offset": cohort.mod, "days": {k: int(settings[k]) for k in DAY_SETTINGS},
            "own_days": own, "holidays": holidays.__version__}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:32]


def _flag_sql(action: str) -> str:
    return (f"CASE WHEN EXISTS (SELECT 1 FROM event e WHERE e.complaint_id = c.id "
            f"AND e.action = '{action}') THEN 1 ELSE 0 END")


def _upsert_sql(stale: Cohort, key: str) -> tuple[str, list]:
    cte, params = stage_rows_sql(stale, stale.settings, extra={
        "c_version": "c.version", "reopened": _flag_sql("reopen"),
        "appealed": _flag_sql("appeal")})
    values = {"answered": "CASE WHEN cs.reply_end IS NULL THEN 0 ELSE 1 END",
              "reopened": "cs.reopened", "appealed": "cs.appealed"}
    for code in STAGES:
        values[f"{code}_started"] = f"CASE WHEN cs.{code}_start IS NULL THEN 0 ELSE 1 END"
        values[f"{code}_ended"] = (f"CASE WHEN cs.{code}_start IS NULL OR cs.{code}_end IS NULL "
                                   f"THEN 0 ELSE 1 END")
        values[f"{code}_on_time"] = f"cs.{code}_on_time"
        values[f"{code}_days"] = f"cs.{code}_days"
    columns = ", ".join(FIGURE_COLUMNS)
    selected = ", ".join(values[name] for name in FIGURE_COLUMNS)
    updates = ", ".join(f"{name} = excluded.{name}" for name in ("version", "basis")
                        + FIGURE_COLUMNS)
    # "WHERE 1 = 1": SQLite needs a WHERE before ON CONFLICT in INSERT … SELECT.
    sql = f"""INSERT INTO stage_fact (complaint_id, version, basis, {columns})
{cte}
SELECT cs.id, cs.c_version, '{key}', {selected} FROM cs WHERE 1 = 1
ON CONFLICT (complaint_id) DO UPDATE SET {updates}"""
    return sql, params


def refresh(cohort: Cohort) -> int:
    """Recompute the stale stored rows of the cohort's complaints; how many were written."""
    key = basis(cohort)
    stale = copy.copy(cohort)
    stale.stale_basis = key
    where, params = stale.where()
    if not db.execute_sql(f"SELECT 1 FROM complaint c WHERE {where} LIMIT 1", params).fetchone():
        return 0
    sql, params = _upsert_sql(stale, key)
    with db.atomic():
        return db.execute_sql(sqlfn.params(sql), params).rowcount


def joined_sql(cohort: Cohort, columns: str) -> tuple[str, list]:
    """SELECT `columns` FROM the cohort's complaints `c` joined to their stored rows `sf`
    (refresh first)."""
    where, params = cohort.where()
    return (f"SELECT {columns} FROM complaint c JOIN stage_fact sf ON sf.complaint_id = c.id "
            f"WHERE {where}", params)
