"""Validators shared by the forms."""
import re

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>")


def no_markup(_form, field):
    """Plain text only: refuse HTML tags (they would never be shown as markup anyway)."""
    if field.data and isinstance(field.data, str) and _TAG.search(field.data):
        raise ValidationError(_l("Plain text only: remove the HTML tags."))


def strip_filter(value):
    return value.strip() if isinstance(value, str) else value
