"""What each letter says, taken from the complaint's record, and which letters fit it now.

The structured facts of a letter (numbers, dates, findings, remedies) come from here; the
free-text paragraphs come from domain.letters.default_paragraphs or from the staff member
who prepares the letter. Read-only: nothing here writes.
"""
from pathlib import Path

from flask_babel import lazy_gettext as _l

from domain import deadlines, letters
from domain.deadlines import load_calendar, local_date, reply_due
from domain.errors import DomainError
from domain.models import Complaint, utcnow
from domain.numbering import hash_lookup_code
from domain.stage_view import Stages, load_stages

# The statuses a complaint is in once its handling proposal has been approved.
APPROVED_OR_LATER = ("approved", "responded", "external", "executing", "visiting", "closed")


def approved_extension(stages: Stages):
    """The newest approved extension of the investigation, or None."""
    return next((e for e in stages.extensions if e.approved), None)


def latest_appeal(stages: Stages):
    return next((d for d in reversed(stages.disputes) if d.kind == "appeal"), None)


def _approved_proposal(stages: Stages):
    """The current proposal if the leader has approved it (level 2), else None."""
    p = stages.proposal
    if p is None:
        return None
    return p if any(a.level == 2 and a.approved for a in p.approval_list) else None


def available_kinds(complaint: Complaint, stages: Stages) -> list[str]:
    """The letters that fit the complaint now, in the order of KINDS."""
    if complaint.status == "archived":
        return []
    fits = {
        "acknowledgement": True,
        "rejection": complaint.status == "rejected",
        "extension": approved_extension(stages) is not None,
        "response": (complaint.status in APPROVED_OR_LATER
                     and _approved_proposal(stages) is not None),
        "appeal_decision": _appeal_decided(complaint, stages),
    }
    return [kind for kind in letters.KINDS if fits[kind]]


def _appeal_decided(complaint: Complaint, stages: Stages) -> bool:
    """An appeal was made and a proposal approved after it (the complaint is again at
    approved or later)."""
    appeal = latest_appeal(stages)
    proposal = _approved_proposal(stages)
    if appeal is None or proposal is None or complaint.status not in APPROVED_OR_LATER:
        return False
    return any(a.level == 2 and a.approved and a.decided_at >= appeal.recorded_at
               for a in proposal.approval_list)


def check_lookup_code(complaint: Complaint, code: str) -> str:
    """The complainant's lookup code as printed, if it is this complaint's (it is stored
    hashed: staff can only print it while they still have it from registration)."""
    code = (code or "").strip().upper()
    if not code:
        return ""
    if hash_lookup_code(code) != complaint.lookup_code_hash:
        raise DomainError(_l("This is not the lookup code of this complaint. Leave the box "
                             "empty to leave the code out of the letter."), "lookup_code")
    return code


def build(complaint: Complaint, kind: str, settings: dict, document_dir: Path, *,
          for_pdf: bool, stages: Stages | None = None, lookup_code: str = "") -> dict:
    """The letter's context (without its paragraphs and reference, which issue adds)."""
    stages = stages or load_stages(complaint, settings)
    today = local_date(utcnow(), settings)
    context = letters.base_context(complaint, kind, settings, document_dir, for_pdf)
    context.update(_FACTS[kind](complaint, stages, settings, today))
    if kind == "acknowledgement":
        context["lookup_code"] = lookup_code or None
    return context


def _acknowledgement(c, stages, settings, today) -> dict:
    reply_by = c.reply_due_on
    if reply_by is None:  # not yet accepted: the reply is due counted from registration
        reply_by = reply_due(local_date(c.registered_at, settings), settings,
                             load_calendar(settings))
    return {"reply_by": reply_by}


def _rejection(c, stages, settings, today) -> dict:
    return {}


def _extension(c, stages, settings, today) -> dict:
    extension = approved_extension(stages)
    due = c.stage_due_on
    if c.investigation_started_on and c.investigation_days:
        due = deadlines.stage_due("investigating", c.investigation_started_on, settings,
                                  load_calendar(settings), c.investigation_days)
    return {"extension": extension, "investigation_due": due}


def _proposal_facts(stages: Stages) -> dict:
    proposal = _approved_proposal(stages)
    return {
        "investigation": stages.investigations[0] if stages.investigations else None,
        "proposal": proposal,
        # Items the complainant declined (waived) are not promised in a letter.
        "remedies": [r for r in proposal.remedy_list if not r.waived] if proposal else [],
        "measures": [m for m in proposal.measure_list if not m.waived] if proposal else [],
    }


def _response(c, stages, settings, today) -> dict:
    facts = _proposal_facts(stages)
    facts["visit_by"] = deadlines.stage_due("visiting", today, settings,
                                            load_calendar(settings))
    facts["appeal_by"] = deadlines.appeal_due(today, settings)
    return facts


def _appeal_decision(c, stages, settings, today) -> dict:
    facts = _proposal_facts(stages)
    facts["appeal"] = latest_appeal(stages)
    return facts


_FACTS = {
    "acknowledgement": _acknowledgement,
    "rejection": _rejection,
    "extension": _extension,
    "response": _response,
    "appeal_decision": _appeal_decision,
}
