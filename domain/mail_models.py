"""Email: the outbox (messages waiting to be sent, written in the same transaction as the
event that causes them) and the record of messages taken in from the mailbox."""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from domain.models import BaseModel, Complaint, User, utcnow

OUTBOX_STATUSES = ("queued", "sending", "sent", "failed")


class OutboxMessage(BaseModel):
    """One plain-text email. `flask --app app send-mail` sends what is due (see
    domain/outbox.py). An attachment is kept by reference: a stored file under DOCUMENT_DIR,
    read and checked against its SHA-256 when the message is sent."""
    kind = CharField(max_length=32)  # acknowledgement | answer_sent | notice | digest | test
    to_address = CharField(max_length=254)
    to_name = CharField(max_length=120, default="")
    language = CharField(max_length=10, default="")  # the sender's name follows it
    subject = CharField(max_length=300)
    body = TextField()
    attachment_path = CharField(max_length=300, default="")  # relative to DOCUMENT_DIR
    attachment_sha256 = CharField(max_length=64, default="")
    attachment_name = CharField(max_length=200, default="")
    complaint = ForeignKeyField(Complaint, null=True, backref="+", on_delete="RESTRICT")
    user = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    status = CharField(max_length=12, default="queued")
    attempts = IntegerField(default=0)
    # Queued: when it may be tried next. Sending: when a sender that stopped half-way is
    # presumed dead and the message may be taken again.
    next_attempt_at = DateTimeField(default=utcnow)
    last_error = TextField(default="")
    created_at = DateTimeField(default=utcnow)
    sent_at = DateTimeField(null=True)
    # The Message-ID header, fixed when queued so that a retry carries the same one.
    message_id = CharField(max_length=200)
    # At most one message per key (e.g. "digest:<user>:<day>"); NULL for the others.
    dedupe_key = CharField(max_length=120, null=True, unique=True)

    class Meta:
        indexes = ((("status", "next_attempt_at"), False),
                   (("created_at",), False))


class MailIntake(BaseModel):
    """A message taken from the mailbox: its Message-ID (or a hash of its bytes) is unique,
    so one message never becomes two complaints."""
    message_id = CharField(max_length=300, unique=True)
    complaint = ForeignKeyField(Complaint, null=True, backref="+", on_delete="RESTRICT")
    sender = CharField(max_length=254, default="")
    subject = CharField(max_length=300, default="")
    received_at = DateTimeField(default=utcnow)
    status = CharField(max_length=12, default="registered")  # registered | ignored
    error = TextField(default="")  # why it was ignored, or which attachments were refused


MAIL_MODELS = [OutboxMessage, MailIntake]
