"""What every action form shares: the version field, the id prefix, field helpers, titles."""
import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (FieldList, FormField, HiddenField, RadioField, SelectChoice, SelectMultipleField,
                     StringField, TextAreaField)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from blueprints.forms_common import no_markup, strip_filter


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
