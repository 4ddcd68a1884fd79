"""Complaint list, intake, the complaint page, corrections and evidence."""
import datetime as dt
from zoneinfo import ZoneInfo

from flask import (abort, current_app, flash, render_template, request, send_file, session,
                   url_for)
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required

from app import org_settings
from blueprints.complaints import bp
from blueprints.complaints.related import related_records
from blueprints.complaints.action_forms import forms_for
from blueprints.complaints.forms import EditForm, EvidenceForm, GroupHandledForm, IntakeForm
from blueprints.web import (active_departments, active_users, get_complaint_or_404,
                            is_fragment_request,
                            local_to_utc, page_or_fragment, redirect_after_post, roles_required,
                            utc_to_local)
from domain import access, groups, intake, uploads
from domain.errors import Conflict, DomainError, Forbidden
from domain.group_models import GroupDetail
from domain.models import Evidence
from domain.queries import ComplaintFilter, list_page
from domain.stage_view import load_stages
from domain.timeline import timeline_for


def _max_bytes() -> int:
    return int(org_settings()["max_upload_mb"]) * 1024 * 1024


def _form_data(form) -> dict:
    tz = org_settings()["timezone"]
    data = {name: form[name].data for name in intake.INTAKE_FIELDS if name in form}
    data["received_at"] = local_to_utc(form.received_at.data, tz)
    due = form.regulator_due.data
    data["regulator_due"] = local_to_utc(dt.datetime.combine(due, dt.time(23, 59)), tz) if due else None
    data["nature"] = data.get("nature") or ""
    for key in ("complainant_phone", "complainant_email", "complainant_address", "demand",
                "order_ref", "regulator_name", "regulator_ref"):
        data[key] = data.get(key) or ""
    return data


def _files(field) -> list[tuple[str, bytes]]:
    return [(f.filename, f.read()) for f in (field.data or []) if f and f.filename]


@bp.get("")
@login_required
def index():
    f = ComplaintFilter.from_args(request.args)
    page = list_page(f, current_user, current_app.config["PAGE_SIZE"],
                     ZoneInfo(org_settings()["timezone"]))
    return page_or_fragment("complaints/list.html", "complaints/_results.html",
                            f=f, page=page, departments=active_departments(),
                            assignees=active_users(),
                            may_register=access.can_register(current_user))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(access.can_register)
def new():
    tz = org_settings()["timezone"]
    form = IntakeForm()
    if request.method == "GET":
        form.received_at.data = utc_to_local(dt.datetime.now(dt.timezone.utc).replace(
            tzinfo=None), tz).replace(second=0, microsecond=0)
        form.language.data = str(get_locale()) if str(get_locale()) == "en" else "zh_Hans"
        form.severity.data, form.urgency.data = "ordinary", "normal"
    if form.validate_on_submit():
        try:
            complaint, code = intake.register(
                _form_data(form), current_user, _files(form.evidence), settings=org_settings(),
                upload_dir=current_app.config["UPLOAD_DIR"], max_bytes=_max_bytes(),
                group=form.group_data())
        except DomainError as e:
            form[e.field or "matter"].errors.append(str(e.message))
        else:
            session["new_lookup_code"] = [complaint.id, code]
            flash(_("Complaint %(number)s registered.", number=complaint.number), "success")
            return redirect_after_post(url_for("complaints.show", complaint_id=complaint.id))
    status = 422 if request.method == "POST" else 200
    return page_or_fragment("complaints/new.html", "complaints/_intake_form.html", status,
                            form=form)


@bp.get("/duplicates")
@roles_required(access.can_register)
def duplicates():
    matches = intake.possible_duplicates(
        request.args.get("complainant_phone", "")[:40],
        request.args.get("complainant_email", "")[:254])
    return render_template("complaints/_duplicates.html", matches=[
        (c, access.can_view(current_user, c)) for c in matches])


@bp.get("/<int:complaint_id>")
@login_required
def show(complaint_id):
    complaint = get_complaint_or_404(complaint_id)
    # The new complaint's lookup code is shown once, on its own full page.
    code = session.get("new_lookup_code")
    lookup_code = None
    if code and code[0] == complaint.id and not is_fragment_request():
        lookup_code = session.pop("new_lookup_code")[1]
    return page_or_fragment("complaints/show.html", "complaints/_panel.html",
                            **_page_context(complaint), lookup_code=lookup_code)


def _page_context(complaint):
    stages = load_stages(complaint, org_settings())
    actions = access.available_actions(current_user, complaint)
    return {
        "c": complaint,
        "stages": stages,
        "actions": actions,
        "action_forms": forms_for(complaint, actions, stages),
        "action_notice": None,
        "evidence": list(complaint.evidence.order_by(Evidence.uploaded_at)),
        "timeline": timeline_for(complaint),
        "may_edit": access.can_edit_intake(current_user, complaint),
        "may_add_evidence": access.can_add_evidence(current_user, complaint),
        "evidence_form": EvidenceForm(),
        "related": related_records(current_user, complaint),
    }


@bp.get("/<int:complaint_id>/timeline")
@login_required
def timeline(complaint_id):
    complaint = get_complaint_or_404(complaint_id)
    return render_template("complaints/_timeline.html", c=complaint,
                           timeline=timeline_for(complaint))


@bp.route("/<int:complaint_id>/edit", methods=["GET", "POST"])
@login_required
def edit(complaint_id):
    complaint = get_complaint_or_404(complaint_id, need="edit")
    tz = org_settings()["timezone"]
    form = EditForm(obj=complaint if request.method == "GET" else None)
    if request.method == "GET":
        form.received_at.data = utc_to_local(complaint.received_at, tz)
        form.regulator_due.data = (utc_to_local(complaint.regulator_due, tz).date()
                                   if complaint.regulator_due else None)
        form.nature.data = complaint.nature or ""
        form.version.data = complaint.version
        for name, value in groups.group_form_data(
                GroupDetail.get_or_none(GroupDetail.complaint == complaint.id)).items():
            form[name].data = value
    status = 200
    if form.validate_on_submit():
        try:
            intake.update(complaint.id, _form_data(form), current_user,
                          int(form.version.data or 0), group=form.group_data())
        except Conflict as e:
            form.form_errors.append(str(e.message))
            status = 409
        except DomainError as e:
            form[e.field or "matter"].errors.append(str(e.message))
            status = 422
        else:
            flash(_("The changes were saved and recorded in the history."), "success")
            return redirect_after_post(url_for("complaints.show", complaint_id=complaint.id))
    elif request.method == "POST":
        status = 422
    return page_or_fragment("complaints/edit.html", "complaints/_edit_form.html", status,
                            form=form, c=complaint)


@bp.post("/<int:complaint_id>/group-handled")
@login_required
def group_handled(complaint_id):
    """A leader or the complaint manager records the group complaint as handled."""
    complaint = get_complaint_or_404(complaint_id)
    if not access.can_mark_group_handled(current_user, complaint):
        abort(403)
    form = GroupHandledForm()
    url = url_for("complaints.show", complaint_id=complaint.id)
    if form.validate_on_submit():
        try:
            groups.mark_handled(complaint, current_user, form.note.data)
        except Forbidden:
            abort(403)
        except Conflict as e:
            flash(str(e.message), "error")
            return redirect_after_post(url)
        except DomainError as e:
            form.note.errors.append(str(e.message))
        else:
            flash(_("The group complaint is recorded as handled; its alert is gone."),
                  "success")
            return redirect_after_post(url)
    context = _page_context(complaint)
    context["group_form"] = form
    return page_or_fragment("complaints/show.html", "complaints/_panel.html", 422, **context,
                            lookup_code=None)


@bp.post("/<int:complaint_id>/evidence")
@login_required
def add_evidence(complaint_id):
    complaint = get_complaint_or_404(complaint_id, need="evidence")
    form = EvidenceForm()
    if form.validate_on_submit():
        try:
            intake.add_evidence(complaint.id, _files(form.evidence), current_user,
                                upload_dir=current_app.config["UPLOAD_DIR"],
                                max_bytes=_max_bytes(), note=form.note.data or "")
        except DomainError as e:
            form.evidence.errors.append(str(e.message))
        else:
            flash(_("The files were added."), "success")
            return redirect_after_post(url_for("complaints.show", complaint_id=complaint.id))
    context = _page_context(complaint)
    context["evidence_form"] = form
    return page_or_fragment("complaints/show.html", "complaints/_evidence.html", 422, **context)


@bp.get("/<int:complaint_id>/evidence/<int:evidence_id>")
@login_required
def evidence_file(complaint_id, evidence_id):
    complaint = get_complaint_or_404(complaint_id, need="files")
    item = Evidence.get_or_none((Evidence.id == evidence_id) & (Evidence.complaint == complaint.id))
    if item is None:
        abort(404)
    path = uploads.path_of(current_app.config["UPLOAD_DIR"], item.stored_name)
    response = send_file(path, mimetype=item.mime_type, as_attachment=True,
                         download_name=uploads.download_name(item.original_name, item.mime_type),
                         max_age=0)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response
