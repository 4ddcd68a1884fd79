"""Working days and due dates (domain/deadlines.py): China's public holidays with their
make-up working days (调休), the organisation's own closed and extra working days, another
country's calendar, and the due date of every stage with the default settings."""
import datetime as dt

import pytest

from domain.deadlines import (WorkCalendar, is_overdue, load_calendar, local_date,
                              reply_due, stage_due)
from domain.settings import DEFAULTS, load_settings, save_settings
from domain.stage_models import CalendarDay
from domain.statuses import STATUSES
from tests.factories import make_complaint
from tests.workflow_helpers import quick_user

D = dt.date


@pytest.fixture(scope="module")
def china():
    return WorkCalendar("CN")


# --- China, 2026 ------------------------------------------------------------------------

@pytest.mark.parametrize("day, working", [
    (D(2026, 2, 12), True),    # Thursday before the festival
    (D(2026, 2, 13), True),
    (D(2026, 2, 14), True),    # Saturday made a working day
    *[(D(2026, 2, d), False) for d in range(15, 24)],  # Sun 15 – Mon 23: nine days off
    (D(2026, 2, 24), True),
    (D(2026, 2, 27), True),
    (D(2026, 2, 28), True),    # Saturday made a working day
    (D(2026, 3, 1), False),    # an ordinary Sunday
    (D(2026, 3, 7), False),    # an ordinary Saturday
])
def test_the_spring_festival_2026_has_nine_days_off_and_two_make_up_saturdays(china, day,
                                                                              working):
    assert china.is_working_day(day) is working


@pytest.mark.parametrize("day, working", [
    (D(2026, 9, 19), False),   # an ordinary Saturday
    (D(2026, 9, 20), True),    # Sunday made a working day
    (D(2026, 9, 30), True),
    *[(D(2026, 10, d), False) for d in range(1, 8)],   # Thu 1 – Wed 7 off
    (D(2026, 10, 8), True),
    (D(2026, 10, 9), True),
    (D(2026, 10, 10), True),   # Saturday made a working day
    (D(2026, 10, 11), False),  # an ordinary Sunday
])
def test_national_day_2026_has_seven_days_off_and_two_make_up_weekend_days(china, day,
                                                                           working):
    assert china.is_working_day(day) is working


@pytest.mark.parametrize("start, n, due", [
    (D(2026, 2, 12), 5, D(2026, 2, 26)),   # Fri 13, Sat 14, (holiday), Tue 24, 25, 26
    (D(2026, 9, 29), 5, D(2026, 10, 12)),  # Wed 30, (holiday), Thu 8, Fri 9, Sat 10, Mon 12
    (D(2026, 2, 13), 1, D(2026, 2, 14)),   # the make-up Saturday counts
    (D(2026, 2, 14), 1, D(2026, 2, 24)),   # the whole festival is skipped
    (D(2026, 2, 27), 1, D(2026, 2, 28)),
    (D(2026, 2, 28), 1, D(2026, 3, 2)),
    (D(2026, 9, 18), 1, D(2026, 9, 20)),   # Friday → the make-up Sunday
    (D(2026, 10, 3), 1, D(2026, 10, 8)),   # counting from inside the holiday
    (D(2026, 2, 12), 15, D(2026, 3, 11)),
])
def test_adding_working_days_skips_the_holiday_weeks_and_counts_make_up_days(china, start,
                                                                              n, due):
    assert china.add_working_days(start, n) == due


@pytest.mark.parametrize("start, same_or_next", [
    (D(2026, 2, 12), D(2026, 2, 12)),      # a working day is its own day 0
    (D(2026, 2, 14), D(2026, 2, 14)),      # so is a make-up Saturday
    (D(2026, 2, 15), D(2026, 2, 24)),      # a holiday moves to the next working day
    (D(2026, 10, 3), D(2026, 10, 8)),
    (D(2026, 3, 1), D(2026, 3, 2)),
])
def test_zero_working_days_from_a_day_off_is_the_next_working_day(china, start, same_or_next):
    assert china.add_working_days(start, 0) == same_or_next


@pytest.mark.parametrize("start, end, count", [
    (D(2026, 2, 12), D(2026, 2, 26), 5),
    (D(2026, 2, 26), D(2026, 2, 12), -5),
    (D(2026, 9, 29), D(2026, 10, 12), 5),
    (D(2026, 2, 12), D(2026, 2, 12), 0),
    (D(2026, 2, 14), D(2026, 2, 23), 0),   # nothing but holiday after the make-up Saturday
    (D(2026, 2, 14), D(2026, 2, 24), 1),
    (D(2026, 9, 30), D(2026, 10, 7), 0),
    (D(2026, 2, 12), D(2026, 3, 11), 15),
])
def test_working_days_between_two_dates_count_the_days_after_the_first(china, start, end,
                                                                        count):
    assert china.working_days_between(start, end) == count


def test_adding_then_counting_working_days_agree_across_both_holiday_seasons(china):
    for start in (D(2026, 2, 1) + dt.timedelta(days=i) for i in range(0, 40)):
        for n in (1, 3, 5, 15):
            due = china.add_working_days(start, n)
            assert china.is_working_day(due)
            assert china.working_days_between(start, due) == n
    for start in (D(2026, 9, 15) + dt.timedelta(days=i) for i in range(0, 30)):
        due = china.add_working_days(start, 5)
        assert china.working_days_between(start, due) == 5


# --- the organisation's own days --------------------------------------------------------

def test_the_organisations_closed_day_and_extra_working_day_override_the_public_calendar(app):
    CalendarDay.create(day=D(2026, 2, 24), working=False, note="Stocktaking")
    CalendarDay.create(day=D(2026, 3, 1), working=True, note="Spring sale Sunday")
    CalendarDay.create(day=D(2026, 2, 14), working=False, note="We do not work it")
    CalendarDay.create(day=D(2026, 2, 16), working=True, note="Festival hotline")
    cal = load_calendar(load_settings())
    assert [cal.is_working_day(d) for d in (D(2026, 2, 24), D(2026, 3, 1), D(2026, 2, 14),
                                            D(2026, 2, 16))] == [False, True, False, True]
    assert cal.is_working_day(D(2026, 2, 25)) and not cal.is_working_day(D(2026, 2, 17))
    # Fri 13, Mon 16 (opened), Wed 25, Thu 26, Fri 27.
    assert cal.add_working_days(D(2026, 2, 12), 5) == D(2026, 2, 27)
    # … Sat 28 (make-up), Sun 1 March (opened).
    assert cal.add_working_days(D(2026, 2, 12), 7) == D(2026, 3, 1)
    assert cal.working_days_between(D(2026, 2, 12), D(2026, 3, 1)) == 7
    assert cal.add_working_days(D(2026, 2, 24), 0) == D(2026, 2, 25)
    # The public calendar itself is not changed for anybody else.
    assert WorkCalendar("CN").is_working_day(D(2026, 2, 24))


def test_the_organisations_days_also_apply_to_another_country():
    cal = WorkCalendar("GB", {D(2026, 12, 28): True, D(2026, 12, 29): False})
    assert cal.is_working_day(D(2026, 12, 28))  # Boxing Day (observed), opened
    assert not cal.is_working_day(D(2026, 12, 29))
    assert cal.add_working_days(D(2026, 12, 24), 2) == D(2026, 12, 30)


# --- due dates of the stages ------------------------------------------------------------

STAGE_DUE_FROM_12_FEBRUARY = {
    "registered": D(2026, 2, 15),   # 3 calendar days (72 hours) to assess
    "accepted": D(2026, 2, 13),     # 1 working day to assign
    "assigned": D(2026, 2, 13),     # 1 working day to confirm receipt
    "investigating": D(2026, 2, 26),  # 5 working days
    "proposing": D(2026, 2, 26),    # the same deadline covers the proposal
    "reviewing": D(2026, 2, 14),    # 2 working days: Fri 13 and the make-up Saturday
    "approving": D(2026, 2, 14),
    "approved": D(2026, 2, 24),     # 3 working days for the written response
    "visiting": D(2026, 2, 28),     # 7 working days after the response
    "rejected": None, "responded": None, "external": None, "executing": None,
    "closed": None, "archived": None,
}


def test_every_status_has_its_due_rule():
    assert set(STAGE_DUE_FROM_12_FEBRUARY) == set(STATUSES)


@pytest.mark.parametrize("status, due", STAGE_DUE_FROM_12_FEBRUARY.items())
def test_each_stage_entered_before_the_spring_festival_is_due_on_its_working_day(china, status,
                                                                                   due):
    assert stage_due(status, D(2026, 2, 12), DEFAULTS, china) == due


@pytest.mark.parametrize("status, due", [
    ("registered", D(2026, 10, 2)), ("accepted", D(2026, 9, 30)),
    ("investigating", D(2026, 10, 12)), ("reviewing", D(2026, 10, 8)),
    ("approved", D(2026, 10, 9)), ("visiting", D(2026, 10, 14)),
])
def test_each_stage_entered_before_national_day_is_due_on_its_working_day(china, status, due):
    assert stage_due(status, D(2026, 9, 29), DEFAULTS, china) == due


def test_an_extended_investigation_is_due_after_all_its_working_days(china):
    assert stage_due("investigating", D(2026, 2, 12), DEFAULTS, china, 8) == D(2026, 3, 2)
    assert stage_due("proposing", D(2026, 2, 12), DEFAULTS, china, 15) == D(2026, 3, 11)


def test_the_stage_days_come_from_the_settings(china):
    settings = dict(DEFAULTS, investigation_days=1, review_days=5, verification_days=1)
    assert stage_due("investigating", D(2026, 2, 12), settings, china) == D(2026, 2, 13)
    assert stage_due("reviewing", D(2026, 2, 12), settings, china) == D(2026, 2, 26)
    assert stage_due("registered", D(2026, 2, 12), settings, china) == D(2026, 2, 13)


@pytest.mark.parametrize("accepted_on, due", [
    (D(2026, 2, 12), D(2026, 3, 11)),
    (D(2026, 9, 29), D(2026, 10, 26)),
    (D(2026, 3, 2), D(2026, 3, 23)),   # an ordinary three weeks
])
def test_the_reply_is_due_fifteen_working_days_after_acceptance(china, accepted_on, due):
    assert reply_due(accepted_on, DEFAULTS, china) == due
    assert china.working_days_between(accepted_on, due) == 15


def test_the_default_settings_are_the_documented_deadlines(app):
    settings = load_settings()
    assert {k: settings[k] for k in (
        "country", "registration_days", "verification_days", "investigation_days",
        "investigation_cap_days", "response_days", "reply_days", "visit_days")} == {
        "country": "CN", "registration_days": 1, "verification_days": 3,
        "investigation_days": 5, "investigation_cap_days": 15, "response_days": 3,
        "reply_days": 15, "visit_days": 7}


def test_a_newly_registered_complaint_is_due_for_assessment_three_days_after_receipt(app):
    complaint = make_complaint(app, registered_by=quick_user("intake"))
    settings = load_settings()
    assert complaint.stage_due_on == local_date(complaint.received_at, settings) + \
        dt.timedelta(days=3)


# --- another country --------------------------------------------------------------------

def test_another_country_uses_its_own_holidays_and_no_make_up_days():
    britain = WorkCalendar("GB")
    assert not britain.is_working_day(D(2026, 12, 25))   # Christmas Day
    assert not britain.is_working_day(D(2026, 12, 28))   # Boxing Day, observed on Monday
    assert not britain.is_working_day(D(2026, 5, 4))     # Early May bank holiday
    assert britain.is_working_day(D(2026, 2, 16))        # Spring Festival: a working day
    assert britain.is_working_day(D(2026, 10, 1))        # National Day: a working day
    assert not britain.is_working_day(D(2026, 2, 14))    # no make-up Saturday
    assert britain.add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 29)
    assert britain.add_working_days(D(2026, 2, 12), 5) == D(2026, 2, 19)


def test_the_country_setting_chooses_the_calendar_used_for_due_dates(app):
    save_settings({"country": "GB"})
    settings = load_settings()
    cal = load_calendar(settings)
    assert cal.add_working_days(D(2026, 2, 12), 5) == D(2026, 2, 19)
    assert stage_due("investigating", D(2026, 9, 29), settings, cal) == D(2026, 10, 6)
    assert reply_due(D(2026, 12, 24), settings, cal) == D(2027, 1, 19)  # New Year off


# --- dates and lateness -----------------------------------------------------------------

def test_the_local_date_is_the_organisations_calendar_date():
    late_evening_utc = dt.datetime(2026, 2, 12, 17, 30)
    assert local_date(late_evening_utc, DEFAULTS) == D(2026, 2, 13)   # 01:30 in Shanghai
    assert local_date(late_evening_utc, dict(DEFAULTS, timezone="Europe/London")) == \
        D(2026, 2, 12)


@pytest.mark.parametrize("due, overdue", [
    (None, False), (D(2026, 2, 11), True), (D(2026, 2, 12), False), (D(2026, 2, 24), False)])
def test_a_stage_is_overdue_only_after_its_due_day(due, overdue):
    assert is_overdue(due, D(2026, 2, 12)) is overdue
