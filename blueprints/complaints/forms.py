"""Intake and correction forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (DateField, DateTimeLocalField, DecimalField, EmailField, HiddenField,
                     IntegerField, MultipleFileField, SelectField, StringField, TextAreaField)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, Regexp

from blueprints.forms_common import no_markup, strip_filter
from domain.vocab import CHANNELS, LANGUAGES, MOODS, NATURES, SEVERITIES, URGENCIES

S = [strip_filter]
PHONE = Regexp(r"^[0-9+()\-\s]{5,40}$", message=_l("Digits, spaces, +, - and brackets only."))


def _choices(mapping, blank=None):
    items = [(k, v) for k, v in mapping.items()]
    return ([("", blank)] if blank else []) + items


class ComplaintForm(FlaskForm):
    channel = SelectField(_l("Channel"), validators=[InputRequired()])
    received_at = DateTimeLocalField(_l("Received at"), format="%Y-%m-%dT%H:%M",
                                     validators=[InputRequired(message=_l(
                                         "Enter the date and time the complaint was received."))])
    complainant_name = StringField(_l("Complainant's name"), filters=S,
                                   validators=[DataRequired(), Length(max=120), no_markup])
    complainant_phone = StringField(_l("Phone"), filters=S,
                                    validators=[Optional(), Length(max=40), PHONE],
                                    render_kw={"autocomplete": "off", "inputmode": "tel"})
    complainant_email = EmailField(_l("Email"), filters=S,
                                   validators=[Optional(), Length(max=254),
                                               Email(message=_l("Enter a valid email address."))],
                                   render_kw={"autocomplete": "off"})
    complainant_address = StringField(_l("Address"), filters=S,
                                      validators=[Optional(), Length(max=300), no_markup])
    matter = TextAreaField(_l("The matter complained of"), filters=S,
                           validators=[DataRequired(), Length(max=5000), no_markup],
                           render_kw={"rows": 5})
    demand = TextAreaField(_l("What the complainant asks for"), filters=S,
                           validators=[Optional(), Length(max=2000), no_markup],
                           render_kw={"rows": 3})
    order_ref = StringField(_l("Product / order reference"), filters=S,
                            validators=[Optional(), Length(max=120), no_markup])
    amount_claimed = DecimalField(_l("Amount claimed"), places=2,
                                  validators=[Optional(), NumberRange(min=0, max=999_999_999)],
                                  render_kw={"inputmode": "decimal"})
    nature = SelectField(_l("Nature"), validators=[Optional()])
    severity = SelectField(_l("Severity"), validators=[InputRequired()])
    urgency = SelectField(_l("Urgency"), validators=[InputRequired()])
    language = SelectField(_l("Language of correspondence"), validators=[InputRequired()])
    regulator_name = StringField(_l("Regulator"), filters=S,
                                 validators=[Optional(), Length(max=120), no_markup])
    regulator_ref = StringField(_l("Regulator reference"), filters=S,
                                validators=[Optional(), Length(max=120), no_markup])
    regulator_due = DateField(_l("Regulator reply deadline"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel.choices = _choices(CHANNELS)
        self.nature.choices = _choices(NATURES, _l("Not yet assessed"))
        self.severity.choices = _choices(SEVERITIES)
        self.urgency.choices = _choices(URGENCIES)
        self.language.choices = list(LANGUAGES.items())


def _rep_name(n):
    return StringField(_l("Name of representative %(n)s", n=n), filters=S,
                       validators=[Optional(), Length(max=120), no_markup],
                       render_kw={"autocomplete": "off"})


def _rep_contact(n):
    return StringField(_l("Contact of representative %(n)s", n=n), filters=S,
                       validators=[Optional(), Length(max=120), no_markup],
                       render_kw={"autocomplete": "off"})


class GroupFields:
    """Group complaint details (群体投诉): required when the severity is "group" or the
    channel "group_visit" (domain/groups.clean_group decides; errors come back per field)."""
    group_headcount = IntegerField(_l("Number of people"),
                                   validators=[Optional(), NumberRange(min=2, max=100000, message=_l(
                                       "A group is at least 2 people."))],
                                   render_kw={"inputmode": "numeric", "min": 2})
    group_location = StringField(_l("Where the group is"), filters=S,
                                 validators=[Optional(), Length(max=300), no_markup])
    group_mood = SelectField(_l("Mood"), validators=[Optional()])
    group_core_demands = TextAreaField(_l("Core demands"), filters=S,
                                       validators=[Optional(), Length(max=5000), no_markup],
                                       render_kw={"rows": 3})
    rep1_name, rep1_contact = _rep_name(1), _rep_contact(1)
    rep2_name, rep2_contact = _rep_name(2), _rep_contact(2)
    rep3_name, rep3_contact = _rep_name(3), _rep_contact(3)

    def init_group_fields(self):
        self.group_mood.choices = [("", _l("Choose…"))] + list(MOODS.items())

    def group_data(self) -> dict:
        """The details as domain/groups.clean_group takes them."""
        return {"group_headcount": self.group_headcount.data,
                "group_location": self.group_location.data or "",
                "group_mood": self.group_mood.data or "",
                "group_core_demands": self.group_core_demands.data or "",
                "representatives": [{"name": self[f"rep{i}_name"].data or "",
                                     "contact": self[f"rep{i}_contact"].data or ""}
                                    for i in (1, 2, 3)]}


class IntakeForm(GroupFields, ComplaintForm):
    evidence = MultipleFileField(_l("Evidence files"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.init_group_fields()


class EditForm(GroupFields, ComplaintForm):
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.init_group_fields()


class GroupHandledForm(FlaskForm):
    note = TextAreaField(_l("How it was handled"), filters=S,
                         validators=[DataRequired(message=_l(
                             "Say in a few words how the group was handled.")),
                             Length(max=1000), no_markup],
                         render_kw={"rows": 2})


class EvidenceForm(FlaskForm):
    evidence = MultipleFileField(_l("Evidence files"), validators=[InputRequired(
        message=_l("Choose at least one file."))])
    note = StringField(_l("Note"), filters=S, validators=[Optional(), Length(max=500), no_markup])
