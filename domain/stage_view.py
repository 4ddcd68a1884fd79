"""A complaint's stage records as its page shows them, read in a fixed number of queries.

Read-only: nothing here changes a record. Each kind of record is one query (whatever the
number of rows), and the people, departments and root causes they name are read once each,
so a complaint with fifty transfers costs the same number of queries as one with none.
"""
import datetime as dt
from dataclasses import dataclass, field

from domain.deadlines import is_overdue, local_date
from domain.models import Complaint, Department, User, utcnow
from domain.stage_models import (Approval, Assignment, Dispute, Extension, Investigation,
                                 Measure, Proposal, Remedy, Response, RootCause, Visit)
from domain.statuses import is_open
from domain.vocab import INVESTIGATION_METHODS


@dataclass
class Stages:
    """Everything the complaint page shows about the stages after intake."""
    today: dt.date
    stage_due_on: dt.date | None = None
    reply_due_on: dt.date | None = None
    stage_overdue: bool = False
    reply_overdue: bool = False
    assignments: list = field(default_factory=list)     # newest first
    extensions: list = field(default_factory=list)      # newest first
    investigations: list = field(default_factory=list)  # newest first
    proposal: Proposal | None = None                    # the current one
    earlier_proposals: list = field(default_factory=list)  # newest first
    approvals: list = field(default_factory=list)       # oldest first
    responses: list = field(default_factory=list)
    disputes: list = field(default_factory=list)
    visits: list = field(default_factory=list)          # oldest first
    people: dict = field(default_factory=dict)          # user id → User
    departments: dict = field(default_factory=dict)     # department id → Department

    def name(self, user_id) -> str:
        """The full name of a user named by a record ("" when none)."""
        person = self.people.get(user_id)
        return person.full_name if person else ""

    def department(self, department_id, locale: str) -> str:
        dept = self.departments.get(department_id)
        return dept.label(locale) if dept else ""

    @property
    def current_assignment(self):
        return next((a for a in self.assignments if a.current), None)

    @property
    def pending_extension(self):
        return next((e for e in self.extensions if e.approved is None), None)

    @property
    def last_visit(self):
        return self.visits[-1] if self.visits else None

    @property
    def dissatisfied(self) -> bool:
        """The latest return visit found the complainant unhappy or the matter unresolved."""
        v = self.last_visit
        return bool(v and (v.satisfaction <= 2 or not v.resolved))

    @property
    def open_items(self) -> list:
        """The current proposal's remedies and measures not yet done or waived:
        [(kind, item)] with kind "remedy" or "measure"."""
        if self.proposal is None:
            return []
        return ([("remedy", r) for r in self.proposal.remedy_list if not (r.done_at or r.waived)]
                + [("measure", m) for m in self.proposal.measure_list
                   if not (m.done_at or m.waived)])

    @property
    def has_records(self) -> bool:
        return bool(self.assignments or self.extensions or self.investigations or self.proposal
                    or self.approvals or self.responses or self.disputes or self.visits)


def method_labels(methods: str) -> list:
    """An investigation's comma-separated method codes as labels."""
    return [INVESTIGATION_METHODS.get(code, code) for code in (methods or "").split(",") if code]


def load_stages(complaint: Complaint, settings: dict, today: dt.date | None = None) -> Stages:
    """Read every stage record of `complaint` (at most 12 queries, however many rows)."""
    today = today or local_date(utcnow(), settings)
    cid = complaint.id
    s = Stages(today=today, stage_due_on=complaint.stage_due_on,
               reply_due_on=complaint.reply_due_on)
    if is_open(complaint.status):
        s.stage_overdue = is_overdue(complaint.stage_due_on, today)
        s.reply_overdue = is_overdue(complaint.reply_due_on, today) and not complaint.responded_at

    s.assignments = list(Assignment.select().where(Assignment.complaint == cid)
                         .order_by(Assignment.id.desc()))
    s.extensions = list(Extension.select().where(Extension.complaint == cid)
                        .order_by(Extension.id.desc()))
    # The root cause comes with its report (a join, not a query per report).
    s.investigations = list(Investigation.select(Investigation, RootCause)
                            .join(RootCause).where(Investigation.complaint == cid)
                            .order_by(Investigation.id.desc()))
    proposals = list(Proposal.select().where(Proposal.complaint == cid)
                     .order_by(Proposal.id.desc()))
    s.approvals = list(Approval.select().where(Approval.complaint == cid).order_by(Approval.id))
    s.responses = list(Response.select().where(Response.complaint == cid)
                       .order_by(Response.id))
    s.disputes = list(Dispute.select().where(Dispute.complaint == cid).order_by(Dispute.id))
    s.visits = list(Visit.select().where(Visit.complaint == cid).order_by(Visit.id))

    by_proposal = {p.id: p for p in proposals}
    for p in proposals:
        p.remedy_list, p.measure_list, p.approval_list = [], [], []
    if proposals:
        for r in Remedy.select().where(Remedy.proposal.in_(list(by_proposal))).order_by(Remedy.id):
            by_proposal[r.proposal_id].remedy_list.append(r)
        for m in (Measure.select().where(Measure.proposal.in_(list(by_proposal)))
                  .order_by(Measure.id)):
            m.overdue = not (m.done_at or m.waived) and is_overdue(m.due_on, today)
            by_proposal[m.proposal_id].measure_list.append(m)
    for a in s.approvals:
        if a.proposal_id in by_proposal:
            by_proposal[a.proposal_id].approval_list.append(a)
    s.proposal = next((p for p in proposals if p.current), None)
    s.earlier_proposals = [p for p in proposals if p is not s.proposal]

    # The people and department the complaint itself names come in the same two queries.
    user_ids = {complaint.first_contact_id, complaint.assignee_id}
    for a in s.assignments:
        user_ids.update((a.assigned_by_id, a.received_by_id, a.investigator_id))
    for e in s.extensions:
        user_ids.update((e.requested_by_id, e.decided_by_id))
    user_ids.update(i.investigator_id for i in s.investigations)
    for p in proposals:
        user_ids.add(p.author_id)
        for item in p.remedy_list + p.measure_list:
            user_ids.add(item.done_by_id)
        user_ids.update(m.owner_id for m in p.measure_list)
    user_ids.update(a.decided_by_id for a in s.approvals)
    user_ids.update(r.recorded_by_id for r in s.responses)
    user_ids.update(d.recorded_by_id for d in s.disputes)
    user_ids.update(v.recorded_by_id for v in s.visits)
    user_ids.discard(None)
    if user_ids:
        s.people = {u.id: u for u in User.select().where(User.id.in_(list(user_ids)))}
    dept_ids = {a.department_id for a in s.assignments} | {complaint.department_id}
    dept_ids.discard(None)
    if dept_ids:
        s.departments = {d.id: d for d in
                         Department.select().where(Department.id.in_(list(dept_ids)))}
    return s
