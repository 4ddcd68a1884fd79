"""The status lookup (/track): number + lookup code, then the status page, the letters,
additions from the complainant and the rating. Every page after the lookup checks the
verified lookup in the session (blueprints/public/guard.py)."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import org_settings
from extensions import limiter
from blueprints.public import bp
from blueprints.public.forms import InfoForm, LookupForm, RatingForm
from blueprints.public.guard import (addition_limit, forget_lookup, remember_lookup,
                                     track_limit, verified_complaint)
from blueprints.public.views import files_of, max_bytes
from blueprints.web import send_stored_pdf
from domain import letters, public
from domain.errors import Conflict, DomainError
from domain.public_view import public_letter, status_of
from domain.uploads import ALLOWED_DESCRIPTION


def _expired():
    flash(_("For your privacy the status page closes after a few minutes. Enter your "
            "complaint number and lookup code again."), "info")
    return redirect(url_for("public.track"), 303)


@bp.route("/track", methods=["GET", "POST"])
@limiter.limit(track_limit, methods=["POST"])
def track():
    form = LookupForm()
    if request.method == "POST":
        complaint = public.find_for_lookup(form.number.data, form.code.data)
        if complaint is not None:
            remember_lookup(complaint)
            return redirect(url_for("public.status"), 303)
        form.code.data = ""
        return render_template("public/track.html", form=form, failed=True), 422
    return render_template("public/track.html", form=form, failed=False)


def _status_page(complaint, info_form=None, rating_form=None, status=200, notice=None):
    return render_template(
        "public/status.html", s=status_of(complaint, org_settings()), notice=notice,
        info_form=info_form or InfoForm(formdata=None),
        rating_form=rating_form or RatingForm(formdata=None),
        letter_kinds=letters.KINDS, max_files=public.MAX_FILES, max_mb=org_settings()["max_upload_mb"],
        types=ALLOWED_DESCRIPTION), status


@bp.get("/track/status")
def status():
    complaint = verified_complaint()
    if complaint is None:
        return _expired()
    return _status_page(complaint)


@bp.post("/track/info")
@limiter.limit(addition_limit)
def add_information():
    complaint = verified_complaint()
    if complaint is None:
        return _expired()
    form = InfoForm()
    if form.validate_on_submit():
        try:
            public.add_information(complaint.id, form.text.data, files_of(form.evidence),
                                   upload_dir=current_app.config["UPLOAD_DIR"],
                                   max_bytes=max_bytes())
        except Conflict as e:
            return _status_page(complaint, status=422, notice=str(e.message))
        except DomainError as e:
            field = e.field if e.field in form else "text"
            form[field].errors = list(form[field].errors) + [str(e.message)]
        else:
            flash(_("Thank you. What you sent has been added to your complaint."), "success")
            return redirect(url_for("public.status") + "#add-info", 303)
    return _status_page(complaint, info_form=form, status=422)


@bp.post("/track/rating")
@limiter.limit(addition_limit)
def rate():
    complaint = verified_complaint()
    if complaint is None:
        return _expired()
    form = RatingForm()
    if form.validate_on_submit():
        try:
            public.rate(complaint.id, int(form.satisfaction.data),
                        form.resolved.data == "yes", form.comments.data, org_settings())
        except Conflict as e:
            return _status_page(complaint, status=422, notice=str(e.message))
        except DomainError as e:
            field = e.field if e.field in form else "satisfaction"
            form[field].errors = list(form[field].errors) + [str(e.message)]
        else:
            flash(_("Thank you for your rating."), "success")
            return redirect(url_for("public.status") + "#rating", 303)
    return _status_page(complaint, rating_form=form, status=422)


@bp.get("/track/letters/<int:letter_id>.pdf")
def letter_pdf(letter_id):
    complaint = verified_complaint()
    if complaint is None:
        return _expired()
    letter = public_letter(complaint, letter_id)
    if letter is None:
        return render_template("public/error.html", code=404,
                               message=_("There is nothing here.")), 404
    return send_stored_pdf(letters.letter_path(current_app.config["DOCUMENT_DIR"], letter),
                           letter.sha256, f"{letter.reference}.pdf",
                           f"letter {letter.reference}")


@bp.post("/track/end")
def end():
    forget_lookup()
    flash(_("The status page is closed on this device."), "success")
    return redirect(url_for("public.track"), 303)
