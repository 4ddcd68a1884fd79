"""Two-level approval of the proposal: the department head reviews, a leader approves.
Each decision records who, when and the comment; nobody decides on their own proposal."""
from flask_babel import lazy_gettext as _l

from domain import deadlines
from domain.notifications import active_with_role, notify
from domain.stage_models import Approval, Proposal
from domain.workflow.core import require, step


def _current_proposal(s) -> Proposal:
    proposal = (Proposal.select().where((Proposal.complaint == s.complaint.id)
                                        & Proposal.current).first())
    require(proposal, _l("There is no proposal to decide on."), "comment")
    require(proposal.author_id != s.actor.id,
            _l("Nobody may approve their own proposal."), "comment")
    return proposal


def review(complaint_id, actor, version, settings, *, comment=""):
    """部门负责人审核: the department head approves; a leader decides next."""
    with step(complaint_id, "review", actor, version, settings) as s:
        proposal = _current_proposal(s)
        Approval.create(complaint=s.complaint, proposal=proposal, level=1, approved=True,
                        decided_by=actor, comment=(comment or "").strip())
        s.complaint.stage_due_on = deadlines.stage_due("approving", s.today, settings,
                                                       s.calendar)
        s.note = (comment or "").strip()
        notify(active_with_role("leader"), s.complaint, "approval_needed")
    return s.complaint


def approve(complaint_id, actor, version, settings, *, comment=""):
    """分管领导审批: the leader approves; the written response is due next."""
    with step(complaint_id, "approve", actor, version, settings) as s:
        proposal = _current_proposal(s)
        Approval.create(complaint=s.complaint, proposal=proposal, level=2, approved=True,
                        decided_by=actor, comment=(comment or "").strip())
        s.complaint.stage_due_on = deadlines.stage_due("approved", s.today, settings,
                                                       s.calendar)
        s.note = (comment or "").strip()
        notify([s.complaint.first_contact], s.complaint, "approved")
    return s.complaint


def return_for_rework(complaint_id, actor, version, settings, *, comment):
    """Either level returns the proposal to the investigator; the comment is required."""
    comment = (comment or "").strip()
    require(comment, _l("Say what needs to change."), "comment")
    with step(complaint_id, "return_for_rework", actor, version, settings) as s:
        proposal = _current_proposal(s)
        level = 1 if s.complaint.status == "reviewing" else 2
        Approval.create(complaint=s.complaint, proposal=proposal, level=level, approved=False,
                        decided_by=actor, comment=comment)
        c = s.complaint
        c.stage_due_on = deadlines.stage_due("investigating", c.investigation_started_on
                                             or s.today, settings, s.calendar,
                                             c.investigation_days)
        s.note = comment
        notify([c.assignee], c, "returned")
    return s.complaint
