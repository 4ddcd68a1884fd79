"""Organisation settings with their defaults; an admin changes them on the settings page."""
import json

from extensions import db
from domain.models import Setting

DEFAULTS = {
    "org_name": "Redress Demo Organisation",
    "org_name_zh": "示例机构",
    "timezone": "Asia/Shanghai",
    "country": "CN",
    "number_prefix": "TS",
    "number_padding": 6,
    "max_upload_mb": 10,
    # Letterhead and letters (Part C).
    "org_address": "",
    "org_address_zh": "",
    "org_phone": "",
    "org_email": "",
    "org_website": "",
    "logo_file": "",       # stored name under DOCUMENT_DIR/branding
    "seal_file": "",
    "signatory_name": "",
    "signatory_name_zh": "",
    "signatory_title": "",
    "signatory_title_zh": "",
    "letter_prefix": "HL",
    "letter_language": "zh_Hans",
    "letter_footer": "",
    "letter_footer_zh": "",
    "appeal_days": 15,      # calendar days the complainant has to appeal a response
    # Deadlines (working days unless noted), see domain/deadlines.py.
    "registration_days": 1,
    "verification_days": 3,        # calendar days (72 hours) to assess
    "assignment_days": 1,
    "receipt_days": 1,
    "investigation_days": 5,
    "investigation_cap_days": 15,
    "review_days": 2,
    "response_days": 3,
    "reply_days": 15,
    "visit_days": 7,
    # Part D.
    "accountability_appeal_days": 15,  # calendar days a staff member has to appeal
    # Email (Part E): off until an administrator enters the server's details.
    "email_enabled": False,
    "smtp_host": "",
    "smtp_port": 587,
    "smtp_security": "starttls",   # starttls | ssl | none
    "smtp_username": "",
    "smtp_password": "",           # never shown back on the settings page
    "smtp_timeout": 30,            # seconds
    "mail_from": "",
    "imap_enabled": False,
    "imap_host": "",
    "imap_port": 993,
    "imap_security": "ssl",        # ssl | starttls | none
    "imap_username": "",
    "imap_password": "",
    "imap_folder": "INBOX",
    # Part G: years after closing when a complainant's personal data is anonymised
    # (flask --app app anonymise, daily); 0 = never.
    "retention_years": 0,
}


def load_settings() -> dict:
    """Every setting, stored values over defaults, in one query."""
    values = dict(DEFAULTS)
    for row in Setting.select():
        try:
            values[row.key] = json.loads(row.value)
        except ValueError:
            continue
    return values


def save_settings(changes: dict) -> None:
    unknown = set(changes) - set(DEFAULTS)
    if unknown:
        raise KeyError(f"unknown settings: {sorted(unknown)}")
    with db.atomic():
        for key, value in changes.items():
            (Setting.insert(key=key, value=json.dumps(value, ensure_ascii=False))
             .on_conflict(conflict_target=[Setting.key], update={Setting.value: json.dumps(value, ensure_ascii=False)})
             .execute())
