"""Group complaints (群体投诉): the crowd's details and the alert until handled.

A group complaint records how many came, where they are, their mood, their core demands and
the two or three people who speak for them. It heads every leader's and manager's page
until one of them records it handled (mark_handled), or a leader activates an emergency
response for it (domain/emergency.activate), or the complaint is no longer open.

The details are written in the complaint's own transaction (intake.register / intake.update
call clean_group and write_group); their corrections are field changes in the complaint's
history, the handling an event "group_handled" (status and version untouched)."""
from flask_babel import lazy_gettext as _l

from extensions import db
from domain import access, history, vocab
from domain.errors import Conflict, DomainError, Forbidden
from domain.group_models import GroupDetail, GroupRepresentative
from domain.models import Complaint, User, utcnow
from domain.statuses import OPEN_STATUSES

MAX_REPRESENTATIVES = 3
MAX_HEADCOUNT = 100000
GROUP_FIELDS = ("group_headcount", "group_location", "group_mood", "group_core_demands")

def is_group_complaint(data: dict) -> bool:
    """Intake data that calls for group details: severity "group" or a group visit."""
    return data.get("severity") == "group" or data.get("channel") == "group_visit"


def _has_content(group: dict | None) -> bool:
    if not group:
        return False
    if any(str(group.get(k) or "").strip() for k in GROUP_FIELDS):
        return True
    return any((r.get("name") or "").strip() or (r.get("contact") or "").strip()
               for r in group.get("representatives") or [])


def clean_group(group: dict | None, data: dict) -> dict | None:
    """The group details as they will be saved, or None when there are none to save.

    `group`: {"group_headcount", "group_location", "group_mood", "group_core_demands",
    "representatives": [{"name", "contact"}, …]}. Required for a group complaint (`data`:
    the intake data); refused for any other. Raises DomainError naming the form field."""
    if not is_group_complaint(data):
        if _has_content(group):
            raise DomainError(_l("Group details were entered: set the severity to “Group” "
                                 "(or the channel to “Group visit”), or clear them."),
                              "severity")
        return None
    group = group or {}
    headcount = group.get("group_headcount")
    try:
        headcount = int(headcount) if headcount not in (None, "") else None
    except (TypeError, ValueError):
        headcount = None
    if headcount is None:
        raise DomainError(_l("Enter how many people came."), "group_headcount")
    if not 2 <= headcount <= MAX_HEADCOUNT:
        raise DomainError(_l("A group is at least 2 people."), "group_headcount")
    location = (group.get("group_location") or "").strip()
    if not location:
        raise DomainError(_l("Enter where the group is."), "group_location")
    if len(location) > 300:
        raise DomainError(_l("At most 300 characters."), "group_location")
    mood = group.get("group_mood") or ""
    if mood not in vocab.MOODS:
        raise DomainError(_l("Choose the mood of the group."), "group_mood")
    demands = (group.get("group_core_demands") or "").strip()
    if not demands:
        raise DomainError(_l("Enter the group's core demands."), "group_core_demands")
    if len(demands) > 5000:
        raise DomainError(_l("At most 5,000 characters."), "group_core_demands")
    reps = []
    for i, rep in enumerate((group.get("representatives") or [])[:MAX_REPRESENTATIVES], 1):
        name, contact = (rep.get("name") or "").strip(), (rep.get("contact") or "").strip()
        if contact and not name:
            raise DomainError(_l("Enter the representative's name too."), f"rep{i}_name")
        if len(name) > 120:
            raise DomainError(_l("At most 120 characters."), f"rep{i}_name")
        if len(contact) > 120:
            raise DomainError(_l("At most 120 characters."), f"rep{i}_contact")
        if name:
            reps.append({"name": name, "contact": contact})
    if len(group.get("representatives") or []) > MAX_REPRESENTATIVES:
        raise DomainError(_l("At most 3 representatives."), "rep1_name")
    if not reps:
        raise DomainError(_l("Name at least one representative of the group."), "rep1_name")
    return {"headcount": headcount, "location": location, "mood": mood,
            "core_demands": demands, "representatives": reps}


def _rep_text(rep) -> str:
    if rep is None:
        return ""
    name, contact = (rep["name"], rep["contact"]) if isinstance(rep, dict) else (rep.name,
                                                                               rep.contact)
    return f"{name} · {contact}" if contact else name


def write_group(complaint: Complaint, clean: dict) -> list[tuple[str, str, str]]:
    """Create or correct the complaint's group details; returns the field changes (old, new)
    for its history. Call inside the complaint's write transaction."""
    detail = GroupDetail.get_or_none(GroupDetail.complaint == complaint.id)
    old_reps, rows = [], {}
    if detail is None:
        detail = GroupDetail(complaint=complaint.id)
        old = {"headcount": "", "location": "", "mood": "", "core_demands": ""}
    else:
        old = {k: getattr(detail, k) for k in ("headcount", "location", "mood", "core_demands")}
        rows = {r.position: r for r in GroupRepresentative.select()
                .where(GroupRepresentative.group == detail.id)}
        old_reps = [rows[p] for p in sorted(rows) if rows[p].name]
    changes = []
    for key in ("headcount", "location", "mood", "core_demands"):
        if str(old[key]) != str(clean[key]):
            changes.append((f"group_{key}", str(old[key]), str(clean[key])))
        setattr(detail, key, clean[key])
    detail.save()
    new_reps = clean["representatives"]
    for position in range(1, MAX_REPRESENTATIVES + 1):
        before = old_reps[position - 1] if position <= len(old_reps) else None
        after = new_reps[position - 1] if position <= len(new_reps) else None
        if _rep_text(before) != _rep_text(after):
            changes.append((f"group_representative_{position}", _rep_text(before),
                            _rep_text(after)))
    # Corrected in place (nothing is deleted): a representative taken off keeps its row,
    # emptied; the complaint's field changes above are the history.
    for position in range(1, MAX_REPRESENTATIVES + 1):
        row = rows.get(position)
        rep = new_reps[position - 1] if position <= len(new_reps) else {"name": "",
                                                                          "contact": ""}
        if row is None:
            if rep["name"]:
                GroupRepresentative.create(group=detail.id, position=position, **rep)
        elif (row.name, row.contact) != (rep["name"], rep["contact"]):
            row.name, row.contact = rep["name"], rep["contact"]
            row.save()
    return changes


def group_form_data(detail: GroupDetail | None) -> dict:
    """The saved details as form values (for the correction page)."""
    if detail is None:
        return {}
    reps = representatives_of(detail)
    data = {"group_headcount": detail.headcount, "group_location": detail.location,
            "group_mood": detail.mood, "group_core_demands": detail.core_demands}
    for i, rep in enumerate(reps, 1):
        data[f"rep{i}_name"], data[f"rep{i}_contact"] = rep.name, rep.contact
    return data


def representatives_of(detail: GroupDetail) -> list[GroupRepresentative]:
    return list(GroupRepresentative.select()
                .where((GroupRepresentative.group == detail.id) & (GroupRepresentative.name != ""))
                .order_by(GroupRepresentative.position))


def unhandled_groups(limit: int = 20) -> list[GroupDetail]:
    """Open group complaints nobody has recorded as handled, newest first."""
    return list(GroupDetail.select(GroupDetail, Complaint).join(Complaint)
                .where(GroupDetail.handled_at.is_null()
                       & Complaint.status.in_(OPEN_STATUSES))
                .order_by(Complaint.received_at.desc()).limit(limit))


def mark_handled(complaint: Complaint, actor: User, note: str) -> GroupDetail:
    """A leader or the complaint manager records the group as handled: the alert goes."""
    if not access.can_mark_group_handled(actor, complaint):
        raise Forbidden(_l("You may not record this group complaint as handled."))
    note = (note or "").strip()
    if not note:
        raise DomainError(_l("Say in a few words how the group was handled."), "note")
    if len(note) > 1000:
        raise DomainError(_l("At most 1,000 characters."), "note")
    with db.atomic():
        detail = GroupDetail.get_or_none(GroupDetail.complaint == complaint.id)
        if detail is None:
            raise DomainError(_l("This complaint has no group details."), "note")
        if detail.handled_at is not None:
            raise Conflict(_l("Someone already recorded this group complaint as handled."))
        _set_handled(detail, complaint, actor, note)
    return detail


def _set_handled(detail: GroupDetail, complaint: Complaint, actor: User, note: str) -> None:
    """Call inside the write transaction (also used on emergency activation)."""
    detail.handled_at, detail.handled_by, detail.handled_note = utcnow(), actor.id, note
    detail.save()
    history.append_event(complaint, actor, "group_handled", from_status=complaint.status,
                         note=note)
