"""One small form per workflow action on the complaint page.

Every form carries the complaint's version as the page showed it; `arguments()` gives the
keyword arguments of the domain.workflow function of the same name. Field names are the
names the workflow uses in its errors, so a refusal lands beside the field it concerns.
"""
import datetime as dt

from blueprints.complaints.action_forms.aftercare import (AppealForm, CommentForm, DoneForm,
                                                          OutcomeForm, ReferOutForm,
                                                          ReopenForm, ResponseForm, ReturnForm,
                                                          VisitForm, WaiveForm)
from blueprints.complaints.action_forms.base import ITEM_ACTIONS, ActionForm
from blueprints.complaints.action_forms.intake import (AssessForm, AssignForm,
                                                       ConfirmReceiptForm, NoteForm, RejectForm,
                                                       TransferForm)
from blueprints.complaints.action_forms.investigation import (DecideExtensionForm,
                                                              InvestigationForm, ProposalForm,
                                                              RequestExtensionForm)

FORMS = {
    "assess": AssessForm,
    "accept": NoteForm,
    "reject": RejectForm,
    "assign": AssignForm,
    "transfer": TransferForm,
    "confirm_receipt": ConfirmReceiptForm,
    "request_extension": RequestExtensionForm,
    "decide_extension": DecideExtensionForm,
    "submit_investigation": InvestigationForm,
    "submit_proposal": ProposalForm,
    "review": CommentForm,
    "approve": CommentForm,
    "return_for_rework": ReturnForm,
    "record_response": ResponseForm,
    "accept_result": NoteForm,
    "appeal": AppealForm,
    "refer_out": ReferOutForm,
    "record_outcome": OutcomeForm,
    "mark_done": DoneForm,
    "waive": WaiveForm,
    "complete_execution": ActionForm,
    "record_visit": VisitForm,
    "reopen": ReopenForm,
    "close": NoteForm,
    "archive": ActionForm,
}


def item_key(action: str, kind, item_id) -> str:
    return f"{action}-{kind}-{item_id}"


def fresh_form(action: str, complaint, today: dt.date, key: str | None = None, **data):
    """An empty form for `action` as the page offers it (never bound to a posted form)."""
    cls = FORMS[action]
    values = {"version": complaint.version, **cls.defaults(complaint, today), **data}
    return cls(complaint, action, key or action, formdata=None, data=values)


def posted_form(action: str, complaint, formdata):
    """The form for `action` bound to what was posted."""
    key = action
    if action in ITEM_ACTIONS:
        kind, item_id = formdata.get("kind", ""), formdata.get("item_id", "")
        if kind in ("remedy", "measure") and item_id.isdigit():
            key = item_key(action, kind, item_id)
    return FORMS[action](complaint, action, key, formdata=formdata)


def forms_for(complaint, actions, stages) -> dict:
    """Fresh forms for the actions `actions` offered on the page, keyed as the templates
    look them up: the action, or action-kind-id for each open remedy and measure."""
    forms = {}
    for action in actions:
        if action in ITEM_ACTIONS:
            for kind, item in stages.open_items:
                key = item_key(action, kind, item.id)
                forms[key] = fresh_form(action, complaint, stages.today, key,
                                        kind=kind, item_id=item.id)
        else:
            forms[action] = fresh_form(action, complaint, stages.today)
    return forms
