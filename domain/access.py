"""Who may see and do what. Every view asks here; nowhere else decides."""
from domain.models import Complaint, User
from domain.statuses import EDITABLE_STATUSES, TRANSITIONS, roles_for

SEE_ALL = ("leader", "manager", "auditor", "admin")
REGISTER = ("intake", "manager", "admin")
EDIT_INTAKE = ("intake", "manager", "admin", "dept_head")


def sees_all(user: User) -> bool:
    return user.has_role(*SEE_ALL)


def visible_complaints(user: User, query=None):
    """Complaints `user` may see: all for managers, leaders, auditors and admins;
    otherwise their department's, and those they registered or are assigned to."""
    query = query if query is not None else Complaint.select()
    if sees_all(user):
        return query
    cond = (Complaint.registered_by == user.id) | (Complaint.assignee == user.id)
    if user.department_id:
        cond = cond | (Complaint.department == user.department_id)
    return query.where(cond)


def can_view(user: User, complaint: Complaint) -> bool:
    if sees_all(user):
        return True
    return (complaint.registered_by_id == user.id or complaint.assignee_id == user.id
            or (user.department_id is not None and complaint.department_id == user.department_id))


def can_register(user: User) -> bool:
    return user.has_role(*REGISTER)


def can_edit_intake(user: User, complaint: Complaint) -> bool:
    return (can_view(user, complaint) and user.has_role(*EDIT_INTAKE)
            and complaint.status in EDITABLE_STATUSES)


def can_add_evidence(user: User, complaint: Complaint) -> bool:
    return (can_view(user, complaint) and complaint.status in EDITABLE_STATUSES
            and user.has_role("intake", "investigator", "dept_head", "manager", "admin"))


def can_administer(user: User) -> bool:
    return user.has_role("admin")


def can_filter_all_departments(user: User) -> bool:
    return sees_all(user)


def _role_scope(role: str, user: User, complaint: Complaint) -> bool:
    """Whether holding `role` lets `user` act on this particular complaint."""
    if role in ("manager", "leader", "admin"):
        return True
    if role == "dept_head":
        return user.department_id is not None and complaint.department_id == user.department_id
    if role == "investigator":
        return complaint.assignee_id == user.id
    return can_view(user, complaint)  # intake staff: the complaints they can see


# Decisions on a proposal are never taken by its author (the investigator).
SELF_DECISIONS = ("review", "approve", "return_for_rework", "decide_extension")


def may_act(user: User, complaint: Complaint, action: str) -> bool:
    """May `user` take `action` on `complaint` now (status, role, department, person)?"""
    roles = set(roles_for(complaint.status, action)) & user.role_set
    if not roles or not can_view(user, complaint):
        return False
    if action in SELF_DECISIONS and complaint.assignee_id == user.id:
        return False
    return any(_role_scope(role, user, complaint) for role in roles)


def available_actions(user: User, complaint: Complaint) -> list[str]:
    """The actions the page offers `user` on `complaint`, in the table's order."""
    return [action for (status, action) in TRANSITIONS
            if status == complaint.status and may_act(user, complaint, action)]


# Letters to the complainant (Part C): who prepares, issues and records their delivery.
LETTER_ROLES = ("intake", "manager", "dept_head", "leader", "admin")


def can_issue_letters(user: User, complaint: Complaint) -> bool:
    """Intake staff (on the complaints they can see), managers, leaders, admins, and the
    head of the complaint's department; never once the complaint is archived (its dossier
    is final)."""
    if complaint.status == "archived" or not can_view(user, complaint):
        return False
    return any(_role_scope(role, user, complaint)
               for role in LETTER_ROLES if user.has_role(role))


def can_see_letters(user: User, complaint: Complaint) -> bool:
    """Issued letters are part of the record: whoever may view the complaint."""
    return can_view(user, complaint)


# What each check is called by the view loader.
CHECKS = {
    "view": can_view,
    "edit": can_edit_intake,
    "evidence": can_add_evidence,
    "letters": can_issue_letters,
}


def may(user: User, need: str, complaint: Complaint) -> bool:
    return CHECKS[need](user, complaint)
