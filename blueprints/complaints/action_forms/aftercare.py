"""Forms of the decisions and what follows: approval, response, disputes, execution, visit."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, SelectField
from wtforms.validators import InputRequired, Optional

from domain.vocab import DISPUTE_KINDS, RESPONSE_METHODS, VISIT_METHODS
from blueprints.complaints.action_forms.base import (ActionForm, CHOOSE, Radio, _choices,
                                                     _int_or_none, _options, line, text)


class CommentForm(ActionForm):
    comment = text(_l("Comment (optional)"))

    def arguments(self):
        return {"comment": self.comment.data or ""}


class ReturnForm(ActionForm):
    comment = text(_l("What needs to change"), required=_l("Say what needs to change."))

    def arguments(self):
        return {"comment": self.comment.data}


# --- after approval ------------------------------------------------------------------------

class ResponseForm(ActionForm):
    method = SelectField(_l("Sent by"), choices=_choices(RESPONSE_METHODS, CHOOSE),
                         validators=[InputRequired(
                             message=_l("Choose how the response was sent."))])
    sent_on = DateField(_l("Date sent"), validators=[InputRequired(
        message=_l("Enter the date it was sent."))])
    recipient = line(_l("Recipient"), required=_l("Enter to whom it was sent."))

    @classmethod
    def defaults(cls, complaint, today):
        return {"sent_on": today, "recipient": complaint.complainant_name}

    def arguments(self):
        return {"method": self.method.data, "sent_on": self.sent_on.data,
                "recipient": self.recipient.data}


class AppealForm(ActionForm):
    reason = text(_l("The complainant's reason"), rows=4, required=_l(
        "Write the complainant's reason for the appeal."))

    def arguments(self):
        return {"reason": self.reason.data}


class ReferOutForm(ActionForm):
    kind = SelectField(_l("Where the dispute went"), choices=_choices(DISPUTE_KINDS, CHOOSE),
                       validators=[InputRequired(message=_l("Choose where the dispute went."))])
    body = line(_l("Body handling it"), required=_l("Name the body handling it."))
    reference = line(_l("Their reference"), max_length=120)
    started_on = DateField(_l("Date"), validators=[Optional()])

    @classmethod
    def defaults(cls, complaint, today):
        return {"started_on": today}

    def arguments(self):
        return {"kind": self.kind.data, "body": self.body.data,
                "reference": self.reference.data or "", "started_on": self.started_on.data}


class OutcomeForm(ActionForm):
    outcome = text(_l("Outcome"), rows=4, required=_l("Describe the outcome."))
    ended_on = DateField(_l("Date of the outcome"), validators=[InputRequired(
        message=_l("Enter the date of the outcome."))])

    @classmethod
    def defaults(cls, complaint, today):
        return {"ended_on": today}

    def arguments(self):
        return {"outcome": self.outcome.data, "ended_on": self.ended_on.data}


class ItemForm(ActionForm):
    """mark_done / waive: one remedy or measure of the current proposal."""
    kind = HiddenField()
    item_id = HiddenField()

    def arguments(self):
        return {"kind": self.kind.data, "item_id": _int_or_none_safe(self.item_id.data)}


class DoneForm(ItemForm):
    note = line(_l("Note"), max_length=1000)

    def arguments(self):
        return {**super().arguments(), "note": self.note.data or ""}


class WaiveForm(ItemForm):
    reason = line(_l("Reason for waiving"), max_length=1000,
                  required=_l("Say why it is waived."))

    def arguments(self):
        return {**super().arguments(), "reason": self.reason.data}


def _int_or_none_safe(value):
    try:
        return _int_or_none(value)
    except ValueError:
        return None


SATISFACTION = [
    (1, _l("1 – very dissatisfied")),
    (2, _l("2 – dissatisfied")),
    (3, _l("3 – neither")),
    (4, _l("4 – satisfied")),
    (5, _l("5 – very satisfied")),
]


class VisitForm(ActionForm):
    method = SelectField(_l("How"), choices=_choices(VISIT_METHODS, CHOOSE),
                         validators=[InputRequired(message=_l("Choose how the visit was made."))])
    visited_on = DateField(_l("Date of the visit"), validators=[InputRequired(
        message=_l("Enter the date of the visit."))])
    satisfaction = Radio(_l("Satisfaction"), choices=_options(SATISFACTION), coerce=int,
                         validators=[InputRequired(message=_l("Satisfaction is from 1 to 5."))])
    resolved = Radio(_l("Is the matter resolved for the complainant?"),
                     choices=_options([("yes", _l("Yes")), ("no", _l("No"))]),
                     validators=[InputRequired(message=_l("Answer yes or no."))])
    comments = text(_l("Comments"))

    @classmethod
    def defaults(cls, complaint, today):
        return {"visited_on": today}

    def arguments(self):
        return {"method": self.method.data, "visited_on": self.visited_on.data,
                "satisfaction": self.satisfaction.data, "resolved": self.resolved.data == "yes",
                "comments": self.comments.data or ""}


class ReopenForm(ActionForm):
    reason = text(_l("Reason for reopening"), required=_l("Say why the complaint is reopened."))

    def arguments(self):
        return {"reason": self.reason.data}
