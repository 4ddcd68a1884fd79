"""The outbox: email is queued in the same transaction as the event that causes it and sent
later by `flask --app app send-mail` (cron or a systemd timer), so a message is never lost
when the mail server is down and never sent twice by two senders.

Delivery guarantee. A sender takes ("claims") one message at a time with one atomic
UPDATE ... WHERE status IN (queued, stale sending) AND next_attempt_at <= now; only the sender
whose UPDATE changed the row sends it. It is marked sent right after the SMTP server accepted
it. If the sender dies between the server's acceptance and that mark (a crash, a killed
process), the message stays "sending" and is taken again after SENDING_LEASE: that is the
one case where a message can arrive twice (at-least-once), and only ever after the server
accepted it. Every other failure leaves it queued with an exponential backoff (1, 2, 4, …
minutes, at most 6 hours) until MAX_ATTEMPTS, then "failed", listed for the administrators
on the Email page, who may retry it. Retries keep the same Message-ID header."""
import datetime as dt
import logging
import re
import smtplib
from email.utils import make_msgid, parseaddr

from peewee import IntegrityError

from extensions import db
from domain import mail_send
from domain.mail_models import OutboxMessage
from domain.models import Complaint, User, utcnow
from domain.settings import load_settings

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
MAX_BACKOFF_MINUTES = 6 * 60
SENDING_LEASE = dt.timedelta(minutes=15)
_ADDRESS = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")


def email_enabled(settings: dict) -> bool:
    return bool(settings.get("email_enabled"))


def sending_configured(settings: dict) -> bool:
    return bool(settings.get("email_enabled") and settings.get("smtp_host")
                and settings.get("mail_from"))


def usable_address(address: str | None) -> str:
    """The address, lower-cased, if it can receive mail; else ""."""
    address = (address or "").strip()
    return address if _ADDRESS.match(address) else ""


def _one_line(text: str, limit: int) -> str:
    return " ".join(str(text or "").split())[:limit]


def enqueue(kind: str, to_address: str, subject: str, body: str, *, settings: dict,
            to_name: str = "", complaint: Complaint | None = None, user: User | None = None,
            attachment: tuple[str, str, str] | None = None, language: str = "",
            dedupe_key: str | None = None) -> OutboxMessage | None:
    """Queue one plain-text message; call inside the transaction of the event that causes
    it. Nothing is queued when email is off or the address cannot receive mail, nor a second
    message with the same `dedupe_key`. `attachment`: (path relative to DOCUMENT_DIR, its
    SHA-256, the file name the recipient sees)."""
    address = usable_address(to_address)
    if not email_enabled(settings) or not address:
        return None
    path, sha256, filename = attachment or ("", "", "")
    sender = usable_address(parseaddr(settings.get("mail_from") or "")[1])
    domain = sender.rsplit("@", 1)[1] if sender else "redress.invalid"
    row = {"kind": kind, "to_address": address, "to_name": _one_line(to_name, 120),
           "language": language,
           "subject": _one_line(subject, 300), "body": body, "attachment_path": path,
           "attachment_sha256": sha256, "attachment_name": _one_line(filename, 200),
           "complaint": complaint.id if complaint else None, "user": user.id if user else None,
           "status": "queued", "attempts": 0, "next_attempt_at": utcnow(),
           "created_at": utcnow(), "message_id": make_msgid(domain=domain),
           "dedupe_key": dedupe_key}
    if dedupe_key is not None and OutboxMessage.select().where(
            OutboxMessage.dedupe_key == dedupe_key).exists():
        return None
    try:
        with db.atomic():  # a savepoint inside the caller's transaction
            return OutboxMessage.create(**row)
    except IntegrityError:  # the same dedupe key, queued at the same moment elsewhere
        if dedupe_key is None:
            raise
        return None


def backoff(attempts: int) -> dt.timedelta:
    """Wait after the `attempts`-th failed try: 1, 2, 4, … minutes, at most 6 hours."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), MAX_BACKOFF_MINUTES))


def _claim(message_id: int, now: dt.datetime) -> OutboxMessage | None:
    """Take one due message for this sender, or None if another sender has it."""
    with db.atomic():
        taken = (OutboxMessage.update(status="sending", attempts=OutboxMessage.attempts + 1,
                                      next_attempt_at=now + SENDING_LEASE)
                 .where((OutboxMessage.id == message_id)
                        & OutboxMessage.status.in_(("queued", "sending"))
                        & (OutboxMessage.next_attempt_at <= now))
                 .execute())
    return OutboxMessage.get_by_id(message_id) if taken == 1 else None


def _finish(message: OutboxMessage, **values) -> None:
    """Record the outcome of this sender's attempt (not if the message was taken again)."""
    with db.atomic():
        (OutboxMessage.update(**values)
         .where((OutboxMessage.id == message.id) & (OutboxMessage.status == "sending")
                & (OutboxMessage.attempts == message.attempts))
         .execute())


def _failed(message: OutboxMessage, now: dt.datetime, error: str, permanent: bool) -> str:
    error = error[:2000]
    if permanent or message.attempts >= MAX_ATTEMPTS:
        _finish(message, status="failed", last_error=error)
        return "failed"
    _finish(message, status="queued", last_error=error,
            next_attempt_at=now + backoff(message.attempts))
    return "retry"


def due_ids(now: dt.datetime, limit: int) -> list[int]:
    return [i for (i,) in OutboxMessage.select(OutboxMessage.id).where(
        OutboxMessage.status.in_(("queued", "sending")) & (OutboxMessage.next_attempt_at <= now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit).tuples()]


def send_due(now: dt.datetime | None = None, *, document_dir, settings: dict | None = None,
             limit: int = 500) -> dict:
    """Send the messages that are due, one claimed at a time over one SMTP connection.
    When the server cannot be reached the run stops (the rest stay queued, untouched)."""
    settings = settings if settings is not None else load_settings()
    report = {"sent": 0, "retry": 0, "failed": 0}
    if not sending_configured(settings):
        return report
    now = now or utcnow()
    connection = None
    try:
        for message_id in due_ids(now, limit):
            message = _claim(message_id, now)
            if message is None:
                continue
            if message.attempts > MAX_ATTEMPTS:  # left "sending" by crashes too often
                report[_failed(message, now, message.last_error or "gave up", True)] += 1
                continue
            try:
                email = mail_send.build_message(message, settings, document_dir)
                if connection is None:
                    connection = mail_send.connect(settings)
                connection.send_message(email)
            except mail_send.PermanentError as e:
                report[_failed(message, now, str(e), True)] += 1
            except (OSError, smtplib.SMTPException) as e:
                permanent = mail_send.is_permanent(e)
                report[_failed(message, now, mail_send.describe(e), permanent)] += 1
                if mail_send.is_connection_error(e):
                    mail_send.close(connection)
                    connection = None
                    break
            else:
                # Accepted by the server: mark it sent at once (see the module's docstring).
                _finish(message, status="sent", sent_at=utcnow(), last_error="")
                report["sent"] += 1
    finally:
        mail_send.close(connection)
    return report


def retry(message_id: int) -> OutboxMessage:
    """An administrator sends a failed message again: queued now, attempts from zero."""
    with db.atomic():
        (OutboxMessage.update(status="queued", attempts=0, next_attempt_at=utcnow())
         .where((OutboxMessage.id == message_id) & (OutboxMessage.status == "failed"))
         .execute())
        return OutboxMessage.get_by_id(message_id)


# What is queued (composed in domain/mail_compose.py, in the recipient's language).

def queue_acknowledgement(complaint: Complaint, lookup_code: str,
                          settings: dict | None = None) -> OutboxMessage | None:
    """The complainant's acknowledgement: number, lookup code and where to follow it.
    Call inside the transaction that registers the complaint."""
    from domain import mail_compose
    return mail_compose.acknowledgement(complaint, lookup_code,
                                        settings if settings is not None else load_settings())


def queue_answer_sent(complaint: Complaint, settings: dict) -> OutboxMessage | None:
    from domain import mail_compose
    return mail_compose.answer_sent(complaint, settings)


def queue_staff_notices(users, complaint: Complaint | None, kind: str) -> int:
    from domain import mail_compose
    return mail_compose.staff_notices(users, complaint, kind, load_settings())


def queue_digests(items_by_user: dict, today: dt.date, settings: dict) -> int:
    from domain import mail_compose
    return mail_compose.digests(items_by_user, today, settings)


def queue_test(user: User, settings: dict) -> OutboxMessage | None:
    from domain import mail_compose
    return mail_compose.trial_message(user, settings)
