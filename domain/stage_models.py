"""Records of the stages a complaint passes through after intake (Part B of the procedure):
assignments, investigation, proposal with remedies and measures, approvals, the response,
disputes, return visits; plus the lists and calendars they use."""
from peewee import (BooleanField, CharField, DateField, DateTimeField, DecimalField,
                    ForeignKeyField, IntegerField, TextField)

from domain.models import BaseModel, Complaint, Department, User, utcnow


class CalendarDay(BaseModel):
    """The organisation's own exceptions to the public calendar."""
    day = DateField(unique=True)
    working = BooleanField()  # True: an extra working day; False: a closed day
    note = CharField(max_length=200, default="")


class RootCause(BaseModel):
    """Root-cause categories; an admin can extend the list."""
    code = CharField(max_length=40, unique=True)
    name = CharField(max_length=120)
    name_zh = CharField(max_length=120, default="")
    active = BooleanField(default=True)

    def label(self, locale: str) -> str:
        return self.name_zh if locale.startswith("zh") and self.name_zh else self.name


class Notification(BaseModel):
    """An in-app notice to one user (alerts, reminders)."""
    user = ForeignKeyField(User, backref="notifications", on_delete="RESTRICT")
    complaint = ForeignKeyField(Complaint, null=True, backref="notifications",
                                on_delete="RESTRICT")
    kind = CharField(max_length=40)
    created_at = DateTimeField(default=utcnow)
    read_at = DateTimeField(null=True)
    day_key = CharField(max_length=80, default="")  # reminders: one per item per day
    # A notice about a record that is not a complaint (emergency, accountability, plan).
    subject = CharField(max_length=16, default="")
    subject_id = IntegerField(null=True)

    class Meta:
        indexes = ((("user", "read_at", "created_at"), False),
                   (("day_key",), False))


class Assignment(BaseModel):
    """One hand-over of a complaint to a department (the first assignment or a transfer)."""
    complaint = ForeignKeyField(Complaint, backref="assignments", on_delete="RESTRICT")
    department = ForeignKeyField(Department, backref="assignments", on_delete="RESTRICT")
    requirements = TextField(default="")
    due_on = DateField()
    assigned_by = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    assigned_at = DateTimeField(default=utcnow)
    transfer_reason = TextField(default="")
    received_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    received_at = DateTimeField(null=True)
    investigator = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    current = BooleanField(default=True)


class Investigation(BaseModel):
    """The investigation report (one per round: an appeal or a return starts a new one)."""
    complaint = ForeignKeyField(Complaint, backref="investigations", on_delete="RESTRICT")
    investigator = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    methods = CharField(max_length=200)  # comma-separated codes
    facts_verdict = CharField(max_length=16)  # true | partly | not_true
    facts_text = TextField()
    root_cause = ForeignKeyField(RootCause, backref="investigations", on_delete="RESTRICT")
    root_cause_text = TextField(default="")
    impact_customer = TextField(default="")
    impact_reputation = TextField(default="")
    impact_business = TextField(default="")
    submitted_at = DateTimeField(default=utcnow)


class Extension(BaseModel):
    """A request to extend the investigation deadline, and its decision."""
    complaint = ForeignKeyField(Complaint, backref="extensions", on_delete="RESTRICT")
    requested_by = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    requested_at = DateTimeField(default=utcnow)
    days = IntegerField()
    reason = TextField()
    decided_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    decided_at = DateTimeField(null=True)
    approved = BooleanField(null=True)
    comment = TextField(default="")


class Proposal(BaseModel):
    """The handling proposal: apology, remedies, rectification measures, responsibility."""
    complaint = ForeignKeyField(Complaint, backref="proposals", on_delete="RESTRICT")
    author = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    submitted_at = DateTimeField(default=utcnow)
    apology = TextField(default="")
    responsibility = TextField(default="")
    current = BooleanField(default=True)


class Remedy(BaseModel):
    """Compensation: refund, replacement, repair, payment or other, with amount."""
    proposal = ForeignKeyField(Proposal, backref="remedies", on_delete="RESTRICT")
    kind = CharField(max_length=16)
    amount = DecimalField(max_digits=12, decimal_places=2, null=True)
    currency = CharField(max_length=3, default="CNY")
    description = TextField(default="")
    done_at = DateTimeField(null=True)
    done_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    done_note = TextField(default="")
    waived = BooleanField(default=False)


class Measure(BaseModel):
    """A rectification measure with its owner and due date."""
    proposal = ForeignKeyField(Proposal, backref="measures", on_delete="RESTRICT")
    description = TextField()
    owner = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    due_on = DateField()
    done_at = DateTimeField(null=True)
    done_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    done_note = TextField(default="")
    waived = BooleanField(default=False)


class Approval(BaseModel):
    """A decision on a proposal: level 1 department head, level 2 leader."""
    complaint = ForeignKeyField(Complaint, backref="approvals", on_delete="RESTRICT")
    proposal = ForeignKeyField(Proposal, backref="approvals", on_delete="RESTRICT")
    level = IntegerField()
    approved = BooleanField()
    decided_by = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    decided_at = DateTimeField(default=utcnow)
    comment = TextField(default="")


class Response(BaseModel):
    """That the written response was sent: how, when, to whom."""
    complaint = ForeignKeyField(Complaint, backref="responses", on_delete="RESTRICT")
    method = CharField(max_length=20)
    sent_on = DateField()
    recipient = CharField(max_length=200)
    recorded_by = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    recorded_at = DateTimeField(default=utcnow)


class Dispute(BaseModel):
    """An appeal inside the organisation, or a dispute taken to an outside body."""
    complaint = ForeignKeyField(Complaint, backref="disputes", on_delete="RESTRICT")
    kind = CharField(max_length=16)  # appeal | mediation | arbitration | litigation
    body = CharField(max_length=200, default="")
    reference = CharField(max_length=120, default="")
    reason = TextField(default="")
    started_on = DateField()
    outcome = TextField(default="")
    ended_on = DateField(null=True)
    recorded_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    recorded_at = DateTimeField(default=utcnow)


class Visit(BaseModel):
    """A return visit: method, date, satisfaction 1–5, whether the matter is resolved."""
    complaint = ForeignKeyField(Complaint, backref="visits", on_delete="RESTRICT")
    method = CharField(max_length=16)  # phone | questionnaire | on_site
    visited_on = DateField()
    satisfaction = IntegerField()
    resolved = BooleanField()
    comments = TextField(default="")
    recorded_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    recorded_at = DateTimeField(default=utcnow)


STAGE_MODELS = [CalendarDay, RootCause, Notification, Assignment, Investigation, Extension,
                Proposal, Remedy, Measure, Approval, Response, Dispute, Visit]
