"""Template filters: labels for codes, dates in the organisation's time zone."""
from babel import dates as babel_dates
from flask_babel import format_date, format_datetime, format_decimal, get_locale

from domain import access, vocab
from domain.statuses import STATUSES


def _list_separator() -> str:
    return "、" if str(get_locale()).startswith("zh") else ", "


def _letter_date(value, language: str) -> str:
    """A date as a formal letter writes it: 2026年11月23日 / 23 November 2026."""
    if value is None:
        return ""
    day = value.date() if hasattr(value, "date") and callable(value.date) else value
    if language == "zh_Hans":
        return f"{day.year}年{day.month}月{day.day}日"
    return babel_dates.format_date(day, "d MMMM y", locale="en")


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
        "change_value": vocab.change_value,
        "action_label": lambda code: vocab.label(vocab.ACTION_LABELS, code),
        "language_label": lambda code: vocab.LANGUAGES.get(code, code),
        "dt": lambda value: format_datetime(value, "yyyy-MM-dd HH:mm") if value else "",
        "date": lambda value: format_date(value, "yyyy-MM-dd") if value else "",
        "money": lambda value: format_decimal(value, "#,##0.00") if value is not None else "",
        "letter_date": _letter_date,
        "method_label": lambda code: vocab.label(vocab.INVESTIGATION_METHODS, code),
        "verdict_label": lambda code: vocab.label(vocab.FACT_VERDICTS, code),
        "remedy_label": lambda code: vocab.label(vocab.REMEDY_KINDS, code),
    }
    app.jinja_env.filters.update(filters)
    register_globals(app)


def register_globals(app):
    app.jinja_env.globals.update(vocab=vocab, statuses=STATUSES, access=access)
