"""The organisation's own calendar days and the root-cause list: saving them (never deleting
them: a day changes kind or note, a root cause is deactivated) and the public holidays shown
beside them. No request handling in here; the views call these."""
import datetime as dt

import holidays
from flask_babel import lazy_gettext as _l

from extensions import db
from domain.deadlines import WorkCalendar
from domain.errors import DomainError
from domain.stage_models import CalendarDay, RootCause


def days_of_year(year: int) -> list[CalendarDay]:
    return list(CalendarDay.select().where(
        (CalendarDay.day >= dt.date(year, 1, 1)) & (CalendarDay.day <= dt.date(year, 12, 31)))
        .order_by(CalendarDay.day))


def add_calendar_day(day: dt.date, working: bool, note: str, country: str) -> CalendarDay:
    """A closed day or an extra working day; refused when it would change nothing."""
    public = WorkCalendar(country).is_working_day(day)
    if public == working:
        raise DomainError(_l("This is already a working day.") if working else
                          _l("This is already a day off in the public calendar."), "day")
    with db.atomic():
        if CalendarDay.select().where(CalendarDay.day == day).exists():
            raise DomainError(_l("This date is already in the calendar: change it in the "
                                 "list instead."), "day")
        return CalendarDay.create(day=day, working=working, note=note or "")


def update_calendar_day(day_id: int, working: bool, note: str) -> None:
    with db.atomic():
        CalendarDay.update(working=working, note=note or "").where(
            CalendarDay.id == day_id).execute()


def public_days(country: str, year: int, locale: str) -> list[tuple[dt.date, str, bool]]:
    """The public calendar's days off and weekend working days of `year`:
    (date, name, working), in date order, named in the user's language where available."""
    cls = holidays.country_holidays(country).__class__
    wanted = "zh_CN" if locale.startswith("zh") else "en_US"
    language = wanted if wanted in (getattr(cls, "supported_languages", ()) or ()) else None
    calendar = holidays.country_holidays(country, years=year, language=language)
    days = [(day, name, False) for day, name in calendar.items()]
    make_up = _l("Weekend working day (make-up for a holiday)")
    days += [(day, str(make_up), True) for day in getattr(calendar, "weekend_workdays", ())
             if day.year == year]
    return sorted(days)


def save_root_cause(cause_id: int | None, *, code: str = "", name: str, name_zh: str,
                    active: bool) -> RootCause:
    """Add a root cause (its code is fixed once given) or rename / (de)activate one."""
    with db.atomic():
        if cause_id is None:
            if RootCause.select().where(RootCause.code == code).exists():
                raise DomainError(_l("This code is taken."), "code")
            return RootCause.create(code=code, name=name, name_zh=name_zh or "", active=active)
        RootCause.update(name=name, name_zh=name_zh or "", active=active).where(
            RootCause.id == cause_id).execute()
        return RootCause.get_by_id(cause_id)
