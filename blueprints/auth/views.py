"""Sign in, sign out, password and language preferences."""
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import (current_user, fresh_login_required, login_fresh, login_required,
                         login_user, logout_user)

from extensions import limiter, login_manager
from blueprints.auth import bp
from blueprints.auth.forms import LoginForm, PasswordForm, PreferencesForm
from blueprints.web import safe_next_url
from domain import accounts
from domain.errors import DomainError
from domain.models import User


@login_manager.user_loader
def load_user(token: str):
    user_id, _sep, version = token.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    return (User.select().where((User.id == int(user_id)) & (User.session_version == int(version))
                                & User.active).first())


def _login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated and login_fresh():
        return redirect(url_for("work.index"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = accounts.authenticate(form.username.data, form.password.data,
                                     request.remote_addr or "")
        if user:
            chosen = session.get("lang")
            session.clear()
            login_user(user)
            session.permanent = True
            if not user.locale and chosen:
                accounts.set_locale(user, chosen)  # the language picked before signing in
            if user.locale:
                session["lang"] = user.locale
            return redirect(safe_next_url(request.args.get("next"), url_for("work.index")), 303)
        error = _("The username or password is incorrect.")
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
                                      form.password.data)
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
    return render_template("auth/account.html", form=form, prefs=prefs), status
