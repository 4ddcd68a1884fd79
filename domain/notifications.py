"""In-app notifications: who is told what, and reading them."""
from flask_babel import lazy_gettext as _l

from domain.models import Complaint, User, utcnow
from domain.stage_models import Notification

KINDS = {
    "major_complaint": _l("A major or group complaint was registered"),
    "assigned": _l("A complaint was assigned to your department"),
    "investigator_named": _l("You were named investigator"),
    "extension_requested": _l("An extension of the investigation was requested"),
    "extension_decided": _l("Your extension request was decided"),
    "review_needed": _l("A proposal waits for your review"),
    "approval_needed": _l("A proposal waits for your approval"),
    "returned": _l("A proposal was returned for rework"),
    "approved": _l("A proposal was approved: send the written response"),
    "dissatisfied": _l("The complainant is not satisfied: consider reopening"),
    "due_soon": _l("Due within a day"),
    "overdue": _l("Overdue"),
    # Part D.
    "group_complaint": _l("A group complaint arrived: people are waiting"),
    "emergency_activated": _l("An emergency response was activated"),
    "emergency_team": _l("You were put on an emergency response team"),
    "emergency_stood_down": _l("An emergency response was stood down"),
    "accountability_proposed": _l("An accountability sanction waits for your decision"),
    "accountability_decided": _l("A decision was made on an accountability record about you"),
    "accountability_appealed": _l("An appeal against an accountability decision waits for "
                                  "your decision"),
    "accountability_appeal_decided": _l("Your appeal against an accountability decision "
                                        "was decided"),
    "plan_measure": _l("You are responsible for a measure of an improvement plan"),
    "plan_ready_for_review": _l("An improvement plan is ready for its effectiveness review"),
    # Part E.
    "complainant_info": _l("The complainant added information to a complaint"),
}


# Kinds that are also sent by email, at once, to each person told who has an address (when
# email is on; domain/outbox.py). Due and overdue items go in a daily digest instead.
EMAIL_KINDS = frozenset({"assigned", "investigator_named", "review_needed", "approval_needed",
                         "returned", "extension_requested"})


def active_with_role(role: str, department_id: int | None = None) -> list[User]:
    query = User.select().where(User.active & User.roles.contains(role))
    if department_id is not None:
        query = query.where(User.department == department_id)
    return [u for u in query if u.has_role(role)]


def notify(users, complaint: Complaint | None, kind: str, day_key: str = "",
           subject: tuple[str, int] | None = None) -> int:
    """Tell each user (once, even if listed twice). Call inside the write transaction.
    `subject` names a record that is not a complaint: ("emergency" | "accountability" |
    "plan", its id); the notifications page links to it."""
    seen, rows, told = set(), [], []
    for user in users:
        if user is None or user.id in seen or not user.active:
            continue
        seen.add(user.id)
        told.append(user)
        rows.append({"user": user.id, "complaint": complaint.id if complaint else None,
                     "kind": kind, "day_key": day_key, "created_at": utcnow(),
                     "subject": subject[0] if subject else "",
                     "subject_id": subject[1] if subject else None})
    if rows:
        Notification.insert_many(rows).execute()
    if told and kind in EMAIL_KINDS:
        from domain import outbox
        outbox.queue_staff_notices(told, complaint, kind)
    return len(rows)


def unread_count(user: User) -> int:
    return Notification.select().where((Notification.user == user.id)
                                       & Notification.read_at.is_null()).count()


def mark_all_read(user: User) -> None:
    Notification.update(read_at=utcnow()).where(
        (Notification.user == user.id) & Notification.read_at.is_null()).execute()
