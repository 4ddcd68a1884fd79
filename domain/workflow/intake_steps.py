"""Assessment, acceptance or rejection, assignment and transfer, receipt; closing."""
import datetime as dt

from flask_babel import lazy_gettext as _l

from domain import deadlines
from domain.models import Department, User
from domain.notifications import active_with_role, notify
from domain.stage_models import Assignment, Extension, Visit
from domain.vocab import NATURES, SEVERITIES, URGENCIES
from domain.workflow.core import require, step

SERIOUS = ("major", "group")


def assess(complaint_id, actor, version, settings, *, nature, severity, urgency):
    """Preliminary assessment: nature, severity, urgency. A complaint that becomes major or
    group alerts the leaders and the complaint managers."""
    require(nature in NATURES, _l("Choose the nature from the list."), "nature")
    require(severity in SEVERITIES, _l("Choose the severity from the list."), "severity")
    require(urgency in URGENCIES, _l("Choose the urgency from the list."), "urgency")
    with step(complaint_id, "assess", actor, version, settings) as s:
        was_serious = s.complaint.severity in SERIOUS
        s.change("nature", s.complaint.nature, nature)
        s.change("severity", s.complaint.severity, severity)
        s.change("urgency", s.complaint.urgency, urgency)
        if severity in SERIOUS and not was_serious:
            notify(active_with_role("leader") + active_with_role("manager"), s.complaint,
                   "major_complaint")
    return s.complaint


def accept(complaint_id, actor, version, settings, *, note=""):
    with step(complaint_id, "accept", actor, version, settings) as s:
        c = s.complaint
        require(c.nature, _l("Assess the complaint (its nature) before accepting it."), "nature")
        c.accepted_at = s.now
        s.change("reply_due_on", c.reply_due_on,
                 deadlines.reply_due(s.today, settings, s.calendar))
        c.stage_due_on = deadlines.stage_due("accepted", s.today, settings, s.calendar)
        s.note, s.public = note, True
    return s.complaint


def reject(complaint_id, actor, version, settings, *, reason):
    """Not accepted (不予受理): outside the remit or unfounded; the reason is required and
    goes into the written explanation to the complainant."""
    reason = (reason or "").strip()
    require(reason, _l("Write the reason for not accepting the complaint."), "reason")
    with step(complaint_id, "reject", actor, version, settings) as s:
        s.change("rejection_reason", s.complaint.rejection_reason, reason)
        s.complaint.closed_at = s.now
        s.complaint.stage_due_on = None
        s.note, s.public = reason, True
    return s.complaint


def _department(department_id) -> Department:
    dept = Department.get_or_none(Department.id == department_id) if department_id else None
    return require(dept if dept and dept.active else None,
                   _l("Choose a department from the list."), "department")


def _dept_label(dept) -> str:
    return f"{dept.name} / {dept.name_zh}" if dept.name_zh else dept.name


def _hand_over(s, dept, requirements, due_on, reason=""):
    c = s.complaint
    due_on = due_on or s.calendar.add_working_days(
        s.today, int(s.settings["receipt_days"]) + int(s.settings["investigation_days"]))
    require(due_on >= s.today, _l("The due date cannot be in the past."), "due_on")
    Assignment.update(current=False).where(
        (Assignment.complaint == c.id) & Assignment.current).execute()
    Assignment.create(complaint=c, department=dept, requirements=requirements or "",
                      due_on=due_on, assigned_by=s.actor, transfer_reason=reason or "")
    s.record("department", _dept_label(c.department) if c.department_id else "",
             _dept_label(dept))
    c.department = dept
    c.assignee = None
    c.stage_due_on = deadlines.stage_due("assigned", s.today, s.settings, s.calendar)
    s.note = requirements or ""
    notify(active_with_role("dept_head", dept.id), c, "assigned")


def assign(complaint_id, actor, version, settings, *, department_id, requirements="",
           due_on: dt.date | None = None):
    """分类转办: hand the complaint to a department with requirements and a due date."""
    dept = _department(department_id)
    with step(complaint_id, "assign", actor, version, settings) as s:
        _hand_over(s, dept, requirements, due_on)
    return s.complaint


def transfer(complaint_id, actor, version, settings, *, department_id, reason,
             requirements="", due_on: dt.date | None = None):
    """Pass the complaint on to another department; the earlier assignments stay."""
    dept = _department(department_id)
    require((reason or "").strip(), _l("Say why the complaint is transferred."), "reason")
    with step(complaint_id, "transfer", actor, version, settings) as s:
        require(dept.id != s.complaint.department_id,
                _l("The complaint is already with this department."), "department")
        _hand_over(s, dept, requirements, due_on, reason.strip())
        s.note = reason.strip()
    return s.complaint


def confirm_receipt(complaint_id, actor, version, settings, *, investigator_id):
    """签收: the department head confirms receipt and names the investigator."""
    with step(complaint_id, "confirm_receipt", actor, version, settings) as s:
        c = s.complaint
        person = User.get_or_none(User.id == investigator_id) if investigator_id else None
        require(person and person.active and person.has_role("investigator")
                and person.department_id == c.department_id,
                _l("Choose an investigator of this department."), "investigator")
        Assignment.update(received_by=actor, received_at=s.now, investigator=person).where(
            (Assignment.complaint == c.id) & Assignment.current).execute()
        s.record("assignee", c.assignee.full_name if c.assignee_id else "", person.full_name)
        c.assignee = person
        c.investigation_started_on = s.today
        c.investigation_days = int(settings["investigation_days"])
        c.stage_due_on = deadlines.stage_due("investigating", s.today, settings, s.calendar,
                                             c.investigation_days)
        notify([person], c, "investigator_named")
    return s.complaint


def close_pending_extension(s) -> None:
    """An extension request still undecided when its stage ends lapses (it is not carried
    into a later round)."""
    Extension.update(approved=False, decided_at=s.now,
                     comment="lapsed: the investigation stage ended").where(
        (Extension.complaint == s.complaint.id) & Extension.approved.is_null()).execute()


def restart_investigation(s) -> None:
    """A reopening or an appeal: a new investigation with a fresh deadline."""
    close_pending_extension(s)
    c = s.complaint
    c.investigation_started_on = s.today
    c.investigation_days = int(s.settings["investigation_days"])
    c.stage_due_on = deadlines.stage_due("investigating", s.today, s.settings, s.calendar,
                                         c.investigation_days)


def reopen(complaint_id, actor, version, settings, *, reason):
    """The complainant is not satisfied after the return visit: investigate again."""
    require((reason or "").strip(), _l("Say why the complaint is reopened."), "reason")
    with step(complaint_id, "reopen", actor, version, settings) as s:
        restart_investigation(s)
        s.note, s.public = reason.strip(), True
    return s.complaint


def close(complaint_id, actor, version, settings, *, note=""):
    """办结: after at least one return visit."""
    with step(complaint_id, "close", actor, version, settings) as s:
        since = s.complaint.responded_at
        require(Visit.select().where((Visit.complaint == s.complaint.id)
                                     & (Visit.recorded_at >= since)).exists(),
                _l("Record the return visit before closing the complaint."), "note")
        s.complaint.closed_at = s.now
        s.complaint.stage_due_on = None
        s.note, s.public = note, True
    return s.complaint


def archive(complaint_id, actor, version, settings, *, dossier_file=None, document_dir=None):
    """归档: the complaint becomes read-only, with its archive dossier (domain/dossier.py).

    The dossier is rendered before this step's transaction (it takes seconds and must not
    hold the write lock): `dossier_file` is the one rendered; without it, it is rendered
    first here (into `document_dir`, by default the app's DOCUMENT_DIR). The step records
    the Dossier row; if the step fails, the file is deleted."""
    from domain import dossier  # domain.dossier calls back into this function

    if dossier_file is None:
        return dossier.archive(complaint_id, actor, version, settings, document_dir)
    try:
        with step(complaint_id, "archive", actor, version, settings) as s:
            s.complaint.stage_due_on = None
            dossier.record(s, dossier_file)
    except BaseException:
        dossier_file.path.unlink(missing_ok=True)
        raise
    return s.complaint
