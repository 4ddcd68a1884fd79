"""Personal data of complainants: export for one person, anonymise after a retention period.

Export (`export_person`): every complaint of one person, found by phone (the normalised
contact key) or email, as a JSON-ready dict — complainant fields, matter, demand, dates,
letters, evidence names, responses and return visits. Each exported complaint gets a
"privacy_export" event in its history (not public). Administrators only.

Anonymise (`anonymise_complaint`, `anonymise_expired`): the complainant's name becomes
"[anonymised]"; phone, email, address, contact key and order reference become empty. The
same is done where the complaint's personal data was copied: the recipient of the written
response, the group's representatives, the addressee and text of emails already sent,
and literal occurrences of the old name/phone/email/address inside matter and demand. The
complaint's search entry is rebuilt (the old name no longer finds it) and the search index
merged so the old words leave the database file; SQLite's secure_delete zeroes freed space
and the WAL is checkpointed. On PostgreSQL the tables that held the values are rewritten
(VACUUM FULL, see _purge_leftovers).

What is kept, on purpose:
- Statistics: number, dates, channel, nature, severity, department, status, satisfaction,
  amounts, matter/demand (minus the personal values) are untouched, so every figure stays.
- Nothing is hard-deleted (a rule of this product): evidence rows and files, issued letters
  and dossiers stay on disk with their hashes. Their downloads are for staff only, and
  `is_anonymised` lets the download views refuse them (access.can_download_files).
- The history is append-only and hash-chained, so values recorded in earlier events (an
  "edit" event's old → new of a phone number, say) cannot be removed without breaking the
  chain; they stay, visible to staff who may read that history. The anonymise event itself
  records only the field names, never the old values.

A complaint is anonymised when its complainant name is ANONYMISED and its history has an
"anonymise" event (no model change: a value check plus the event).
"""
import datetime as dt
import json

from flask_babel import lazy_gettext as _l

from domain import access

from extensions import db
from domain import history, search
from domain.database import is_sqlite
from domain.errors import Conflict, DomainError, Forbidden
from domain.intake import contact_key
from domain.models import Complaint, Event, Evidence, User, utcnow

ANONYMISED = "[anonymised]"
REMOVED = "[removed]"
CLOSED_STATUSES = ("rejected", "closed", "archived")
# field → the value it takes
PERSONAL_FIELDS = {
    "complainant_name": ANONYMISED,
    "complainant_phone": "",
    "complainant_email": "",
    "complainant_address": "",
    "contact_key": "",
    "order_ref": "",
}



# The access rules live in domain/access.py; re-exported for the views.
can_manage_personal_data = access.can_manage_personal_data


def is_anonymised(complaint: Complaint) -> bool:
    return complaint.complainant_name == ANONYMISED


# --- Export ---------------------------------------------------------------------------

def person_condition(identifier: str):
    """The complaints of the person with this phone number or email address."""
    value = (identifier or "").strip()
    if "@" in value:
        email = value.lower()
        if len(email) < 3 or email.startswith("@") or email.endswith("@"):
            raise DomainError(_l("Enter a full email address or a phone number."), "person")
        return Complaint.complainant_email == email
    key = contact_key(value)
    if not key:
        raise DomainError(_l("Enter a phone number (at least 6 digits) or an email address."),
                          "person")
    return Complaint.contact_key == key


def _iso(value):
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def export_person(identifier: str, actor: User, now: dt.datetime | None = None) -> dict:
    """Everything held about one person's complaints; logs the export in each history.

    Raises DomainError (field "person") when the identifier is unusable or nothing matches."""
    from domain.letter_models import Letter
    from domain.stage_models import Response, Visit

    if not can_manage_personal_data(actor):
        raise Forbidden(_l("Only an administrator may handle personal data."))
    condition = person_condition(identifier)
    now = now or utcnow()
    with db.atomic():
        complaints = list(Complaint.select().where(condition).order_by(Complaint.received_at))
        if not complaints:
            raise DomainError(_l("No complaint has this phone number or email address."),
                              "person")
        ids = [c.id for c in complaints]
        letters, evidence, responses, visits = {}, {}, {}, {}
        for row in Letter.select().where(Letter.complaint.in_(ids)).order_by(Letter.issued_at):
            letters.setdefault(row.complaint_id, []).append({
                "kind": row.kind, "version": row.version, "reference": row.reference,
                "language": row.language, "issued_at": _iso(row.issued_at),
                "delivery_method": row.delivery_method,
                "delivered_on": _iso(row.delivered_on)})
        for row in Evidence.select().where(Evidence.complaint.in_(ids)).order_by(Evidence.id):
            evidence.setdefault(row.complaint_id, []).append({
                "name": row.original_name, "type": row.mime_type, "size": row.size,
                "sha256": row.sha256, "uploaded_at": _iso(row.uploaded_at),
                "source": row.source})
        for row in Response.select().where(Response.complaint.in_(ids)):
            responses.setdefault(row.complaint_id, []).append({
                "method": row.method, "sent_on": _iso(row.sent_on), "recipient": row.recipient})
        for row in Visit.select().where(Visit.complaint.in_(ids)):
            visits.setdefault(row.complaint_id, []).append({
                "method": row.method, "visited_on": _iso(row.visited_on),
                "satisfaction": row.satisfaction, "resolved": row.resolved,
                "comments": row.comments})
        result = {
            "exported_at": _iso(now.replace(microsecond=0)) + "Z",
            "exported_by": actor.username,
            "person": identifier.strip(),
            "complaints": [],
        }
        for c in complaints:
            result["complaints"].append({
                "number": c.number,
                "status": c.status,
                "channel": c.channel,
                "language": c.language,
                "complainant": {"name": c.complainant_name, "phone": c.complainant_phone,
                                "email": c.complainant_email,
                                "address": c.complainant_address},
                "order_ref": c.order_ref,
                "matter": c.matter,
                "demand": c.demand,
                "amount_claimed": (f"{c.amount_claimed:.2f}"
                                   if c.amount_claimed is not None else None),
                "received_at": _iso(c.received_at),
                "registered_at": _iso(c.registered_at),
                "accepted_at": _iso(c.accepted_at),
                "responded_at": _iso(c.responded_at),
                "closed_at": _iso(c.closed_at),
                "letters": letters.get(c.id, []),
                "evidence": evidence.get(c.id, []),
                "responses": responses.get(c.id, []),
                "visits": visits.get(c.id, []),
            })
            history.append_event(c, actor, "privacy_export", from_status=c.status,
                                 note="Personal data exported at the complainant's request "
                                      "(data subject access).")
    return result


def export_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


# --- Anonymise ------------------------------------------------------------------------

def _years_before(moment: dt.datetime, years: int) -> dt.datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def expired_ids(retention_years: int, now: dt.datetime | None = None) -> list[int]:
    """Complaints closed (rejected, closed or archived) more than `retention_years` ago and
    not yet anonymised."""
    if not retention_years or retention_years <= 0:
        return []
    cutoff = _years_before(now or utcnow(), int(retention_years))
    return [c.id for c in Complaint.select(Complaint.id).where(
        Complaint.status.in_(CLOSED_STATUSES) & Complaint.closed_at.is_null(False)
        & (Complaint.closed_at < cutoff) & (Complaint.complainant_name != ANONYMISED))
        .order_by(Complaint.id)]


def _scrub_text(text: str, values: list[str]) -> str:
    for value in values:
        if value and len(value) >= 2:
            text = text.replace(value, ANONYMISED)
    return text


def _anonymise_one(complaint: Complaint, actor: User | None, note: str) -> list[str]:
    """Inside the caller's transaction. Returns the names of the fields that changed."""
    from domain.group_models import GroupDetail, GroupRepresentative
    from domain.mail_models import OutboxMessage
    from domain.stage_models import Response

    old_values = [complaint.complainant_name, complaint.complainant_phone,
                  complaint.complainant_email, complaint.complainant_address]
    # Longest first, so that "Zhang Wei" goes before "Zhang".
    old_values = sorted({v for v in old_values if v and v != ANONYMISED}, key=len, reverse=True)
    changed = []
    for name, value in PERSONAL_FIELDS.items():
        if getattr(complaint, name) != value:
            setattr(complaint, name, value)
            changed.append(name)
    for name in ("matter", "demand"):
        scrubbed = _scrub_text(getattr(complaint, name) or "", old_values)
        if scrubbed != getattr(complaint, name):
            setattr(complaint, name, scrubbed)
            changed.append(name)

    extra = []
    n = (Response.update(recipient=ANONYMISED)
         .where((Response.complaint == complaint.id) & (Response.recipient != ANONYMISED))
         .execute())
    if n:
        extra.append("response_recipient")
    n = (GroupRepresentative.update(name=ANONYMISED, contact="")
         .where(GroupRepresentative.group.in_(
             GroupDetail.select(GroupDetail.id).where(GroupDetail.complaint == complaint.id))
                & (GroupRepresentative.name != ANONYMISED))
         .execute())
    if n:
        extra.append("group_representatives")
    n = (OutboxMessage.update(to_address="", to_name="", body=ANONYMISED)
         .where((OutboxMessage.complaint == complaint.id)
                & OutboxMessage.status.not_in(("queued", "sending"))
                & (OutboxMessage.body != ANONYMISED))
         .execute())
    if n:
        extra.append("email_messages")

    complaint.version += 1
    complaint.updated_at = utcnow()
    complaint.save()
    fields = changed + extra
    # Field names only: the old values must not be written anywhere again.
    history.append_event(complaint, actor, "anonymise", from_status=complaint.status,
                         note=note, changes=[(f, REMOVED, PERSONAL_FIELDS.get(f, ANONYMISED))
                                  for f in fields])
    search.reindex(complaint)
    return fields


# PostgreSQL: how long VACUUM FULL may wait for its exclusive lock before the plain VACUUM
# is used instead (readers queue behind a waiting VACUUM FULL, so keep this short).
PG_VACUUM_FULL_LOCK_TIMEOUT = "2s"


def _purge_leftovers() -> None:
    """Make the old values leave the database file: merge the search index (its old
    segments still hold the removed words) and move the WAL into the database. Runs with
    secure_delete on, so freed pages are zeroed.

    PostgreSQL keeps the old row versions in the table files until they are vacuumed, and
    a plain VACUUM only marks their space free (the bytes stay until overwritten), so the
    tables that held personal data are rewritten with VACUUM FULL (outside any transaction,
    as PostgreSQL requires). It needs a short exclusive lock on each table; when that is
    not granted within PG_VACUUM_FULL_LOCK_TIMEOUT, a plain VACUUM is run instead and the
    rewrite is left to the next anonymisation. As PostgreSQL always does, VACUUM FULL keeps
    an old version that a transaction still running in the cluster might see; that one, and
    the copies in the server's WAL files until they are recycled, are outside our reach."""
    if is_sqlite():
        db.execute_sql(f"INSERT INTO {search.FTS_TABLE}({search.FTS_TABLE}) VALUES ('optimize')")
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return
    if db.in_transaction():  # VACUUM cannot run inside a transaction block
        return
    import logging

    from peewee import DatabaseError

    from domain import search_pg
    from domain.group_models import GroupRepresentative
    from domain.mail_models import OutboxMessage
    from domain.stage_models import Response
    tables = [Complaint._meta.table_name, Response._meta.table_name,
              GroupRepresentative._meta.table_name, OutboxMessage._meta.table_name,
              search_pg.TABLE]
    for table in tables:
        try:
            db.execute_sql(f"SET lock_timeout = '{PG_VACUUM_FULL_LOCK_TIMEOUT}'")
            db.execute_sql(f'VACUUM FULL "{table}"')
        except DatabaseError:
            logging.getLogger(__name__).warning(
                "VACUUM FULL %s: lock not granted, running a plain VACUUM", table)
            db.execute_sql(f'VACUUM "{table}"')
        finally:
            db.execute_sql("RESET lock_timeout")


def _secure_delete(on: bool) -> None:
    if is_sqlite():
        db.execute_sql(f"PRAGMA secure_delete = {'ON' if on else 'OFF'}")


def anonymise_complaint(number_or_id, actor: User, expected_version: int | None = None
                        ) -> Complaint:
    """Anonymise one closed complaint now (an administrator, e.g. on the person's request)."""
    if not can_manage_personal_data(actor):
        raise Forbidden(_l("Only an administrator may handle personal data."))
    _secure_delete(True)
    try:
        with db.atomic():
            if isinstance(number_or_id, int):
                complaint = Complaint.get_or_none(Complaint.id == number_or_id)
            else:
                complaint = Complaint.get_or_none(
                    Complaint.number == (number_or_id or "").strip().upper())
            if complaint is None:
                raise DomainError(_l("There is no complaint with this number."), "number")
            if expected_version is not None and complaint.version != expected_version:
                raise Conflict(_l("Someone else changed this complaint. Reload the page and "
                                  "try again."))
            if is_anonymised(complaint):
                raise DomainError(_l("This complaint is already anonymised."), "number")
            if complaint.status not in CLOSED_STATUSES:
                raise DomainError(_l("Only a closed, rejected or archived complaint can be "
                                     "anonymised: it is still being handled."), "number")
            _anonymise_one(complaint, actor,
                           "Personal data anonymised by an administrator.")
        _purge_leftovers()
    finally:
        _secure_delete(False)
    return complaint


def anonymise_expired(settings: dict, now: dt.datetime | None = None, batch: int = 200) -> int:
    """Anonymise every complaint past the retention period (`retention_years`; 0 = off).
    One transaction per batch; returns how many were anonymised."""
    years = int(settings.get("retention_years") or 0)
    ids = expired_ids(years, now)
    if not ids:
        return 0
    note = f"Retention period of {years} years after closing has passed."
    done = 0
    _secure_delete(True)
    try:
        for start in range(0, len(ids), batch):
            with db.atomic():
                for complaint in Complaint.select().where(
                        Complaint.id.in_(ids[start:start + batch])):
                    if is_anonymised(complaint):
                        continue
                    _anonymise_one(complaint, None, note)
                    done += 1
        _purge_leftovers()
    finally:
        _secure_delete(False)
    return done


def anonymised_count() -> int:
    return (Event.select(Event.complaint).where(Event.action == "anonymise")
            .distinct().count())
