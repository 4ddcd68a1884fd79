"""The archive dossier (归档案卷): the whole record of a complaint as one PDF/A, made once.

Archiving a complaint makes it: a cover page, then the intake record, assessment, every
assignment and transfer, the investigation reports, extension requests, the proposals with
their execution, approvals, responses, appeals and disputes, the letters issued (their
text), return visits, the full history and the list of evidence files with their SHA-256.
It is rendered in the complaint's language, stored under DOCUMENT_DIR/dossiers with a random
name and its SHA-256 in a Dossier row, and never regenerated.

Rendering a long history takes seconds, so it happens before the archive step's write
transaction, from the closed complaint as it is, plus the archive about to happen (who and
when): `archive` renders, then calls workflow.archive(..., dossier_file=...), whose one
transaction checks that nothing changed meanwhile (version and history length), records the
Dossier row and the archive event (whose note carries the dossier's SHA-256, so the hash is
in the complaint's hash-chained history). If that step fails, the new file is deleted.
"""
import hashlib
import json
import secrets
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale, lazy_gettext as _l
from markupsafe import Markup

from domain import access, letters
from domain.errors import Conflict, DomainError, Forbidden
from domain.letter_models import Dossier, Letter
from domain.models import Complaint, Evidence, User, utcnow
from domain.stage_view import load_stages
from domain.statuses import TRANSITIONS
from domain.timeline import timeline_for

FOLDER = "dossiers"
PDF_VARIANT = "pdf/a-3b"


@dataclass
class DossierFile:
    """A rendered dossier on disk, not yet recorded. `version` and `history_count` are the
    complaint's when it was rendered: the archive step refuses it if either has moved."""
    complaint_id: int
    stored_name: str
    path: Path
    sha256: str
    size: int
    pages: int
    version: int
    history_count: int
    made_at: object
    made_by_id: int | None
    seconds: float = 0.0


def path_of(document_dir, stored_name: str) -> Path:
    return Path(document_dir) / FOLDER / stored_name[:2] / f"{stored_name}.pdf"


def file_of(document_dir, dossier: Dossier) -> Path:
    return path_of(document_dir, dossier.stored_name)


def for_complaint(complaint_id: int) -> Dossier | None:
    """The complaint's dossier with the name of who made it (one query), or None."""
    return (Dossier.select(Dossier, User.full_name.alias("made_by_name"))
            .join(User, on=(Dossier.created_by == User.id))
            .where(Dossier.complaint == complaint_id).objects().first())


def check_may_archive(complaint_id: int, actor, version: int | None) -> Complaint:
    """The archive step's own checks, read-only, so that nobody renders for nothing (the
    step repeats them inside its transaction)."""
    complaint = Complaint.get_or_none(Complaint.id == complaint_id)
    if complaint is None:
        raise DomainError(_l("There is no such complaint."))
    if version is not None and complaint.version != version:
        raise Conflict(_l("Someone else acted on this complaint after you opened it. "
                          "Reload the page and try again."))
    if (complaint.status, "archive") not in TRANSITIONS:
        raise Conflict(_l("This step is not possible at the complaint's current stage."))
    if not access.may_act(actor, complaint, "archive"):
        raise Forbidden(_l("You may not take this step on this complaint."))
    return complaint


def _paragraphs(letter: Letter) -> list[str]:
    """A letter's free text as issued, in the letter's own paragraph order."""
    try:
        values = json.loads(letter.paragraphs or "{}")
    except ValueError:
        return [letter.paragraphs]
    if not isinstance(values, dict):
        return [str(values)]
    order = list(letters.DEFAULT_PARAGRAPHS.get(letter.kind, {}))
    keys = [k for k in order if k in values] + [k for k in values if k not in order]
    return [str(values[k]) for k in keys if str(values[k] or "").strip()]


def _logo(settings: dict, document_dir) -> str | None:
    """The organisation's logo as a file URL for WeasyPrint, if it has one."""
    name = settings.get("logo_file")
    path = Path(document_dir) / "branding" / name if name and document_dir else None
    return path.as_uri() if path and path.is_file() else None


def gather(complaint: Complaint, settings: dict, actor, archived_at,
           document_dir=None) -> dict:
    """Everything the dossier shows, read in a fixed number of queries."""
    stages = load_stages(complaint, settings)
    timeline = timeline_for(complaint)
    evidence = list(Evidence.select().where(Evidence.complaint == complaint.id)
                    .order_by(Evidence.uploaded_at, Evidence.id))
    issued = list(Letter.select().where(Letter.complaint == complaint.id)
                  .order_by(Letter.issued_at, Letter.id))
    for letter in issued:
        letter.paragraph_list = _paragraphs(letter)
        letter.kind_label = letters.KINDS.get(letter.kind, letter.kind)

    # The people named by the records the stage view does not read, in one more query.
    wanted = {complaint.registered_by_id}
    wanted.update(e.uploaded_by_id for e in evidence)
    for letter in issued:
        wanted.update((letter.issued_by_id, letter.delivery_recorded_by_id))
    wanted -= set(stages.people) | {None}
    if wanted:
        stages.people.update({u.id: u for u in User.select().where(User.id.in_(list(wanted)))})
    if actor is not None:
        stages.people.setdefault(actor.id, actor)

    proposals = list(reversed(stages.earlier_proposals))
    if stages.proposal is not None:
        proposals.append(stages.proposal)
    by_action: dict[str, list] = {}
    for e in timeline:
        by_action.setdefault(e.action, []).append(e)
    closes = by_action.get("close", [])
    return {
        "org": settings,
        "branding": {"logo": _logo(settings, document_dir)},
        "c": complaint,
        "stages": stages,
        "people": stages.people,
        "assignments": list(reversed(stages.assignments)),
        "extensions": list(reversed(stages.extensions)),
        "investigations": list(reversed(stages.investigations)),
        "latest_investigation": stages.investigations[0] if stages.investigations else None,
        "proposals": proposals,
        "assessment_events": [e for e in timeline
                              if e.action in ("assess", "accept", "reject")],
        "rejected": bool(by_action.get("reject")),
        "close_note": closes[-1].note if closes else "",
        "letters": issued,
        "evidence": evidence,
        "timeline": timeline,
        "archived_at": archived_at,
        "archived_by": actor.full_name if actor is not None else "",
        # Names, not literals, in the template: Jinja folds a filter applied to a literal
        # once, at compile time, in whatever language is active then.
        "archive_step": {"action": "archive", "status": "archived"},
        "timezone_html": Markup('<span class="nowrap">%s</span>') % settings.get("timezone",
                                                                               "UTC"),
    }


def render_html(context: dict, language: str) -> str:
    """The dossier as HTML, in `language` (the complaint's) whatever the user's is."""
    with force_locale(language):
        return render_template("letters/dossier.html", language=language, **context)


def render(complaint: Complaint, actor, settings: dict, document_dir) -> DossierFile:
    """Render the dossier of `complaint` as it is now, archived by `actor` now; write it
    under DOCUMENT_DIR/dossiers. Nothing is recorded in the database."""
    started = time.perf_counter()
    made_at = utcnow()
    context = gather(complaint, settings, actor, made_at, document_dir)
    html = render_html(context, complaint.language)
    with warnings.catch_warnings():
        # WeasyPrint 70 opens its sRGB profile for PDF/A and leaves the file to the garbage
        # collector (a ResourceWarning, raised at once when warnings are errors, as in tests).
        warnings.simplefilter("ignore", ResourceWarning)
        pdf, pages = letters.render_pdf(html, base_url=str(document_dir), variant=PDF_VARIANT)
    stored = secrets.token_hex(16)
    path = path_of(document_dir, stored)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf)
    return DossierFile(complaint_id=complaint.id, stored_name=stored, path=path,
                       sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf), pages=pages,
                       version=complaint.version, history_count=complaint.history_count,
                       made_at=made_at, made_by_id=actor.id if actor is not None else None,
                       seconds=time.perf_counter() - started)


def archive(complaint_id: int, actor, version: int | None, settings: dict,
            document_dir=None) -> Complaint:
    """Archive the complaint with its dossier: render first (no write lock held), then the
    archive step records it in its one transaction. A failed step deletes the new file."""
    from domain import workflow  # workflow.archive calls back here when given no file

    document_dir = document_dir or current_app.config["DOCUMENT_DIR"]
    complaint = check_may_archive(complaint_id, actor, version)
    made = render(complaint, actor, settings, document_dir)
    # workflow.archive deletes the file if its step fails.
    return workflow.archive(complaint_id, actor, complaint.version, settings, dossier_file=made)


def record(s, made: DossierFile) -> Dossier:
    """Inside the archive step's transaction: the Dossier row, if the complaint is still
    exactly as rendered; the step's event note carries the dossier's SHA-256."""
    c = s.complaint
    if (made.complaint_id != c.id or made.version != c.version
            or made.history_count != c.history_count):
        raise Conflict(_l("Someone else acted on this complaint after you opened it. "
                          "Reload the page and try again."))
    if Dossier.select().where(Dossier.complaint == c.id).exists():
        raise Conflict(_l("This complaint already has its archive dossier."))
    if not made.path.is_file():
        raise DomainError(_l("The archive dossier could not be stored. Try again."))
    dossier = Dossier.create(complaint=c.id, stored_name=made.stored_name, sha256=made.sha256,
                             size=made.size, pages=made.pages, created_by=s.actor,
                             created_at=made.made_at)
    s.note = f"SHA-256 {made.sha256}"
    return dossier
