"""Forms for users, departments, organisation settings, deadlines, the calendar and the
root-cause list."""
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, EmailField, IntegerField, PasswordField,
                     SelectField, SelectMultipleField, StringField)
from wtforms.validators import (Email, InputRequired, Length, NumberRange, Optional, Regexp,
                                ValidationError)
from wtforms.widgets import CheckboxInput, ListWidget

from blueprints.forms_common import no_markup, strip_filter
from domain.vocab import ROLES

S = [strip_filter]


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserForm(FlaskForm):
    username = StringField(_l("Username"), filters=S, validators=[
        InputRequired(), Length(min=2, max=64),
        Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Letters, digits, dot, dash and underscore."))])
    full_name = StringField(_l("Full name"), filters=S,
                            validators=[InputRequired(), Length(max=120), no_markup])
    email = EmailField(_l("Email"), filters=S, validators=[Optional(), Length(max=254), Email()])
    roles = CheckboxList(_l("Roles"), validators=[InputRequired(
        message=_l("Choose at least one role from the list."))])
    department = SelectField(_l("Department"), validators=[Optional()])
    password = PasswordField(_l("Password"), validators=[Optional(), Length(max=256)],
                             render_kw={"autocomplete": "new-password"},
                             description=_l("At least 10 characters. Leave empty to keep it."))
    active = BooleanField(_l("Active (may sign in)"), default=True)

    def __init__(self, departments, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles.choices = list(ROLES.items())
        self.department.choices = [("", _l("No department"))] + [
            (str(d.id), d.name if not d.name_zh else f"{d.name} / {d.name_zh}")
            for d in departments]


class DepartmentForm(FlaskForm):
    name = StringField(_l("Name (English)"), filters=S,
                       validators=[InputRequired(), Length(max=120), no_markup])
    name_zh = StringField(_l("Name (Chinese)"), filters=S,
                          validators=[Optional(), Length(max=120), no_markup])
    active = BooleanField(_l("Active"), default=True)


class SettingsForm(FlaskForm):
    org_name = StringField(_l("Organisation name (English)"), filters=S,
                           validators=[InputRequired(), Length(max=200), no_markup])
    org_name_zh = StringField(_l("Organisation name (Chinese)"), filters=S,
                              validators=[Optional(), Length(max=200), no_markup])
    timezone = SelectField(_l("Time zone"))
    number_prefix = StringField(_l("Complaint number prefix"), filters=S, validators=[
        InputRequired(), Length(max=10),
        Regexp(r"^[A-Z0-9]+$", message=_l("Capital letters and digits only."))])
    number_padding = IntegerField(_l("Number of digits in the complaint number"),
                                  validators=[InputRequired(), NumberRange(min=3, max=10)])
    max_upload_mb = IntegerField(_l("Maximum size of one evidence file (MB)"),
                                 validators=[InputRequired(), NumberRange(min=1, max=50)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = sorted(available_timezones())


# Countries whose public holidays (from the `holidays` package) make the working calendar.
COUNTRIES = {
    "CN": _l("China (mainland)"),
    "HK": _l("Hong Kong"),
    "TW": _l("Taiwan"),
    "SG": _l("Singapore"),
    "GB": _l("United Kingdom"),
    "US": _l("United States"),
    "DE": _l("Germany"),
}


def _days(label, high, description):
    return IntegerField(label, description=description,
                        validators=[InputRequired(), NumberRange(min=1, max=high)])


WD = _l("Working days.")


class DeadlineForm(FlaskForm):
    """The deadline settings (domain/settings.py); deadlines.py counts the working days."""
    country = SelectField(_l("Public holidays of"),
                          description=_l("Working days skip this country's public holidays "
                                         "and, for China, count its make-up working days."))
    registration_days = _days(_l("Registration after receipt"), 10, WD)
    verification_days = _days(_l("Preliminary assessment"), 30,
                              _l("Calendar days after registration (3 days = 72 hours)."))
    assignment_days = _days(_l("Assignment after acceptance"), 30, WD)
    receipt_days = _days(_l("Department confirms receipt"), 30, WD)
    investigation_days = _days(_l("Investigation"), 60, WD)
    investigation_cap_days = _days(_l("Investigation with extensions, at most"), 120, WD)
    review_days = _days(_l("Each approval level"), 30, WD)
    response_days = _days(_l("Written response after approval"), 30, WD)
    reply_days = _days(_l("Overall reply after acceptance"), 120, WD)
    visit_days = _days(_l("Return visit after the response"), 60, WD)
    accountability_appeal_days = _days(
        _l("Staff appeal against an accountability decision"), 90,
        _l("Calendar days after the person is notified of the decision."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = list(COUNTRIES.items())

    def validate_investigation_cap_days(self, field):
        days = self.investigation_days.data
        if field.data is not None and days is not None and field.data < days:
            raise ValidationError(_l(
                "The limit cannot be shorter than the investigation itself (%(days)s "
                "working days).", days=days))


DEADLINE_FIELDS = ("country", "registration_days", "verification_days", "assignment_days",
                   "receipt_days", "investigation_days", "investigation_cap_days",
                   "review_days", "response_days", "reply_days", "visit_days",
                   "accountability_appeal_days")


class CalendarDayEditForm(FlaskForm):
    """A day already in the calendar: its kind and note may change (the date may not)."""
    kind = SelectField(_l("Kind of day"))
    note = StringField(_l("Note"), filters=S, validators=[Optional(), Length(max=200), no_markup],
                       description=_l("For example: company anniversary, stocktaking."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [("closed", _l("Closed day (not a working day)")),
                             ("working", _l("Extra working day"))]


class CalendarDayForm(CalendarDayEditForm):
    day = DateField(_l("Date"), validators=[InputRequired()])


class RootCauseForm(FlaskForm):
    code = StringField(_l("Code"), filters=[lambda v: v.strip().lower() if isinstance(v, str) else v],
                       description=_l("Lower-case letters, digits and underscores; it cannot "
                                      "be changed later."),
                       validators=[InputRequired(), Length(max=40), Regexp(
                           r"^[a-z][a-z0-9_]*$",
                           message=_l("Lower-case letters, digits and underscores, starting "
                                      "with a letter."))])
    name = StringField(_l("Name (English)"), filters=S,
                       validators=[InputRequired(), Length(max=120), no_markup])
    name_zh = StringField(_l("Name (Chinese)"), filters=S,
                          validators=[Optional(), Length(max=120), no_markup])
    active = BooleanField(_l("Active (offered to investigators)"), default=True)
