"""Every status change of a complaint happens here, one function per action.

Each action runs in one write transaction: it loads the complaint, checks that the version
the user saw is still current, that the table (domain/statuses.py) allows the action from
this status and that domain/access.py lets this user take it; then it writes the stage
record, moves the status, recomputes the due dates and appends the history event.
"""
from domain.workflow.core import Step, step  # noqa: F401
from domain.workflow.intake_steps import (accept, archive, assess, assign, close,  # noqa: F401
                                          confirm_receipt, reject, reopen, transfer)
from domain.workflow.investigation import (decide_extension, request_extension,  # noqa: F401
                                           submit_investigation, submit_proposal)
from domain.workflow.decisions import approve, return_for_rework, review  # noqa: F401
from domain.workflow.aftercare import (accept_result, appeal, complete_execution,  # noqa: F401
                                       mark_done, record_outcome, record_response,
                                       record_visit, refer_out, waive)
