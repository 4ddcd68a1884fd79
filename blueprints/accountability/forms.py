"""Forms of the accountability pages: opening a record, and one form per step."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (HiddenField, MultipleFileField, RadioField, SelectChoice, SelectField,
                     StringField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from blueprints.forms_common import no_markup, strip_filter
from domain.vocab import APPEAL_OUTCOMES, RESPONSIBILITY_LEVELS, SANCTIONS

S = [strip_filter]
TEXT = 10000


def options(pairs) -> list:
    return [SelectChoice(value, label) for value, label in pairs]


def _choices(mapping, blank=None):
    return options(([("", blank)] if blank is not None else []) + list(mapping.items()))


def _text_field(label, required=True, rows=4, description=None):
    validators = ([DataRequired()] if required else [Optional()]) + [Length(max=TEXT), no_markup]
    return TextAreaField(label, filters=S, validators=validators, render_kw={"rows": rows},
                         description=description)


def _amount_field():
    return StringField(_l("Amount (yuan)"), filters=S, validators=[Optional(), Length(max=20)],
                       description=_l("Only for a fine or bonus deduction."),
                       render_kw={"inputmode": "decimal", "autocomplete": "off"})


class NewRecordForm(FlaskForm):
    subject = SelectField(_l("Person concerned"), coerce=int,
                          validators=[InputRequired(message=_l("Choose the person concerned."))])
    complaint_number = StringField(_l("Complaint number"), filters=S,
                                   validators=[Optional(), Length(max=40), no_markup],
                                   description=_l("Leave empty for a record not arising from "
                                                  "a complaint."))
    level = RadioField(_l("Responsibility level"), choices=_choices(RESPONSIBILITY_LEVELS),
                       validators=[InputRequired(message=_l(
                           "Choose the level of responsibility."))])
    findings = _text_field(_l("Findings"), rows=6)
    evidence = MultipleFileField(_l("Evidence files"))


class StepForm(FlaskForm):
    """Every step posts the version of the record the page showed."""
    version = HiddenField()

    def posted_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


class FindingsForm(StepForm):
    level = RadioField(_l("Responsibility level"), choices=_choices(RESPONSIBILITY_LEVELS),
                       validators=[InputRequired(message=_l(
                           "Choose the level of responsibility."))])
    findings = _text_field(_l("Findings"), rows=6)


class EvidenceForm(StepForm):
    evidence = MultipleFileField(_l("Evidence files"), validators=[InputRequired(
        message=_l("Choose at least one file."))])
    note = StringField(_l("Note (optional)"), filters=S,
                       validators=[Optional(), Length(max=500), no_markup])


class ProposeForm(StepForm):
    sanction = SelectField(_l("Proposed sanction"), choices=_choices(SANCTIONS, _l("Choose…")),
                           validators=[DataRequired(message=_l("Choose a sanction."))])
    amount = _amount_field()
    note = _text_field(_l("Reasons for the proposal"))


class DecideForm(StepForm):
    sanction = SelectField(_l("Sanction"), choices=_choices(SANCTIONS, _l("Choose…")),
                           validators=[Optional()],
                           description=_l("Leave as proposed, or choose another."))
    amount = _amount_field()
    note = _text_field(_l("Reasons for the decision (optional)"), required=False)


class AcceptForm(StepForm):
    pass


class AppealForm(StepForm):
    text = _text_field(_l("Grounds of appeal"), rows=5)


class DecideAppealForm(StepForm):
    outcome = RadioField(_l("Outcome of the appeal"), choices=_choices(APPEAL_OUTCOMES),
                         validators=[InputRequired(message=_l(
                             "Choose the outcome of the appeal."))])
    sanction = SelectField(_l("New sanction"), choices=_choices(SANCTIONS, _l("Choose…")),
                           validators=[Optional()],
                           description=_l("Only when the sanction is changed."))
    amount = _amount_field()
    note = _text_field(_l("Reasons for the appeal decision"))


# step → (form class, title, button)
STEPS = {
    "findings": (FindingsForm, _l("Update the findings"), _l("Save the findings")),
    "evidence": (EvidenceForm, _l("Add evidence"), _l("Add files")),
    "propose": (ProposeForm, _l("Propose a sanction"), _l("Send the proposal to a leader")),
    "decide": (DecideForm, _l("Decide"), _l("Record the decision")),
    "accept": (AcceptForm, _l("Accept the decision"),
               _l("I accept the decision and will not appeal")),
    "appeal": (AppealForm, _l("Appeal against the decision"), _l("Submit the appeal")),
    "decide_appeal": (DecideAppealForm, _l("Decide the appeal"), _l("Record the appeal decision")),
}
