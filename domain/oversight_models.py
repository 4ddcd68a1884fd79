"""Staff accountability (责任追究), improvement plans (改进计划), and the append-only,
hash-chained history of records that are not complaints (emergencies, accountability
records, plans)."""
from peewee import (CharField, DateField, DateTimeField, DecimalField, FloatField,
                    ForeignKeyField, IntegerField, TextField)

from domain.models import BaseModel, Complaint, Department, User, utcnow
from domain.stage_models import RootCause


class RecordEvent(BaseModel):
    """One entry in the history of a record that is not a complaint. For an emergency
    response this is also its action log (who, when, what). Never edited or deleted."""
    subject = CharField(max_length=16)   # emergency | accountability | plan
    subject_id = IntegerField()
    seq = IntegerField()
    at = DateTimeField(default=utcnow)
    actor = ForeignKeyField(User, null=True, backref="record_events", on_delete="RESTRICT")
    action = CharField(max_length=40)
    note = TextField(default="")
    data = TextField(default="{}")       # JSON: field changes and details, hashed too
    prev_hash = CharField(max_length=64)
    hash = CharField(max_length=64)

    class Meta:
        indexes = ((("subject", "subject_id", "seq"), True),)


class AccountabilityRecord(BaseModel):
    """Confidential: leaders, admins, the complaint manager and the person concerned."""
    number = CharField(max_length=40, unique=True)
    complaint = ForeignKeyField(Complaint, null=True, backref="accountability_records",
                                on_delete="RESTRICT")
    subject = ForeignKeyField(User, backref="accountability_records", on_delete="RESTRICT")
    subject_department = ForeignKeyField(Department, null=True, on_delete="RESTRICT",
                                         backref="accountability_records")
    level = CharField(max_length=16)     # vocab.RESPONSIBILITY_LEVELS
    findings = TextField()
    # investigating → proposed → decided → (appealed →) final
    status = CharField(max_length=16, default="investigating")
    opened_by = ForeignKeyField(User, backref="accountability_opened", on_delete="RESTRICT")
    opened_at = DateTimeField(default=utcnow)
    proposed_sanction = CharField(max_length=24, default="")   # vocab.SANCTIONS
    proposed_amount = DecimalField(max_digits=12, decimal_places=2, null=True)
    proposal_note = TextField(default="")
    proposed_by = ForeignKeyField(User, null=True, backref="accountability_proposed",
                                  on_delete="RESTRICT")
    proposed_at = DateTimeField(null=True)
    sanction = CharField(max_length=24, default="")
    amount = DecimalField(max_digits=12, decimal_places=2, null=True)
    decision_note = TextField(default="")
    decided_by = ForeignKeyField(User, null=True, backref="accountability_decided",
                                 on_delete="RESTRICT")
    decided_at = DateTimeField(null=True)
    appeal_due_on = DateField(null=True)
    appeal_text = TextField(default="")
    appealed_at = DateTimeField(null=True)
    appeal_outcome = CharField(max_length=16, default="")  # upheld | varied | revoked
    appeal_decision_note = TextField(default="")
    appeal_decided_by = ForeignKeyField(User, null=True, backref="accountability_appeals",
                                        on_delete="RESTRICT")
    appeal_decided_at = DateTimeField(null=True)
    final_at = DateTimeField(null=True)
    version = IntegerField(default=1)
    history_count = IntegerField(default=0)
    history_head = CharField(max_length=64, default="")

    class Meta:
        indexes = ((("subject", "status"), False),
                   (("status", "opened_at"), False))


class AccountabilityEvidence(BaseModel):
    record = ForeignKeyField(AccountabilityRecord, backref="evidence", on_delete="RESTRICT")
    original_name = CharField(max_length=255)
    stored_name = CharField(max_length=80, unique=True)
    mime_type = CharField(max_length=100)
    size = IntegerField()
    sha256 = CharField(max_length=64)
    uploaded_by = ForeignKeyField(User, backref="accountability_uploads", on_delete="RESTRICT")
    uploaded_at = DateTimeField(default=utcnow)


class AccountabilityView(BaseModel):
    """Every look at a confidential record: who, when, what (page, fragment, pdf, export)."""
    record = ForeignKeyField(AccountabilityRecord, backref="views", on_delete="RESTRICT")
    user = ForeignKeyField(User, backref="accountability_views", on_delete="RESTRICT")
    at = DateTimeField(default=utcnow)
    what = CharField(max_length=16)

    class Meta:
        indexes = ((("record", "at"), False),)


class ImprovementPlan(BaseModel):
    number = CharField(max_length=40, unique=True)
    title = CharField(max_length=200)
    problem = TextField()
    target = TextField()                 # e.g. "delivery-delay complaints −50 % in 3 months"
    # The scope the effectiveness review counts complaints in (any may be empty).
    root_cause = ForeignKeyField(RootCause, null=True, backref="plans", on_delete="RESTRICT")
    nature = CharField(max_length=24, default="")
    department = ForeignKeyField(Department, null=True, backref="plans", on_delete="RESTRICT")
    owner = ForeignKeyField(User, backref="plans_owned", on_delete="RESTRICT")
    starts_on = DateField()
    ends_on = DateField()                # target date
    status = CharField(max_length=16, default="active")  # active | completed | reviewed
    created_by = ForeignKeyField(User, backref="plans_created", on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
    parent = ForeignKeyField("self", null=True, backref="follow_ups", on_delete="RESTRICT")
    version = IntegerField(default=1)
    history_count = IntegerField(default=0)
    history_head = CharField(max_length=64, default="")

    class Meta:
        indexes = ((("status", "ends_on"), False),)


class PlanComplaint(BaseModel):
    """A complaint a plan was made from."""
    plan = ForeignKeyField(ImprovementPlan, backref="complaint_links", on_delete="RESTRICT")
    complaint = ForeignKeyField(Complaint, backref="plan_links", on_delete="RESTRICT")

    class Meta:
        indexes = ((("plan", "complaint"), True),)


class PlanMeasure(BaseModel):
    plan = ForeignKeyField(ImprovementPlan, backref="measures", on_delete="RESTRICT")
    position = IntegerField(default=1)
    text = TextField()
    department = ForeignKeyField(Department, null=True, backref="plan_measures",
                                 on_delete="RESTRICT")
    owner = ForeignKeyField(User, backref="plan_measures", on_delete="RESTRICT")
    due_on = DateField()
    done_at = DateTimeField(null=True)
    done_by = ForeignKeyField(User, null=True, backref="plan_measures_done",
                              on_delete="RESTRICT")
    done_note = TextField(default="")


class PlanReview(BaseModel):
    """An effectiveness review: the figures before and after, and the conclusion."""
    plan = ForeignKeyField(ImprovementPlan, backref="reviews", on_delete="RESTRICT")
    reviewer = ForeignKeyField(User, backref="plan_reviews", on_delete="RESTRICT")
    reviewed_at = DateTimeField(default=utcnow)
    before_from = DateField()
    before_to = DateField()
    after_from = DateField()
    after_to = DateField()
    before_count = IntegerField()
    after_count = IntegerField()
    before_avg_days = FloatField(null=True)
    after_avg_days = FloatField(null=True)
    conclusion = CharField(max_length=16)  # effective | partly | not_effective
    note = TextField(default="")
    follow_up = ForeignKeyField(ImprovementPlan, null=True, backref="reviewed_from",
                                on_delete="RESTRICT")


OVERSIGHT_MODELS = [RecordEvent, AccountabilityRecord, AccountabilityEvidence,
                    AccountabilityView, ImprovementPlan, PlanComplaint, PlanMeasure, PlanReview]
