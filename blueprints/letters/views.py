"""Letters on the complaint page: prepare one (edit the free text, preview it as a page),
issue it (rendered once to a stored PDF), print it, and record how it was delivered.

Who may do what is decided in domain/access.py (can_issue_letters, can_see_letters); which
letters fit the complaint now, and what they say, in domain/letter_context.py.
"""
from flask import abort, current_app, flash, render_template, request, send_file, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required

from app import org_settings
from blueprints.letters import bp
from blueprints.letters.forms import DeliveryForm, prepare_form
from blueprints.web import (get_complaint_or_404, is_fragment_request, page_or_fragment,
                            redirect_after_post, send_stored_pdf)
from domain import access, branding, letter_context, letters
from domain.deadlines import local_date
from domain.errors import DomainError, Forbidden
from domain.letter_models import Letter
from domain.letter_texts import PARAGRAPH_LABELS
from domain.models import User, utcnow
from domain.stage_view import load_stages
from domain.vocab import LANGUAGES

DOES_NOT_FIT = _l("This letter does not fit the complaint at its current stage. "
                  "Nothing was issued.")


# --- the Letters section of the complaint page ---------------------------------------------

@bp.app_template_global("letters_panel")
def letters_panel(complaint, stages, forms=None, notice=None) -> dict:
    """What the complaint page's Letters section shows (complaints/_letters.html)."""
    rows = list(Letter.select(Letter, User).join(User, on=(Letter.issued_by == User.id))
                .where(Letter.complaint == complaint.id)
                .order_by(Letter.issued_at.desc(), Letter.id.desc()))
    may_issue = access.can_issue_letters(current_user, complaint)
    today = local_date(utcnow(), org_settings())
    delivery_forms = {}
    if may_issue:
        for letter in rows:
            form = (forms or {}).get(letter.id)
            if form is None:
                form = DeliveryForm(formdata=None, prefix=f"delivery-{letter.id}", data={
                    "method": letter.delivery_method or "post",
                    "delivered_on": letter.delivered_on or today})
            delivery_forms[letter.id] = form
    kinds = letter_context.available_kinds(complaint, stages) if may_issue else []
    issued = {}
    for letter in rows:
        issued[letter.kind] = max(issued.get(letter.kind, 0), letter.version)
    return {"letters": rows, "may_issue": may_issue, "delivery_forms": delivery_forms,
            "kinds": [(kind, letters.KINDS[kind], issued.get(kind, 0) + 1) for kind in kinds],
            "labels": letters.KINDS,
            "notice": notice}


# --- prepare, preview, issue ---------------------------------------------------------------

def _load(complaint_id, kind):
    """The complaint (the user may issue letters on it: else 404/403) and its stages; 404
    for an unknown kind of letter."""
    if kind not in letters.KINDS:
        abort(404)
    complaint = get_complaint_or_404(complaint_id, need="letters")
    return complaint, load_stages(complaint, org_settings())


def _language(complaint) -> str:
    wanted = request.args.get("language") or complaint.language
    return wanted if wanted in LANGUAGES else org_settings()["letter_language"]


def _prepare_page(complaint, kind, form, status=200, fits=True):
    language = form.language.data
    for field in form.paragraph_fields():  # the boxes hold text in the letter's language
        field.render_kw = dict(field.render_kw or {},
                               lang="zh-Hans" if language == "zh_Hans" else "en")
    earlier = list(Letter.select().where((Letter.complaint == complaint.id)
                                         & (Letter.kind == kind)).order_by(Letter.version))
    return render_template(
        "letters_ui/prepare.html", c=complaint, kind=kind, kind_label=letters.KINDS[kind],
        form=form, language=language, languages=LANGUAGES, earlier=earlier, fits=fits,
        labels=PARAGRAPH_LABELS), status


@bp.get("/complaints/<int:complaint_id>/letters/new/<kind>")
@login_required
def prepare(complaint_id, kind):
    complaint, stages = _load(complaint_id, kind)
    if kind not in letter_context.available_kinds(complaint, stages):
        flash(str(DOES_NOT_FIT), "error")
        return redirect_after_post(url_for("complaints.show", complaint_id=complaint.id))
    language = _language(complaint)
    data = dict(letters.default_paragraphs(kind, language), language=language)
    return _prepare_page(complaint, kind, prepare_form(kind, formdata=None, data=data))


@bp.route("/complaints/<int:complaint_id>/letters/new/<kind>/preview",
          methods=["GET", "POST"])
@login_required
def preview(complaint_id, kind):
    """The letter as a page of its own (the same HTML as the PDF, with its print
    stylesheet): with the default wording (GET) or with the text being edited (POST)."""
    complaint, stages = _load(complaint_id, kind)
    if kind not in letter_context.available_kinds(complaint, stages):
        flash(str(DOES_NOT_FIT), "error")
        return redirect_after_post(url_for("complaints.show", complaint_id=complaint.id))
    lookup_code = ""
    if request.method == "POST":
        form = prepare_form(kind)
        if not form.validate_on_submit():
            return _prepare_page(complaint, kind, form, 422)
        language, paragraphs = form.language.data, form.paragraphs()
        try:
            lookup_code = _lookup_code(complaint, form)
        except DomainError as e:
            form[e.field].errors.append(str(e.message))
            return _prepare_page(complaint, kind, form, 422)
    else:
        language = _language(complaint)
        paragraphs = letters.default_paragraphs(kind, language)
    settings = org_settings()
    context = letter_context.build(complaint, kind, settings,
                                   current_app.config["DOCUMENT_DIR"], for_pdf=False,
                                   stages=stages, lookup_code=lookup_code)
    context.update(paragraphs=paragraphs, reference=None, branding=_branding_urls(settings),
                   print_css_url=url_for("letters.stylesheet"),
                   back_url=url_for("letters.prepare", complaint_id=complaint.id, kind=kind,
                                    language=language))
    return letters.render_letter_html(context, kind, language, for_pdf=False)


@bp.post("/complaints/<int:complaint_id>/letters/new/<kind>")
@login_required
def issue(complaint_id, kind):
    complaint, stages = _load(complaint_id, kind)
    form = prepare_form(kind)
    if kind not in letter_context.available_kinds(complaint, stages):
        form.form_errors.append(str(DOES_NOT_FIT))
        return _prepare_page(complaint, kind, form, 409, fits=False)
    if not form.validate_on_submit():
        return _prepare_page(complaint, kind, form, 422)
    settings, document_dir = org_settings(), current_app.config["DOCUMENT_DIR"]
    try:
        context = letter_context.build(complaint, kind, settings, document_dir, for_pdf=True,
                                       stages=stages, lookup_code=_lookup_code(complaint, form))
        letter = letters.issue(complaint, kind, form.language.data, form.paragraphs(),
                               current_user, context=context, document_dir=document_dir,
                               settings=settings)
    except Forbidden:
        abort(403)
    except DomainError as e:
        (form[e.field].errors if e.field in form else form.form_errors).append(str(e.message))
        return _prepare_page(complaint, kind, form, 422)
    flash(_("Letter %(reference)s issued (version %(version)s). Use “Print” to open it.",
            reference=letter.reference, version=letter.version), "success")
    return redirect_after_post(url_for("complaints.show", complaint_id=complaint.id)
                               + "#letters")


def _lookup_code(complaint, form) -> str:
    if "lookup_code" not in form:
        return ""
    return letter_context.check_lookup_code(complaint, form.lookup_code.data)


# --- the issued letter ---------------------------------------------------------------------

def _letter(complaint, letter_id) -> Letter:
    letter = Letter.get_or_none((Letter.id == letter_id) & (Letter.complaint == complaint.id))
    if letter is None:
        abort(404)
    return letter


@bp.get("/complaints/<int:complaint_id>/letters/<int:letter_id>.pdf")
@login_required
def pdf(complaint_id, letter_id):
    """The stored PDF, exactly as issued (it is checked against its SHA-256 first)."""
    complaint = get_complaint_or_404(complaint_id, need="files")
    if not access.can_see_letters(current_user, complaint):
        abort(404)
    letter = _letter(complaint, letter_id)
    return send_stored_pdf(letters.letter_path(current_app.config["DOCUMENT_DIR"], letter),
                           letter.sha256, f"{letter.reference}-v{letter.version}.pdf",
                           f"letter {letter.reference}")


@bp.post("/complaints/<int:complaint_id>/letters/<int:letter_id>/delivery")
@login_required
def delivery(complaint_id, letter_id):
    complaint = get_complaint_or_404(complaint_id, need="letters")
    letter = _letter(complaint, letter_id)
    form = DeliveryForm(prefix=f"delivery-{letter.id}")
    if form.validate_on_submit():
        try:
            letter = letters.record_delivery(letter, form.method.data, form.delivered_on.data,
                                             current_user, org_settings())
        except Forbidden:
            abort(403)
        except DomainError as e:
            (form[e.field] if e.field in form else form.method).errors.append(str(e.message))
        else:
            done = _("Delivery of %(reference)s recorded.", reference=letter.reference)
            if not is_fragment_request():
                flash(done, "success")
                return redirect_after_post(url_for("complaints.show",
                                                   complaint_id=complaint.id) + "#letters")
            return _section(complaint, 200, notice={"message": done, "success": True})
    return _section(complaint, 422, forms={letter.id: form})


def _section(complaint, status, forms=None, notice=None):
    """The Letters section (htmx) or the whole complaint page, with the form as posted."""
    from blueprints.complaints.views import _page_context
    context = _page_context(complaint)
    context["letters_section"] = letters_panel(complaint, context["stages"], forms=forms,
                                               notice=notice)
    return page_or_fragment("complaints/show.html", "complaints/_letters.html", status,
                            **context)


# --- what the preview page links to --------------------------------------------------------

@bp.get("/letters/print.css")
@login_required
def stylesheet():
    """The letters' print stylesheet (it lives with the templates), for the preview."""
    response = send_file(letters.PRINT_CSS, mimetype="text/css", max_age=0, conditional=True)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/letters/branding/<name>")
@login_required
def branding_image(name):
    """The letterhead's logo or seal, for the preview (the PDF reads the file itself)."""
    path = branding.path_of(current_app.config["DOCUMENT_DIR"], name)
    if path is None or name not in (org_settings().get("logo_file"),
                                    org_settings().get("seal_file")):
        abort(404)
    mimetype = "image/png" if path.suffix == ".png" else "image/jpeg"
    response = send_file(path, mimetype=mimetype, max_age=0, conditional=True)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _branding_urls(settings) -> dict:
    document_dir = current_app.config["DOCUMENT_DIR"]
    urls = {}
    for key, setting in (("logo", "logo_file"), ("seal", "seal_file")):
        name = settings.get(setting)
        urls[key] = (url_for("letters.branding_image", name=name)
                     if name and branding.path_of(document_dir, name) else None)
    return urls
