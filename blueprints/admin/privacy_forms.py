"""Forms of the Privacy page: retention period, export of one person's data, anonymising
one complaint."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import InputRequired, Length, NumberRange

from blueprints.forms_common import no_markup, strip_filter

S = [strip_filter]


class RetentionForm(FlaskForm):
    retention_years = IntegerField(
        _l("Years after closing before personal data is anonymised"),
        validators=[InputRequired(message=_l("Enter a number of years (0 = never).")),
                    NumberRange(min=0, max=100, message=_l("Enter a whole number from 0 to 100."))],
        description=_l("0 = never. Checked every day: complaints closed, rejected or archived "
                       "longer ago than this lose the complainant's name, phone, email, "
                       "address and order reference. The figures stay."))


class ExportForm(FlaskForm):
    person = StringField(_l("Phone number or email address"), filters=S,
                         validators=[InputRequired(), Length(max=254), no_markup],
                         description=_l("Every complaint with this phone number or email "
                                        "address is exported as a JSON file. The export is "
                                        "recorded in each complaint's history."))


class AnonymiseForm(FlaskForm):
    number = StringField(_l("Complaint number"), filters=S,
                         validators=[InputRequired(), Length(max=40), no_markup])
    confirm = BooleanField(_l("I understand that the complainant's personal data of this "
                              "complaint cannot be brought back."),
                           validators=[InputRequired(message=_l(
                               "Tick the box to confirm."))])
