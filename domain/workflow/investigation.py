"""Investigation: extensions of its deadline, the report, the handling proposal."""
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from domain import deadlines
from domain.models import User
from domain.notifications import active_with_role, notify
from domain.stage_models import (Extension, Investigation, Measure, Proposal,
                                 Remedy, RootCause)
from domain.vocab import FACT_VERDICTS, INVESTIGATION_METHODS, REMEDY_KINDS
from domain.workflow.core import require, step
from domain.workflow.intake_steps import close_pending_extension


def _pending_extension(complaint_id):
    return (Extension.select().where((Extension.complaint == complaint_id)
                                     & Extension.approved.is_null())
            .order_by(Extension.id.desc()).first())


def request_extension(complaint_id, actor, version, settings, *, days: int, reason: str):
    """The investigator asks for more working days; the total may not pass the cap."""
    require(isinstance(days, int) and days > 0, _l("Ask for at least one working day."), "days")
    require((reason or "").strip(), _l("Give the reason for the extension."), "reason")
    with step(complaint_id, "request_extension", actor, version, settings) as s:
        c = s.complaint
        require(_pending_extension(c.id) is None,
                _l("An extension request is already waiting for a decision."), "days")
        cap = int(settings["investigation_cap_days"])
        require(c.investigation_days + days <= cap, _l(
            "That would make %(total)s working days for the investigation; at most %(cap)s "
            "are allowed, so at most %(left)s more can be asked for.",
            total=c.investigation_days + days, cap=cap,
            left=max(cap - c.investigation_days, 0)), "days")
        Extension.create(complaint=c, requested_by=actor, days=days, reason=reason.strip())
        s.note = reason.strip()
        notify(active_with_role("dept_head", c.department_id), c, "extension_requested")
    return s.complaint


def decide_extension(complaint_id, actor, version, settings, *, approve: bool, comment=""):
    with step(complaint_id, "decide_extension", actor, version, settings) as s:
        c = s.complaint
        request = require(_pending_extension(c.id),
                          _l("There is no extension request to decide."), "comment")
        if not approve:
            require((comment or "").strip(), _l("Say why the extension is refused."), "comment")
        request.approved, request.decided_by = bool(approve), actor
        request.decided_at, request.comment = s.now, (comment or "").strip()
        request.save()
        if approve:
            cap = int(settings["investigation_cap_days"])
            require(c.investigation_days + request.days <= cap,
                    _l("The extension would pass the limit of %(cap)s working days.", cap=cap),
                    "comment")
            start = c.investigation_started_on or s.today
            s.change("investigation_days", c.investigation_days,
                     c.investigation_days + request.days)
            s.change("stage_due_on", c.stage_due_on, deadlines.stage_due(
                "investigating", start, settings, s.calendar, c.investigation_days))
        s.note = (comment or "").strip()
        notify([request.requested_by], c, "extension_decided")
    return s.complaint


def submit_investigation(complaint_id, actor, version, settings, *, methods, facts_verdict,
                         facts_text, root_cause_id, root_cause_text="", impact_customer="",
                         impact_reputation="", impact_business=""):
    """The investigation report (调查报告)."""
    methods = [m for m in methods or [] if m in INVESTIGATION_METHODS]
    require(methods, _l("Choose at least one investigation method."), "methods")
    require(facts_verdict in FACT_VERDICTS, _l("Say whether the facts are true."),
            "facts_verdict")
    require((facts_text or "").strip(), _l("Describe the facts found."), "facts_text")
    cause = RootCause.get_or_none((RootCause.id == root_cause_id) & RootCause.active) \
        if root_cause_id else None
    require(cause, _l("Choose the root cause from the list."), "root_cause")
    with step(complaint_id, "submit_investigation", actor, version, settings) as s:
        Investigation.create(
            complaint=s.complaint, investigator=actor, methods=",".join(methods),
            facts_verdict=facts_verdict, facts_text=facts_text.strip(), root_cause=cause,
            root_cause_text=(root_cause_text or "").strip(),
            impact_customer=(impact_customer or "").strip(),
            impact_reputation=(impact_reputation or "").strip(),
            impact_business=(impact_business or "").strip())
        s.note = facts_text.strip()
    return s.complaint


def submit_proposal(complaint_id, actor, version, settings, *, apology="", responsibility="",
                    remedies=(), measures=()):
    """处理建议: apology, remedies (compensation) and rectification measures, as data.

    remedies: [{"kind", "amount", "currency", "description"}];
    measures: [{"description", "owner_id", "due_on"}]."""
    remedies = [r for r in remedies if r.get("kind")]
    measures = [m for m in measures if (m.get("description") or "").strip()]
    for r in remedies:
        require(r["kind"] in REMEDY_KINDS, _l("Choose the kind of remedy from the list."),
                "remedies")
        amount = r.get("amount")
        require(amount is None or Decimal(amount) >= 0,
                _l("An amount cannot be negative."), "remedies")
    owners = {}
    for m in measures:
        owner = User.get_or_none((User.id == m.get("owner_id")) & User.active) \
            if m.get("owner_id") else None
        require(owner, _l("Each measure needs a person responsible."), "measures")
        require(m.get("due_on"), _l("Each measure needs a due date."), "measures")
        owners[id(m)] = owner
    require((apology or "").strip() or remedies or measures,
            _l("Propose at least an apology, a remedy or a measure."), "apology")
    with step(complaint_id, "submit_proposal", actor, version, settings) as s:
        c = s.complaint
        for m in measures:
            require(m["due_on"] >= s.today, _l("A measure's due date cannot be in the past."),
                    "measures")
        Proposal.update(current=False).where(
            (Proposal.complaint == c.id) & Proposal.current).execute()
        proposal = Proposal.create(complaint=c, author=actor, apology=(apology or "").strip(),
                                   responsibility=(responsibility or "").strip())
        for r in remedies:
            Remedy.create(proposal=proposal, kind=r["kind"], amount=r.get("amount"),
                          currency=(r.get("currency") or "CNY").upper()[:3],
                          description=(r.get("description") or "").strip())
        for m in measures:
            Measure.create(proposal=proposal, description=m["description"].strip(),
                           owner=owners[id(m)], due_on=m["due_on"])
        c.stage_due_on = deadlines.stage_due("reviewing", s.today, settings, s.calendar)
        close_pending_extension(s)
        notify(active_with_role("dept_head", c.department_id), c, "review_needed")
    return s.complaint
