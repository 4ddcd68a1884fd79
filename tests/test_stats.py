"""Every dashboard figure against a small dataset computed by hand.

September 2024 (Asia/Shanghai, China's calendar: 1–7 October is the National Day holiday,
Sunday 29 September and Saturday 12 October are make-up working days, 15–17 September is
Mid-Autumn with Saturday 14 September worked):

C1 Quality, hotline, product quality: crosses the National Day holiday, closed, visit 4.
C2 Service, online, service, major: an approved 3-day extension, late response, reopened;
   visits 2 then 5 (the latest counts); its newest report names cause "staff".
C3 no department, hotline, price: rejected after three calendar days (on time).
C4 Quality, hotline, product quality: accepted late, approval late, appealed, overdue now.
C5 Service, email, service: accepted, waiting for assignment, due in the future.
C7 Quality, letter, other: received 1 September 01:00 local (31 August 17:00 UTC) — in
   September —, still registered and overdue.
August: C6 (accepted, closed, visit 3) and C8 (31 August 23:00 local, rejected).
"""
import datetime as dt

import pytest

from domain import stats
from domain.deadlines import load_calendar, reply_due
from domain.models import Complaint, Department, Event
from domain.settings import load_settings
from domain.stage_models import (Approval, Assignment, Extension, Investigation, Proposal,
                                 Response, RootCause, Visit)
from tests.workflow_helpers import quick_user

T = dt.datetime


def _at(y, m, d, h=2):
    return T(y, m, d, h)


class Data:
    pass


def build(app) -> Data:
    """The dataset above; returns the records by name."""
    data = Data()
    settings = load_settings()
    cal = load_calendar(settings)
    data.qa = Department.create(name="Quality", name_zh="质量部")
    data.svc = Department.create(name="Service", name_zh="客服部")
    data.staff = quick_user("investigator", department=data.qa)
    data.rc1 = RootCause.create(code="f-process", name="Process gap", name_zh="流程缺陷")
    data.rc2 = RootCause.create(code="f-staff", name="Staff conduct", name_zh="人员行为")
    counter = iter(range(1, 100))
    today = stats.org_today(settings)

    def complaint(name, received, **kw):
        n = next(counter)
        c = Complaint.create(number=f"TS-F-{n:03d}", lookup_code_hash="x", channel=kw.pop("channel"),
                             received_at=received, registered_by=data.staff,
                             first_contact=data.staff, complainant_name=f"客户{n}",
                             matter="测试", registered_at=received, **kw)
        if c.accepted_at:
            c.reply_due_on = reply_due(c.accepted_at.date() if c.accepted_at.hour < 16 else
                                       c.accepted_at.date() + dt.timedelta(days=1),
                                       settings, cal)
            c.save()
        setattr(data, name, c)
        return c

    def chain(c, assigned, signed, proposal, level1, level2, response, cause, dept):
        Assignment.create(complaint=c, department=dept, due_on=dt.date(2030, 1, 1),
                          assigned_by=data.staff, assigned_at=assigned, received_at=signed,
                          received_by=data.staff, investigator=data.staff)
        if proposal:
            Investigation.create(complaint=c, investigator=data.staff, methods="interview",
                                 facts_verdict="true", facts_text="属实", root_cause=cause,
                                 submitted_at=proposal)
            p = Proposal.create(complaint=c, author=data.staff, submitted_at=proposal)
            for level, at in ((1, level1), (2, level2)):
                if at:
                    Approval.create(complaint=c, proposal=p, level=level, approved=True,
                                    decided_by=data.staff, decided_at=at)
        if response:
            Response.create(complaint=c, method="letter", sent_on=response.date(),
                            recipient="客户", recorded_by=data.staff, recorded_at=response)

    def visit(c, at, score):
        Visit.create(complaint=c, method="phone", visited_on=at.date(), satisfaction=score,
                     resolved=score >= 3, recorded_by=data.staff, recorded_at=at)

    def event(c, action, at):
        seq = Event.select().where(Event.complaint == c.id).count() + 1
        Event.create(complaint=c, seq=seq, at=at, actor=data.staff, action=action,
                     prev_hash="0", hash=f"{c.id}-{seq}")

    c1 = complaint("c1", _at(2024, 9, 27), channel="hotline", nature="product_quality",
                   department=data.qa, accepted_at=_at(2024, 9, 27, 6),
                   closed_at=_at(2024, 10, 22), status="closed")
    chain(c1, _at(2024, 9, 29, 1), _at(2024, 10, 8, 1), _at(2024, 10, 14, 8),
          _at(2024, 10, 15), _at(2024, 10, 17), _at(2024, 10, 18), data.rc1, data.qa)
    Extension.create(complaint=c1, requested_by=data.staff, days=10, reason="x",
                     approved=False, decided_at=_at(2024, 10, 9))
    visit(c1, _at(2024, 10, 21), 4)

    c2 = complaint("c2", _at(2024, 9, 2, 1), channel="online", nature="service",
                   severity="major", department=data.svc, accepted_at=_at(2024, 9, 4, 1),
                   closed_at=_at(2024, 11, 6), status="closed")
    chain(c2, _at(2024, 9, 4, 3), _at(2024, 9, 5, 3), _at(2024, 9, 18), _at(2024, 9, 20),
          _at(2024, 9, 24), _at(2024, 9, 30), data.rc1, data.svc)
    Extension.create(complaint=c2, requested_by=data.staff, days=3, reason="x",
                     approved=True, decided_at=_at(2024, 9, 10))
    visit(c2, _at(2024, 10, 9), 2)
    event(c2, "reopen", _at(2024, 10, 10))
    Investigation.create(complaint=c2, investigator=data.staff, methods="interview",
                         facts_verdict="true", facts_text="再查", root_cause=data.rc2,
                         submitted_at=_at(2024, 10, 20))
    visit(c2, _at(2024, 11, 5), 5)

    complaint("c3", _at(2024, 9, 20, 1), channel="hotline", nature="price",
              closed_at=_at(2024, 9, 23, 1), status="rejected")

    c4 = complaint("c4", _at(2024, 9, 25, 1), channel="hotline", nature="product_quality",
                   department=data.qa, accepted_at=_at(2024, 9, 29, 1), status="investigating",
                   stage_due_on=dt.date(2024, 10, 25))
    chain(c4, _at(2024, 9, 30, 1), _at(2024, 9, 30, 5), _at(2024, 10, 10), _at(2024, 10, 11),
          _at(2024, 10, 16), _at(2024, 10, 17), data.rc1, data.qa)
    event(c4, "appeal", _at(2024, 10, 20))

    complaint("c5", _at(2024, 9, 26, 1), channel="email", nature="service", department=data.svc,
              accepted_at=_at(2024, 9, 26, 3), status="accepted",
              stage_due_on=today + dt.timedelta(days=30))
    complaint("c7", T(2024, 8, 31, 17), channel="letter", nature="other", department=data.qa,
              status="registered", stage_due_on=dt.date(2024, 9, 4))

    c6 = complaint("c6", _at(2024, 8, 15, 1), channel="hotline", nature="product_quality",
                   department=data.qa, accepted_at=_at(2024, 8, 15, 2),
                   closed_at=_at(2024, 8, 30), status="closed")
    Investigation.create(complaint=c6, investigator=data.staff, methods="interview",
                         facts_verdict="true", facts_text="属实", root_cause=data.rc1,
                         submitted_at=_at(2024, 8, 20))
    Response.create(complaint=c6, method="letter", sent_on=dt.date(2024, 8, 22), recipient="客户",
                    recorded_by=data.staff, recorded_at=_at(2024, 8, 22))
    visit(c6, _at(2024, 8, 26), 3)
    complaint("c8", T(2024, 8, 31, 15), channel="hotline", nature="other",
              closed_at=_at(2024, 9, 1, 1), status="rejected")
    data.settings = settings
    return data


SEPT = stats.month_period(dt.date(2024, 9, 1))
AUG = stats.month_period(dt.date(2024, 8, 1))


@pytest.fixture
def data(app):
    with app.app_context():
        yield build(app)


def _cohort(data, period=SEPT, **kw):
    return stats.Filters(**kw).cohort(period.first, period.last, data.settings)


def test_counts_of_received_accepted_rejected_closed_open_and_overdue(data):
    today = stats.org_today(data.settings)
    assert stats.counts(_cohort(data), today) == {
        "received": 6, "accepted": 4, "rejected": 1, "closed": 2, "open": 3, "overdue": 2}
    assert stats.counts(_cohort(data, AUG), today) == {
        "received": 2, "accepted": 1, "rejected": 1, "closed": 1, "open": 0, "overdue": 0}


def test_a_complaint_counts_in_the_month_of_its_local_date_not_its_utc_date(data):
    today = stats.org_today(data.settings)
    # C7 was received at 01:00 on 1 September in Shanghai (31 August UTC).
    assert stats.counts(_cohort(data, channel="letter"), today)["received"] == 1
    assert stats.counts(_cohort(data, AUG, channel="letter"), today)["received"] == 0


def test_breakdowns_by_channel_nature_severity_and_department(data):
    b = stats.breakdowns(_cohort(data))
    assert b["channel"] == {"hotline": 3, "email": 1, "letter": 1, "online": 1}
    assert b["nature"] == {"product_quality": 2, "service": 2, "other": 1, "price": 1}
    assert b["severity"] == {"ordinary": 5, "major": 1}
    assert b["department"] == {data.qa.id: 3, data.svc.id: 2, "": 1}


def test_filters_narrow_every_figure_to_one_department(data):
    today = stats.org_today(data.settings)
    assert stats.counts(_cohort(data, department=data.qa.id), today) == {
        "received": 3, "accepted": 2, "rejected": 0, "closed": 1, "open": 2, "overdue": 2}


EXPECTED_STAGES = {
    # stage: (started, ended, on time, rate %, average, median)
    "acceptance": (6, 5, 4, 80.0, 1.85, 2.0),
    "assignment": (4, 3, 3, 100.0, 0.67, 1.0),
    "receipt": (3, 3, 2, 66.7, 1.0, 1.0),
    "investigation": (3, 3, 3, 100.0, 5.33, 5.0),
    "review": (3, 3, 3, 100.0, 1.33, 1.0),
    "approval": (3, 3, 2, 66.7, 2.67, 2.0),
    "response": (3, 3, 2, 66.7, 2.33, 1.0),
    "reply": (4, 3, 2, 66.7, 13.33, 12.0),
    "visit": (3, 2, 2, 100.0, 1.5, 1.5),
}


@pytest.mark.parametrize("stage", list(EXPECTED_STAGES))
def test_stage_handling_time_and_on_time_rate_match_the_hand_count(data, stage):
    s = stats.stages(_cohort(data), data.settings)[stage]
    started, ended, on_time, rate, avg, median = EXPECTED_STAGES[stage]
    assert (s["started"], s["ended"], s["on_time"], s["rate"]) == (started, ended, on_time, rate)
    assert s["avg"] == pytest.approx(avg, abs=0.01)
    assert s["median"] == pytest.approx(median, abs=0.01)


def test_on_time_rate_per_department(data):
    reply = stats.stages(_cohort(data), data.settings)["reply"]["by_department"]
    assert reply[data.qa.id]["rate"] == 100.0 and reply[data.qa.id]["with_due"] == 2
    assert reply[data.svc.id]["rate"] == 0.0 and reply[data.svc.id]["with_due"] == 1


def test_receipt_after_the_national_day_holiday_is_late_and_counts_working_days_only(data):
    # C1 was assigned on Sunday 29 September (a make-up working day) and signed for on
    # 8 October: due 30 September, two working days in between.
    s = stats.stages(_cohort(data, channel="hotline", nature="product_quality",
                             department=data.qa.id), data.settings)
    # C1 and C4: C1 late (2 working days), C4 on time (0).
    assert (s["receipt"]["on_time"], s["receipt"]["ended"]) == (1, 2)
    assert s["receipt"]["avg"] == 1.0


def test_an_approved_extension_moves_the_investigation_deadline(data):
    s = stats.stages(_cohort(data, department=data.svc.id), data.settings)["investigation"]
    assert (s["on_time"], s["ended"], s["avg"]) == (1, 1, 8.0)


def test_satisfaction_uses_each_complaints_latest_visit(data):
    assert stats.satisfaction(_cohort(data)) == {
        "distribution": {1: 0, 2: 0, 3: 0, 4: 1, 5: 1}, "visited": 2, "average": 4.5}
    assert stats.satisfaction(_cohort(data, AUG))["average"] == 3.0


def test_reopen_and_appeal_rates_are_shares_of_answered_complaints(data):
    assert stats.rates(_cohort(data)) == {"answered": 3, "reopened": 1, "appealed": 1,
                                          "reopen_rate": 33.3, "appeal_rate": 33.3}


def test_top_root_causes_follow_each_complaints_newest_report(data):
    causes = stats.root_causes(_cohort(data))
    assert [(c["code"], c["count"]) for c in causes] == [("f-process", 2), ("f-staff", 1)]


def test_trend_by_month_and_by_week(data):
    months = stats.trend(_cohort(data, stats.Period("custom", dt.date(2024, 8, 1),
                                                    dt.date(2024, 9, 30))), "month")
    assert [(m["bucket"], m["received"], m["rejected"]) for m in months] == [
        (dt.date(2024, 8, 1), 2, 1), (dt.date(2024, 9, 1), 6, 1)]
    weeks = stats.trend(_cohort(data), "week")
    assert weeks[0]["bucket"] == dt.date(2024, 8, 26)  # the Monday of 1 September's week
    assert sum(w["received"] for w in weeks) == 6
    by_week = {w["bucket"]: w["received"] for w in weeks}
    assert by_week[dt.date(2024, 8, 26)] == 1 and by_week[dt.date(2024, 9, 23)] == 3


def test_dashboard_compares_with_the_previous_month(data):
    d = stats.dashboard(SEPT, SEPT.previous(), stats.Filters(), data.settings, "month")
    assert d["compare"] == AUG
    assert d["changes"]["received"] == 200.0
    assert d["causes"][0]["previous"] == 1
    assert len(d["trend"]) == 12 and d["trend"][-1]["received"] == 6


def test_periods_parse_months_and_quarters_and_refuse_nonsense():
    today = dt.date(2024, 10, 5)
    assert stats.parse_period("2024-Q3", today) == stats.Period(
        "quarter", dt.date(2024, 7, 1), dt.date(2024, 9, 30))
    assert stats.parse_period("2024-Q1", today).previous().key == "2023-Q4"
    assert stats.parse_period("", today).key == "2024-10"
    assert stats.parse_period("2024-03", today).year_before().key == "2023-03"
    from domain.errors import DomainError
    for bad in ("2024-13", "2024-Q5", "next month"):
        with pytest.raises(DomainError):
            stats.parse_period(bad, today)
