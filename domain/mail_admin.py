"""The administrators' Email page: the server settings (passwords kept unless replaced)
and the outbox list."""
import math
import re
from dataclasses import dataclass
from email.utils import parseaddr

from flask_babel import lazy_gettext as _l
from peewee import JOIN, fn

from domain import outbox
from domain.errors import DomainError
from domain.mail_models import OutboxMessage
from domain.models import Complaint
from domain.settings import save_settings

SECURITY = {"starttls": _l("STARTTLS"), "ssl": _l("SSL/TLS"), "none": _l("None (unencrypted)")}
MAIL_KINDS = {
    "acknowledgement": _l("Acknowledgement to the complainant"),
    "answer_sent": _l("Response sent, with the letter"),
    "notice": _l("Staff notice"),
    "digest": _l("Daily digest"),
    "test": _l("Test message"),
}
OUTBOX_LABELS = {"queued": _l("Queued"), "sending": _l("Sending"), "sent": _l("Sent"),
                 "failed": _l("Failed")}
# The list's tabs: what each shows.
VIEWS = {"waiting": ("queued", "sending"), "failed": ("failed",), "sent": ("sent",)}
TEXT_KEYS = ("smtp_host", "smtp_security", "smtp_username", "mail_from", "imap_host",
             "imap_security", "imap_username", "imap_folder")
_HOST = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$")


def save_mail_settings(data: dict, current: dict) -> None:
    """Save the Email settings. A password left empty keeps the stored one. Turning sending
    on needs a server and a sender address; turning intake on needs a server and account."""
    changes = {k: (data.get(k) or "").strip() for k in TEXT_KEYS}
    changes.update(email_enabled=bool(data.get("email_enabled")),
                   imap_enabled=bool(data.get("imap_enabled")),
                   smtp_port=int(data.get("smtp_port") or 587),
                   imap_port=int(data.get("imap_port") or 993))
    changes["imap_folder"] = changes["imap_folder"] or "INBOX"
    for key in ("smtp_password", "imap_password"):
        changes[key] = data.get(key) or current.get(key, "")
    for key in ("smtp_security", "imap_security"):
        if changes[key] not in SECURITY:
            raise DomainError(_l("Choose a kind of encryption from the list."), key)
    for key in ("smtp_host", "imap_host"):
        if changes[key] and not _HOST.match(changes[key]):
            raise DomainError(_l("Enter a server name such as mail.example.org."), key)
    if changes["mail_from"] and not outbox.usable_address(parseaddr(changes["mail_from"])[1]):
        raise DomainError(_l("Enter an address such as complaints@example.org."), "mail_from")
    if changes["email_enabled"]:
        if not changes["smtp_host"]:
            raise DomainError(_l("Sending needs the mail server."), "smtp_host")
        if not changes["mail_from"]:
            raise DomainError(_l("Sending needs the address messages come from."), "mail_from")
    if changes["imap_enabled"]:
        if not changes["imap_host"]:
            raise DomainError(_l("The mailbox needs its server."), "imap_host")
        if not changes["imap_username"]:
            raise DomainError(_l("The mailbox needs its user name."), "imap_username")
        if not changes["imap_password"]:
            raise DomainError(_l("The mailbox needs its password."), "imap_password")
    save_settings(changes)


@dataclass
class OutboxPage:
    view: str
    items: list
    total: int
    page: int
    pages: int
    counts: dict


def outbox_page(view: str, page: int, size: int) -> OutboxPage:
    """One page of the outbox, newest first, with the complaint numbers (one query) and
    the number of messages in each state."""
    view = view if view in VIEWS else "waiting"
    counts = {s: 0 for s in OUTBOX_LABELS}
    for status, n in (OutboxMessage.select(OutboxMessage.status, fn.COUNT(OutboxMessage.id))
                      .group_by(OutboxMessage.status).tuples()):
        counts[status] = n
    total = sum(counts.get(s, 0) for s in VIEWS[view])
    pages = max(math.ceil(total / size), 1)
    page = min(max(page, 1), pages)
    query = (OutboxMessage.select(OutboxMessage, Complaint.id, Complaint.number)
             .join(Complaint, JOIN.LEFT_OUTER)
             .where(OutboxMessage.status.in_(VIEWS[view]))
             .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
             .paginate(page, size))
    return OutboxPage(view, list(query), total, page, pages, counts)
