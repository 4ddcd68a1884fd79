"""The list of emergency responses (readers: all; anyone else: those they are on the team
of), activating the emergency plan for a complaint, and starting a drill."""
from flask import abort, current_app, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from blueprints.emergency import bp
from blueprints.emergency.forms import ActivateForm, DrillForm
from blueprints.web import (active_users, get_complaint_or_404, page_or_fragment,
                            redirect_after_post, roles_required)
from domain import access
from domain import emergency
from domain import emergency_queries as queries
from domain.errors import Conflict, DomainError, Forbidden


@bp.get("/")
@login_required
def index():
    f = queries.ResponseFilter.from_args(request.args)
    page = queries.list_page(f, current_user, current_app.config["PAGE_SIZE"])
    return page_or_fragment("emergency/index.html", "emergency/_results.html", f=f, page=page,
                            reader=access.reads_all_emergencies(current_user),
                            may_drill=access.can_start_drill(current_user))


def _save(form, start, template, **context):
    """Validate, run `start()` (the domain call), and answer: the new response, or the form
    again with the messages beside the fields (422) or on top (409)."""
    if form.validate_on_submit():
        try:
            response = start()
        except Forbidden:
            abort(403)
        except Conflict as e:
            form.form_errors.append(str(e.message))
            return render_template(template, form=form, **context), 409
        except DomainError as e:
            field = {"team": "team_coordination"}.get(e.field, e.field)
            target = form[field] if field in form else None
            if target is not None:
                target.errors = list(target.errors) + [str(e.message)]
            else:
                form.form_errors.append(str(e.message))
        else:
            flash(_("Emergency response %(number)s is active. The team has been told.",
                    number=response.number) if not response.drill else
                  _("Drill %(number)s has started. The team has been told.",
                    number=response.number), "success")
            return redirect_after_post(url_for("emergency.show", response_id=response.id))
    status = 422 if request.method == "POST" else 200
    return render_template(template, form=form, **context), status


@bp.route("/activate/<int:complaint_id>", methods=["GET", "POST"])
@login_required
def activate(complaint_id):
    complaint = get_complaint_or_404(complaint_id)
    if not access.can_activate_emergency(current_user, complaint):
        abort(403)
    active = emergency.active_for(complaint)
    if active is not None:
        flash(_("An emergency response for this complaint is already active."), "error")
        return redirect_after_post(url_for("emergency.show", response_id=active.id))
    form = ActivateForm()
    form.set_people(active_users())
    if request.method == "GET":
        form.title.data = _("Group complaint %(number)s", number=complaint.number) \
            if complaint.severity == "group" else \
            _("Major complaint %(number)s", number=complaint.number)
        form.title.data += f" · {complaint.matter[:80]}"
        form.level.data = "II" if complaint.severity == "group" else "III"
    return _save(form, lambda: emergency.activate(
        complaint, current_user._get_current_object(), form.level.data, form.title.data,
        form.team()), "emergency/activate.html", complaint=complaint,
        group=queries.group_of(complaint.id))


@bp.route("/drill", methods=["GET", "POST"])
@roles_required(access.can_start_drill)
def new_drill():
    form = DrillForm()
    form.set_people(active_users())
    if request.method == "GET":
        form.level.data = "III"
    return _save(form, lambda: emergency.start_drill(
        current_user._get_current_object(), form.level.data, form.scenario.data, form.team()),
        "emergency/drill.html")
