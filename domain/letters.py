"""Letters and dossiers: a Jinja template → HTML → WeasyPrint PDF.

The same HTML serves the browser preview and the PDF. Every PDF goes through one
FontConfiguration, reused for the life of the process (STACK.md: @font-face needs it on
both the stylesheet and write_pdf). An issued letter is rendered once, stored with its
SHA-256 and never regenerated: issuing again makes a new version.
"""
import hashlib
import json
import secrets
from pathlib import Path

from flask import render_template
from flask_babel import force_locale, lazy_gettext as _l
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from extensions import db
from domain import access, history
from domain.deadlines import local_date
from domain.errors import DomainError, Forbidden
from domain.letter_models import Letter, LetterText
from domain.models import Complaint, User, utcnow
from domain.numbering import next_number
from domain.vocab import RESPONSE_METHODS

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "letters"
PRINT_CSS = TEMPLATE_DIR / "print.css"

KINDS = {
    "acknowledgement": _l("Acknowledgement of receipt"),
    "rejection": _l("Notice of non-acceptance"),
    "extension": _l("Notice of extension"),
    "response": _l("Formal written response"),
    "appeal_decision": _l("Appeal decision"),
}

# The free-text paragraphs of each letter, with their default wording. An admin may reword
# them (LetterText); staff may edit them before issuing. Everything else comes from the record.
DEFAULT_PARAGRAPHS = {
    "acknowledgement": {
        "opening": _l("Thank you for contacting us. We have received your complaint and "
                      "registered it as set out below."),
        "next_steps": _l("Your complaint will now be assessed and passed to the department "
                         "responsible, which will investigate it. We will reply to you in "
                         "writing by the date given below."),
        "closing": _l("If you have anything to add, please quote your complaint number."),
    },
    "rejection": {
        "opening": _l("Thank you for your complaint. Having examined it, we are unable to "
                      "accept it, for the reason set out below."),
        "other_routes": _l("If you disagree, you may contact your local consumer association, "
                           "the market regulator (12315) or seek legal advice."),
        "closing": _l("We are sorry that we cannot help further on this occasion."),
    },
    "extension": {
        "opening": _l("We are still investigating your complaint. Because the matter needs "
                      "further enquiries, the time for the investigation has been extended."),
        "closing": _l("We apologise for the delay and will keep you informed."),
    },
    "response": {
        "opening": _l("We have completed the investigation of your complaint and write to "
                      "tell you its result."),
        "follow_up": _l("We will contact you after this letter to ask whether the matter "
                        "has been resolved to your satisfaction."),
        "closing": _l("Thank you for bringing this matter to our attention."),
    },
    "appeal_decision": {
        "opening": _l("We have reviewed your appeal against our earlier reply."),
        "closing": _l("This decision concludes our internal complaint procedure."),
    },
}

_font_config = None


def font_config() -> FontConfiguration:
    global _font_config
    if _font_config is None:
        _font_config = FontConfiguration()
    return _font_config


def render_pdf(html: str, base_url: str, variant: str | None = None) -> tuple[bytes, int]:
    """PDF bytes and page count for `html` (with the print stylesheet)."""
    fc = font_config()
    document = HTML(string=html, base_url=base_url).render(
        stylesheets=[CSS(filename=str(PRINT_CSS), font_config=fc)], font_config=fc)
    # The fonts are chosen at render(); Document.write_pdf takes no font_config (WeasyPrint
    # 70 logs "Unknown PDF option" for it).
    options = {"pdf_variant": variant} if variant else {}
    return document.write_pdf(**options), len(document.pages)


def default_paragraphs(kind: str, language: str) -> dict:
    """The organisation's wording if it has one, else the default, in `language`."""
    custom = (LetterText.select().where((LetterText.kind == kind)
                                        & (LetterText.language == language)
                                        & LetterText.active)
              .order_by(LetterText.id.desc()).first())
    if custom:
        return json.loads(custom.paragraphs)
    with force_locale(language):
        return {key: str(text) for key, text in DEFAULT_PARAGRAPHS[kind].items()}


def clean_paragraphs(kind: str, values: dict) -> dict:
    """Only the kind's own paragraph keys, as plain text of a sensible length."""
    result = {}
    for key in DEFAULT_PARAGRAPHS[kind]:
        text = str(values.get(key) or "").strip()
        if len(text) > 4000:
            raise DomainError(_l("A paragraph may have at most 4,000 characters."), key)
        result[key] = text
    return result


def render_letter_html(context: dict, kind: str, language: str, *, for_pdf: bool) -> str:
    """The letter as HTML, in the letter's own language whatever the user's is."""
    with force_locale(language):
        return render_template(f"letters/{kind}.html", for_pdf=for_pdf, kind=kind,
                               language=language, **context)


def base_context(complaint: Complaint, kind: str, settings: dict, document_dir: Path,
                 for_pdf: bool) -> dict:
    """What every letter shows: the organisation, the complaint, letterhead images."""
    branding = {}
    for key, setting in (("logo", "logo_file"), ("seal", "seal_file")):
        name = settings.get(setting)
        path = Path(document_dir) / "branding" / name if name else None
        branding[key] = (path.as_uri() if for_pdf else None) if path and path.exists() else None
    now = utcnow()
    return {"org": settings, "c": complaint, "kind_label": KINDS[kind], "branding": branding,
            "now": now, "letter_day": local_date(now, settings),
            "received_on": local_date(complaint.received_at, settings)}


def issue(complaint: Complaint, kind: str, language: str, paragraphs: dict, actor: User, *,
          context: dict, document_dir: Path, settings: dict, system: bool = False) -> Letter:
    """Number, render and store the letter, and record it in the history, in one step.
    `system`: issued by a system account, not staff (the online form's acknowledgement)."""
    if not system and not access.can_issue_letters(actor, complaint):
        raise Forbidden(_l("You may not issue letters on this complaint."))
    paragraphs = clean_paragraphs(kind, paragraphs)
    stored = secrets.token_hex(16)
    folder = Path(document_dir) / "letters" / stored[:2]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stored}.pdf"
    try:
        with db.atomic():
            version = (Letter.select().where((Letter.complaint == complaint.id)
                                             & (Letter.kind == kind)).count() + 1)
            issued_at = utcnow()
            # Numbered by the organisation's calendar year (文号 HL-2026-0001).
            reference = next_number(settings["letter_prefix"],
                                    local_date(issued_at, settings).year, 4)
            context = dict(context, reference=reference, paragraphs=paragraphs,
                           issued_at=issued_at, letter_day=local_date(issued_at, settings))
            html = render_letter_html(context, kind, language, for_pdf=True)
            pdf, pages = render_pdf(html, base_url=str(document_dir))
            path.write_bytes(pdf)
            letter = Letter.create(
                complaint=complaint.id, kind=kind, version=version, language=language,
                reference=reference, paragraphs=json.dumps(paragraphs, ensure_ascii=False),
                stored_name=stored, sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf),
                pages=pages, issued_by=actor, issued_at=issued_at)
            history.append_event(complaint, actor, "issue_letter",
                                 from_status=complaint.status, public=True,
                                 note=f"{reference} v{version}",
                                 changes=[("letter", "", f"{kind} {reference}")])
    except Exception:
        path.unlink(missing_ok=True)
        raise
    return letter


def letter_path(document_dir: Path, letter: Letter) -> Path:
    return Path(document_dir) / "letters" / letter.stored_name[:2] / f"{letter.stored_name}.pdf"


def record_delivery(letter: Letter, method: str, delivered_on, actor: User,
                    settings: dict) -> Letter:
    """How and when an issued letter reached the complainant (a correction is recorded as
    old → new). The letter's PDF is not touched."""
    if method not in RESPONSE_METHODS:
        raise DomainError(_l("Choose how the letter was delivered."), "method")
    if delivered_on is None:
        raise DomainError(_l("Give the date the letter was delivered."), "delivered_on")
    if delivered_on < local_date(letter.issued_at, settings):
        raise DomainError(_l("A letter cannot be delivered before the day it was issued."),
                          "delivered_on")
    if delivered_on > local_date(utcnow(), settings):
        raise DomainError(_l("The date of delivery cannot be in the future."), "delivered_on")
    with db.atomic():
        letter = Letter.get_by_id(letter.id)
        complaint = Complaint.get_by_id(letter.complaint_id)
        if not access.can_issue_letters(actor, complaint):
            raise Forbidden(_l("You may not record deliveries on this complaint."))
        old_on = letter.delivered_on.isoformat() if letter.delivered_on else ""
        changes = [(name, old, new) for name, old, new in (
            ("delivery_method", letter.delivery_method, method),
            ("delivered_on", old_on, delivered_on.isoformat())) if old != new]
        if not changes:
            return letter
        letter.delivery_method, letter.delivered_on = method, delivered_on
        letter.delivery_recorded_by = actor
        letter.save()
        history.append_event(complaint, actor, "record_letter_delivery",
                             from_status=complaint.status, public=True,
                             note=f"{letter.reference} v{letter.version}", changes=changes)
    return letter
