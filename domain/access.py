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


def can_manage_personal_data(user: User) -> bool:
    """Exporting and anonymising a complainant's personal data: administrators only."""
    return user.has_role("admin")


def can_download_files(user: User, complaint: Complaint) -> bool:
    """The stored files (evidence, letters, dossier) of a complaint the user may see —
    except once its complainant's data is anonymised: the files are kept (nothing is
    deleted) but no longer served."""
    from domain.privacy import is_anonymised
    return can_view(user, complaint) and not is_anonymised(complaint)


def can_end_session(user: User, session) -> bool:
    """An administrator may end anyone's session; everyone may end their own."""
    return user.has_role("admin") or session.user_id == user.id


# What each check is called by the view loader.
CHECKS = {
    "view": can_view,
    "files": can_download_files,
    "edit": can_edit_intake,
    "evidence": can_add_evidence,
    "letters": can_issue_letters,
}


def may(user: User, need: str, complaint: Complaint) -> bool:
    return CHECKS[need](user, complaint)


# Part D. Emergency responses: leaders run them; the team works in them; managers,
# admins and auditors may read them.
def can_activate_emergency(user: User, complaint: Complaint) -> bool:
    """A leader, for an open group or major complaint (the caller checks there is no
    active response for it already)."""
    from domain.statuses import OPEN_STATUSES
    return (user.has_role("leader") and complaint.severity in ("group", "major")
            and complaint.status in OPEN_STATUSES)


def can_start_drill(user: User) -> bool:
    return user.has_role("leader")


def can_list_emergencies(user: User) -> bool:
    """The list page: readers see every response; others see those they are on the team of."""
    return True


def reads_all_emergencies(user: User) -> bool:
    return user.has_role("leader", "manager", "admin", "auditor")


def can_view_emergency(user: User, response, member_ids: set[int]) -> bool:
    """`member_ids`: the users currently on the response's team."""
    return reads_all_emergencies(user) or user.id in member_ids


def can_log_emergency(user: User, response, member_ids: set[int]) -> bool:
    """Anyone on the team, and leaders, may append to an active response's log."""
    return response.status == "active" and (user.has_role("leader") or user.id in member_ids)


def can_run_emergency(user: User, response) -> bool:
    """Change the team, stand down, write the summary and lessons: leaders."""
    return user.has_role("leader")


def can_issue_statement(user: User, response, member_roles: dict[int, set[str]]) -> bool:
    """Public statements: leaders, and the team's coordination and public-statement people,
    while the response is active. `member_roles`: user id → current roles on the team."""
    roles = member_roles.get(user.id, set())
    return response.status == "active" and (
        user.has_role("leader") or bool(roles & {"coordination", "statement"}))


def can_record_lessons(user: User, response) -> bool:
    """Lessons learned, during or after the response: leaders."""
    return can_run_emergency(user, response)


# Accountability records are confidential: leaders, admins, the complaint manager and the
# person concerned. Not the auditor, not the person's department head.
ACCOUNTABILITY_READERS = ("leader", "admin", "manager")


def reads_all_accountability(user: User) -> bool:
    return user.has_role(*ACCOUNTABILITY_READERS)


def can_view_accountability(user: User, record) -> bool:
    return reads_all_accountability(user) or record.subject_id == user.id


def can_open_accountability(user: User) -> bool:
    """The complaint manager opens records and proposes the sanction."""
    return user.has_role("manager")


def can_decide_accountability(user: User, record) -> bool:
    """A leader decides (and decides appeals), never about themselves."""
    return user.has_role("leader") and record.subject_id != user.id


def can_appeal_accountability(user: User, record) -> bool:
    return record.subject_id == user.id


def can_work_on_accountability(user: User, record) -> bool:
    """The complaint manager updates findings, adds evidence and proposes — never on a
    record about themselves."""
    return can_open_accountability(user) and record.subject_id != user.id


def can_see_view_log(user: User) -> bool:
    """Who looked at a confidential record: leaders and admins."""
    return user.has_role("leader", "admin")


# Improvement plans: not confidential. Leaders, managers, department heads, auditors and
# admins read them all; anyone else the plans they own or hold a measure in.
PLAN_READERS = ("leader", "manager", "dept_head", "auditor", "admin")


def reads_all_plans(user: User) -> bool:
    return user.has_role(*PLAN_READERS)


def can_create_plan(user: User) -> bool:
    return user.has_role("manager", "leader", "dept_head")


def can_edit_plan(user: User, plan) -> bool:
    return user.has_role("manager", "leader") or plan.owner_id == user.id


def can_review_plan(user: User, plan) -> bool:
    return user.has_role("manager", "leader")


def can_view_plan(user: User, plan) -> bool:
    """Plan readers see every plan; anyone else the plans they own or hold a measure in."""
    from domain.oversight_models import PlanMeasure
    if reads_all_plans(user) or plan.owner_id == user.id:
        return True
    return PlanMeasure.select().where((PlanMeasure.plan == plan.id)
                                      & (PlanMeasure.owner == user.id)).exists()


def can_mark_measure_done(user: User, plan, measure) -> bool:
    """The measure's owner, the plan's owner, managers and leaders, while the plan runs."""
    return (plan.status == "active" and measure.done_at is None
            and (measure.owner_id == user.id or can_edit_plan(user, plan)))


# A staff member's page: leaders and admins.
def can_see_staff(user: User) -> bool:
    return user.has_role("leader", "admin")


# Group complaints: the alert heads leaders' and managers' pages until one of them
# records it handled (or a leader activates an emergency response).
def sees_group_alerts(user: User) -> bool:
    return user.has_role("leader", "manager")


def can_mark_group_handled(user: User, complaint: Complaint) -> bool:
    return user.has_role("leader", "manager") and can_view(user, complaint)


# Part F. The dashboard, the ledger export, reports and root causes: managers, leaders,
# auditors and admins see every department; a department head sees their own.
def can_see_analysis(user: User) -> bool:
    return user.has_role("manager", "leader", "auditor", "admin", "dept_head")


def analysis_department_scope(user: User):
    """None: every department; otherwise the one department id the figures are limited to."""
    if user.has_role("manager", "leader", "auditor", "admin"):
        return None
    return user.department_id or -1
