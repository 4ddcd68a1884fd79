"""One emergency response: its page (or its panel for htmx), the live log fragment the page
polls, the log form, statements, team changes, stand-down, lessons, and the report PDF.

Someone who may not see the response gets 404 everywhere; someone who may see it but not
take a step 403; a stale page 409; bad input 422 with the message beside the field."""
from flask import abort, current_app, flash, make_response, render_template, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required

from app import org_settings
from blueprints.emergency import bp
from blueprints.emergency.forms import (AddMemberForm, LessonsForm, LogForm, RemoveMemberForm,
                                        StandDownForm, StatementForm)
from blueprints.web import (active_users, is_fragment_request, local_to_utc, page_or_fragment,
                            redirect_after_post)
from domain import access, emergency, letters
from domain import emergency_queries as queries
from domain.errors import Conflict, DomainError, Forbidden
from domain.group_models import EmergencyResponse, GroupRepresentative
from domain.models import utcnow


def load_response_or_404(response_id: int):
    """The response and its current team ids, if the user may see it (else 404)."""
    response = EmergencyResponse.get_or_none(EmergencyResponse.id == response_id)
    if response is None:
        abort(404)
    ids = emergency.member_ids(response)
    if not access.can_view_emergency(current_user, response, ids):
        abort(404)
    return response, ids


def _context(response, ids, forms=None, notice=None) -> dict:
    user = current_user._get_current_object()
    roles = emergency.member_roles(response)
    group = queries.group_of(response.complaint_id)
    may_run = access.can_run_emergency(user, response) and response.status == "active"
    context = {
        "r": response, "complaint": response.complaint if response.complaint_id else None,
        "group": group,
        "representatives": list(GroupRepresentative.select().where(
            (GroupRepresentative.group == group.id) & (GroupRepresentative.name != ""))
            .order_by(GroupRepresentative.position)) if group else [],
        "members": emergency.current_members(response),
        "entries": queries.log_entries(response),
        "may_log": access.can_log_emergency(user, response, ids),
        "may_state": emergency.can_issue_statement(user, response, roles),
        "may_run": may_run,
        "may_lessons": emergency.can_record_lessons(user, response),
        "event_labels": emergency.EVENT_LABELS, "channels": emergency.STATEMENT_CHANNELS,
        "response_statuses": emergency.STATUSES, "notice": notice,
    }
    fresh = {"log_form": LogForm(formdata=None, prefix="log"), "statement_form": StatementForm(formdata=None, prefix="statement"),
             "add_form": AddMemberForm(formdata=None, data={"version": response.version},
                                      prefix="member"),
             "stand_down_form": StandDownForm(formdata=None,
                                             data={"version": response.version},
                                             prefix="stand"),
             "lessons_form": LessonsForm(formdata=None, prefix="lessons",
                                         data={"version": response.version,
                                               "lessons": response.lessons}),
             "remove_form": RemoveMemberForm(formdata=None, data={"version": response.version})}
    fresh.update(forms or {})
    if may_run:
        fresh["add_form"].set_people(active_users())
    context.update(fresh)
    return context


def _panel(response, ids, status=200, **kwargs):
    return page_or_fragment("emergency/show.html", "emergency/_panel.html", status,
                            **_context(response, ids, **kwargs))


@bp.get("/<int:response_id>")
@login_required
def show(response_id):
    response, ids = load_response_or_404(response_id)
    return _panel(response, ids)


@bp.get("/<int:response_id>/log")
@login_required
def log_fragment(response_id):
    """The live log (polled every 10 s by the page while the response is active)."""
    response, ids = load_response_or_404(response_id)
    context = _context(response, ids)
    return render_template("emergency/_log.html", **context)


def _done(response, message, anchor=""):
    flash(message, "success")
    return redirect_after_post(url_for("emergency.show", response_id=response.id) + anchor)


@bp.post("/<int:response_id>/log")
@login_required
def add_log(response_id):
    response, ids = load_response_or_404(response_id)
    if not access.can_log_emergency(current_user, response, ids):
        abort(403)
    form = LogForm(prefix="log")
    status = 422
    if form.validate_on_submit():
        happened = local_to_utc(form.happened_at.data, org_settings()["timezone"])
        try:
            emergency.log(response, current_user._get_current_object(), form.text.data,
                          happened)
        except Forbidden:
            abort(403)
        except Conflict as e:
            form.form_errors.append(str(e.message))
            status = 409
        except DomainError as e:
            target = form[e.field] if e.field in form else form.text
            target.errors = list(target.errors) + [str(e.message)]
        else:
            response = EmergencyResponse.get_by_id(response.id)
            if not is_fragment_request():
                return _done(response, _("Added to the log."), "#log")
            form, status = LogForm(formdata=None, prefix="log"), 200
    if is_fragment_request():
        return render_template("emergency/_log_section.html",
                               **_context(response, ids, forms={"log_form": form})), status
    return _panel(response, ids, status, forms={"log_form": form})


def _step(response_id, form, allowed, run, message, form_name, anchor=""):
    """A POST that changes the response: check access, validate, run, answer."""
    response, ids = load_response_or_404(response_id)
    if not allowed(response, ids):
        abort(403)
    status = 422
    if form.validate_on_submit():
        try:
            run(response)
        except Forbidden:
            abort(403)
        except Conflict as e:
            return _panel(EmergencyResponse.get_by_id(response.id), ids, 409,
                          notice=str(e.message))
        except DomainError as e:
            target = form[e.field] if e.field in form else None
            if target is None:
                return _panel(response, ids, 422, notice=str(e.message),
                              forms={form_name: form})
            target.errors = list(target.errors) + [str(e.message)]
        else:
            return _done(response, message, anchor)
    return _panel(response, ids, status, forms={form_name: form})


def _actor():
    return current_user._get_current_object()


@bp.post("/<int:response_id>/statement")
@login_required
def add_statement(response_id):
    form = StatementForm(prefix="statement")
    return _step(response_id, form,
                 lambda r, ids: emergency.can_issue_statement(current_user, r,
                                                              emergency.member_roles(r)),
                 lambda r: emergency.statement(r, _actor(), form.channel.data, form.text.data),
                 _("The statement is recorded."), "statement_form", "#statements")


@bp.post("/<int:response_id>/members")
@login_required
def add_member(response_id):
    form = AddMemberForm(prefix="member")
    form.set_people(active_users())
    return _step(response_id, form, lambda r, ids: access.can_run_emergency(current_user, r),
                 lambda r: emergency.add_member(r, _actor(), form.user.data, form.role.data,
                                                form.posted_version()),
                 _("Added to the team."), "add_form", "#team")


@bp.post("/<int:response_id>/members/remove")
@login_required
def remove_member(response_id):
    form = RemoveMemberForm()
    member = int(form.member.data) if (form.member.data or "").isdigit() else 0
    return _step(response_id, form, lambda r, ids: access.can_run_emergency(current_user, r),
                 lambda r: emergency.remove_member(r, _actor(), member, form.posted_version()),
                 _("Taken off the team."), "remove_form", "#team")


@bp.post("/<int:response_id>/stand-down")
@login_required
def stand_down(response_id):
    form = StandDownForm(prefix="stand")
    return _step(response_id, form, lambda r, ids: access.can_run_emergency(current_user, r),
                 lambda r: emergency.stand_down(r, _actor(), form.summary.data,
                                                form.lessons.data, form.posted_version()),
                 _("The response is stood down. The team has been told."), "stand_down_form")


@bp.post("/<int:response_id>/lessons")
@login_required
def lessons(response_id):
    form = LessonsForm(prefix="lessons")
    return _step(response_id, form, lambda r, ids: emergency.can_record_lessons(current_user, r),
                 lambda r: emergency.record_lessons(r, _actor(), form.lessons.data,
                                                    form.posted_version()),
                 _("The lessons learned are recorded."), "lessons_form", "#lessons")


@bp.get("/<int:response_id>/report.pdf")
@login_required
def report(response_id):
    """The emergency (or drill) report, rendered now in the viewer's language."""
    response, ids = load_response_or_404(response_id)
    language = "zh_Hans" if str(get_locale()).startswith("zh") else "en"
    html = render_template("emergency/report_pdf.html", language=language, org=org_settings(),
                           now=utcnow(), viewer=current_user, **_context(response, ids))
    body, _pages = letters.render_pdf(html, base_url=str(current_app.config["DOCUMENT_DIR"]))
    result = make_response(body)
    result.headers["Content-Type"] = "application/pdf"
    result.headers["Content-Disposition"] = f'inline; filename="{response.number}.pdf"'
    result.headers["Cache-Control"] = "private, no-store"
    result.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
    return result
