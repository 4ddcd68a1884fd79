"""The workflow steps on the complaint page: one POST endpoint per action.

Each posts the version the page showed; the view checks the form, calls the one
domain.workflow function of that name and re-renders the complaint panel (htmx) or
redirects back to the complaint page (303). Refusals: 422 with the message beside the
field, 409 when the complaint moved on (nothing saved), 403 when the step is not the user's.
"""
from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required

from app import org_settings
from blueprints.complaints import bp
from blueprints.complaints.action_forms import FORMS, posted_form
from blueprints.complaints.views import _page_context
from blueprints.web import get_complaint_or_404, is_fragment_request, page_or_fragment
from domain import access, workflow
from domain.errors import Conflict, DomainError, Forbidden
from domain.models import Complaint
from domain.statuses import STATUSES, TRANSITIONS

STALE = _l("Someone else acted on this complaint after you opened it. Nothing was saved; "
           "the page now shows the complaint as it is.")
WRONG_STAGE = _l("This step is no longer possible at the complaint's current stage. "
                 "Nothing was saved; the page now shows the complaint as it is.")


@bp.post("/<int:complaint_id>/act/<action>")
@login_required
def act(complaint_id, action):
    if action not in FORMS:
        abort(404)
    complaint = get_complaint_or_404(complaint_id)
    form = posted_form(action, complaint, request.form)
    version = _posted_version(form)
    if not access.may_act(current_user, complaint, action):
        if version == complaint.version and (complaint.status, action) in TRANSITIONS:
            abort(403)
        return _panel(complaint, 409, notice=STALE if version != complaint.version
                      else WRONG_STAGE)
    if version != complaint.version:
        return _panel(complaint, 409, form=_refreshed(form, complaint), notice=STALE)
    if not form.validate_on_submit():
        return _panel(complaint, 422, form=form)
    old_status = complaint.status
    arguments = form.arguments()
    if action == "archive":  # the dossier is rendered first, then the step records it
        arguments["document_dir"] = current_app.config["DOCUMENT_DIR"]
    try:
        getattr(workflow, action)(complaint.id, current_user, version, org_settings(),
                                  **arguments)
    except Forbidden:
        abort(403)
    except Conflict as e:
        complaint = Complaint.get_by_id(complaint.id)
        return _panel(complaint, 409, notice=e.message)
    except DomainError as e:
        form.add_error(e.field, e.message)
        return _panel(complaint, 422, form=form)
    complaint = Complaint.get_by_id(complaint.id)
    done = (_("Saved. The complaint is now: %(status)s.", status=_status(complaint.status))
            if complaint.status != old_status else _("Saved."))
    if is_fragment_request():
        return _panel(complaint, 200, notice=done, success=True)
    flash(done, "success")
    return redirect(url_for("complaints.show", complaint_id=complaint.id), 303)


def _posted_version(form) -> int | None:
    try:
        return int(form.version.data)
    except (TypeError, ValueError):
        return None


def _refreshed(form, complaint):
    """The user's form, kept, but carrying the complaint's current version."""
    form.version.data = complaint.version
    return form


def _status(code) -> str:
    return str(STATUSES.get(code, code))


def _panel(complaint, status: int, form=None, notice=None, success=False):
    """The complaint panel (htmx) or page, the failed form in place of its fresh one."""
    context = _page_context(complaint)
    forms = context["action_forms"]
    messages = []
    if form is not None:
        if form.key in forms:
            forms[form.key], form.keep_open = form, True
        else:  # the form is not on the page (any more): its messages go above the panel
            messages = [m for errors in form.errors.values() for m in errors
                        if isinstance(m, str)] + [m for errors in form.group_errors.values()
                                                  for m in errors]
    if notice:
        messages.insert(0, str(notice))
    context["action_notice"] = {"messages": messages, "success": success} if messages else None
    return page_or_fragment("complaints/show.html", "complaints/_panel.html", status, **context)
