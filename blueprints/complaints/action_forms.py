"""One small form per workflow action on the complaint page.

Every form carries the complaint's version as the page showed it; `arguments()` gives the
keyword arguments of the domain.workflow function of the same name. Field names are the
names the workflow uses in its errors, so a refusal lands beside the field it concerns.
"""
import datetime as dt

from flask_babel import get_locale, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (DateField, DecimalField, FieldList, Form, FormField, HiddenField,
                     IntegerField, RadioField, SelectChoice, SelectField, SelectMultipleField,
                     StringField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from blueprints.forms_common import no_markup, strip_filter
from domain.models import Department, User
from domain.stage_models import RootCause
from domain.vocab import (DISPUTE_KINDS, FACT_VERDICTS, INVESTIGATION_METHODS, NATURES,
                          REMEDY_KINDS, RESPONSE_METHODS, SEVERITIES, URGENCIES, VISIT_METHODS)

S = [strip_filter]
ROWS = 3  # remedy and measure rows on the proposal form

# What each action is called on the page (its disclosure) and on its button.
TITLES = {
    "assess": _l("Assess the complaint"),
    "accept": _l("Accept the complaint"),
    "reject": _l("Do not accept the complaint"),
    "assign": _l("Assign to a department"),
    "transfer": _l("Transfer to another department"),
    "confirm_receipt": _l("Confirm receipt and name the investigator"),
    "request_extension": _l("Ask for more time for the investigation"),
    "decide_extension": _l("Decide on the extension request"),
    "submit_investigation": _l("Submit the investigation report"),
    "submit_proposal": _l("Submit the handling proposal"),
    "review": _l("Approve the proposal (department review)"),
    "approve": _l("Approve the proposal (leader)"),
    "return_for_rework": _l("Return the proposal for rework"),
    "record_response": _l("Record that the written response was sent"),
    "accept_result": _l("The complainant accepts the result"),
    "appeal": _l("The complainant appeals"),
    "refer_out": _l("The dispute goes to an outside body"),
    "record_outcome": _l("Record the outside body's outcome"),
    "mark_done": _l("Mark as done"),
    "waive": _l("Waive"),
    "complete_execution": _l("Execution complete: return visit next"),
    "record_visit": _l("Record the return visit"),
    "reopen": _l("Reopen the complaint"),
    "close": _l("Close the complaint"),
    "archive": _l("Archive the complaint"),
}
BUTTONS = {
    "assess": _l("Save the assessment"),
    "accept": _l("Accept"),
    "reject": _l("Do not accept"),
    "assign": _l("Assign"),
    "transfer": _l("Transfer"),
    "confirm_receipt": _l("Confirm receipt"),
    "request_extension": _l("Ask for the extension"),
    "decide_extension": _l("Record the decision"),
    "submit_investigation": _l("Submit the report"),
    "submit_proposal": _l("Submit the proposal"),
    "review": _l("Approve and send to a leader"),
    "approve": _l("Approve"),
    "return_for_rework": _l("Return for rework"),
    "record_response": _l("Record the response"),
    "accept_result": _l("Record the acceptance"),
    "appeal": _l("Record the appeal"),
    "refer_out": _l("Record the referral"),
    "record_outcome": _l("Record the outcome"),
    "mark_done": _l("Mark as done"),
    "waive": _l("Waive"),
    "complete_execution": _l("Complete execution"),
    "record_visit": _l("Record the visit"),
    "reopen": _l("Reopen"),
    "close": _l("Close"),
    "archive": _l("Archive"),
}
ITEM_ACTIONS = ("mark_done", "waive")


def _int_or_none(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError(_l("Not a valid choice.")) from None


def _options(pairs) -> list:
    return [SelectChoice(value, label) for value, label in pairs]


def _choices(mapping, blank=None) -> list:
    """A code → label mapping as choices, after an optional blank one."""
    return _options(([("", blank)] if blank else []) + list(mapping.items()))


CHOOSE = _l("Choose…")


def text(label, required=None, max_length=5000, rows=3, **kwargs):
    """A plain-text area; `required` is the message shown when it is left empty."""
    validators = [DataRequired(message=required)] if required else [Optional()]
    return TextAreaField(label, filters=S, validators=validators + [
        Length(max=max_length), no_markup], render_kw={"rows": rows}, **kwargs)


def line(label, required=None, max_length=200, **kwargs):
    validators = [DataRequired(message=required)] if required else [Optional()]
    return StringField(label, filters=S, validators=validators + [
        Length(max=max_length), no_markup], **kwargs)


class CheckboxList(SelectMultipleField):
    """Several choices as checkboxes (the macros render it as a fieldset)."""
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class Radio(RadioField):
    """Radio buttons that say only "required" when none is chosen (not also "not a valid
    choice")."""

    def pre_validate(self, form):
        if self.raw_data:
            super().pre_validate(form)


class ActionForm(FlaskForm):
    """Base: the version the page showed, ids unique on a page of many forms, and a place
    for the workflow's refusals."""
    version = HiddenField()
    groups: tuple = ()  # names of repeated-row groups whose errors show above the rows
    keep_open = False  # shown opened (the user's own input, sent back to them)

    def __init__(self, complaint, action: str, key: str, **kwargs):
        super().__init__(**kwargs)
        self.action, self.key = action, key
        self.title, self.button = TITLES[action], BUTTONS[action]
        self.group_errors = {}
        self.prepare(complaint)
        _prefix_ids(self, key)

    def prepare(self, complaint) -> None:
        """Set choices that depend on the complaint or the database."""

    @classmethod
    def defaults(cls, complaint, today: dt.date) -> dict:
        return {}

    def arguments(self) -> dict:
        return {}

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.group_errors)

    def add_error(self, name: str | None, message) -> None:
        """Show a refusal beside field `name`, above a row group, or above the form."""
        target = self._fields.get(name) if name else None
        if name in self.groups:
            self.group_errors.setdefault(name, []).append(str(message))
        elif target is not None and not isinstance(target, HiddenField):
            target.errors = list(target.errors) + [str(message)]
        else:
            self.form_errors.append(str(message))


def _prefix_ids(fields, prefix):
    """Prefix every field id (labels follow), rows included: several forms share a page."""
    for f in fields:
        f.id = f"{prefix}-{f.id}"
        if f.label.field_id:  # radio groups have no label of their own (a legend instead)
            f.label.field_id = f.id
        if isinstance(f, FieldList):
            _prefix_ids(f.entries, prefix)
        elif isinstance(f, FormField):
            _prefix_ids(f.form, prefix)


# --- registered ---------------------------------------------------------------------------

class AssessForm(ActionForm):
    nature = SelectField(_l("Nature"), validators=[InputRequired(
        message=_l("Choose the nature from the list."))])
    severity = SelectField(_l("Severity"), choices=_choices(SEVERITIES),
                           validators=[InputRequired()])
    urgency = SelectField(_l("Urgency"), choices=_choices(URGENCIES),
                          validators=[InputRequired()])

    def prepare(self, complaint):
        self.nature.choices = _choices(NATURES, CHOOSE)

    @classmethod
    def defaults(cls, complaint, today):
        return {"nature": complaint.nature or "", "severity": complaint.severity,
                "urgency": complaint.urgency}

    def arguments(self):
        return {"nature": self.nature.data, "severity": self.severity.data,
                "urgency": self.urgency.data}


class NoteForm(ActionForm):
    """An optional note: accept, accept the result, close."""
    note = text(_l("Note (optional)"))

    def arguments(self):
        return {"note": self.note.data or ""}


class RejectForm(ActionForm):
    reason = text(_l("Reason for not accepting"), rows=4,
                  required=_l("Write the reason for not accepting the complaint."),
                  description=_l("Outside the organisation's remit, or unfounded. The reason "
                                 "goes into the written explanation to the complainant."))

    def arguments(self):
        return {"reason": self.reason.data}


# --- assignment ----------------------------------------------------------------------------

class AssignForm(ActionForm):
    department = SelectField(_l("Department"), coerce=_int_or_none, validators=[
        InputRequired(message=_l("Choose a department from the list."))])
    requirements = text(_l("Handling requirements"))
    due_on = DateField(_l("Due date"), validators=[Optional()], description=_l(
        "Leave empty for the default from the settings."))

    def prepare(self, complaint):
        locale = str(get_locale())
        self.department.choices = _options([("", CHOOSE)] + [
            (d.id, d.label(locale)) for d in Department.select().where(Department.active)
            .order_by(Department.name) if d.id != self._exclude(complaint)])

    def _exclude(self, complaint):
        return None

    def arguments(self):
        return {"department_id": self.department.data,
                "requirements": self.requirements.data or "", "due_on": self.due_on.data}


class TransferForm(AssignForm):
    reason = text(_l("Reason for the transfer"), required=_l(
        "Say why the complaint is transferred."))

    def _exclude(self, complaint):
        return complaint.department_id

    def arguments(self):
        return {**super().arguments(), "reason": self.reason.data}


class ConfirmReceiptForm(ActionForm):
    investigator = SelectField(_l("Investigator"), coerce=_int_or_none, validators=[
        InputRequired(message=_l("Choose an investigator of this department."))])

    def prepare(self, complaint):
        people = (User.select().where(User.active & (User.department == complaint.department_id))
                  .order_by(User.full_name)) if complaint.department_id else []
        self.investigator.choices = _options([("", CHOOSE)] + [
            (u.id, u.full_name) for u in people if u.has_role("investigator")])

    def arguments(self):
        return {"investigator_id": self.investigator.data}


# --- investigation -------------------------------------------------------------------------

class RequestExtensionForm(ActionForm):
    days = IntegerField(_l("Extra working days"), validators=[
        InputRequired(message=_l("Ask for at least one working day.")),
        NumberRange(min=1, max=60, message=_l("Ask for at least one working day."))],
        render_kw={"inputmode": "numeric", "min": 1})
    reason = text(_l("Reason"), required=_l("Give the reason for the extension."))

    def arguments(self):
        return {"days": self.days.data, "reason": self.reason.data}


class DecideExtensionForm(ActionForm):
    decision = Radio(_l("Decision"), choices=_options([
        ("approve", _l("Approve the extension")), ("refuse", _l("Refuse the extension"))]),
        validators=[InputRequired(message=_l("Choose approve or refuse."))])
    comment = text(_l("Comment"), description=_l("Required when refusing."))

    def arguments(self):
        return {"approve": self.decision.data == "approve", "comment": self.comment.data or ""}


class InvestigationForm(ActionForm):
    methods = CheckboxList(_l("Methods used"), choices=_choices(INVESTIGATION_METHODS),
                           validators=[DataRequired(
                               message=_l("Choose at least one investigation method."))])
    facts_verdict = Radio(_l("Are the facts complained of true?"),
                          choices=_choices(FACT_VERDICTS), validators=[
                              InputRequired(message=_l("Say whether the facts are true."))])
    facts_text = text(_l("Facts found"), rows=5, required=_l("Describe the facts found."))
    root_cause = SelectField(_l("Root cause"), coerce=_int_or_none, validators=[
        InputRequired(message=_l("Choose the root cause from the list."))])
    root_cause_text = text(_l("Root cause in detail"))
    impact_customer = text(_l("Impact on the customer"), rows=2)
    impact_reputation = text(_l("Impact on the organisation's reputation"), rows=2)
    impact_business = text(_l("Impact on the business"), rows=2)

    def prepare(self, complaint):
        locale = str(get_locale())
        self.root_cause.choices = _options([("", CHOOSE)] + [
            (r.id, r.label(locale)) for r in RootCause.select().where(RootCause.active)
            .order_by(RootCause.id)])

    def arguments(self):
        return {"methods": self.methods.data, "facts_verdict": self.facts_verdict.data,
                "facts_text": self.facts_text.data, "root_cause_id": self.root_cause.data,
                "root_cause_text": self.root_cause_text.data or "",
                "impact_customer": self.impact_customer.data or "",
                "impact_reputation": self.impact_reputation.data or "",
                "impact_business": self.impact_business.data or ""}


class RemedyRow(Form):
    kind = SelectField(_l("Kind"), choices=_choices(REMEDY_KINDS, _l("None")), default="")
    amount = DecimalField(_l("Amount"), places=2, validators=[
        Optional(), NumberRange(min=0, max=999_999_999,
                                message=_l("An amount cannot be negative."))],
        render_kw={"inputmode": "decimal"})
    currency = StringField(_l("Currency"), filters=[strip_filter], default="CNY", validators=[
        Optional(), Regexp(r"^[A-Za-z]{3}$", message=_l("Three letters, such as CNY."))],
        render_kw={"size": 3, "maxlength": 3, "autocomplete": "off"})
    description = line(_l("Description"), max_length=1000)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if not self.kind.data and (self.amount.data is not None or self.description.data):
            self.kind.errors.append(_l("Choose the kind of remedy from the list."))
            return False
        return valid


class MeasureRow(Form):
    description = line(_l("Measure"), max_length=1000)
    owner = SelectField(_l("Person responsible"), coerce=_int_or_none, validators=[Optional()])
    due_on = DateField(_l("Due date"), validators=[Optional()])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if not self.description.data and (self.owner.data or self.due_on.data):
            self.description.errors.append(_l("Describe the measure."))
            return False
        return valid


class ProposalForm(ActionForm):
    groups = ("remedies", "measures")
    apology = text(_l("Apology and explanation"), rows=4)
    responsibility = text(_l("Responsibility finding"), rows=3)
    remedies = FieldList(FormField(RemedyRow), min_entries=ROWS, max_entries=ROWS)
    measures = FieldList(FormField(MeasureRow), min_entries=ROWS, max_entries=ROWS)

    def prepare(self, complaint):
        owners = _options([("", CHOOSE)] + [
            (u.id, u.full_name) for u in User.select().where(User.active)
            .order_by(User.full_name)])
        for row in self.measures:
            row.form.owner.choices = owners

    def arguments(self):
        return {
            "apology": self.apology.data or "", "responsibility": self.responsibility.data or "",
            "remedies": [{"kind": r.kind.data, "amount": r.amount.data,
                          "currency": r.currency.data or "CNY",
                          "description": r.description.data or ""}
                         for r in (row.form for row in self.remedies) if r.kind.data],
            "measures": [{"description": m.description.data, "owner_id": m.owner.data,
                          "due_on": m.due_on.data}
                         for m in (row.form for row in self.measures) if m.description.data],
        }


# --- approval ------------------------------------------------------------------------------

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
