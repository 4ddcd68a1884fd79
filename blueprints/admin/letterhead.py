"""Administration of the letterhead (contact details, logo, seal, signatory) and of the
free-text paragraphs of the letters, with a preview."""
from flask import abort, current_app, flash, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import org_settings
from blueprints.admin import bp
from blueprints.admin.letter_forms import (LETTERHEAD_FIELDS, ConfirmForm, LetterheadForm,
                                          letter_text_form)
from blueprints.admin.views import _attach, admin_only
from blueprints.web import redirect_after_post
from domain import branding, letter_texts, letters
from domain.errors import DomainError
from domain.settings import save_settings
from domain.vocab import LANGUAGES

IMAGE_KINDS = ("logo", "seal")


def _current_images(settings: dict) -> dict:
    """kind → the admin URL of the image in use, or None."""
    document_dir = current_app.config["DOCUMENT_DIR"]
    images = {}
    for kind in IMAGE_KINDS:
        name = settings.get(branding.SETTING[kind])
        images[kind] = (url_for("admin.branding_image", name=name)
                        if branding.path_of(document_dir, name) else None)
    return images


def _letterhead_page(form, status=200):
    return render_template("admin/letterhead.html", form=form,
                           images=_current_images(org_settings())), status


@bp.route("/letterhead", methods=["GET", "POST"])
@admin_only
def letterhead():
    if request.method == "GET":
        return _letterhead_page(LetterheadForm(formdata=None, data=org_settings()))
    form = LetterheadForm()
    if not form.validate_on_submit():
        return _letterhead_page(form, 422)
    # Check every image before anything is stored: bad input saves nothing.
    processed = {}
    for kind in IMAGE_KINDS:
        upload = form[kind].data
        if upload and getattr(upload, "filename", ""):
            try:
                processed[kind] = branding.check_and_process(
                    kind, upload.read(branding.MAX_BYTES + 1))
            except DomainError as e:
                _attach(form, e)
    if any(form[kind].errors for kind in IMAGE_KINDS):
        return _letterhead_page(form, 422)
    changes = {name: form[name].data for name in LETTERHEAD_FIELDS}
    for kind in IMAGE_KINDS:
        if kind in processed:  # the earlier file stays on disk
            changes[branding.SETTING[kind]] = branding.store(
                current_app.config["DOCUMENT_DIR"], processed[kind])
        elif form[f"remove_{kind}"].data:
            changes[branding.SETTING[kind]] = ""
    save_settings(changes)
    flash(_("The letterhead was saved. It applies to letters issued from now on."), "success")
    return redirect_after_post(url_for("admin.letterhead"))


@bp.get("/branding/<name>")
@admin_only
def branding_image(name):
    path = branding.path_of(current_app.config["DOCUMENT_DIR"], name)
    if path is None:
        abort(404)
    mimetype = "image/png" if path.suffix == ".png" else "image/jpeg"
    response = send_file(path, mimetype=mimetype, max_age=0, conditional=True)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/letter-print.css")
@admin_only
def letter_stylesheet():
    """The letters' print stylesheet, for the previews (it lives with the templates)."""
    response = send_file(letters.PRINT_CSS, mimetype="text/css", max_age=0, conditional=True)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


# --- letter texts -------------------------------------------------------------------------

def _check(kind: str, language: str) -> None:
    try:
        letter_texts.check_kind(kind, language)
    except DomainError:
        abort(404)


@bp.get("/letter-texts")
@admin_only
def letter_texts_list():
    custom = letter_texts.customised()
    rows = [{"kind": kind, "label": label,
             "languages": [(lang, LANGUAGES[lang], (kind, lang) in custom)
                           for lang in letter_texts.LANGUAGES]}
            for kind, label in letters.KINDS.items()]
    return render_template("admin/letter_texts.html", rows=rows)


def _text_page(kind, language, form, status=200):
    active = letter_texts.active_text(kind, language)
    return render_template(
        "admin/letter_text_form.html", form=form, kind=kind, language=language,
        kind_label=letters.KINDS[kind], language_label=LANGUAGES[language], active=active,
        builtin=letter_texts.builtin_paragraphs(kind, language),
        labels=letter_texts.PARAGRAPH_LABELS,
        versions=letter_texts.versions(kind, language), reset_form=ConfirmForm()), status


@bp.route("/letter-texts/<kind>/<language>", methods=["GET", "POST"])
@admin_only
def letter_text(kind, language):
    _check(kind, language)
    if request.method == "GET":
        form = letter_text_form(kind, formdata=None,
                                data=letters.default_paragraphs(kind, language))
        return _text_page(kind, language, form)
    form = letter_text_form(kind)
    if form.validate_on_submit():
        try:
            letter_texts.save_text(kind, language, _paragraphs(kind, form), current_user)
        except DomainError as e:
            _attach(form, e)
        else:
            flash(_("The wording was saved. It applies to letters prepared from now on."),
                  "success")
            return redirect_after_post(url_for("admin.letter_text", kind=kind,
                                               language=language))
    return _text_page(kind, language, form, 422)


@bp.post("/letter-texts/<kind>/<language>/default")
@admin_only
def letter_text_default(kind, language):
    _check(kind, language)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    letter_texts.reset_to_default(kind, language)
    flash(_("The letter uses the default wording again. Earlier wordings are kept."),
          "success")
    return redirect_after_post(url_for("admin.letter_text", kind=kind, language=language))


@bp.route("/letter-texts/<kind>/<language>/preview", methods=["GET", "POST"])
@admin_only
def letter_text_preview(kind, language):
    """The letter for an invented complaint, as a page of its own: with the wording in use
    (GET) or with the wording being edited, not yet saved (POST)."""
    _check(kind, language)
    if request.method == "POST":
        form = letter_text_form(kind)
        if not form.validate_on_submit():
            return _text_page(kind, language, form, 422)
        paragraphs = _paragraphs(kind, form)
    else:
        paragraphs = letters.default_paragraphs(kind, language)
    settings = org_settings()
    context = letter_texts.sample_context(kind, language, settings,
                                          current_app.config["DOCUMENT_DIR"])
    context.update(paragraphs=paragraphs, reference=None,
                   branding=_current_images(settings),
                   print_css_url=url_for("admin.letter_stylesheet"))
    return letters.render_letter_html(context, kind, language, for_pdf=False)


def _paragraphs(kind: str, form) -> dict:
    return {key: form[key].data for key in letters.DEFAULT_PARAGRAPHS[kind]}
