"""Email intake: a message in the complaints mailbox becomes a complaint in channel "email"
(sender, subject as the matter's first line, the text, attachments as evidence). The
Message-ID (or, without one, a hash of the message's bytes) is recorded in MailIntake in the
same transaction as the complaint, so one message never becomes two complaints.
`flask --app app fetch-mail` reads the mailbox (domain/mail_fetch.py)."""
import datetime as dt
import hashlib
import html
import re
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from email.utils import parseaddr

import nh3
from flask_babel import force_locale, gettext as _

from extensions import db
from domain import accounts, intake, outbox, uploads
from domain.errors import DomainError
from domain.mail_models import MailIntake
from domain.models import utcnow

MAX_MATTER = 20_000
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_BLOCK_END = re.compile(r"<\s*(br\s*/?|/\s*(p|div|li|tr|h[1-6]|blockquote|table))\s*>", re.I)


@dataclass
class ParsedMail:
    message_id: str
    sender_name: str
    sender_address: str
    subject: str
    text: str
    received_at: dt.datetime | None
    attachments: list = field(default_factory=list)  # [(file name, bytes)]
    auto_submitted: str = ""


def html_to_text(markup: str) -> str:
    """Text from HTML: line breaks kept, every tag dropped (scripts and styles with their
    content), entities decoded. Nothing of the HTML is kept."""
    marked = _BLOCK_END.sub("\n", markup)
    text = html.unescape(nh3.clean(marked, tags=set(), strip_comments=True))
    return _tidy(text)


def _tidy(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _message_id(raw: bytes, header: str | None) -> str:
    value = " ".join(str(header or "").split())
    if value:
        return value[:300]
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def _date(message) -> dt.datetime | None:
    try:
        value = message["Date"].datetime if message["Date"] is not None else None
    except (AttributeError, TypeError, ValueError):
        return None
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value


def parse(raw: bytes) -> ParsedMail:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    name, address = parseaddr(str(message.get("From", "")))
    plain = message.get_body(preferencelist=("plain",))
    if plain is not None:
        text = _tidy(plain.get_content())
    else:
        rich = message.get_body(preferencelist=("html",))
        text = html_to_text(rich.get_content()) if rich is not None else ""
    attachments = []
    for part in message.iter_attachments():
        data = part.get_payload(decode=True)
        if data is None:  # a message/rfc822 part or other container: keep it as text
            data = part.as_bytes()
        attachments.append((part.get_filename() or "attachment", data))
    return ParsedMail(
        message_id=_message_id(raw, message.get("Message-ID")),
        sender_name=" ".join(html_to_text(str(name or "")).split()),
        sender_address=address.strip().lower(),
        subject=" ".join(str(message.get("Subject", "")).split()), text=text,
        received_at=_date(message), attachments=attachments,
        auto_submitted=str(message.get("Auto-Submitted", "")).strip().lower())


def _language(mail: ParsedMail, settings: dict) -> str:
    if _CJK.search(mail.subject + mail.text):
        return "zh_Hans"
    return "en" if (mail.subject + mail.text).strip() else settings.get("letter_language",
                                                                        "zh_Hans")


def _ignore_reason(mail: ParsedMail, settings: dict) -> str:
    """Messages that must not become complaints: no sender, automatic replies and bounces
    (they would answer our own acknowledgements in a loop), our own messages."""
    own = parseaddr(settings.get("mail_from") or "")[1].lower()
    if not outbox.usable_address(mail.sender_address):
        return "no usable sender address"
    if mail.auto_submitted and mail.auto_submitted != "no":
        return f"automatic message (Auto-Submitted: {mail.auto_submitted})"
    if mail.sender_address.split("@")[0] in ("mailer-daemon", "postmaster"):
        return "delivery report"
    if own and mail.sender_address == own:
        return "sent by this system"
    return ""


def _check_attachments(mail: ParsedMail, max_bytes: int, language: str):
    accepted, refused = [], []
    for name, data in mail.attachments:
        try:
            uploads.check_file(name, data, max_bytes)
        except DomainError as e:
            with force_locale(language):
                refused.append(str(e.message))
        else:
            accepted.append((name, data))
    return accepted, refused


def _matter(mail: ParsedMail, refused: list, language: str) -> str:
    with force_locale(language):
        subject = mail.subject or _("(no subject)")
        parts = [subject, mail.text or _("(The message had no text.)")]
        if refused:
            parts.append(_("Attachments not accepted:") + "\n" +
                         "\n".join(f"- {r}" for r in refused))
    return "\n\n".join(parts)[:MAX_MATTER]


def register_message(raw: bytes, *, settings: dict, upload_dir, max_bytes: int | None = None):
    """Turn one message into a complaint. Returns (MailIntake, created): created is False
    when the message was taken in before (nothing new) or is ignored (an automatic reply,
    no sender: recorded with the reason, no complaint)."""
    mail = parse(raw)
    existing = MailIntake.get_or_none(MailIntake.message_id == mail.message_id)
    if existing is not None:
        return existing, False
    max_bytes = max_bytes or int(settings.get("max_upload_mb", 10)) * 1024 * 1024
    reason = _ignore_reason(mail, settings)
    if reason:
        with db.atomic():
            return MailIntake.create(message_id=mail.message_id, sender=mail.sender_address[:254],
                                     subject=mail.subject[:300], status="ignored",
                                     error=reason), False
    language = _language(mail, settings)
    accepted, refused = _check_attachments(mail, max_bytes, language)
    now = utcnow()
    received = min(mail.received_at or now, now)
    data = {
        "channel": "email", "received_at": received, "language": language,
        "complainant_name": (mail.sender_name or mail.sender_address.split("@")[0])[:120],
        "complainant_phone": "", "complainant_email": mail.sender_address[:254],
        "complainant_address": "", "matter": _matter(mail, refused, language), "demand": "",
        "order_ref": "", "amount_claimed": None, "nature": "", "severity": "ordinary",
        "urgency": "normal", "regulator_name": "", "regulator_ref": "", "regulator_due": None,
    }
    actor = accounts.system_user("email")
    with db.atomic():
        # Recorded first: a second taker of the same message fails here (unique), before
        # anything else is written.
        row = MailIntake.create(message_id=mail.message_id, sender=mail.sender_address[:254],
                                subject=mail.subject[:300], status="registered",
                                error="; ".join(refused)[:2000])
        complaint, code = intake.register(data, actor, accepted, settings=settings,
                                          upload_dir=upload_dir, max_bytes=max_bytes)
        row.complaint = complaint
        row.save()  # intake.register queued the acknowledgement in this transaction
    return row, True
