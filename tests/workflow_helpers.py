"""Builders for workflow tests: the people of a small organisation, valid arguments for
every action, and a driver that takes a complaint to any status through the real workflow
functions (domain/workflow), never by setting its status by hand."""
import datetime as dt
import itertools
from dataclasses import dataclass, field

from werkzeug.security import generate_password_hash

from domain import workflow
from domain.deadlines import local_date
from domain.models import Complaint, Department, Event, User, utcnow
from domain.settings import load_settings
from domain.stage_models import Extension, Measure, Proposal, Remedy, RootCause
from tests.factories import PASSWORD, make_complaint

ROLES = ("intake", "investigator", "dept_head", "leader", "manager", "auditor", "admin")
_counter = itertools.count(1)
_HASH = None


def quick_user(role="intake", department=None, roles=None, active=True) -> User:
    """A staff account without the cost of hashing a password: the hash of
    tests.factories.PASSWORD, made once with a one-round method so that signing in as it
    is cheap too (how passwords are hashed is tested in tests/test_auth.py)."""
    global _HASH
    if _HASH is None:
        _HASH = generate_password_hash(PASSWORD, "pbkdf2:sha256:1")
    roles = list(roles or [role])
    name = f"{'-'.join(roles)}{next(_counter)}"
    return User.create(username=name.replace("_", ""), full_name=name.title(),
                       email=f"{name}@example.org", roles=",".join(roles),
                       department=department, password_hash=_HASH, active=active)


def quick_department(name=None) -> Department:
    return Department.create(name=name or f"Department {next(_counter)}")


@dataclass
class Cast:
    """Department A handles the complaints; department B is somebody else's."""
    app: object
    dept: Department
    other_dept: Department
    intake: User          # registers every complaint: its first-contact person
    investigator: User    # of department A; named investigator on confirm_receipt
    head: User            # head of department A
    leader: User
    manager: User
    auditor: User
    admin: User
    other_head: User          # head of department B
    other_investigator: User  # investigator of department B
    idle_investigator: User   # investigator of department A who is not named
    outside_intake: User      # intake staff of department B who registered nothing
    settings: dict = field(default_factory=load_settings)

    def by_role(self, role: str) -> User:
        """The person of `role` who is in scope for a complaint of department A."""
        return {"intake": self.intake, "investigator": self.investigator,
                "dept_head": self.head, "leader": self.leader, "manager": self.manager,
                "auditor": self.auditor, "admin": self.admin}[role]

    @property
    def today(self) -> dt.date:
        return local_date(utcnow(), self.settings)


def make_cast(app) -> Cast:
    a, b = quick_department("Customer service"), quick_department("Warehouse")
    return Cast(
        app=app, dept=a, other_dept=b,
        intake=quick_user("intake"), investigator=quick_user("investigator", a),
        head=quick_user("dept_head", a), leader=quick_user("leader"),
        manager=quick_user("manager"), auditor=quick_user("auditor"),
        admin=quick_user("admin"), other_head=quick_user("dept_head", b),
        other_investigator=quick_user("investigator", b),
        idle_investigator=quick_user("investigator", a),
        outside_intake=quick_user("intake", b))


def reload(complaint) -> Complaint:
    return Complaint.get_by_id(complaint if isinstance(complaint, int) else complaint.id)


def event_count(complaint) -> int:
    cid = complaint if isinstance(complaint, int) else complaint.id
    return Event.select().where(Event.complaint == cid).count()


def last_event(complaint) -> Event:
    return (Event.select().where(Event.complaint == complaint.id)
            .order_by(Event.seq.desc()).first())


def current_proposal(complaint) -> Proposal | None:
    return (Proposal.select().where((Proposal.complaint == complaint.id) & Proposal.current)
            .first())


def open_items(complaint) -> list[tuple[str, object]]:
    """("remedy" | "measure", row) for every item of the current proposal not yet done."""
    proposal = current_proposal(complaint)
    if proposal is None:
        return []
    items = [("remedy", r) for r in proposal.remedies] + \
            [("measure", m) for m in proposal.measures]
    return [(kind, i) for kind, i in items if not (i.done_at or i.waived)]


def valid_args(cast: Cast, complaint: Complaint, action: str) -> dict:
    """Arguments that the action accepts when the status and the actor allow it."""
    today = cast.today
    items = open_items(complaint)
    kind, item = items[0] if items else ("measure", None)
    root_cause = RootCause.select().where(RootCause.active).order_by(RootCause.id).first()
    return {
        "assess": dict(nature="service", severity="ordinary", urgency="normal"),
        "accept": dict(note="Within our remit."),
        "reject": dict(reason="The kettle was bought from another shop."),
        "assign": dict(department_id=cast.dept.id, requirements="Check the batch records."),
        "transfer": dict(department_id=cast.other_dept.id, reason="The warehouse shipped it."),
        "confirm_receipt": dict(investigator_id=cast.investigator.id),
        "request_extension": dict(days=3, reason="The supplier answers next week."),
        "decide_extension": dict(approve=True, comment="Granted."),
        "submit_investigation": dict(
            methods=["records", "interviews"], facts_verdict="true",
            facts_text="The seal of batch 7 was faulty.", root_cause_id=root_cause.id,
            impact_customer="Kitchen floor wet."),
        "submit_proposal": dict(
            apology="We apologise for the faulty kettle.", responsibility="Supplier QA.",
            remedies=[{"kind": "refund", "amount": "199.00", "currency": "cny"}],
            measures=[{"description": "Inspect every kettle of batch 7",
                       "owner_id": cast.head.id, "due_on": today + dt.timedelta(days=10)}]),
        "review": dict(comment="Agreed."),
        "approve": dict(comment="Approved."),
        "return_for_rework": dict(comment="Add the supplier's answer."),
        "record_response": dict(method="post", sent_on=today, recipient="张伟"),
        "accept_result": dict(note="The complainant accepts."),
        "appeal": dict(reason="The refund is too small."),
        "refer_out": dict(kind="mediation", body="Consumer association", reference="CA-17"),
        "record_outcome": dict(outcome="Settled at mediation.", ended_on=today),
        "mark_done": dict(kind=kind, item_id=item.id if item else None, note="Done."),
        "waive": dict(kind=kind, item_id=item.id if item else None,
                      reason="The complainant declined it."),
        "complete_execution": dict(),
        "record_visit": dict(method="phone", visited_on=today, satisfaction=4, resolved=True,
                             comments="Happy now."),
        "reopen": dict(reason="The kettle leaks again."),
        "close": dict(note="Resolved."),
        "archive": dict(),
    }[action]


def prepare(cast: Cast, complaint: Complaint, action: str) -> None:
    """Put in place the data an action needs besides its arguments (in the caller's
    transaction): a pending extension request to decide, every item done to complete."""
    if action == "decide_extension":
        if not Extension.select().where((Extension.complaint == complaint.id)
                                        & Extension.approved.is_null()).exists():
            Extension.create(complaint=complaint, requested_by=cast.investigator, days=2,
                             reason="More interviews.")
    elif action == "complete_execution":
        proposal = current_proposal(complaint)
        if proposal is not None:
            for model in (Remedy, Measure):
                model.update(done_at=utcnow()).where(model.proposal == proposal.id).execute()


NATURAL_ACTOR = {
    "assess": "intake", "accept": "intake", "reject": "intake", "assign": "intake",
    "transfer": "dept_head", "confirm_receipt": "dept_head",
    "request_extension": "investigator", "decide_extension": "dept_head",
    "submit_investigation": "investigator", "submit_proposal": "investigator",
    "review": "dept_head", "approve": "leader", "return_for_rework": "dept_head",
    "record_response": "intake", "accept_result": "intake", "appeal": "intake",
    "refer_out": "intake", "record_outcome": "intake", "mark_done": "dept_head",
    "waive": "leader", "complete_execution": "manager", "record_visit": "intake",
    "reopen": "manager", "close": "manager", "archive": "manager",
}


def act(cast: Cast, complaint, action: str, actor: User | None = None, version=None,
        **overrides) -> Complaint:
    """Take `action` through its workflow function, as its natural actor unless told,
    with valid arguments overridden by `overrides`; returns the complaint reloaded."""
    complaint = reload(complaint)
    if actor is None:
        role = NATURAL_ACTOR[action]
        if action == "return_for_rework" and complaint.status == "approving":
            role = "leader"
        actor = cast.by_role(role)
    kwargs = valid_args(cast, complaint, action)
    kwargs.update(overrides)
    function = getattr(workflow, action)
    function(complaint.id, actor, complaint.version if version is None else version,
             cast.settings, **kwargs)
    return reload(complaint)


def finish_items(cast: Cast, complaint) -> Complaint:
    """Mark every open remedy and measure done, one mark_done each."""
    for kind, item in open_items(complaint):
        complaint = act(cast, complaint, "mark_done", kind=kind, item_id=item.id)
    return reload(complaint)


# The main path, and the status each prefix of it reaches.
MAIN_PATH = ["assess", "accept", "assign", "confirm_receipt", "submit_investigation",
             "submit_proposal", "review", "approve", "record_response", "accept_result",
             "finish_items", "complete_execution", "record_visit", "close", "archive"]


def _upto(action: str) -> list[str]:
    return MAIN_PATH[:MAIN_PATH.index(action) + 1]


ROUTES = {
    "registered": _upto("assess"),
    "rejected": _upto("assess") + ["reject"],
    "accepted": _upto("accept"),
    "assigned": _upto("assign"),
    "investigating": _upto("confirm_receipt"),
    "proposing": _upto("submit_investigation"),
    "reviewing": _upto("submit_proposal"),
    "approving": _upto("review"),
    "approved": _upto("approve"),
    "responded": _upto("record_response"),
    "external": _upto("record_response") + ["refer_out"],
    "executing": _upto("accept_result"),
    "visiting": _upto("record_visit"),
    "closed": _upto("close"),
    "archived": _upto("archive"),
}


def run_steps(cast: Cast, complaint, steps) -> Complaint:
    for name in steps:
        if name == "finish_items":
            complaint = finish_items(cast, complaint)
        else:
            complaint = act(cast, complaint, name)
    return reload(complaint)


def drive(cast: Cast, status: str, steps=None, **complaint_fields) -> Complaint:
    """A new complaint, registered by cast.intake, taken to `status` along ROUTES (or along
    `steps`, names of actions or "finish_items")."""
    complaint = make_complaint(cast.app, registered_by=cast.intake, **complaint_fields)
    complaint = run_steps(cast, complaint, ROUTES[status] if steps is None else steps)
    assert complaint.status == status, (complaint.status, status)
    return complaint
