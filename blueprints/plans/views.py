"""Improvement plans: the list, a new plan, the plan's page and the changes made on it
(link a complaint, add a measure, mark a measure done). The review is in review.py.

Who may do what: domain/access.py (reads_all_plans, can_create_plan, can_edit_plan,
can_review_plan, can_view_plan, can_mark_measure_done)."""
from flask import abort, current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from app import org_settings
from blueprints.plans import bp
from blueprints.plans.forms import (AddMeasureForm, DoneForm, LinkForm, PlanForm, add_error)
from blueprints.plans.prefill import follow_up_parent, new_plan_data
from blueprints.web import (active_departments, is_fragment_request, page_or_fragment,
                            redirect_after_post, roles_required)
from domain import access, plans, record_history
from domain.errors import Conflict, DomainError, Forbidden
from domain.oversight_models import ImprovementPlan, PlanMeasure
from domain.plans_figures import org_today
from domain.plans_queries import PlanFilter, list_page, load_plan


def get_plan_or_404(plan_id: int) -> ImprovementPlan:
    plan = ImprovementPlan.get_or_none(ImprovementPlan.id == plan_id)
    if plan is None or not plans.can_view_plan(current_user, plan):
        abort(404)
    return plan


@bp.get("/")
@login_required
def index():
    f = PlanFilter.from_args(request.args)
    page = list_page(f, current_user, current_app.config["PAGE_SIZE"],
                     org_today(org_settings()))
    return page_or_fragment("plans/index.html", "plans/_results.html", f=f, page=page,
                            departments=active_departments(),
                            may_create=access.can_create_plan(current_user))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(access.can_create_plan)
def new():
    if request.method == "GET":
        data = new_plan_data(request.args, current_user, org_today(org_settings()))
        return page_or_fragment("plans/new.html", "plans/_form.html",
                                form=PlanForm(formdata=None, data=data))
    form = PlanForm()
    if "more_rows" in request.form:  # no JavaScript needed for more measure rows
        form.add_row()
        return page_or_fragment("plans/new.html", "plans/_form.html", form=form)
    if form.validate_on_submit():
        parent = follow_up_parent(MultiDict({"follow_up_of": form.parent.data or ""}),
                                  current_user)
        try:
            numbers = plans.complaints_by_numbers(current_user, form.numbers())
            plan = plans.create_plan(current_user, **form.arguments(),
                                     complaint_ids=[c.id for c in numbers], parent=parent,
                                     settings=org_settings())
        except Forbidden:
            abort(403)
        except DomainError as e:
            add_error(form, e.field, e.message)
        else:
            flash(_("Improvement plan %(number)s started.", number=plan.number), "success")
            return redirect_after_post(url_for("plans.show", plan_id=plan.id))
    return page_or_fragment("plans/new.html", "plans/_form.html", 422, form=form)


@bp.get("/<int:plan_id>")
@login_required
def show(plan_id):
    return _panel(get_plan_or_404(plan_id), 200)


def _panel(plan, status, forms=None, notice=None, success=False):
    """The plan's page, or its panel for htmx, with any posted form kept."""
    plan = ImprovementPlan.get_by_id(plan.id)
    view = load_plan(plan, org_today(org_settings()))
    forms = forms or {}
    version = {"version": plan.version}
    done_forms = {m.id: forms.get(("done", m.id)) or DoneForm(
        formdata=None, prefix=f"done-{m.id}", data=version)
        for m in view.measures if plans.can_mark_measure_done(current_user, plan, m)}
    may_edit = access.can_edit_plan(current_user, plan)
    return page_or_fragment(
        "plans/show.html", "plans/_panel.html", status, v=view, p=plan,
        done_forms=done_forms, may_edit=may_edit,
        link_form=(forms.get("link") or LinkForm(formdata=None, data=version))
        if may_edit else None,
        measure_form=(forms.get("measure") or AddMeasureForm(
            formdata=None, prefix="measure", data=version))
        if may_edit and plan.status == "active" else None,
        may_review=plan.status == "completed" and access.can_review_plan(current_user, plan),
        may_follow_up=(plan.status == "reviewed" and access.can_create_plan(current_user)),
        notice=notice, success=success, plan_actions=plans.PLAN_ACTIONS,
        event_data=record_history.event_data)


def _after(plan, form_key, form, call, done_message):
    """Run one change from the plan's page: 422 beside the field, 409 when stale, 403."""
    if not form.validate_on_submit():
        return _panel(plan, 422, forms={form_key: form})
    try:
        call(form.posted_version())
    except Forbidden:
        abort(403)
    except Conflict as e:
        return _panel(plan, 409, notice=e.message)
    except DomainError as e:
        add_error(form, e.field, e.message, prefix=form._prefix)
        return _panel(plan, 422, forms={form_key: form})
    if is_fragment_request():
        return _panel(plan, 200, notice=done_message, success=True)
    flash(done_message, "success")
    return redirect_after_post(url_for("plans.show", plan_id=plan.id))


@bp.post("/<int:plan_id>/measures/<int:measure_id>/done")
@login_required
def measure_done(plan_id, measure_id):
    plan = get_plan_or_404(plan_id)
    measure = PlanMeasure.get_or_none((PlanMeasure.id == measure_id)
                                      & (PlanMeasure.plan == plan.id))
    if measure is None:
        abort(404)
    form = DoneForm(prefix=f"done-{measure.id}")
    return _after(plan, ("done", measure.id), form,
                  lambda v: plans.mark_measure_done(measure.id, current_user, v,
                                                    form.note.data or ""),
                  _("Measure %(n)s marked done.", n=measure.position))


@bp.post("/<int:plan_id>/complaints")
@login_required
def link(plan_id):
    plan = get_plan_or_404(plan_id)
    if not access.can_edit_plan(current_user, plan):
        abort(403)
    form = LinkForm()
    return _after(plan, "link", form,
                  lambda v: plans.link_complaint(plan.id, current_user, v, form.number.data),
                  _("Complaint %(number)s linked.", number=(form.number.data or "").upper()))


@bp.post("/<int:plan_id>/measures")
@login_required
def add_measure(plan_id):
    plan = get_plan_or_404(plan_id)
    if not access.can_edit_plan(current_user, plan):
        abort(403)
    form = AddMeasureForm(prefix="measure")
    return _after(plan, "measure", form,
                  lambda v: plans.add_measure(plan.id, current_user, v,
                                              text=form.text.data, owner_id=form.owner.data,
                                              due_on=form.due_on.data,
                                              department_id=form.department.data),
                  _("Measure added."))


from blueprints.plans import review  # noqa: E402,F401
