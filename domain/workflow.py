"""The status machine: every status change of a complaint goes through this module.

TRANSITIONS maps (status, action) to (new status, roles allowed). Templates read the same
table to decide which buttons to show; the action functions enforce it.
"""
from flask_babel import lazy_gettext as _l

STATUSES = {
    "registered": _l("Registered"),
    "rejected": _l("Not accepted"),
    "accepted": _l("Accepted"),
    "assigned": _l("Assigned"),
    "investigating": _l("Under investigation"),
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

MANAGE = ("manager", "admin")
TRANSITIONS = {
    ("registered", "accept"): ("accepted", ("intake", "manager", "admin")),
    ("registered", "reject"): ("rejected", ("intake", "manager", "admin")),
    ("accepted", "assign"): ("assigned", ("intake", "manager", "admin")),
    ("assigned", "confirm_receipt"): ("investigating", ("dept_head",)),
    ("assigned", "transfer"): ("assigned", ("dept_head", "manager", "admin")),
    ("investigating", "transfer"): ("assigned", ("dept_head", "manager", "admin")),
    ("investigating", "request_extension"): ("investigating", ("investigator",)),
    ("investigating", "submit_investigation"): ("reviewing", ("investigator",)),
    ("reviewing", "review"): ("approving", ("dept_head",)),
    ("reviewing", "return_for_rework"): ("investigating", ("dept_head",)),
    ("approving", "approve"): ("approved", ("leader",)),
    ("approving", "return_for_rework"): ("investigating", ("leader",)),
    ("approved", "record_response"): ("responded", ("intake", "dept_head", "manager")),
    ("responded", "appeal"): ("investigating", ("intake", "manager")),
    ("responded", "refer_out"): ("external", ("manager",)),
    ("responded", "accept_result"): ("executing", ("intake", "manager")),
    ("external", "record_outcome"): ("executing", ("manager",)),
    ("executing", "complete_execution"): ("visiting", ("dept_head", "manager")),
    ("visiting", "record_visit"): ("visiting", ("intake", "manager")),
    ("visiting", "reopen"): ("investigating", ("manager", "leader")),
    ("visiting", "close"): ("closed", ("manager",)),
    ("closed", "archive"): ("archived", MANAGE),
}


def allowed_actions(status: str, roles) -> list[str]:
    """Actions the table allows from `status` for someone holding `roles`."""
    roles = set(roles)
    return [action for (st, action), (_, who) in TRANSITIONS.items()
            if st == status and roles.intersection(who)]


def next_status(status: str, action: str) -> str | None:
    entry = TRANSITIONS.get((status, action))
    return entry[0] if entry else None


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES
