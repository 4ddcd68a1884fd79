"""What the complainant's status page shows, read-only: the plain-language status, the
key dates, the public history (never internal notes, never who did it), the letters issued
to the complainant and the files they sent. No staff name is read here at all."""
from dataclasses import dataclass, field

from domain import deadlines, public
from domain.letter_models import Letter
from domain.letters import KINDS as LETTER_KINDS
from domain.models import Complaint, Event, Evidence
from domain.statuses import OPEN_STATUSES
from domain.vocab import ACTION_LABELS, label


@dataclass
class PublicStatus:
    complaint: Complaint
    label: str
    explanation: str
    received_on: object
    accepted_on: object = None
    answered_on: object = None
    closed_on: object = None
    reply_by: object = None
    is_open: bool = True
    rejection_reason: str = ""
    events: list = field(default_factory=list)   # (date, label, note)
    letters: list = field(default_factory=list)  # Letter rows, oldest first
    files: list = field(default_factory=list)    # (name, date) of what the complainant sent
    rating: str | None = None


def _day(moment, settings):
    return deadlines.local_date(moment, settings) if moment else None


def reply_by(complaint: Complaint, settings: dict):
    """The date the written answer is expected (counted from registration until the
    complaint is accepted, as the acknowledgement letter does); None once answered."""
    if complaint.responded_at or complaint.status not in OPEN_STATUSES:
        return None
    if complaint.reply_due_on:
        return complaint.reply_due_on
    return deadlines.reply_due(_day(complaint.registered_at, settings), settings,
                               deadlines.load_calendar(settings))


def public_events(complaint: Complaint, settings: dict) -> list[tuple]:
    """The public events only, oldest first, as (date, label, note): no actor, no field
    changes (they can name staff or departments)."""
    rows = (Event.select(Event.at, Event.action, Event.note)
            .where((Event.complaint == complaint.id) & Event.public)
            .order_by(Event.seq))
    return [(_day(e.at, settings),
             str(public.PUBLIC_ACTIONS.get(e.action) or label(ACTION_LABELS, e.action)),
             e.note) for e in rows]


def public_letters(complaint: Complaint, settings: dict) -> list[Letter]:
    """Issued letters addressed to the complainant, oldest first (each with `issued_on`,
    the organisation's calendar date)."""
    rows = list(Letter.select(Letter.id, Letter.kind, Letter.version, Letter.reference,
                              Letter.language, Letter.issued_at, Letter.pages, Letter.size)
                .where((Letter.complaint == complaint.id)
                       & Letter.kind.in_(public.PUBLIC_LETTER_KINDS))
                .order_by(Letter.issued_at, Letter.id))
    for row in rows:
        row.issued_on = _day(row.issued_at, settings)
    return rows


def public_letter(complaint: Complaint, letter_id: int) -> Letter | None:
    return (Letter.select().where((Letter.id == letter_id)
                                  & (Letter.complaint == complaint.id)
                                  & Letter.kind.in_(public.PUBLIC_LETTER_KINDS)).first())


def letter_label(letter: Letter) -> str:
    return str(LETTER_KINDS.get(letter.kind, letter.kind))


def complainant_files(complaint: Complaint, settings: dict) -> list[tuple]:
    """What the complainant sent: with the online form or later from the status page."""
    rows = (Evidence.select(Evidence.original_name, Evidence.uploaded_at)
            .where((Evidence.complaint == complaint.id) & (Evidence.source == "complainant"))
            .order_by(Evidence.uploaded_at, Evidence.id))
    return [(r.original_name, _day(r.uploaded_at, settings)) for r in rows]


def status_of(complaint: Complaint, settings: dict) -> PublicStatus:
    status_label, explanation = public.PUBLIC_STATUSES[complaint.status]
    return PublicStatus(
        complaint=complaint, label=str(status_label), explanation=str(explanation),
        received_on=_day(complaint.received_at, settings),
        accepted_on=_day(complaint.accepted_at, settings),
        answered_on=_day(complaint.responded_at, settings),
        closed_on=_day(complaint.closed_at, settings),
        reply_by=reply_by(complaint, settings),
        is_open=complaint.status in OPEN_STATUSES,
        rejection_reason=complaint.rejection_reason if complaint.status in
        ("rejected", "archived") else "",
        events=public_events(complaint, settings),
        letters=public_letters(complaint, settings),
        files=complainant_files(complaint, settings),
        rating=public.rating_state(complaint))
