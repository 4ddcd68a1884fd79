"""Sign in, sign out, password and language preferences."""
from flask import (abort, current_app, flash, redirect, render_template, request, session,
                   url_for)
from flask_babel import gettext as _
from flask_login import (current_user, fresh_login_required, login_fresh, login_required,
                         login_user, logout_user)

from extensions import limiter, login_manager
from blueprints.auth import bp
from blueprints.auth.forms import EndSessionForm, LoginForm, PasswordForm, PreferencesForm
from blueprints.auth.session_guard import begin, current_key
from blueprints.web import safe_next_url
from domain import accounts, sessions
from domain.errors import DomainError, Forbidden
from domain.models import User
from domain.security_models import UserSession


@login_manager.user_loader
def load_user(token: str):
    """The signed-in user, in one query that also checks this browser's session is still
    open (not ended by signing out, an administrator, a password change or deactivation)."""
    user_id, _sep, version = token.partition(":")
    key = current_key()
    if not user_id.isdigit() or not version.isdigit() or key is None:
        return None
    return (User.select(User)
            .join(UserSession, on=(UserSession.user == User.id))
            .where((User.id == int(user_id)) & (User.session_version == int(version))
                   & User.active & (UserSession.id == key) & UserSession.ended_at.is_null())
            .first())


def lockout_policy() -> accounts.LockoutPolicy:
    config = current_app.config
    return accounts.LockoutPolicy(attempts=config["LOCKOUT_ATTEMPTS"],
                                  window_minutes=config["LOCKOUT_WINDOW_MINUTES"],
                                  lock_minutes=config["LOCKOUT_MINUTES"])


def session_limits() -> sessions.Limits:
    return sessions.Limits(
        idle_minutes=current_app.config["SESSION_IDLE_MINUTES"],
        lifetime_minutes=int(current_app.permanent_session_lifetime.total_seconds() // 60))


def _login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _failed(response) -> bool:
    """A sign-in that did not succeed (only those count against the address's limit: a
    whole office signing in at nine from one address must not be refused)."""
    return response.status_code != 303


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed)
def login():
    if current_user.is_authenticated and login_fresh():
        return redirect(url_for("work.index"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        result = accounts.sign_in(form.username.data, form.password.data,
                                  request.remote_addr or "", lockout_policy())
        user = result.user
        if user:
            chosen = session.get("lang")
            if current_key():  # signing in again in this browser ends the older session
                sessions.end(current_key(), "replaced")
            session.clear()
            login_user(user)
            begin(sessions.start(user, request.remote_addr or "",
                                 request.headers.get("User-Agent", "")))
            session.permanent = True
            if not user.locale and chosen:
                accounts.set_locale(user, chosen)  # the language picked before signing in
            if user.locale:
                session["lang"] = user.locale
            return redirect(safe_next_url(request.args.get("next"), url_for("work.index")), 303)
        error = _("The username or password is incorrect.")
        if result.locked:
            error = " ".join((error, _("Too many failed attempts: try again later.")))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form, error=error), status


@bp.errorhandler(429)
def login_rate_limited(_e):
    form = LoginForm()
    return render_template("auth/login.html", form=form, error=_(
        "Too many sign-in attempts from your network. Wait a few minutes and try again.")), 429


@bp.post("/logout")
@login_required
def logout():
    if current_key():
        sessions.end(current_key(), "signed_out", by=current_user._get_current_object())
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"), 303)


@bp.route("/account", methods=["GET", "POST"])
@fresh_login_required
def account():
    form = PasswordForm(prefix="pw")
    prefs = PreferencesForm(prefix="pref", locale=current_user.locale or "en")
    status = 200
    if request.method == "POST" and "pw-password" in request.form:
        if form.validate_on_submit():
            try:
                accounts.set_password(current_user, form.current_password.data,
                                      form.password.data, keep_session=current_key())
                # The new session version keeps this session signed in.
                login_user(current_user._get_current_object())
                flash(_("Your password was changed. Other sessions were signed out."),
                      "success")
                return redirect(url_for("auth.account"), 303)
            except DomainError as e:
                getattr(form, e.field or "password").errors.append(str(e.message))
        status = 422
    elif request.method == "POST":
        if prefs.validate_on_submit():
            accounts.set_locale(current_user, prefs.locale.data)
            session["lang"] = prefs.locale.data
            flash(_("Your language was saved."), "success")
            return redirect(url_for("auth.account"), 303)
        status = 422
    return _account_page(form, prefs, status)


def _account_page(form, prefs, status=200):
    return render_template(
        "auth/account.html", form=form, prefs=prefs,
        my_sessions=sessions.active_of(current_user, session_limits()),
        this_session=current_key(), reasons=sessions.END_REASONS), status


@bp.post("/account/sessions/<session_id>/end")
@login_required
def end_own_session(session_id):
    """Sign out one of one's own sessions (e.g. a browser left open elsewhere)."""
    form = EndSessionForm()
    if not form.validate_on_submit():
        abort(400)
    target = UserSession.get_or_none(UserSession.id == session_id)
    if target is None or target.user_id != current_user.id:
        abort(404)
    try:
        sessions.force_end(session_id, current_user._get_current_object())
    except Forbidden:
        abort(403)
    if session_id == current_key():
        logout_user()
        session.clear()
        return redirect(url_for("auth.login"), 303)
    flash(_("That session was signed out."), "success")
    return redirect(url_for("auth.account", _anchor="sessions"), 303)
