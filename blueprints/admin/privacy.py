"""Administration → Privacy: the retention period, exporting one person's data, anonymising
one closed complaint (domain/privacy.py)."""
from flask import flash, make_response, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import org_settings
from blueprints.admin import bp
from blueprints.admin.privacy_forms import AnonymiseForm, ExportForm, RetentionForm
from blueprints.admin.views import _attach, admin_only
from blueprints.web import redirect_after_post
from domain import privacy
from domain.errors import Conflict, DomainError
from domain.settings import save_settings


def _page(status=200, **forms):
    settings = org_settings()
    context = {
        "retention_form": forms.get("retention_form") or RetentionForm(
            formdata=None, data={"retention_years": settings.get("retention_years", 0)}),
        "export_form": forms.get("export_form") or ExportForm(formdata=None),
        "anonymise_form": forms.get("anonymise_form") or AnonymiseForm(formdata=None),
        "retention_years": int(settings.get("retention_years") or 0),
        "anonymised_count": privacy.anonymised_count(),
    }
    return render_template("admin/privacy.html", **context), status


@bp.get("/privacy")
@admin_only
def privacy_page():
    return _page()


@bp.post("/privacy/retention")
@admin_only
def privacy_retention():
    form = RetentionForm()
    if not form.validate_on_submit():
        return _page(422, retention_form=form)
    save_settings({"retention_years": form.retention_years.data})
    if form.retention_years.data:
        flash(_("The retention period was saved: personal data is anonymised %(years)s years "
                "after closing, from the next daily run.", years=form.retention_years.data),
              "success")
    else:
        flash(_("The retention period was saved: personal data is kept."), "success")
    return redirect_after_post(url_for("admin.privacy_page"))


@bp.post("/privacy/export")
@admin_only
def privacy_export():
    form = ExportForm()
    if not form.validate_on_submit():
        return _page(422, export_form=form)
    try:
        data = privacy.export_person(form.person.data, current_user)
    except DomainError as e:
        _attach(form, e)
        return _page(422, export_form=form)
    response = make_response(privacy.export_json(data))
    response.mimetype = "application/json"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="personal-data-{data["exported_at"][:10]}.json"')
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/privacy/anonymise")
@admin_only
def privacy_anonymise():
    form = AnonymiseForm()
    if not form.validate_on_submit():
        return _page(422, anonymise_form=form)
    try:
        complaint = privacy.anonymise_complaint(form.number.data, current_user)
    except DomainError as e:
        _attach(form, e)
        return _page(422 if not isinstance(e, Conflict) else 409,
                     anonymise_form=form)
    flash(_("The personal data of complaint %(number)s was anonymised.",
            number=complaint.number), "success")
    return redirect_after_post(url_for("admin.privacy_page"))
