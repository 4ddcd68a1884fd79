"""The SMTP side of the outbox: building the MIME message from an outbox row, the
connection (STARTTLS, SSL or plain, with a timeout), and telling lasting failures from
passing ones."""
import hashlib
import smtplib
import socket
import ssl
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from pathlib import Path


class PermanentError(Exception):
    """The message cannot be sent as it is (a missing or altered attachment, a bad address):
    trying again would not help."""


def _sender(settings: dict, language: str) -> Address:
    """mail_from; without a name in it, the organisation's name in the message's language."""
    name, address = parseaddr(settings.get("mail_from") or "")
    if not address or "@" not in address:
        raise PermanentError("mail_from is not an email address")
    if not name:
        zh = (language or settings.get("letter_language", "")).startswith("zh")
        name = (settings.get("org_name_zh") if zh else "") or settings.get("org_name", "")
    username, domain = address.rsplit("@", 1)
    return Address(display_name=name, username=username, domain=domain)


def _attachment(message, document_dir) -> bytes:
    """The stored file, read now and checked against the SHA-256 recorded when queued."""
    base = Path(document_dir).resolve()
    path = (base / message.attachment_path).resolve()
    if base not in path.parents:
        raise PermanentError(f"attachment {message.attachment_path} is outside DOCUMENT_DIR")
    if not path.is_file():
        raise PermanentError(f"attachment {message.attachment_path} is missing")
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != message.attachment_sha256:
        raise PermanentError(f"attachment {message.attachment_path} does not match its SHA-256")
    return data


def build_message(message, settings: dict, document_dir) -> EmailMessage:
    """Plain text only (no HTML part: names and texts people typed stay text)."""
    email = EmailMessage()
    email["From"] = _sender(settings, message.language)
    try:
        username, domain = message.to_address.rsplit("@", 1)
        email["To"] = Address(display_name=message.to_name, username=username, domain=domain)
        email["Subject"] = message.subject
    except (ValueError, IndexError) as e:
        raise PermanentError(f"bad recipient or subject: {e}") from e
    email["Date"] = formatdate(usegmt=True)
    email["Message-ID"] = message.message_id
    # RFC 3834: an automatic message; auto-responders should not answer it, and our own
    # mailbox intake ignores it.
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body, charset="utf-8")
    if message.attachment_path:
        email.add_attachment(_attachment(message, document_dir), maintype="application",
                             subtype="pdf", filename=message.attachment_name or "document.pdf")
    return email


def connect(settings: dict) -> smtplib.SMTP:
    host, port = settings["smtp_host"], int(settings.get("smtp_port") or 25)
    timeout = float(settings.get("smtp_timeout") or 30)
    security = settings.get("smtp_security", "starttls")
    if security == "ssl":
        connection = smtplib.SMTP_SSL(host, port, timeout=timeout,
                                      context=ssl.create_default_context())
    else:
        connection = smtplib.SMTP(host, port, timeout=timeout)
        if security == "starttls":
            connection.starttls(context=ssl.create_default_context())
    if settings.get("smtp_username"):
        connection.login(settings["smtp_username"], settings.get("smtp_password") or "")
    return connection


def close(connection) -> None:
    if connection is None:
        return
    try:
        connection.quit()
    except (OSError, smtplib.SMTPException):
        connection.close()


def is_permanent(error: Exception) -> bool:
    """The server refused this message for good (5xx), not for now."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in error.recipients.values())
    if isinstance(error, (smtplib.SMTPSenderRefused, smtplib.SMTPDataError)):
        return error.smtp_code >= 500
    return False


def is_connection_error(error: Exception) -> bool:
    """The server is unreachable or turned us away: later messages would fail the same.
    (smtplib's errors are OSErrors too: a refusal of one message is not one of these.)"""
    if isinstance(error, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError,
                          smtplib.SMTPAuthenticationError, smtplib.SMTPNotSupportedError,
                          smtplib.SMTPHeloError)):
        return True
    if isinstance(error, smtplib.SMTPException):
        return False
    return isinstance(error, (OSError, socket.timeout))


def describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{addr}: {code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
                         for addr, (code, msg) in error.recipients.items())
    if isinstance(error, smtplib.SMTPResponseException):
        msg = error.smtp_error
        msg = msg.decode(errors="replace") if isinstance(msg, bytes) else str(msg)
        return f"{error.smtp_code} {msg}"
    return f"{type(error).__name__}: {error}"
