"""The status machine's table: (status, action) → (new status, roles allowed).

domain/workflow.py carries the actions out and is the only code that changes a status;
domain/access.py adds the department and person checks; templates show the buttons that
access.available_actions() returns from this same table.
"""
from flask_babel import lazy_gettext as _l

STATUSES = {
    "registered": _l("Registered"),
    "rejected": _l("Not accepted"),
    "accepted": _l("Accepted"),
    "assigned": _l("Assigned"),
    "investigating": _l("Under investigation"),
    "proposing": _l("Proposal being drafted"),
    "reviewing": _l("Awaiting department review"),
    "approving": _l("Awaiting leader approval"),
    "approved": _l("Approved, reply due"),
    "responded": _l("Answered"),
    "external": _l("With an outside body"),
    "executing": _l("Carrying out the decision"),
    "visiting": _l("Return visit due"),
    "closed": _l("Closed"),
    "archived": _l("Archived"),
}

OPEN_STATUSES = tuple(s for s in STATUSES if s not in ("rejected", "closed", "archived"))
# Intake data may be corrected until the complaint is closed.
EDITABLE_STATUSES = OPEN_STATUSES

INTAKE = ("intake", "manager")
HEAD = ("dept_head",)
TRANSITIONS = {
    ("registered", "assess"): ("registered", INTAKE),
    ("registered", "accept"): ("accepted", INTAKE),
    ("registered", "reject"): ("rejected", INTAKE),
    ("accepted", "assign"): ("assigned", INTAKE),
    ("assigned", "confirm_receipt"): ("investigating", HEAD),
    ("assigned", "transfer"): ("assigned", HEAD + ("manager",)),
    ("investigating", "transfer"): ("assigned", HEAD + ("manager",)),
    ("investigating", "request_extension"): ("investigating", ("investigator",)),
    ("investigating", "decide_extension"): ("investigating", HEAD + ("leader",)),
    ("investigating", "submit_investigation"): ("proposing", ("investigator",)),
    ("proposing", "request_extension"): ("proposing", ("investigator",)),
    ("proposing", "decide_extension"): ("proposing", HEAD + ("leader",)),
    ("proposing", "submit_proposal"): ("reviewing", ("investigator",)),
    ("reviewing", "review"): ("approving", HEAD),
    ("reviewing", "return_for_rework"): ("investigating", HEAD),
    ("approving", "approve"): ("approved", ("leader",)),
    ("approving", "return_for_rework"): ("investigating", ("leader",)),
    ("approved", "record_response"): ("responded", INTAKE + HEAD),
    ("responded", "accept_result"): ("executing", INTAKE),
    ("responded", "appeal"): ("investigating", INTAKE),
    ("responded", "refer_out"): ("external", INTAKE),
    ("external", "record_outcome"): ("executing", INTAKE),
    ("executing", "mark_done"): ("executing", HEAD + ("manager",)),
    ("executing", "waive"): ("executing", ("leader",)),
    ("executing", "complete_execution"): ("visiting", HEAD + ("manager",)),
    ("visiting", "record_visit"): ("visiting", INTAKE),
    ("visiting", "reopen"): ("investigating", ("manager", "leader")),
    ("visiting", "close"): ("closed", ("manager",)),
    ("closed", "archive"): ("archived", ("manager", "admin")),
    ("rejected", "archive"): ("archived", ("manager", "admin")),
}
ACTIONS = sorted({action for (_status, action) in TRANSITIONS})


def next_status(status: str, action: str) -> str | None:
    entry = TRANSITIONS.get((status, action))
    return entry[0] if entry else None


def roles_for(status: str, action: str) -> tuple:
    entry = TRANSITIONS.get((status, action))
    return entry[1] if entry else ()


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES
