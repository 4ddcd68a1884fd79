"""Registering a complaint, correcting its intake data, adding evidence."""
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from extensions import db
from domain import deadlines, groups, history, numbering, outbox, search, uploads
from domain.errors import Conflict, DomainError
from domain.models import Complaint, Evidence, User, utcnow
from domain.notifications import active_with_role, notify
from domain.statuses import EDITABLE_STATUSES, OPEN_STATUSES

INTAKE_FIELDS = (
    "channel", "received_at", "complainant_name", "complainant_phone", "complainant_email",
    "complainant_address", "matter", "demand", "order_ref", "amount_claimed", "nature",
    "severity", "urgency", "language", "regulator_name", "regulator_ref", "regulator_due",
)


def contact_key(phone: str) -> str:
    """Phone digits without country code or separators, for spotting the same caller."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits[-11:] if len(digits) >= 6 else ""


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def _check_rules(data: dict, now: dt.datetime) -> None:
    if not (data.get("complainant_phone") or data.get("complainant_email")
            or data.get("complainant_address")):
        raise DomainError(_l("Enter at least one way to reach the complainant."),
                          "complainant_phone")
    if data["received_at"] > now + dt.timedelta(minutes=5):
        raise DomainError(_l("The time received cannot be in the future."), "received_at")
    if data["channel"] == "regulator" and not data.get("regulator_ref"):
        raise DomainError(_l("A regulator referral needs the regulator's reference number."),
                          "regulator_ref")


def register(data: dict, actor: User, files: list[tuple[str, bytes]], *, settings: dict,
             upload_dir: Path, max_bytes: int, group: dict | None = None,
             evidence_source: str = "staff") -> tuple[Complaint, str]:
    """Register a complaint; returns it with its lookup code (shown once, stored hashed).

    `group`: the group details entered at intake (see domain/groups.clean_group), required
    when given for a group complaint; None when the caller has none (e.g. imports)."""
    now = utcnow()
    _check_rules(data, now)
    group = groups.clean_group(group, data) if group is not None else None
    checked = [uploads.check_file(name, content, max_bytes) for name, content in files]
    stored = uploads.store_all(upload_dir, checked)
    code = numbering.new_lookup_code()
    try:
        with db.atomic():
            year = now.replace(tzinfo=dt.timezone.utc).astimezone(
                ZoneInfo(settings["timezone"])).year
            complaint = Complaint(**{k: data.get(k) for k in INTAKE_FIELDS if k in data})
            complaint.number = numbering.next_number(
                settings["number_prefix"], year, settings["number_padding"])
            complaint.lookup_code_hash = numbering.hash_lookup_code(code)
            complaint.status = "registered"
            complaint.registered_by = complaint.first_contact = actor
            complaint.registered_at = complaint.updated_at = now
            complaint.contact_key = contact_key(data.get("complainant_phone", ""))
            # Assessment (initial verification) is due a set number of days after receipt.
            complaint.stage_due_on = deadlines.stage_due(
                "registered", deadlines.local_date(complaint.received_at, settings), settings,
                deadlines.load_calendar(settings))
            complaint.complainant_email = (data.get("complainant_email") or "").lower()
            complaint.save(force_insert=True)
            history.append_event(complaint, actor, "register", to_status="registered",
                                 public=True)
            # The complainant's acknowledgement (number, lookup code), when email is on.
            outbox.queue_acknowledgement(complaint, code, settings)
            if group is not None:
                groups.write_group(complaint, group)
                # People are waiting: one notice per leader and manager, of its own kind.
                notify(active_with_role("leader") + active_with_role("manager"), complaint,
                       "group_complaint")
            elif complaint.severity in ("major", "group"):
                notify(active_with_role("leader") + active_with_role("manager"), complaint,
                       "major_complaint")
            for c, name in zip(checked, stored):
                _add_evidence_row(complaint, c, name, actor, evidence_source)
            search.reindex(complaint)
    except Exception:
        for name in stored:
            uploads.path_of(upload_dir, name).unlink(missing_ok=True)
        raise
    return complaint, code


def _add_evidence_row(complaint, checked, stored_name, actor, source="staff") -> Evidence:
    return Evidence.create(complaint=complaint, original_name=checked.original_name,
                           stored_name=stored_name, mime_type=checked.mime_type,
                           size=len(checked.data), sha256=checked.sha256,
                           uploaded_by=actor, source=source)


def update(complaint_id: int, data: dict, actor: User, expected_version: int,
           group: dict | None = None) -> Complaint:
    """Correct the intake data; records old → new for each changed field.

    `group`: the group details as corrected (None: left as they are); their changes are
    field changes of the same history event."""
    now = utcnow()
    with db.atomic():
        complaint = Complaint.get_by_id(complaint_id)
        if complaint.version != expected_version:
            raise Conflict(_l("Someone else changed this complaint while you were editing. "
                              "Reload it and make your change again."))
        if complaint.status not in EDITABLE_STATUSES:
            raise Conflict(_l("A closed complaint cannot be changed."))
        merged = {k: getattr(complaint, k) for k in INTAKE_FIELDS}
        merged.update(data)
        merged["complainant_email"] = (merged.get("complainant_email") or "").lower()
        _check_rules(merged, now)
        changes = []
        clean_group = groups.clean_group(group, merged) if group is not None else None
        for field in INTAKE_FIELDS:
            if field in data and _as_text(getattr(complaint, field)) != _as_text(merged[field]):
                changes.append((field, _as_text(getattr(complaint, field)),
                                _as_text(merged[field])))
                setattr(complaint, field, merged[field])
        if clean_group is not None:
            changes += groups.write_group(complaint, clean_group)
        if not changes:
            return complaint
        complaint.contact_key = contact_key(complaint.complainant_phone)
        complaint.version += 1
        complaint.updated_at = now
        complaint.save()
        history.append_event(complaint, actor, "edit", from_status=complaint.status,
                             changes=changes)
        search.reindex(complaint)
    return complaint


def add_evidence(complaint_id: int, files: list[tuple[str, bytes]], actor: User | None, *,
                 upload_dir: Path, max_bytes: int, note: str = "",
                 source: str = "staff") -> list[Evidence]:
    checked = [uploads.check_file(name, content, max_bytes) for name, content in files]
    if not checked:
        raise DomainError(_l("Choose at least one file."), "evidence")
    stored = uploads.store_all(upload_dir, checked)
    try:
        with db.atomic():
            complaint = Complaint.get_by_id(complaint_id)
            if complaint.status not in EDITABLE_STATUSES:
                raise Conflict(_l("A closed complaint cannot be changed."))
            rows = [_add_evidence_row(complaint, c, s, actor, source)
                    for c, s in zip(checked, stored)]
            history.append_event(
                complaint, actor, "add_evidence", from_status=complaint.status, note=note,
                changes=[("evidence", "", f"{c.original_name} (sha256 {c.sha256[:12]}…)")
                         for c in checked])
            Complaint.update(updated_at=utcnow()).where(Complaint.id == complaint.id).execute()
    except Exception:
        for name in stored:
            uploads.path_of(upload_dir, name).unlink(missing_ok=True)
        raise
    return rows


def possible_duplicates(phone: str, email: str, limit: int = 5):
    """Open complaints from the same phone or email, newest first (whoever handles them:
    the caller decides with access.can_view what to show of each)."""
    key = contact_key(phone)
    email = (email or "").strip().lower()
    conditions = []
    if key:
        conditions.append(Complaint.contact_key == key)
    if email and "@" in email:
        conditions.append(Complaint.complainant_email == email)
    if not conditions:
        return []
    cond = conditions[0] if len(conditions) == 1 else (conditions[0] | conditions[1])
    return list(Complaint.select().where(cond & Complaint.status.in_(OPEN_STATUSES))
                .order_by(Complaint.received_at.desc()).limit(limit))
