"""After approval: the response, the complainant's answer (accept, appeal, go outside),
carrying out the decision, the return visit."""
import datetime as dt

from flask_babel import lazy_gettext as _l

from domain import deadlines, outbox
from domain.notifications import active_with_role, notify
from domain.stage_models import Dispute, Measure, Proposal, Remedy, Response, Visit
from domain.vocab import DISPUTE_KINDS, RESPONSE_METHODS, VISIT_METHODS
from domain.workflow.core import require, step
from domain.workflow.intake_steps import restart_investigation


def _current_items(complaint_id):
    proposal = (Proposal.select().where((Proposal.complaint == complaint_id) & Proposal.current)
                .first())
    if proposal is None:
        return [], []
    return list(proposal.remedies), list(proposal.measures)


def record_response(complaint_id, actor, version, settings, *, method, sent_on: dt.date,
                    recipient):
    """书面反馈: how, when and to whom the written response went."""
    require(method in RESPONSE_METHODS, _l("Choose how the response was sent."), "method")
    require(sent_on, _l("Enter the date it was sent."), "sent_on")
    require((recipient or "").strip(), _l("Enter to whom it was sent."), "recipient")
    with step(complaint_id, "record_response", actor, version, settings) as s:
        require(sent_on <= s.today, _l("The date cannot be in the future."), "sent_on")
        Response.create(complaint=s.complaint, method=method, sent_on=sent_on,
                        recipient=recipient.strip(), recorded_by=actor)
        s.complaint.responded_at = s.now
        s.complaint.stage_due_on = None  # waiting for the complainant
        s.public = True
        # Email on: the complainant is told, with the latest response letter attached.
        outbox.queue_answer_sent(s.complaint, settings)
    return s.complaint


def next_day(s):
    """The next working day: the least time a stage that begins now is given."""
    return deadlines.next_working_day(s.today, s.calendar)


def _execution_due(complaint_id):
    _remedies, measures = _current_items(complaint_id)
    open_dates = [m.due_on for m in measures if not (m.done_at or m.waived)]
    return max(open_dates) if open_dates else None


def accept_result(complaint_id, actor, version, settings, *, note=""):
    with step(complaint_id, "accept_result", actor, version, settings) as s:
        s.complaint.stage_due_on = _execution_due(s.complaint.id) or next_day(s)
        s.note, s.public = (note or "").strip(), True
    return s.complaint


def appeal(complaint_id, actor, version, settings, *, reason, system=False):
    """申诉: the complainant does not accept the result; the complaint is investigated again."""
    reason = (reason or "").strip()
    require(reason, _l("Write the complainant's reason for the appeal."), "reason")
    with step(complaint_id, "appeal", actor, version, settings, system=system) as s:
        Dispute.create(complaint=s.complaint, kind="appeal", reason=reason, started_on=s.today,
                       recorded_by=actor)
        restart_investigation(s)
        s.note, s.public = reason, True
    return s.complaint


def refer_out(complaint_id, actor, version, settings, *, kind, body, reference="",
              started_on: dt.date | None = None):
    """The dispute leaves the organisation: mediation, arbitration or litigation."""
    require(kind in DISPUTE_KINDS, _l("Choose where the dispute went."), "kind")
    require((body or "").strip(), _l("Name the body handling it."), "body")
    with step(complaint_id, "refer_out", actor, version, settings) as s:
        Dispute.create(complaint=s.complaint, kind=kind, body=body.strip(),
                       reference=(reference or "").strip(), started_on=started_on or s.today,
                       recorded_by=actor)
        s.complaint.stage_due_on = None
        s.note = body.strip()
    return s.complaint


def record_outcome(complaint_id, actor, version, settings, *, outcome, ended_on: dt.date):
    outcome = (outcome or "").strip()
    require(outcome, _l("Describe the outcome."), "outcome")
    require(ended_on, _l("Enter the date of the outcome."), "ended_on")
    with step(complaint_id, "record_outcome", actor, version, settings) as s:
        dispute = (Dispute.select().where((Dispute.complaint == s.complaint.id)
                                          & (Dispute.kind != "appeal") & Dispute.ended_on.is_null())
                   .order_by(Dispute.id.desc()).first())
        require(dispute, _l("There is no outside dispute waiting for its outcome."), "outcome")
        dispute.outcome, dispute.ended_on = outcome, ended_on
        dispute.save()
        s.complaint.stage_due_on = _execution_due(s.complaint.id) or next_day(s)
        s.note, s.public = outcome, True
    return s.complaint


def _item(complaint_id, kind, item_id):
    model = {"remedy": Remedy, "measure": Measure}.get(kind)
    item = model.get_or_none(model.id == item_id) if model and item_id else None
    require(item and item.proposal.complaint_id == complaint_id and item.proposal.current,
            _l("There is no such measure on this complaint."), "item")
    return item


def mark_done(complaint_id, actor, version, settings, *, kind, item_id, note=""):
    with step(complaint_id, "mark_done", actor, version, settings) as s:
        item = _item(s.complaint.id, kind, item_id)
        require(not (item.done_at or item.waived), _l("This is already done."), "item")
        item.done_at, item.done_by, item.done_note = s.now, actor, (note or "").strip()
        item.save()
        s.record(kind, "", (item.description or item.kind)[:200])
        s.note = (note or "").strip()
        s.complaint.stage_due_on = _execution_due(s.complaint.id) or next_day(s)
    return s.complaint


def waive(complaint_id, actor, version, settings, *, kind, item_id, reason):
    """A leader waives a measure or remedy that will not be carried out, with a reason."""
    reason = (reason or "").strip()
    require(reason, _l("Say why it is waived."), "reason")
    with step(complaint_id, "waive", actor, version, settings) as s:
        item = _item(s.complaint.id, kind, item_id)
        require(not (item.done_at or item.waived), _l("This is already done."), "item")
        item.waived, item.done_note = True, reason
        item.save()
        s.record(kind, (item.description or item.kind)[:200], "")
        s.note = reason
        s.complaint.stage_due_on = _execution_due(s.complaint.id) or next_day(s)
    return s.complaint


def complete_execution(complaint_id, actor, version, settings):
    """All measures done (or waived): the return visit is due next."""
    with step(complaint_id, "complete_execution", actor, version, settings) as s:
        remedies, measures = _current_items(s.complaint.id)
        require(all(i.done_at or i.waived for i in remedies + measures),
                _l("Every remedy and measure must be done, or waived by a leader, first."),
                "item")
        responded = deadlines.local_date(s.complaint.responded_at or s.now, settings)
        s.complaint.stage_due_on = max(deadlines.stage_due(
            "visiting", responded, settings, s.calendar), next_day(s))
        s.public = True
    return s.complaint


def record_visit(complaint_id, actor, version, settings, *, method, visited_on: dt.date,
                 satisfaction: int, resolved: bool, comments="", system=False):
    """回访: satisfaction 1–5; a dissatisfied answer tells the managers, who may reopen."""
    require(method in VISIT_METHODS, _l("Choose how the visit was made."), "method")
    require(isinstance(satisfaction, int) and 1 <= satisfaction <= 5,
            _l("Satisfaction is from 1 to 5."), "satisfaction")
    require(visited_on, _l("Enter the date of the visit."), "visited_on")
    with step(complaint_id, "record_visit", actor, version, settings, system=system) as s:
        require(visited_on <= s.today, _l("The date cannot be in the future."), "visited_on")
        Visit.create(complaint=s.complaint, method=method, visited_on=visited_on,
                     satisfaction=satisfaction, resolved=bool(resolved),
                     comments=(comments or "").strip(), recorded_by=actor)
        s.record("satisfaction", "", satisfaction)
        s.note = (comments or "").strip()
        if satisfaction <= 2 or not resolved:
            notify(active_with_role("manager"), s.complaint, "dissatisfied")
    return s.complaint
