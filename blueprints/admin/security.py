"""Administration → Sessions (who is signed in where; force a sign-out; lift a sign-in lock)
and Audit (sign-ins, account and permission changes)."""
from flask import abort, current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.admin import bp
from blueprints.admin.views import admin_only
from blueprints.auth.forms import EndSessionForm
from blueprints.auth.session_guard import current_key
from blueprints.auth.views import lockout_policy, session_limits
from blueprints.web import page_or_fragment, redirect_after_post
from domain import accounts, audit, sessions
from domain.errors import Forbidden
from domain.models import User
from domain.security_models import UserSession
from domain.vocab import ROLES


def _page_number() -> int:
    raw = request.args.get("page", "")
    return min(max(int(raw), 1), 10_000) if raw.isdigit() else 1


def _check_csrf() -> None:
    if not EndSessionForm().validate_on_submit():
        abort(400)


@bp.get("/sessions")
@admin_only
def sessions_page():
    page = sessions.active_page(session_limits(), _page_number(),
                                current_app.config["PAGE_SIZE"])
    return page_or_fragment(
        "admin/sessions.html", "admin/_sessions_results.html", page=page,
        locked=accounts.locked_accounts(lockout_policy()), this_session=current_key(),
        idle_minutes=current_app.config["SESSION_IDLE_MINUTES"])


@bp.post("/sessions/<session_id>/end")
@admin_only
def end_session(session_id):
    _check_csrf()
    target = (UserSession.select(UserSession, User).join(User, on=(UserSession.user == User.id))
              .where(UserSession.id == session_id).first())
    if target is None:
        abort(404)
    try:
        sessions.force_end(session_id, current_user._get_current_object())
    except Forbidden:
        abort(403)
    flash(_("%(name)s was signed out of that session.", name=target.user.full_name), "success")
    return redirect_after_post(url_for("admin.sessions_page"))


@bp.post("/users/<int:user_id>/unlock")
@admin_only
def unlock_user(user_id):
    _check_csrf()
    user = User.get_or_none(User.id == user_id)
    if user is None:
        abort(404)
    accounts.unlock(user, current_user._get_current_object())
    flash(_("%(name)s can sign in again.", name=user.full_name), "success")
    return redirect_after_post(url_for("admin.sessions_page"))


@bp.get("/audit")
@admin_only
def audit_page():
    f = audit.AuditFilter.from_args(request.args)
    per_page = current_app.config["PAGE_SIZE"]
    page = audit.logins_page(f, per_page) if f.view == "logins" else audit.changes_page(f, per_page)
    return page_or_fragment("admin/audit.html", "admin/_audit_results.html", f=f, page=page,
                            actions=audit.ACTIONS, roles=ROLES, detail_of=audit.detail_of)
