"""The effectiveness review of a plan whose measures are all done: the figures before and
after side by side (the dates can be changed; htmx refreshes the figures), the conclusion,
and for a plan that was not (or only partly) effective a follow-up plan, saved with the
review in one transaction."""
import datetime as dt

from flask import abort, flash, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required

from app import org_settings
from blueprints.plans import bp
from blueprints.plans.forms import ReviewForm, add_error
from blueprints.plans.prefill import follow_up_data
from blueprints.plans.views import get_plan_or_404
from blueprints.web import page_or_fragment, redirect_after_post
from domain import access, plans
from domain.errors import Conflict, DomainError, Forbidden
from domain.plans_figures import (PERIOD_FIELDS, check_periods, default_periods,
                                  effectiveness, org_today)

REVIEW_FIELDS = set(PERIOD_FIELDS) | {"conclusion", "note", "follow_up"}
NOT_READY = _l("Only a plan whose measures are all done can be reviewed, and only once.")


def _reviewable(plan_id):
    plan = get_plan_or_404(plan_id)
    if not access.can_review_plan(current_user, plan):
        abort(403)
    return plan


def _periods_from(args, plan) -> tuple[dict, dict]:
    """Periods from the query (else the defaults) and the errors found in them."""
    periods = default_periods(plan, org_today(org_settings()))
    errors = {}
    for name in PERIOD_FIELDS:
        raw = args.get(name)
        if raw is None:
            continue
        try:
            periods[name] = dt.date.fromisoformat(raw)
        except ValueError:
            periods[name], errors[name] = None, _("Give a date.")
    if not errors:
        try:
            check_periods(periods)
        except DomainError as e:
            errors[e.field] = str(e.message)
    return periods, errors


def _figures(plan, periods, errors):
    return None if errors else effectiveness(plan, settings=org_settings(), **periods)


def _page(plan, form, periods, errors, status=200):
    return page_or_fragment("plans/review.html", "plans/_review_form.html", status, p=plan,
                            form=form, periods=periods, period_errors=errors,
                            figures=_figures(plan, periods, errors))


@bp.get("/<int:plan_id>/review")
@login_required
def review(plan_id):
    plan = _reviewable(plan_id)
    if plan.status != "completed":
        flash(str(NOT_READY), "error")
        return redirect_after_post(url_for("plans.show", plan_id=plan.id))
    periods, errors = _periods_from(request.args, plan)
    data = {"version": plan.version,
            "follow_up": follow_up_data(plan, org_today(org_settings()))}
    form = ReviewForm(formdata=None, data=data)
    return _page(plan, form, periods, errors)


@bp.get("/<int:plan_id>/review/figures")
@login_required
def figures(plan_id):
    """The figures for the dates chosen (htmx), with the dates the review will record."""
    plan = _reviewable(plan_id)
    periods, errors = _periods_from(request.args, plan)
    return page_or_fragment("plans/review.html", "plans/_figures.html",
                            422 if errors else 200, p=plan, periods=periods,
                            period_errors=errors, figures=_figures(plan, periods, errors),
                            form=None, for_review=True)


@bp.post("/<int:plan_id>/review")
@login_required
def save_review(plan_id):
    plan = _reviewable(plan_id)
    form = ReviewForm()
    periods, errors = _periods_from(request.form, plan)
    if form.validate_on_submit() and not errors:
        follow = form.follow_up.form
        try:
            plans.review(plan.id, current_user, form.posted_version(), periods=form.periods(),
                         conclusion=form.conclusion.data, note=form.note.data or "",
                         follow_up=follow.arguments() if follow.given() else None,
                         settings=org_settings())
        except Forbidden:
            abort(403)
        except Conflict as e:
            form.form_errors.append(str(e.message))
            return _page(plan, form, periods, errors, 409)
        except DomainError as e:
            prefix = "" if e.field in REVIEW_FIELDS else "follow_up-"
            if e.field in PERIOD_FIELDS:
                errors[e.field] = str(e.message)
            add_error(form, e.field, e.message, prefix=prefix)
        else:
            flash(_("The review of %(number)s is recorded.", number=plan.number), "success")
            return redirect_after_post(url_for("plans.show", plan_id=plan.id) + "#reviews")
    if errors:
        form.form_errors.append(_("Choose valid periods for the figures."))
    return _page(plan, form, periods, errors, 422)
