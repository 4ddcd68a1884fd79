"""Forms for users, departments and organisation settings."""
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, EmailField, IntegerField, PasswordField, SelectField,
                     SelectMultipleField, StringField)
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional, Regexp
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
