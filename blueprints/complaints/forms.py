"""Intake and correction forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (DateField, DateTimeLocalField, DecimalField, EmailField, HiddenField,
                     MultipleFileField, SelectField, StringField, TextAreaField)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, Regexp

from blueprints.forms_common import no_markup, strip_filter
from domain.vocab import CHANNELS, LANGUAGES, NATURES, SEVERITIES, URGENCIES

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


class IntakeForm(ComplaintForm):
    evidence = MultipleFileField(_l("Evidence files"))


class EditForm(ComplaintForm):
    version = HiddenField()


class EvidenceForm(FlaskForm):
    evidence = MultipleFileField(_l("Evidence files"), validators=[InputRequired(
        message=_l("Choose at least one file."))])
    note = StringField(_l("Note"), filters=S, validators=[Optional(), Length(max=500), no_markup])
