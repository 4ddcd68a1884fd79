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
}


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
    seen, rows = set(), []
    for user in users:
        if user is None or user.id in seen or not user.active:
            continue
        seen.add(user.id)
        rows.append({"user": user.id, "complaint": complaint.id if complaint else None,
                     "kind": kind, "day_key": day_key, "created_at": utcnow(),
                     "subject": subject[0] if subject else "",
                     "subject_id": subject[1] if subject else None})
    if rows:
        Notification.insert_many(rows).execute()
    return len(rows)


def unread_count(user: User) -> int:
    return Notification.select().where((Notification.user == user.id)
                                       & Notification.read_at.is_null()).count()


def mark_all_read(user: User) -> None:
    Notification.update(read_at=utcnow()).where(
        (Notification.user == user.id) & Notification.read_at.is_null()).execute()
