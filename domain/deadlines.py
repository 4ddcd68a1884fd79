"""Working days and due dates.

A working day is a weekday that is not a public holiday of the organisation's country, or a
weekend day that the country makes a working day (China's 调休 make-up days) — both from
the `holidays` package — with the organisation's own closed days and extra working days
(CalendarDay) laid over them. Every due date in the app comes from here.
"""
import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from domain.stage_models import CalendarDay

# Settings (domain/settings.py) that hold the number of days for each stage.
STAGE_DAYS = {
    "registered": "verification_days",   # calendar days to assess (72 h)
    "accepted": "assignment_days",       # working days to assign
    "assigned": "receipt_days",          # working days for the department to confirm
    "investigating": None,               # the investigation deadline (extendable)
    "proposing": None,                   # the same deadline covers the proposal
    "reviewing": "review_days",
    "approving": "review_days",
    "approved": "response_days",
    "executing": None,                   # the measures carry their own dates
    "visiting": "visit_days",
}


@lru_cache(maxsize=8)
def _public_calendar(country: str):
    return holidays.country_holidays(country)


class WorkCalendar:
    def __init__(self, country: str, own_days: dict[dt.date, bool] | None = None):
        self.public = _public_calendar(country)
        self.own_days = own_days or {}

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.own_days:
            return self.own_days[day]
        return self.public.is_working_day(day)

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after `start` (n = 0: `start` itself, or the next working
        day if `start` is not one)."""
        day = start
        if n <= 0:
            while not self.is_working_day(day):
                day += dt.timedelta(days=1)
            return day
        counted = 0
        while counted < n:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (negative if end < start)."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(1 for i in range(1, (end - start).days + 1)
                   if self.is_working_day(start + dt.timedelta(days=i)))


def load_calendar(settings: dict) -> WorkCalendar:
    """The organisation's calendar: its country's holidays and its own days (one query)."""
    own = {row.day: row.working for row in CalendarDay.select()}
    return WorkCalendar(settings["country"], own)


def local_date(moment: dt.datetime, settings: dict) -> dt.date:
    """The organisation's calendar date of a stored (naive UTC) moment."""
    return moment.replace(tzinfo=dt.timezone.utc).astimezone(
        ZoneInfo(settings["timezone"])).date()


def day_start_utc(day: dt.date, settings: dict) -> dt.datetime:
    """The stored (naive UTC) moment at which the organisation's calendar day `day` begins."""
    return (dt.datetime.combine(day, dt.time()).replace(tzinfo=ZoneInfo(settings["timezone"]))
            .astimezone(dt.timezone.utc).replace(tzinfo=None))


def stage_due(status: str, start: dt.date, settings: dict, cal: WorkCalendar,
              investigation_days: int = 0) -> dt.date | None:
    """When the stage entered on `start` with `status` is due."""
    if status in ("investigating", "proposing"):
        return cal.add_working_days(start, investigation_days or settings["investigation_days"])
    key = STAGE_DAYS.get(status)
    if key is None:
        return None
    if key == "verification_days":
        return start + dt.timedelta(days=int(settings[key]))
    return cal.add_working_days(start, int(settings[key]))


def appeal_due(responded_on: dt.date, settings: dict) -> dt.date:
    """The last day the complainant may appeal a response (calendar days)."""
    return responded_on + dt.timedelta(days=int(settings["appeal_days"]))


def next_working_day(day: dt.date, cal: WorkCalendar) -> dt.date:
    """The least time a stage that begins on `day` is given; also what counts as due soon."""
    return cal.add_working_days(day, 1)


def reply_due(accepted_on: dt.date, settings: dict, cal: WorkCalendar) -> dt.date:
    """The overall reply deadline, counted from acceptance."""
    return cal.add_working_days(accepted_on, int(settings["reply_days"]))


def is_overdue(due: dt.date | None, today: dt.date) -> bool:
    return due is not None and due < today
