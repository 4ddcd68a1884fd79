"""The complainant's side (Part E): the online form, the status lookup with number and
lookup code, additions from the complainant, and the rating after the return visit is due.

Complainants never get an account. What they do is recorded without a staff actor: the
online form registers through the inactive system account "online"; additions and ratings
are history events with no actor ("from the complainant"). Nothing here reads Flask's
request; the web layer (blueprints/public) keeps the verified lookup in the session.
"""
import datetime as dt
import hmac
import re
from pathlib import Path

from flask_babel import lazy_gettext as _l

from extensions import db
from domain import accounts, deadlines, history, intake, numbering, uploads
from domain.errors import Conflict, DomainError
from domain.models import Complaint, Event, User, utcnow
from domain.notifications import active_with_role, notify
from domain.stage_models import Visit
from domain.statuses import OPEN_STATUSES, STATUSES
from domain.workflow.aftercare import record_visit

MAX_FILES = 5
MAX_INFO_CHARS = 2000
MAX_COMMENT_CHARS = 1000

# Every status in plain language for the complainant: (label, explanation). The inner
# stages of the handling (proposal, review, approval) are not the complainant's concern:
# they read as one stage.
_PREPARING = (_l("Decision being prepared"),
              _l("The investigation is finished. The department responsible is preparing a "
                 "decision on your complaint, which is then checked and approved."))
PUBLIC_STATUSES = {
    "registered": (_l("Received, being checked"),
                   _l("We have received your complaint and are checking it. We will decide "
                      "within a few days whether we can accept it.")),
    "rejected": (_l("Not accepted"),
                 _l("We could not accept this complaint. Our letter explains why and where "
                    "else you can turn.")),
    "accepted": (_l("Accepted"),
                 _l("We have accepted your complaint and are passing it to the department "
                    "responsible.")),
    "assigned": (_l("Passed to the department responsible"),
                 _l("The department responsible has been asked to investigate your "
                    "complaint.")),
    "investigating": (_l("Being investigated"),
                      _l("The department responsible is looking into what happened.")),
    "proposing": _PREPARING,
    "reviewing": _PREPARING,
    "approving": _PREPARING,
    "approved": (_l("Answer being prepared"),
                 _l("A decision has been made. We are preparing our written answer to you.")),
    "responded": (_l("Answer sent"),
                  _l("We have sent you our written answer. Please tell us whether you accept "
                     "it; if you do not, you may appeal.")),
    "external": (_l("With an outside body"),
                 _l("Your complaint is being dealt with by an outside body, such as a "
                    "mediator. We will record its outcome.")),
    "executing": (_l("Decision being carried out"),
                  _l("We are carrying out what our answer promised.")),
    "visiting": (_l("Your opinion is asked"),
                 _l("What was decided has been carried out. Please tell us whether you are "
                    "satisfied with how your complaint was handled.")),
    "closed": (_l("Closed"), _l("The handling of your complaint is complete.")),
    "archived": (_l("Closed"),
                 _l("The handling of your complaint is complete and its file is archived.")),
}
assert set(PUBLIC_STATUSES) == set(STATUSES), "every status needs a public label"

# How the public events of the history read to the complainant (else ACTION_LABELS).
PUBLIC_ACTIONS = {
    "register": _l("Complaint received"),
    "accept": _l("Accepted for handling"),
    "reject": _l("Not accepted"),
    "issue_letter": _l("Letter issued to you"),
    "record_letter_delivery": _l("Letter delivered"),
    "record_response": _l("Written answer sent"),
    "accept_result": _l("You accepted the result"),
    "appeal": _l("Your appeal was registered"),
    "record_outcome": _l("Outcome of the outside body recorded"),
    "complete_execution": _l("Decision carried out"),
    "reopen": _l("Investigation reopened"),
    "close": _l("Closed"),
    "complainant_info": _l("Information from you"),
}

# Letters addressed to the complainant (every kind Part C issues today); a kind added
# later for internal use stays off the public page until it is listed here.
PUBLIC_LETTER_KINDS = ("acknowledgement", "rejection", "extension", "response",
                       "appeal_decision")

# Statuses after the response where the rating will come once the decision is carried out.
RATING_LATER = ("responded", "external", "executing")

_NUMBER = re.compile(r"^[A-Za-z0-9-]{3,40}$")
_DUMMY_HASH = numbering.hash_lookup_code("NO-SUCH-COMPLAINT")


# --- the online form -------------------------------------------------------------------------

def submit_online(data: dict, files: list[tuple[str, bytes]], *, settings: dict,
                  upload_dir: Path, max_bytes: int) -> tuple[Complaint, str]:
    """Register a complaint sent through the public form: channel "online", status
    "registered", registered by the system account. Returns it with its lookup code."""
    if not (data.get("complainant_phone") or data.get("complainant_email")):
        raise DomainError(_l("Give a phone number or an email address (or both), so that we "
                             "can reach you."), "complainant_phone")
    if len(files) > MAX_FILES:
        raise DomainError(_l("Attach at most %(num)s files.", num=MAX_FILES), "evidence")
    fields = {
        "channel": "online", "received_at": utcnow(),
        "language": data.get("language") if data.get("language") in ("en", "zh_Hans")
        else "zh_Hans",
        "complainant_name": data["complainant_name"],
        "complainant_phone": data.get("complainant_phone") or "",
        "complainant_email": data.get("complainant_email") or "",
        "complainant_address": "", "matter": data["matter"], "demand": data.get("demand") or "",
        "order_ref": data.get("order_ref") or "", "amount_claimed": None, "nature": "",
        "severity": "ordinary", "urgency": "normal", "regulator_name": "",
        "regulator_ref": "", "regulator_due": None,
    }
    return intake.register(fields, accounts.system_user("online"), files, settings=settings,
                           upload_dir=upload_dir, max_bytes=max_bytes,
                           evidence_source="complainant")


# --- the lookup ------------------------------------------------------------------------------

def find_for_lookup(number: str, code: str) -> Complaint | None:
    """The complaint if `code` is its lookup code, else None; the same work is done for an
    unknown number, a wrong code and malformed input (no hint which one it was)."""
    number = (number or "").strip().upper()
    code = (code or "").strip()
    well_formed = bool(_NUMBER.match(number)) and 6 <= len(code) <= 40
    complaint = Complaint.get_or_none(Complaint.number == number) if well_formed else None
    expected = complaint.lookup_code_hash if complaint is not None else _DUMMY_HASH
    matches = hmac.compare_digest(numbering.hash_lookup_code(code[:40]), expected)
    return complaint if (complaint is not None and matches) else None


# --- additions from the complainant ----------------------------------------------------------

def _staff_to_tell(complaint: Complaint) -> list[User]:
    """The staff of the complaint's department; before it has one, intake and managers."""
    if complaint.department_id:
        return [u for u in User.select().where((User.department == complaint.department_id)
                                               & User.active) if u.role_set]
    return active_with_role("intake") + active_with_role("manager")


def add_information(complaint_id: int, text: str, files: list[tuple[str, bytes]], *,
                    upload_dir: Path, max_bytes: int) -> Complaint:
    """The complainant adds information and/or files to an open complaint: a public
    history event "complainant_info" with no actor, the files as evidence from the
    complainant; the department's staff are told. All in one transaction."""
    text = (text or "").strip()
    if not text and not files:
        raise DomainError(_l("Write something or choose a file to send."), "text")
    if len(text) > MAX_INFO_CHARS:
        raise DomainError(_l("Write at most %(num)s characters.", num=MAX_INFO_CHARS), "text")
    if len(files) > MAX_FILES:
        raise DomainError(_l("Attach at most %(num)s files.", num=MAX_FILES), "evidence")
    for name, content in files:  # refuse a bad file before anything is written
        uploads.check_file(name, content, max_bytes)
    rows = []
    try:
        with db.atomic():
            complaint = Complaint.get_by_id(complaint_id)
            if complaint.status not in OPEN_STATUSES:
                raise Conflict(_l("This complaint is closed: nothing more can be added."))
            if files:
                rows = intake.add_evidence(complaint.id, files, None, upload_dir=upload_dir,
                                           max_bytes=max_bytes, source="complainant")
            history.append_event(
                complaint, None, "complainant_info", from_status=complaint.status,
                public=True, note=text,
                changes=[("evidence", "", r.original_name) for r in rows])
            notify(_staff_to_tell(complaint), complaint, "complainant_info")
    except Exception:
        for row in rows:
            uploads.path_of(upload_dir, row.stored_name).unlink(missing_ok=True)
        raise
    return complaint


# --- the rating ------------------------------------------------------------------------------

def _round_started(complaint: Complaint) -> dt.datetime | None:
    """When the complaint last came to "visiting" (a reopened complaint rates again)."""
    event = (Event.select(Event.at)
             .where((Event.complaint == complaint.id) & (Event.to_status == "visiting")
                    & (Event.from_status != "visiting"))
             .order_by(Event.seq.desc()).first())
    return event.at if event else None


def _rated_since(complaint: Complaint, since: dt.datetime | None) -> bool:
    query = Visit.select().where((Visit.complaint == complaint.id)
                                 & (Visit.method == "questionnaire")
                                 & Visit.recorded_by.is_null())
    if since is not None:
        query = query.where(Visit.recorded_at >= since)
    return query.exists()


def rating_state(complaint: Complaint) -> str | None:
    """"open" (may rate now), "done" (rated in this round), "later" (after the response,
    before the return visit is due) or None (nothing to say yet)."""
    if complaint.status == "visiting":
        return "done" if _rated_since(complaint, _round_started(complaint)) else "open"
    if complaint.status in RATING_LATER:
        return "later"
    if complaint.status in ("closed", "archived") and _rated_since(complaint, None):
        return "done"
    return None


def rate(complaint_id: int, satisfaction: int, resolved: bool, comments: str,
         settings: dict) -> Complaint:
    """The complainant's rating, recorded as a return visit by questionnaire; one per
    round (each time the complaint comes to the return visit)."""
    comments = (comments or "").strip()
    if len(comments) > MAX_COMMENT_CHARS:
        raise DomainError(_l("Write at most %(num)s characters.", num=MAX_COMMENT_CHARS),
                          "comments")
    with db.atomic():
        complaint = Complaint.get_by_id(complaint_id)
        state = rating_state(complaint)
        if state == "done":
            raise Conflict(_l("You have already rated the handling of this complaint. "
                              "Thank you."))
        if state != "open":
            raise Conflict(_l("The handling of this complaint cannot be rated at this "
                              "stage."))
        record_visit(complaint.id, None, None, settings, method="questionnaire",
                     visited_on=deadlines.local_date(utcnow(), settings),
                     satisfaction=satisfaction, resolved=bool(resolved), comments=comments,
                     system=True)
    return Complaint.get_by_id(complaint_id)
