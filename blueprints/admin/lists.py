"""Administration of the organisation's calendar days and the root-cause list."""
import datetime as dt

from flask import abort, flash, render_template, request, url_for
from flask_babel import get_locale, gettext as _

from app import org_settings
from blueprints.admin import bp
from domain import org_lists as records
from blueprints.admin.forms import (COUNTRIES, CalendarDayEditForm, CalendarDayForm,
                                   RootCauseForm)
from blueprints.admin.views import _attach, admin_only
from blueprints.web import redirect_after_post
from domain.errors import DomainError
from domain.stage_models import CalendarDay, RootCause


def _year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return dt.date.today().year
    return year if 2000 <= year <= 2100 else dt.date.today().year


def _calendar_page(year: int, form, status=200):
    country = org_settings()["country"]
    return render_template(
        "admin/calendar.html", year=year, form=form, days=records.days_of_year(year),
        public=records.public_days(country, year, str(get_locale())),
        country=COUNTRIES.get(country, country)), status


@bp.get("/calendar")
@admin_only
def calendar():
    year = _year(request.args.get("year"))
    return _calendar_page(year, CalendarDayForm(formdata=None))


@bp.post("/calendar")
@admin_only
def add_calendar_day():
    form = CalendarDayForm()
    if form.validate_on_submit():
        try:
            records.add_calendar_day(form.day.data, form.kind.data == "working",
                                     form.note.data, org_settings()["country"])
        except DomainError as e:
            _attach(form, e)
        else:
            flash(_("The day was added to the calendar."), "success")
            return redirect_after_post(url_for("admin.calendar", year=form.day.data.year))
    year = form.day.data.year if form.day.data else _year(request.args.get("year"))
    return _calendar_page(_year(year), form, 422)


@bp.route("/calendar/<int:day_id>", methods=["GET", "POST"])
@admin_only
def calendar_day(day_id):
    day = CalendarDay.get_or_none(CalendarDay.id == day_id)
    if day is None:
        abort(404)
    form = CalendarDayEditForm(data={"kind": "working" if day.working else "closed",
                                     "note": day.note} if request.method == "GET" else None)
    if form.validate_on_submit():
        records.update_calendar_day(day.id, form.kind.data == "working", form.note.data)
        flash(_("The day was saved."), "success")
        return redirect_after_post(url_for("admin.calendar", year=day.day.year))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/calendar_day.html", form=form, day=day), status


@bp.get("/root-causes")
@admin_only
def root_causes():
    rows = RootCause.select().order_by(RootCause.active.desc(), RootCause.name)
    return render_template("admin/root_causes.html", causes=list(rows))


@bp.route("/root-causes/new", methods=["GET", "POST"], defaults={"cause_id": None})
@bp.route("/root-causes/<int:cause_id>", methods=["GET", "POST"])
@admin_only
def root_cause_form(cause_id):
    cause = RootCause.get_or_none(RootCause.id == cause_id) if cause_id else None
    if cause_id and cause is None:
        abort(404)
    form = RootCauseForm(obj=cause if request.method == "GET" else None)
    if cause is not None:
        del form.code  # fixed once given: investigations refer to it
    if form.validate_on_submit():
        try:
            records.save_root_cause(cause_id, code=form.code.data if cause is None else "",
                                    name=form.name.data, name_zh=form.name_zh.data or "",
                                    active=form.active.data)
        except DomainError as e:
            _attach(form, e)
        else:
            flash(_("The root cause was saved."), "success")
            return redirect_after_post(url_for("admin.root_causes"))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/root_cause_form.html", form=form, cause=cause), status
