"""Peewee models: organisation settings, people, complaints and their history."""
import datetime as dt

from peewee import (
    BooleanField, CharField, DateField, DateTimeField, DecimalField, ForeignKeyField, IntegerField,
    Model, TextField, BigIntegerField,
)

from extensions import db


def utcnow() -> dt.datetime:
    """Naive UTC, the form every timestamp is stored in."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False
        only_save_dirty = True  # save() writes only the fields that were changed


class Setting(BaseModel):
    """Organisation-wide settings an admin can change (key → JSON text)."""
    key = CharField(primary_key=True, max_length=64)
    value = TextField()


class Department(BaseModel):
    name = CharField(max_length=120, unique=True)
    name_zh = CharField(max_length=120, default="")
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)

    def label(self, locale: str) -> str:
        return self.name_zh if locale.startswith("zh") and self.name_zh else self.name


class User(BaseModel):
    username = CharField(max_length=64, unique=True)
    full_name = CharField(max_length=120)
    email = CharField(max_length=254, default="")
    password_hash = CharField(max_length=255)
    roles = CharField(max_length=200, default="")  # comma-separated role codes
    department = ForeignKeyField(Department, null=True, backref="users", on_delete="RESTRICT")
    locale = CharField(max_length=10, default="")
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)
    password_changed_at = DateTimeField(null=True)
    # Bumped on password change or deactivation: older sessions stop working.
    session_version = IntegerField(default=1)

    @property
    def role_set(self) -> frozenset:
        return frozenset(r for r in self.roles.split(",") if r)

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))

    # Flask-Login protocol
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


class NumberSequence(BaseModel):
    """The last complaint number given per prefix and year."""
    name = CharField(max_length=40, primary_key=True)
    value = BigIntegerField(default=0)


class Complaint(BaseModel):
    number = CharField(max_length=40, unique=True)
    lookup_code_hash = CharField(max_length=64)
    status = CharField(max_length=24, default="registered")
    version = IntegerField(default=1)
    channel = CharField(max_length=16)
    language = CharField(max_length=10, default="zh_Hans")
    received_at = DateTimeField()
    registered_at = DateTimeField(default=utcnow)
    registered_by = ForeignKeyField(User, backref="registered_complaints", on_delete="RESTRICT")
    first_contact = ForeignKeyField(User, backref="contact_for", on_delete="RESTRICT")
    complainant_name = CharField(max_length=120)
    complainant_phone = CharField(max_length=40, default="")
    complainant_email = CharField(max_length=254, default="")
    complainant_address = CharField(max_length=300, default="")
    contact_key = CharField(max_length=254, default="", index=True)  # normalised phone
    matter = TextField()
    demand = TextField(default="")
    order_ref = CharField(max_length=120, default="")
    amount_claimed = DecimalField(max_digits=12, decimal_places=2, null=True)
    nature = CharField(max_length=24, default="")
    severity = CharField(max_length=16, default="ordinary")
    urgency = CharField(max_length=16, default="normal")
    regulator_name = CharField(max_length=120, default="")
    regulator_ref = CharField(max_length=120, default="")
    regulator_due = DateTimeField(null=True)
    department = ForeignKeyField(Department, null=True, backref="complaints", on_delete="RESTRICT")
    assignee = ForeignKeyField(User, null=True, backref="assigned_complaints", on_delete="RESTRICT")
    updated_at = DateTimeField(default=utcnow)
    closed_at = DateTimeField(null=True)
    accepted_at = DateTimeField(null=True)
    rejection_reason = TextField(default="")
    responded_at = DateTimeField(null=True)
    # What is due now (the current stage's deadline) and the overall reply deadline, as
    # dates in the organisation's calendar (domain/deadlines.py computes them).
    stage_due_on = DateField(null=True)
    reply_due_on = DateField(null=True)
    investigation_started_on = DateField(null=True)  # receipt, or the latest reopening
    investigation_days = IntegerField(default=0)  # working days granted, extensions included
    # The newest history event, kept so that removing events from the end is detected too.
    history_count = IntegerField(default=0)
    history_head = CharField(max_length=64, default="")

    class Meta:
        indexes = (
            (("received_at", "id"), False),
            (("status", "received_at"), False),
            (("channel", "received_at"), False),
            # status + channel filter: an exact count from the index alone, page in order
            # (channel first, so a status-only or "open" filter keeps its own index).
            (("channel", "status", "received_at"), False),
            (("nature", "received_at"), False),
            (("severity", "received_at"), False),
            (("department", "received_at"), False),
            (("assignee", "received_at"), False),
            (("registered_by", "received_at"), False),
            (("status", "stage_due_on"), False),
            # The board's overdue counts; received_at keeps a department's list in order.
            (("status", "department", "stage_due_on", "received_at"), False),
            # Department staff's lists: what they may see, narrowed by status (see
            # docs/performance.md).
            (("department", "status", "received_at"), False),
            (("assignee", "status", "received_at"), False),
            (("registered_by", "status", "received_at"), False),
            (("complainant_email",), False),
        )


class Evidence(BaseModel):
    complaint = ForeignKeyField(Complaint, backref="evidence", on_delete="RESTRICT")
    original_name = CharField(max_length=255)
    stored_name = CharField(max_length=80, unique=True)
    mime_type = CharField(max_length=100)
    size = IntegerField()
    sha256 = CharField(max_length=64)
    uploaded_by = ForeignKeyField(User, null=True, backref="uploads", on_delete="RESTRICT")
    uploaded_at = DateTimeField(default=utcnow)
    source = CharField(max_length=16, default="staff")  # staff | complainant


class Event(BaseModel):
    """One entry in a complaint's append-only history, chained by hash."""
    complaint = ForeignKeyField(Complaint, backref="events", on_delete="RESTRICT")
    seq = IntegerField()
    at = DateTimeField(default=utcnow)
    actor = ForeignKeyField(User, null=True, backref="events", on_delete="RESTRICT")
    action = CharField(max_length=40)
    from_status = CharField(max_length=24, default="")
    to_status = CharField(max_length=24, default="")
    note = TextField(default="")
    public = BooleanField(default=False)
    prev_hash = CharField(max_length=64)
    hash = CharField(max_length=64)

    class Meta:
        indexes = ((("complaint", "seq"), True),)


class FieldChange(BaseModel):
    event = ForeignKeyField(Event, backref="changes", on_delete="RESTRICT")
    field = CharField(max_length=40)
    old = TextField(default="")
    new = TextField(default="")


class LoginEvent(BaseModel):
    """Successful and failed sign-ins, for the audit page and lockout."""
    at = DateTimeField(default=utcnow, index=True)
    username = CharField(max_length=64)
    user = ForeignKeyField(User, null=True, backref="logins", on_delete="RESTRICT")
    ip = CharField(max_length=64, default="")
    success = BooleanField()

    class Meta:
        # The lockout counts one name's recent failures; years of sign-ins stay fast.
        indexes = ((("username", "at"), False),)


CORE_MODELS = [Setting, Department, User, NumberSequence, Complaint, Evidence, Event,
              FieldChange, LoginEvent]
