"""Template filters: labels for codes, dates in the organisation's time zone."""
from flask_babel import format_date, format_datetime, format_decimal, get_locale

from domain import vocab
from domain.statuses import STATUSES


def _list_separator() -> str:
    return "、" if str(get_locale()).startswith("zh") else ", "


def register_filters(app):
    filters = {
        "status_label": lambda code: vocab.label(STATUSES, code),
        "channel_label": lambda code: vocab.label(vocab.CHANNELS, code),
        "nature_label": lambda code: vocab.label(vocab.NATURES, code),
        "severity_label": lambda code: vocab.label(vocab.SEVERITIES, code),
        "urgency_label": lambda code: vocab.label(vocab.URGENCIES, code),
        "role_label": lambda code: vocab.label(vocab.ROLES, code),
        "role_list": lambda codes: _list_separator().join(
            vocab.label(vocab.ROLES, c) for c in vocab.ROLES if c in codes),
        "field_label": lambda code: vocab.label(vocab.FIELD_LABELS, code),
        "action_label": lambda code: vocab.label(vocab.ACTION_LABELS, code),
        "language_label": lambda code: vocab.LANGUAGES.get(code, code),
        "dt": lambda value: format_datetime(value, "yyyy-MM-dd HH:mm") if value else "",
        "date": lambda value: format_date(value, "yyyy-MM-dd") if value else "",
        "money": lambda value: format_decimal(value, "#,##0.00") if value is not None else "",
    }
    app.jinja_env.filters.update(filters)
    register_globals(app)


def register_globals(app):
    app.jinja_env.globals.update(vocab=vocab, statuses=STATUSES)
