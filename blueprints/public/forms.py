"""The public forms: the complaint, the lookup, additions and the rating."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (EmailField, HiddenField, MultipleFileField, RadioField, SelectChoice,
                     StringField, TextAreaField)
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, Regexp

from blueprints.forms_common import no_markup, strip_filter
from domain.public import MAX_COMMENT_CHARS, MAX_INFO_CHARS

S = [strip_filter]
PHONE = Regexp(r"^[0-9+()\-\s]{5,40}$", message=_l("Digits, spaces, +, - and brackets only."))


class ComplainForm(FlaskForm):
    complainant_name = StringField(
        _l("Your name"), filters=S,
        validators=[DataRequired(message=_l("Enter your name.")), Length(max=120), no_markup],
        render_kw={"autocomplete": "name"})
    complainant_phone = StringField(
        _l("Phone"), filters=S, validators=[Optional(), Length(max=40), PHONE],
        render_kw={"autocomplete": "tel", "inputmode": "tel", "type": "tel"})
    complainant_email = EmailField(
        _l("Email"), filters=S,
        validators=[Optional(), Length(max=254),
                    Email(message=_l("Enter a valid email address."))],
        render_kw={"autocomplete": "email"})
    matter = TextAreaField(
        _l("What happened"), filters=S,
        validators=[DataRequired(message=_l("Tell us what happened.")), Length(max=5000),
                    no_markup],
        description=_l("When and where it happened, what went wrong, who was involved."),
        render_kw={"rows": 6})
    demand = TextAreaField(
        _l("What would you like us to do?"), filters=S,
        validators=[Optional(), Length(max=2000), no_markup], render_kw={"rows": 3})
    order_ref = StringField(
        _l("Order, receipt or contract number"), filters=S,
        validators=[Optional(), Length(max=120), no_markup])
    evidence = MultipleFileField(_l("Files (photos, receipts, documents)"))
    # Spam protection without outside services: a field people leave empty (hidden by
    # CSS, labelled for screen readers) and the signed time the form was shown.
    website = StringField(_l("Leave this field empty"), filters=S,
                          render_kw={"autocomplete": "off", "tabindex": "-1"})
    started = HiddenField()


class LookupForm(FlaskForm):
    """No validators: any failure gets the same message (blueprints/public/track.py)."""
    number = StringField(_l("Complaint number"), filters=S,
                         render_kw={"autocomplete": "off", "spellcheck": "false",
                                    "maxlength": 40, "autocapitalize": "characters"})
    code = StringField(_l("Lookup code"), filters=S,
                       render_kw={"autocomplete": "off", "spellcheck": "false",
                                  "maxlength": 40, "autocapitalize": "characters"})


class InfoForm(FlaskForm):
    text = TextAreaField(_l("What you would like to add"), filters=S,
                         validators=[Optional(), Length(max=MAX_INFO_CHARS), no_markup],
                         render_kw={"rows": 4})
    evidence = MultipleFileField(_l("Files"))


def _options(pairs):
    return [SelectChoice(value, label) for value, label in pairs]


class RatingForm(FlaskForm):
    satisfaction = RadioField(
        _l("How satisfied are you with how your complaint was handled?"),
        choices=_options([("5", _l("5 – very satisfied")), ("4", _l("4 – satisfied")),
                          ("3", _l("3 – neither satisfied nor dissatisfied")),
                          ("2", _l("2 – dissatisfied")), ("1", _l("1 – very dissatisfied"))]),
        validators=[InputRequired(message=_l("Choose a rating from 1 to 5."))])
    resolved = RadioField(
        _l("Has your problem been resolved?"),
        choices=_options([("yes", _l("Yes")), ("no", _l("No"))]),
        validators=[InputRequired(message=_l("Answer yes or no."))])
    comments = TextAreaField(_l("Comments (optional)"), filters=S,
                             validators=[Optional(), Length(max=MAX_COMMENT_CHARS), no_markup],
                             render_kw={"rows": 3})
