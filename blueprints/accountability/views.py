"""The list of accountability records (readers: all of them, with filters; anyone else:
the records about themselves), its CSV export (readers only), and opening a record.

Every export writes one view-log row per exported record (domain/accountability_queries)."""
from flask import (abort, current_app, flash, make_response, render_template, request,
                   url_for)
from flask_babel import (format_date, format_datetime, get_locale, gettext as _,
                         lazy_gettext as _l)
from flask_login import current_user, login_required

from app import org_settings
from blueprints.accountability import bp
from blueprints.accountability.forms import NewRecordForm, options
from peewee import JOIN

from blueprints.web import (active_departments, page_or_fragment, redirect_after_post,
                            roles_required)
from domain import access
from domain import accountability as acc
from domain import accountability_queries as queries
from domain.deadlines import local_date
from domain.errors import DomainError, Forbidden
from domain.models import Complaint, Department, User, utcnow


@bp.get("/")
@login_required
def index():
    f = queries.RecordFilter.from_args(request.args)
    reader = access.reads_all_accountability(current_user)
    if not reader:
        f = queries.RecordFilter(page=f.page)  # anyone else: their own records, unfiltered
    page = queries.list_page(f, current_user, current_app.config["PAGE_SIZE"])
    return page_or_fragment(
        "accountability/index.html", "accountability/_results.html", f=f, page=page,
        reader=reader, persons=queries.persons_with_records() if reader else [],
        departments=active_departments() if reader else [],
        may_open=access.can_open_accountability(current_user))


class _Formats:
    @staticmethod
    def dt(value):
        return format_datetime(value, "yyyy-MM-dd HH:mm") if value else ""

    @staticmethod
    def date(value):
        return format_date(value, "yyyy-MM-dd") if value else ""


EXPORT_HEADERS = (
    _l("Number"), _l("Person concerned"), _l("Department"), _l("Responsibility level"),
    _l("Status"), _l("Complaint number"), _l("Opened"), _l("Proposed sanction"),
    _l("Proposed amount"), _l("Sanction"), _l("Amount"), _l("Decided at"),
    _l("Appeal possible until"), _l("Outcome of the appeal"), _l("Final since"), _l("Findings"))


@bp.get("/export.csv")
@roles_required(access.reads_all_accountability)
def export():
    f = queries.RecordFilter.from_args(request.args)
    rows = queries.export_rows(f, current_user)
    queries.log_views(rows, current_user, "export")
    headers = [str(h) for h in EXPORT_HEADERS]
    body = queries.export_csv(rows, headers, str(get_locale()), _Formats)
    response = make_response(body)
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    day = local_date(utcnow(), org_settings()).strftime("%Y%m%d")
    response.headers["Content-Disposition"] = f'attachment; filename="accountability-{day}.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _new_page(form, complaint, status=200):
    return render_template("accountability/new.html", form=form, complaint=complaint), status


def _subject_choices(form):
    """Active staff with their department (one query), never the user themselves."""
    people = (User.select(User, Department).join(Department, JOIN.LEFT_OUTER)
              .where(User.active & (User.id != current_user.id)).order_by(User.full_name))
    form.subject.choices = options([(0, _("Choose…"))] + [
        (u.id, u.full_name + (f" · {u.department.label(str(get_locale()))}"
                              if u.department_id else "")) for u in people])


def _complaint_by_number(number):
    if not number:
        return None
    complaint = Complaint.get_or_none(Complaint.number == number.strip().upper())
    if complaint is None or not access.can_view(current_user, complaint):
        raise DomainError(_("There is no complaint numbered %(number)s that you may see.",
                            number=number), "complaint_number")
    return complaint


@bp.route("/new", methods=["GET", "POST"])
@roles_required(access.can_open_accountability)
def new():
    complaint = None
    if request.args.get("complaint", "").isdigit():
        complaint = Complaint.get_or_none(Complaint.id == int(request.args["complaint"]))
        if complaint is not None and not access.can_view(current_user, complaint):
            complaint = None
    form = NewRecordForm()
    _subject_choices(form)
    if request.method == "GET":
        form.complaint_number.data = complaint.number if complaint else ""
        return _new_page(form, complaint)
    if not form.validate_on_submit() or not form.subject.data:
        if not form.subject.data and not form.subject.errors:
            form.subject.errors = [_("Choose the person concerned.")]
        return _new_page(form, complaint, 422)
    files = [(f.filename, f.read()) for f in (form.evidence.data or []) if f and f.filename]
    try:
        record = acc.open_record(
            current_user, User.get_or_none(User.id == form.subject.data), form.level.data,
            form.findings.data, complaint=_complaint_by_number(form.complaint_number.data),
            files=files, upload_dir=current_app.config["UPLOAD_DIR"],
            max_bytes=int(org_settings()["max_upload_mb"]) * 1024 * 1024,
            settings=org_settings())
    except Forbidden:
        abort(403)
    except DomainError as e:
        target = form[e.field] if e.field in form else form.findings
        target.errors = list(target.errors) + [str(e.message)]
        return _new_page(form, complaint, 422)
    flash(_("Accountability record %(number)s opened. The person concerned is told only "
            "when a decision is made.", number=record.number), "success")
    return redirect_after_post(url_for("accountability.show", record_id=record.id))
