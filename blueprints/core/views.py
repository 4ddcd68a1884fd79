"""Home, language choice and error pages (the health check is in health.py)."""
from urllib.parse import urlsplit

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from blueprints.core import bp
from blueprints.web import safe_next_url


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("work.index"))
    return redirect(url_for("auth.login"))


@bp.post("/language")
def set_language():
    lang = request.form.get("lang", "")
    if lang not in current_app.config["LANGUAGES"]:
        return render_template("errors/error.html", code=400,
                               message=_("That language is not available.")), 400
    session["lang"] = lang
    if current_user.is_authenticated:
        from domain.accounts import set_locale
        set_locale(current_user, lang)
    target = request.form.get("next") or ""
    if not target and request.referrer:
        ref = urlsplit(request.referrer)
        if ref.netloc == request.host:
            target = ref.path + (f"?{ref.query}" if ref.query else "")
    return redirect(safe_next_url(target, url_for("core.index")), 303)


def _error(code, message):
    if request.headers.get("HX-Request") == "true":
        return render_template("errors/_error.html", code=code, message=message), code
    return render_template("errors/error.html", code=code, message=message), code


@bp.app_errorhandler(400)
def bad_request(_e):
    return _error(400, _("The request could not be understood."))


@bp.app_errorhandler(CSRFError)
def csrf_error(_e):
    return _error(400, _("Your form had expired. Reload the page and try again."))


@bp.app_errorhandler(403)
def forbidden(_e):
    return _error(403, _("You do not have permission to do this."))


@bp.app_errorhandler(404)
def not_found(_e):
    return _error(404, _("There is nothing here, or you do not have access to it."))


@bp.app_errorhandler(405)
def method_not_allowed(_e):
    return _error(405, _("That action is not available here."))


@bp.app_errorhandler(409)
def conflict(e):
    return _error(409, getattr(e, "description", None) or _("Someone else changed this first."))


@bp.app_errorhandler(413)
def too_large(_e):
    return _error(413, _("The files are too large. Upload fewer or smaller files."))


@bp.app_errorhandler(429)
def too_many(_e):
    return _error(429, _("Too many attempts. Wait a few minutes and try again."))


@bp.app_errorhandler(500)
def server_error(_e):
    return _error(500, _("Something went wrong on our side. Nothing was saved; try again."))
