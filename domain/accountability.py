"""Accountability records (责任追究): confidential records about a staff member whose fault
caused or mishandled a complaint.

investigating → proposed → decided → (appealed →) final. The complaint manager opens a
record (with findings and evidence) and proposes a sanction; a leader decides; the person
is told and may accept the decision or appeal within settings["accountability_appeal_days"]
calendar days; a leader decides the appeal. A decision nobody appealed in time becomes
final by itself (finalise_expired, from the `reminders` command, and lazily on display).

Every step runs in one transaction with its event in the record's own hash-chained history
(domain/record_history.py; never in the complaint's history, which others may read), checks
the version the user's page showed and bumps it. Nothing is ever deleted.
Lists, the export and the view log are in domain/accountability_queries.py.
"""
import datetime as dt
from decimal import Decimal, InvalidOperation

from flask_babel import format_date, lazy_gettext as _l

from extensions import db
from domain import access, record_history, uploads
from domain.deadlines import local_date
from domain.errors import Conflict, DomainError, Forbidden
from domain.models import User, utcnow
from domain.notifications import active_with_role, notify
from domain.numbering import next_number
from domain.oversight_models import AccountabilityEvidence, AccountabilityRecord
from domain.settings import load_settings
from domain.vocab import APPEAL_OUTCOMES, RESPONSIBILITY_LEVELS, SANCTIONS, SANCTIONS_WITH_AMOUNT
from domain.workflow.core import require as _require

# What each event of a record's history is called.
EVENT_LABELS = {
    "opened": _l("Record opened"),
    "findings_updated": _l("Findings updated"),
    "evidence_added": _l("Evidence added"),
    "proposed": _l("Proposal made"),
    "decided": _l("Decision made"),
    "accepted": _l("Decision accepted by the person concerned (no appeal)"),
    "appealed": _l("Appeal submitted"),
    "appeal_decided": _l("Appeal decided"),
    "final": _l("Appeal period over without an appeal: the decision is final"),
}
# Field names in the events' recorded changes.
FIELD_LABELS = {
    "subject": _l("Person concerned"), "level": _l("Responsibility level"),
    "findings": _l("Findings"), "complaint": _l("Complaint"), "status": _l("Status"),
    "proposed_sanction": _l("Proposed sanction"), "proposed_amount": _l("Proposed amount"),
    "proposal_note": _l("Reasons for the proposal"), "sanction": _l("Sanction"),
    "amount": _l("Amount"), "decision_note": _l("Reasons for the decision"),
    "appeal_due_on": _l("Appeal possible until"), "appeal_text": _l("Grounds of appeal"),
    "appeal_outcome": _l("Outcome of the appeal"),
    "appeal_decision_note": _l("Reasons for the appeal decision"), "evidence": _l("Evidence"),
}
MAX_TEXT = 10000
MAX_AMOUNT = Decimal("9999999999.99")
STALE = _l("Someone else changed this record after you opened it. Nothing was saved; the "
           "page now shows the record as it is.")


# The access rules live in domain/access.py; re-exported for the views.
can_work_on_accountability = access.can_work_on_accountability
can_see_view_log = access.can_see_view_log


def _text(value, message, field, required=True) -> str:
    value = (value or "").strip()
    if required:
        _require(value, message, field)
    _require(len(value) <= MAX_TEXT, _l("This text is too long (at most %(n)s characters).",
                                        n=MAX_TEXT), field)
    return value


def _sanction(code, amount, sanction_field="sanction", amount_field="amount"):
    """A sanction code and its amount (only for a fine, and then more than 0)."""
    _require(code in SANCTIONS, _l("Choose a sanction from the list."), sanction_field)
    if code not in SANCTIONS_WITH_AMOUNT:
        _require(amount in (None, ""), _l("An amount is given only for a fine or bonus "
                                          "deduction."), amount_field)
        return code, None
    _require(amount not in (None, ""), _l("Give the amount of the fine or deduction."),
             amount_field)
    try:
        amount = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise DomainError(_l("Give the amount as a number, e.g. 500 or 500.00."), amount_field)
    _require(Decimal("0") < amount <= MAX_AMOUNT,
             _l("The amount must be more than 0."), amount_field)
    return code, amount


def _plain(value):
    return "" if value is None else str(value)


def _set(record, changes: list, **values) -> None:
    for name, new in values.items():
        old = getattr(record, name)
        if _plain(old) != _plain(new):
            changes.append([name, _plain(old), _plain(new)])
        setattr(record, name, new)


def _load(record_id: int, version: int | None, status: tuple = ()) -> AccountabilityRecord:
    record = AccountabilityRecord.get_or_none(AccountabilityRecord.id == record_id)
    _require(record, _l("There is no such accountability record."))
    if version is not None and record.version != version:
        raise Conflict(STALE)
    if status and record.status not in status:
        raise Conflict(_l("This step is not possible at the record's current stage. Nothing "
                          "was saved; the page now shows the record as it is."))
    return record


def _save(record, actor, action, changes, note="", **data) -> None:
    record.version += 1
    record.save()
    record_history.append(record, actor, action, note=note,
                          data={"changes": changes, **data} if changes or data else {})


def local_today(settings: dict | None = None) -> dt.date:
    """Today in the organisation's calendar."""
    return local_date(utcnow(), settings or load_settings())


def _leaders_except(record) -> list[User]:
    return [u for u in active_with_role("leader") if u.id != record.subject_id]


def check_files(files, max_bytes: int) -> list:
    """Every (name, bytes) checked before anything is stored (else an error, nothing saved)."""
    return [uploads.check_file(name, data, max_bytes) for name, data in files]


def _store_files(record, checked, actor, upload_dir) -> list[str]:
    names = []
    for item, stored in zip(checked, uploads.store_all(upload_dir, checked)):
        AccountabilityEvidence.create(record=record.id, original_name=item.original_name,
                                      stored_name=stored, mime_type=item.mime_type,
                                      size=len(item.data), sha256=item.sha256,
                                      uploaded_by=actor.id)
        names.append(item.original_name)
    return names


def open_record(actor: User, subject: User, level: str, findings: str, complaint=None,
                files=(), *, upload_dir=None, max_bytes: int = 10 * 1024 * 1024,
                settings: dict | None = None) -> AccountabilityRecord:
    """A new record about `subject` (the person is not told until the decision). `files`:
    (name, bytes) pairs, stored like complaint evidence under `upload_dir`."""
    if not access.can_open_accountability(actor):
        raise Forbidden(_l("You may not open accountability records."))
    _require(subject is not None and subject.active, _l("Choose an active staff member."),
             "subject")
    _require(subject.id != actor.id, _l("Nobody can open an accountability record about "
                                        "themselves."), "subject")
    _require(level in RESPONSIBILITY_LEVELS, _l("Choose the level of responsibility."), "level")
    findings = _text(findings, _l("Describe the findings."), "findings")
    checked = check_files(files, max_bytes)
    _require(upload_dir or not checked, _l("Files cannot be stored here."), "evidence")
    year = local_today(settings).year
    with db.atomic():
        record = AccountabilityRecord.create(
            number=next_number("ZR", year, 4), complaint=complaint.id if complaint else None,
            subject=subject.id, subject_department=subject.department_id, level=level,
            findings=findings, opened_by=actor.id, opened_at=utcnow())
        names = _store_files(record, checked, actor, upload_dir)
        changes = [["subject", "", subject.full_name], ["level", "", level],
                   ["findings", "", findings]]
        if complaint:
            changes.append(["complaint", "", complaint.number])
        record_history.append(record, actor, "opened",
                              data={"changes": changes, "files": names})
    return record


def update_findings(record, actor: User, findings: str, level: str, version: int | None):
    """Correct or complete the findings (and the level) while the record is investigated."""
    findings = _text(findings, _l("Describe the findings."), "findings")
    _require(level in RESPONSIBILITY_LEVELS, _l("Choose the level of responsibility."), "level")
    with db.atomic():
        record = _load(record.id, version, ("investigating",))
        if not can_work_on_accountability(actor, record):
            raise Forbidden(_l("You may not change this record."))
        changes = []
        _set(record, changes, findings=findings, level=level)
        _require(changes, _l("Nothing was changed."), "findings")
        _save(record, actor, "findings_updated", changes)
    return record


def add_evidence(record, actor: User, files, *, upload_dir, max_bytes: int,
                 note: str = "", version: int | None = None):
    """More evidence files, until a decision is made."""
    _require(files, _l("Choose at least one file."), "evidence")
    checked = check_files(files, max_bytes)
    note = _text(note, "", "note", required=False)
    with db.atomic():
        record = _load(record.id, version, ("investigating", "proposed"))
        if not can_work_on_accountability(actor, record):
            raise Forbidden(_l("You may not add evidence to this record."))
        names = _store_files(record, checked, actor, upload_dir)
        _save(record, actor, "evidence_added", [], note=note, files=names)
    return record


def propose(record, actor: User, sanction: str, amount, note: str, version: int | None):
    """The complaint manager proposes the sanction; leaders are told."""
    sanction, amount = _sanction(sanction, amount)
    note = _text(note, _l("Give the reasons for the proposal."), "note")
    with db.atomic():
        record = _load(record.id, version, ("investigating",))
        if not can_work_on_accountability(actor, record):
            raise Forbidden(_l("You may not propose a sanction on this record."))
        changes = []
        _set(record, changes, status="proposed", proposed_sanction=sanction,
             proposed_amount=amount, proposal_note=note)
        record.proposed_by, record.proposed_at = actor.id, utcnow()
        _save(record, actor, "proposed", changes)
        notify(_leaders_except(record), None, "accountability_proposed",
               subject=("accountability", record.id))
    return record


def decide(record, leader: User, sanction: str | None, amount, note: str, version: int | None,
           settings: dict | None = None):
    """A leader decides (the proposed sanction unless they choose another); the person is
    told and may appeal within the appeal period."""
    settings = settings or load_settings()
    with db.atomic():
        record = _load(record.id, version, ("proposed",))
        if not access.can_decide_accountability(leader, record):
            raise Forbidden(_l("You may not decide on this record."))
        if not sanction:
            sanction, amount = record.proposed_sanction, (
                amount if amount not in (None, "") else record.proposed_amount)
        sanction, amount = _sanction(sanction, amount)
        note = _text(note, "", "note", required=False)
        due = local_today(settings) + dt.timedelta(days=int(settings["accountability_appeal_days"]))
        changes = []
        _set(record, changes, status="decided", sanction=sanction, amount=amount,
             decision_note=note, appeal_due_on=due)
        record.decided_by, record.decided_at = leader.id, utcnow()
        _save(record, leader, "decided", changes)
        notify([record.subject], None, "accountability_decided",
               subject=("accountability", record.id))
    return record


def accept(record, person: User, version: int | None):
    """The person accepts the decision and waives the appeal: the record is final."""
    with db.atomic():
        record = _load(record.id, version, ("decided",))
        if not access.can_appeal_accountability(person, record):
            raise Forbidden(_l("Only the person concerned may accept the decision."))
        changes = []
        _set(record, changes, status="final")
        record.final_at = utcnow()
        _save(record, person, "accepted", changes)
    return record


def appeal(record, person: User, text: str, version: int | None, today: dt.date | None = None,
           settings: dict | None = None):
    """The person appeals within the appeal period; leaders are told."""
    text = _text(text, _l("Give the grounds of your appeal."), "text")
    today = today or local_today(settings)
    with db.atomic():
        record = _load(record.id, version, ("decided",))
        if not access.can_appeal_accountability(person, record):
            raise Forbidden(_l("Only the person concerned may appeal."))
        if record.appeal_due_on and today > record.appeal_due_on:
            raise DomainError(_l("The appeal period ended on %(date)s; an appeal is no longer "
                                 "possible.", date=format_date(record.appeal_due_on,
                                                               "yyyy-MM-dd")), "text")
        changes = []
        _set(record, changes, status="appealed", appeal_text=text)
        record.appealed_at = utcnow()
        _save(record, person, "appealed", changes)
        notify(_leaders_except(record), None, "accountability_appealed",
               subject=("accountability", record.id))
    return record


def decide_appeal(record, leader: User, outcome: str, sanction: str | None, amount, note: str,
                  version: int | None):
    """Upheld (the sanction stays), varied (a new sanction) or revoked (sanction "none"):
    the record is final and the person is told."""
    _require(outcome in APPEAL_OUTCOMES, _l("Choose the outcome of the appeal."), "outcome")
    note = _text(note, _l("Give the reasons for the appeal decision."), "note")
    with db.atomic():
        record = _load(record.id, version, ("appealed",))
        if not access.can_decide_accountability(leader, record):
            raise Forbidden(_l("You may not decide this appeal."))
        if outcome == "upheld":
            _require(not sanction or (sanction == record.sanction and amount in (None, "")),
                     _l("Upholding keeps the sanction: choose “Sanction changed” to change it."),
                     "sanction")
            sanction, amount = record.sanction, record.amount
        elif outcome == "revoked":
            sanction, amount = "none", None
        else:
            _require(sanction, _l("Choose the new sanction."), "sanction")
            sanction, amount = _sanction(sanction, amount)
            _require((sanction, amount) != (record.sanction, record.amount),
                     _l("The new sanction is the same as the decision: choose “Decision "
                        "upheld” instead."), "sanction")
        changes = []
        _set(record, changes, status="final", appeal_outcome=outcome, sanction=sanction,
             amount=amount, appeal_decision_note=note)
        now = utcnow()
        record.appeal_decided_by, record.appeal_decided_at, record.final_at = leader.id, now, now
        _save(record, leader, "appeal_decided", changes)
        notify([record.subject], None, "accountability_appeal_decided",
               subject=("accountability", record.id))
    return record


def _finalise(record_id: int, today: dt.date) -> bool:
    with db.atomic():
        record = AccountabilityRecord.get_by_id(record_id)
        if record.status != "decided" or not record.appeal_due_on or record.appeal_due_on >= today:
            return False
        changes = []
        _set(record, changes, status="final")
        record.final_at = utcnow()
        _save(record, None, "final", changes)
    return True


def finalise_expired(today: dt.date) -> int:
    """Make final every decided record whose appeal period ended before `today` with no
    appeal. Returns how many."""
    ids = [r.id for r in AccountabilityRecord.select(AccountabilityRecord.id).where(
        (AccountabilityRecord.status == "decided")
        & (AccountabilityRecord.appeal_due_on < today))]
    return sum(1 for record_id in ids if _finalise(record_id, today))


def finalise_if_expired(record: AccountabilityRecord, today: dt.date) -> AccountabilityRecord:
    """The record as it is now: final if its appeal period ended with no appeal (lazily,
    when it is loaded for display)."""
    if (record.status == "decided" and record.appeal_due_on
            and record.appeal_due_on < today and _finalise(record.id, today)):
        return AccountabilityRecord.get_by_id(record.id)
    return record


# The read side (the records about a person, the steps a page offers, history labels)
# lives in domain/accountability_queries.py; re-exported for the views.
from domain.accountability_queries import (  # noqa: E402,F401
    STEP_STATUSES, available_steps, may_take, records_about, value_label)
