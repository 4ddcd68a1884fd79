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
    app.jinja_env.globals.update(vocab=vocab, statuses=STATUSES, access=access,
                                 record_url=record_url, record_link_text=record_link_text,
                                 group_alerts=group_alerts)


RECORD_ENDPOINTS = {"emergency": ("emergency.show", "response_id"),
                    "accountability": ("accountability.show", "record_id"),
                    "plan": ("plans.show", "plan_id")}


def record_url(subject: str, record_id: int) -> str:
    """Where a notification about a record that is not a complaint leads."""
    from flask import url_for
    endpoint, arg = RECORD_ENDPOINTS[subject]
    return url_for(endpoint, **{arg: record_id})


def record_link_text(subject: str) -> str:
    from flask_babel import gettext as _
    return {"emergency": _("Open the emergency response"),
            "accountability": _("Open the accountability record"),
            "plan": _("Open the improvement plan")}.get(subject, subject)


def group_alerts():
    """Open group complaints nobody has yet recorded as handled (leaders, managers)."""
    from flask import g
    from flask_login import current_user
    if not (current_user.is_authenticated and access.sees_group_alerts(current_user)):
        return []
    if "group_alerts" not in g:
        from domain.groups import unhandled_groups
        g.group_alerts = unhandled_groups()
    return g.group_alerts
