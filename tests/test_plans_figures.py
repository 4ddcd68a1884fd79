"""The effectiveness review's figures, checked against a small dataset computed by hand.

The organisation's time zone is Asia/Shanghai (UTC+8): a complaint received at 00:30 on
1 March local time is stored as 16:30 on 28 February UTC and belongs to 1 March."""
import datetime as dt

import pytest

from domain.models import Complaint
from domain.oversight_models import ImprovementPlan
from domain.plans_figures import check_periods, default_periods, effectiveness
from domain.errors import DomainError
from domain.stage_models import Investigation, RootCause
from tests.workflow_helpers import drive, make_cast

D = dt.date


def _local(y, m, d, hh=10, mm=0):
    """A local (UTC+8) moment as stored (naive UTC)."""
    return dt.datetime(y, m, d, hh, mm) - dt.timedelta(hours=8)


def _set(complaint, **fields):
    Complaint.update(**fields).where(Complaint.id == complaint.id).execute()


@pytest.fixture
def world(app):
    cast = make_cast(app)
    x, y = list(RootCause.select().where(RootCause.active).order_by(RootCause.id).limit(2))

    def made(status, received, responded=None, **fields):
        c = drive(cast, status)
        _set(c, received_at=received, responded_at=responded, **fields)
        return c

    # In every scope (root cause X from the report, service, department A):
    made("proposing", _local(2026, 2, 10), _local(2026, 2, 14))              # before, 4.0 days
    made("proposing", _local(2026, 2, 28, 23, 30), _local(2026, 3, 2, 23, 30))  # before, 2.0
    made("proposing", _local(2026, 3, 1, 0, 30), _local(2026, 3, 2, 0, 30))   # after, 1.0
    made("proposing", _local(2026, 3, 10))                                    # after, unanswered
    made("proposing", _local(2026, 1, 29, 0, 10), _local(2026, 2, 4, 0, 10))  # before, 6.0
    # Outside the periods: one minute before the first day of "before".
    made("proposing", _local(2026, 1, 28, 23, 59), _local(2026, 1, 30))
    # Another nature, another department.
    made("proposing", _local(2026, 2, 10), _local(2026, 2, 11), nature="price")
    made("proposing", _local(2026, 2, 10), _local(2026, 2, 11), department=cast.other_dept)
    # Root cause X in its first report, Y in the newer one: no longer X.
    moved = made("proposing", _local(2026, 2, 12))
    first = Investigation.get(Investigation.complaint == moved.id)
    assert first.root_cause_id == x.id
    Investigation.create(complaint=moved, investigator=cast.investigator, methods="records",
                         facts_verdict="true", facts_text="再查", root_cause=y)
    # Not accepted (no report, so no root cause), in department A, of nature service.
    made("rejected", _local(2026, 2, 20), department=cast.dept, nature="service")
    plan = ImprovementPlan.create(
        number="GJ-2026-0001", title="服务改进", problem="p", target="t", root_cause=x,
        nature="service", department=cast.dept, owner=cast.manager, created_by=cast.manager,
        starts_on=D(2026, 3, 1), ends_on=D(2026, 3, 31))
    return cast, plan, x


PERIODS = dict(before_from=D(2026, 1, 29), before_to=D(2026, 2, 28),
               after_from=D(2026, 3, 1), after_to=D(2026, 3, 31))


def test_review_figures_count_the_plans_scope_by_local_received_date(world):
    cast, plan, _x = world
    f = effectiveness(plan, settings=cast.settings, **PERIODS)
    assert (f["before"]["count"], f["before"]["responded"], f["before"]["avg_days"]) == (3, 3, 4.0)
    assert (f["after"]["count"], f["after"]["responded"], f["after"]["avg_days"]) == (2, 1, 1.0)
    assert f["change"]["count_pct"] == -33.3
    assert f["change"]["avg_days_pct"] == -75.0
    assert (f["before"]["days"], f["after"]["days"]) == (31, 31)
    assert f["before"]["per_30_days"] == round(3 * 30 / 31, 1)


def test_review_figures_without_a_root_cause_count_rejected_and_re_caused_complaints(world):
    cast, plan, _x = world
    plan.root_cause = None
    f = effectiveness(plan, settings=cast.settings, **PERIODS)
    # + the complaint whose newer report names another cause, + the rejected one
    assert (f["before"]["count"], f["before"]["responded"], f["before"]["avg_days"]) == (5, 3, 4.0)
    assert f["after"]["count"] == 2


def test_review_figures_with_a_root_cause_only_count_every_nature_and_department(world):
    cast, plan, _x = world
    plan.nature, plan.department = "", None
    f = effectiveness(plan, settings=cast.settings, **PERIODS)
    assert f["before"]["count"] == 5  # + the price complaint and department B's
    assert f["before"]["avg_days"] == pytest.approx((4 + 2 + 6 + 1 + 1) / 5)


def test_review_figures_are_empty_and_have_no_change_when_nothing_was_received(world):
    cast, plan, _x = world
    f = effectiveness(plan, settings=cast.settings, before_from=D(2025, 1, 1),
                      before_to=D(2025, 1, 31), after_from=D(2025, 2, 1),
                      after_to=D(2025, 2, 28))
    assert f["before"] == {**f["before"], "count": 0, "responded": 0, "avg_days": None}
    assert f["change"] == {"count_pct": None, "avg_days_pct": None, "per_30_days_pct": None}


def test_review_figures_are_one_sql_statement(world, count_queries):
    cast, plan, _x = world
    with count_queries() as q:
        effectiveness(plan, settings=cast.settings, **PERIODS)
    assert q.count == 1


def test_default_periods_are_as_long_as_the_plan_before_it_and_up_to_today_after(world):
    _cast, plan, _x = world
    assert default_periods(plan, D(2026, 3, 20)) == {
        "before_from": D(2026, 1, 29), "before_to": D(2026, 2, 28),
        "after_from": D(2026, 3, 1), "after_to": D(2026, 3, 20)}
    assert default_periods(plan, D(2026, 6, 1))["after_to"] == D(2026, 3, 31)
    assert default_periods(plan, D(2026, 2, 1))["after_to"] == D(2026, 3, 1)


def test_a_period_that_ends_before_it_starts_is_refused_beside_its_end_date(app):
    with pytest.raises(DomainError) as e:
        check_periods({**PERIODS, "after_to": D(2026, 2, 1)})
    assert e.value.field == "after_to"
