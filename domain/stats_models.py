"""Derived data kept for the analysis figures (Part F)."""
from peewee import CharField, DoubleField, ForeignKeyField, IntegerField

from domain.models import BaseModel, Complaint
from domain.stats_sql import STAGES


class StageFact(BaseModel):
    """One complaint's stage figures (domain/stats_sql.stage_rows_sql: for each stage
    started, ended, on time, handling time) and its reopened / appealed / answered flags,
    stored so that the dashboard and report need not work them out again on every look.

    Not a record of its own: a copy that domain/stage_facts.py writes again whenever the
    complaint's `version` (bumped by every step) or the `basis` (deadline settings,
    calendar, zone, the formulas' version) differs from what it was computed with."""
    complaint = ForeignKeyField(Complaint, primary_key=True, on_delete="RESTRICT")
    version = IntegerField()
    basis = CharField(max_length=64)
    answered = IntegerField(default=0)
    reopened = IntegerField(default=0)
    appealed = IntegerField(default=0)


for _code in STAGES:
    StageFact._meta.add_field(f"{_code}_started", IntegerField(default=0))
    StageFact._meta.add_field(f"{_code}_ended", IntegerField(default=0))
    StageFact._meta.add_field(f"{_code}_on_time", IntegerField(null=True))
    StageFact._meta.add_field(f"{_code}_days", DoubleField(null=True))

FIGURE_COLUMNS = tuple(["answered", "reopened", "appealed"] + [
    f"{code}_{part}" for code in STAGES for part in ("started", "ended", "on_time", "days")])

STATS_MODELS = [StageFact]
