"""The online complaint form (/complain) and its confirmation, the public layout's
branding, and the public pages' error pages."""
from flask import (abort, current_app, redirect, render_template, request, send_file,
                   session, url_for)
from flask_babel import get_locale, gettext as _
from flask_wtf.csrf import CSRFError

from app import org_settings
from extensions import limiter
from blueprints.public import bp
from blueprints.public.forms import ComplainForm
from blueprints.public.guard import (complain_limit, filled_in_human_time, form_started_token,
                                     remember_lookup, verified_complaint)
from domain import branding, public
from domain.errors import DomainError
from domain.models import Complaint
from domain.public_letters import issue_acknowledgement
from domain.public_view import public_letters, reply_by
from domain.uploads import ALLOWED_DESCRIPTION


def _language() -> str:
    return "zh_Hans" if str(get_locale()).startswith("zh") else "en"


def max_bytes() -> int:
    return int(org_settings()["max_upload_mb"]) * 1024 * 1024


def files_of(field) -> list[tuple[str, bytes]]:
    return [(f.filename, f.read()) for f in (field.data or []) if f and f.filename]


@bp.app_context_processor
def _public_layout():
    return {"public_logo_url": _logo_url}


def _logo_url():
    name = org_settings().get("logo_file")
    if name and branding.path_of(current_app.config["DOCUMENT_DIR"], name):
        return url_for("public.logo", name=name)
    return None


@bp.get("/complain/logo/<name>")
def logo(name):
    """The organisation's logo for the public pages (the seal is never served here)."""
    path = branding.path_of(current_app.config["DOCUMENT_DIR"], name)
    if path is None or name != org_settings().get("logo_file"):
        abort(404)
    return send_file(path, mimetype="image/png" if path.suffix == ".png" else "image/jpeg",
                     max_age=3600, conditional=True)


def _form_page(form, status=200, notice=None):
    form.started.data = form_started_token()
    form.website.data = ""
    return render_template("public/complain.html", form=form, notice=notice,
                           max_files=public.MAX_FILES, max_mb=org_settings()["max_upload_mb"],
                           types=ALLOWED_DESCRIPTION), status


@bp.route("/complain", methods=["GET", "POST"])
@limiter.limit(complain_limit, methods=["POST"])
def complain():
    form = ComplainForm()
    if request.method == "GET":
        return _form_page(form)
    if form.website.data:  # only robots fill the hidden field: thank them, keep nothing
        current_app.logger.info("public form: honeypot filled, nothing registered")
        return redirect(url_for("public.thanks"), 303)
    if not form.validate_on_submit():
        return _form_page(form, 422)
    if not filled_in_human_time(form.started.data):
        return _form_page(form, 422, notice=_(
            "Please check your details and send the form again."))
    data = {name: form[name].data for name in ("complainant_name", "complainant_phone",
                                               "complainant_email", "matter", "demand",
                                               "order_ref")}
    data["language"] = _language()
    settings = org_settings()
    try:
        complaint, code = public.submit_online(
            data, files_of(form.evidence), settings=settings,
            upload_dir=current_app.config["UPLOAD_DIR"], max_bytes=max_bytes())
    except DomainError as e:
        field = e.field if e.field in form else "matter"
        form[field].errors = list(form[field].errors) + [str(e.message)]
        return _form_page(form, 422)
    _acknowledge(complaint, code, data["language"])
    # intake.register queued the acknowledgement email (number and lookup code) when the
    # complainant gave an address and email is on.
    session["public_new"] = {"id": complaint.id, "code": code}
    return redirect(url_for("public.done"), 303)


def _acknowledge(complaint, code, language) -> None:
    """Issue the acknowledgement letter; the complaint stands even if this fails."""
    try:
        issue_acknowledgement(complaint, code, language, settings=org_settings(),
                              document_dir=current_app.config["DOCUMENT_DIR"])
    except Exception:  # noqa: BLE001 - logged; staff can issue it from the complaint page
        current_app.logger.exception("acknowledgement for %s could not be issued",
                                     complaint.number)


@bp.get("/complain/done")
def done():
    """The number and lookup code, shown once (then only the number and the letters)."""
    pending = session.pop("public_new", None)
    code = None
    if isinstance(pending, dict):
        complaint = Complaint.get_or_none(Complaint.id == pending.get("id"))
        if complaint is None:
            return redirect(url_for("public.complain"))
        code = pending.get("code")
        remember_lookup(complaint)
        session["public_done"] = complaint.id
    else:
        complaint = verified_complaint()
        if complaint is None or session.get("public_done") != complaint.id:
            return redirect(url_for("public.track"))
    letters = [l for l in public_letters(complaint, org_settings()) if l.kind == "acknowledgement"]
    return render_template("public/done.html", c=complaint, code=code,
                           reply_by=reply_by(complaint, org_settings()),
                           acknowledgement=letters[-1] if letters else None)


@bp.get("/complain/thanks")
def thanks():
    return render_template("public/thanks.html")


# --- errors on the public pages, in the public layout ---------------------------------------

def _error(code, message):
    return render_template("public/error.html", code=code, message=message), code


@bp.errorhandler(429)
def rate_limited(_e):
    return _error(429, _("Too many attempts from your network. Wait a few minutes and try "
                         "again."))


@bp.errorhandler(413)
def too_large(_e):
    return _error(413, _("The files are too large. Send fewer or smaller files."))


@bp.errorhandler(CSRFError)
def form_expired(_e):
    return _error(400, _("The form had expired. Go back, reload the page and try again."))


@bp.errorhandler(404)
def not_found(_e):
    return _error(404, _("There is nothing here."))
