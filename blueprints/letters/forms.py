"""Forms for preparing a letter (its free-text paragraphs) and recording its delivery."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional

from blueprints.forms_common import no_markup, strip_filter
from domain import letters
from domain.letter_texts import PARAGRAPH_LABELS
from domain.vocab import LANGUAGES, RESPONSE_METHODS

S = [strip_filter]


class _PrepareBase(FlaskForm):
    language = HiddenField(validators=[AnyOf(list(LANGUAGES))])

    def paragraph_fields(self):
        return [self[key] for key in letters.DEFAULT_PARAGRAPHS[self.kind]]

    def paragraphs(self) -> dict:
        return {key: self[key].data or "" for key in letters.DEFAULT_PARAGRAPHS[self.kind]}


def prepare_form(kind: str, **kwargs) -> FlaskForm:
    """One plain-text box per free-text paragraph of the letter `kind` (the acknowledgement
    also takes the lookup code, which only the registering staff member still has)."""
    attrs = {
        key: TextAreaField(PARAGRAPH_LABELS.get(key, key), filters=S,
                           render_kw={"rows": 4},
                           validators=[DataRequired(message=_l("Write this paragraph.")),
                                       Length(max=4000), no_markup])
        for key in letters.DEFAULT_PARAGRAPHS[kind]}
    attrs["kind"] = kind
    if kind == "acknowledgement":
        attrs["lookup_code"] = StringField(
            _l("Lookup code (optional)"), filters=S,
            validators=[Optional(), Length(max=40), no_markup],
            render_kw={"autocomplete": "off", "spellcheck": "false"},
            description=_l("Only while you still have it from registration: it is stored "
                           "in a form that cannot be read back. Left empty, the letter says "
                           "that the code was given at registration."))
    form_class = type(f"PrepareLetter_{kind}", (_PrepareBase,), attrs)
    return form_class(**kwargs)


class DeliveryForm(FlaskForm):
    method = SelectField(_l("Delivered by"), choices=[],
                         validators=[InputRequired(message=_l("Choose how."))])
    delivered_on = DateField(_l("On"), validators=[InputRequired(
        message=_l("Give the date the letter was delivered."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.method.choices = [(code, str(label)) for code, label in RESPONSE_METHODS.items()]
