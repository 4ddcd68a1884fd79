"""Forms for the letterhead settings and the letters' free-text paragraphs."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional, Regexp

from blueprints.forms_common import no_markup, strip_filter
from domain import letters
from domain.letter_texts import PARAGRAPH_LABELS
from domain.vocab import LANGUAGES

S = [strip_filter]

# The text settings saved from the letterhead form (images are handled apart).
LETTERHEAD_FIELDS = (
    "org_address", "org_address_zh", "org_phone", "org_email", "org_website",
    "signatory_name", "signatory_name_zh", "signatory_title", "signatory_title_zh",
    "letter_prefix", "letter_language", "letter_footer", "letter_footer_zh", "appeal_days")


def _text(label, max_length, description=None):
    return StringField(label, filters=S, description=description,
                       validators=[Optional(), Length(max=max_length), no_markup])


class LetterheadForm(FlaskForm):
    org_address = _text(_l("Address (English)"), 300)
    org_address_zh = _text(_l("Address (Chinese)"), 300)
    org_phone = StringField(_l("Telephone"), filters=S, validators=[
        Optional(), Length(max=40),
        Regexp(r"^[0-9+()\-./ ]+$", message=_l("Digits, spaces and + ( ) - . / only."))])
    org_email = EmailField(_l("Email"), filters=S,
                           validators=[Optional(), Length(max=254), Email()])
    org_website = StringField(_l("Website"), filters=S, validators=[
        Optional(), Length(max=200),
        Regexp(r"^(https?://)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:[0-9]+)?(/[^\s<>\"]*)?$",
               message=_l("A web address such as www.example.com."))])
    logo = FileField(_l("Logo"), render_kw={"accept": "image/png,image/jpeg"}, description=_l(
        "PNG or JPEG, at most 2 MB. It is shrunk to 600 pixels on its long side."))
    remove_logo = BooleanField(_l("No logo on letters"))
    seal = FileField(_l("Electronic seal"), render_kw={"accept": "image/png"}, description=_l(
        "PNG with a transparent background, at most 2 MB. It is printed over the "
        "signature and shrunk to 800 pixels on its long side."))
    remove_seal = BooleanField(_l("No seal on letters"))
    signatory_name = _text(_l("Signatory's name (English)"), 120)
    signatory_name_zh = _text(_l("Signatory's name (Chinese)"), 120)
    signatory_title = _text(_l("Signatory's title (English)"), 120)
    signatory_title_zh = _text(_l("Signatory's title (Chinese)"), 120)
    letter_prefix = StringField(_l("Letter reference prefix"), filters=S, validators=[
        InputRequired(), Length(max=10),
        Regexp(r"^[A-Z0-9]+$", message=_l("Capital letters and digits only."))])
    letter_language = SelectField(_l("Default letter language"))
    letter_footer = _text(_l("Footer text (English)"), 200)
    letter_footer_zh = _text(_l("Footer text (Chinese)"), 200)
    appeal_days = IntegerField(_l("Time to appeal a response (days)"), validators=[
        InputRequired(), NumberRange(min=1, max=365)],
        description=_l("Calendar days from the date of the written response."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.letter_language.choices = list(LANGUAGES.items())


class _LetterTextBase(FlaskForm):
    pass


def letter_text_form(kind: str, **kwargs) -> FlaskForm:
    """A form with one text box per free-text paragraph of the letter `kind`."""
    attrs = {
        key: TextAreaField(PARAGRAPH_LABELS.get(key, key), filters=S,
                           render_kw={"rows": 5},
                           validators=[InputRequired(message=_l(
                               "Write this paragraph, or go back to the default wording.")),
                               Length(max=4000), no_markup])
        for key in letters.DEFAULT_PARAGRAPHS[kind]}
    form_class = type(f"LetterText_{kind}", (_LetterTextBase,), attrs)
    return form_class(**kwargs)


class ConfirmForm(FlaskForm):
    """A bare form for buttons that only need the CSRF token."""
