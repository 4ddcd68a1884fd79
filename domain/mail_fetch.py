"""`flask --app app fetch-mail`: new (unseen) messages in the complaints mailbox become
complaints (domain/mail_intake.py). A message is marked seen only after it was registered
(or found already registered, or ignored); one that fails stays unseen for the next run."""
import imaplib
import logging
import ssl
from dataclasses import dataclass, field

from domain.mail_intake import register_message

log = logging.getLogger(__name__)


@dataclass
class FetchReport:
    registered: int = 0
    duplicates: int = 0
    ignored: int = 0
    errors: list = field(default_factory=list)


def intake_configured(settings: dict) -> bool:
    return bool(settings.get("imap_enabled") and settings.get("imap_host")
                and settings.get("imap_username"))


def connect(settings: dict) -> imaplib.IMAP4:
    host, port = settings["imap_host"], int(settings.get("imap_port") or 993)
    timeout = float(settings.get("smtp_timeout") or 30)
    security = settings.get("imap_security", "ssl")
    if security == "ssl":
        connection = imaplib.IMAP4_SSL(host, port, ssl_context=ssl.create_default_context(),
                                       timeout=timeout)
    else:
        connection = imaplib.IMAP4(host, port, timeout=timeout)
        if security == "starttls":
            connection.starttls(ssl_context=ssl.create_default_context())
    connection.login(settings["imap_username"], settings.get("imap_password") or "")
    return connection


def _raw_message(data) -> bytes | None:
    for item in data or []:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    return None


def fetch_mail(settings: dict, *, upload_dir, max_bytes: int | None = None,
               connection: imaplib.IMAP4 | None = None) -> FetchReport:
    """Read the unseen messages of the configured folder and register each."""
    report = FetchReport()
    if connection is None and not intake_configured(settings):
        return report
    imap = connection or connect(settings)
    try:
        status, _ = imap.select(_quote(settings.get("imap_folder") or "INBOX"))
        if status != "OK":
            raise imaplib.IMAP4.error(f"cannot open folder {settings.get('imap_folder')}")
        status, found = imap.uid("SEARCH", None, "UNSEEN")
        uids = found[0].split() if status == "OK" and found and found[0] else []
        for uid in uids:
            uid = uid.decode()
            try:
                status, data = imap.uid("FETCH", uid, "(BODY.PEEK[])")
                raw = _raw_message(data) if status == "OK" else None
                if raw is None:
                    raise imaplib.IMAP4.error(f"message {uid} could not be read")
                row, created = register_message(raw, settings=settings, upload_dir=upload_dir,
                                                max_bytes=max_bytes)
            except Exception as e:  # noqa: BLE001 - one bad message must not stop the rest
                log.exception("mail intake: message %s failed", uid)
                report.errors.append(f"{uid}: {type(e).__name__}: {e}")
                continue
            if created:
                report.registered += 1
            elif row.status == "ignored":
                report.ignored += 1
            else:
                report.duplicates += 1
            imap.uid("STORE", uid, "+FLAGS", "(\\Seen)")
    finally:
        try:
            imap.logout()
        except (OSError, imaplib.IMAP4.error):
            pass
    return report


def _quote(folder: str) -> str:
    folder = folder.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{folder}"'
