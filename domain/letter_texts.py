"""The organisation's own wording of the letters' free-text paragraphs.

Each save adds a LetterText row for the kind and language and makes the earlier ones
inactive; going back to the default makes the active one inactive. Rows are never deleted,
so every earlier wording stays on record. letters.default_paragraphs reads the active row.
The structured parts of a letter (facts tables, numbers, dates, names) live in the
templates and are not editable; the text is shown through Jinja's autoescaping.
"""
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from flask_babel import force_locale, lazy_gettext as _l

from extensions import db
from domain import letters
from domain.errors import DomainError
from domain.letter_models import LetterText
from domain.models import Complaint, User, utcnow

LANGUAGES = ("en", "zh_Hans")

# What each paragraph is for, shown beside its text box.
PARAGRAPH_LABELS = {
    "opening": _l("Opening paragraph"),
    "next_steps": _l("What happens next"),
    "other_routes": _l("Where else to turn"),
    "follow_up": _l("Follow-up (return visit)"),
    "closing": _l("Closing paragraph"),
}


def check_kind(kind: str, language: str) -> None:
    if kind not in letters.KINDS or language not in LANGUAGES:
        raise DomainError(_l("There is no such letter."))


def active_text(kind: str, language: str) -> LetterText | None:
    return (LetterText.select().where((LetterText.kind == kind)
                                      & (LetterText.language == language)
                                      & LetterText.active)
            .order_by(LetterText.id.desc()).first())


def versions(kind: str, language: str) -> list[LetterText]:
    """Every wording saved for the kind and language, newest first."""
    return list(LetterText.select(LetterText, User).join(User)
                .where((LetterText.kind == kind) & (LetterText.language == language))
                .order_by(LetterText.id.desc()))


def customised() -> set[tuple[str, str]]:
    """(kind, language) pairs that have the organisation's own wording."""
    rows = (LetterText.select(LetterText.kind, LetterText.language)
            .where(LetterText.active).distinct().tuples())
    return set(rows)


def save_text(kind: str, language: str, paragraphs: dict, actor: User) -> LetterText:
    """Make `paragraphs` the wording in use; earlier rows become inactive."""
    check_kind(kind, language)
    clean = letters.clean_paragraphs(kind, paragraphs)
    for key, text in clean.items():
        if not text:
            raise DomainError(_l("Write this paragraph, or go back to the default wording."),
                              key)
    with db.atomic():
        (LetterText.update(active=False)
         .where((LetterText.kind == kind) & (LetterText.language == language)
                & LetterText.active)
         .execute())
        return LetterText.create(kind=kind, language=language,
                                 paragraphs=json.dumps(clean, ensure_ascii=False),
                                 active=True, updated_by=actor, updated_at=utcnow())


def reset_to_default(kind: str, language: str) -> int:
    """Go back to the default wording: the active rows become inactive (none is deleted)."""
    check_kind(kind, language)
    with db.atomic():
        return (LetterText.update(active=False)
                .where((LetterText.kind == kind) & (LetterText.language == language)
                       & LetterText.active)
                .execute())


def builtin_paragraphs(kind: str, language: str) -> dict:
    """The default wording shipped with the application, in `language`."""
    with force_locale(language):
        return {key: str(text) for key, text in letters.DEFAULT_PARAGRAPHS[kind].items()}


# --- preview ------------------------------------------------------------------------------

def sample_context(kind: str, language: str, settings: dict, document_dir: Path) -> dict:
    """A letter's context for an invented complaint, so every part of the letter shows.

    Nothing is read from real complaints (no personal data appears in a preview). The common
    parts come from letters.base_context like a real letter's. Call inside a request or app
    context; the result is meant for render_letter_html (with for_pdf=False).
    """
    check_kind(kind, language)
    today = utcnow().date()
    with force_locale(language):
        complaint = Complaint(
            number=f"{settings.get('number_prefix') or 'TS'}-{today.year}-"
                   f"{123:0{int(settings.get('number_padding') or 6)}d}",
            language=language,
            received_at=utcnow() - dt.timedelta(days=3),
            complainant_name=str(_l("Sample Complainant")),
            complainant_address=str(_l("1 Sample Road, Sample City")),
            matter=str(_l("The kettle bought on 2 March leaks from the base after two "
                          "weeks of use.")),
            demand=str(_l("A replacement or a full refund.")),
            rejection_reason=str(_l("The product was bought from another seller.")),
            stage_due_on=today + dt.timedelta(days=14),
        )
        context = letters.base_context(complaint, kind, settings, document_dir, for_pdf=False)
        context.update({
            "lookup_code": "SAMPLE2345AB",
            "reply_by": today + dt.timedelta(days=21),
            "investigation_due": today + dt.timedelta(days=14),
            "extension": SimpleNamespace(
                reason=str(_l("Test results from the manufacturer are still awaited.")),
                days=5),
            "investigation": SimpleNamespace(
                methods="records,site,interviews", facts_verdict="partly",
                facts_text=str(_l("The seal of the base was faulty in one production "
                                  "batch.")),
                root_cause_text=str(_l("A supplier's part did not meet our "
                                       "specification."))),
            "proposal": SimpleNamespace(
                apology=str(_l("We apologise for the trouble this has caused you."))),
            "remedies": [
                SimpleNamespace(kind="replacement", amount=None, currency="CNY",
                                description=str(_l("A new kettle of the same model."))),
                SimpleNamespace(kind="payment", amount=Decimal("200.00"), currency="CNY",
                                description=str(_l("For the inconvenience."))),
            ],
            "measures": [SimpleNamespace(
                description=str(_l("Every base from the supplier is now tested for leaks.")),
                due_on=today + dt.timedelta(days=30))],
            "visit_by": today + dt.timedelta(days=10),
            "appeal_by": today + dt.timedelta(days=int(settings.get("appeal_days") or 15)),
            "appeal": SimpleNamespace(
                started_on=today - dt.timedelta(days=2),
                reason=str(_l("The compensation offered is too low."))),
        })
    return context
