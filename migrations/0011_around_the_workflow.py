# Generated from a schema diff on 2026-11-23 20:41.
from peewee import *

# Timestamp defaults (utcnow) are set by the application models, not the database.

def up(migrator, db):
    class Complaint(Model):
        class Meta:
            database = db
            table_name = 'complaint'

    class Department(Model):
        class Meta:
            database = db
            table_name = 'department'

    class RootCause(Model):
        class Meta:
            database = db
            table_name = 'root_cause'

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class AccountabilityRecord(Model):
        number = CharField(unique=True, max_length=40)
        complaint = ForeignKeyField(Complaint, null=True, on_delete='RESTRICT')
        subject = ForeignKeyField(User, on_delete='RESTRICT')
        subject_department = ForeignKeyField(Department, null=True, on_delete='RESTRICT')
        level = CharField(max_length=16)
        findings = TextField()
        status = CharField(max_length=16, default='investigating')
        opened_by = ForeignKeyField(User, on_delete='RESTRICT')
        opened_at = DateTimeField()
        proposed_sanction = CharField(max_length=24, default='')
        proposed_amount = DecimalField(null=True, max_digits=12, decimal_places=2)
        proposal_note = TextField(default='')
        proposed_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        proposed_at = DateTimeField(null=True)
        sanction = CharField(max_length=24, default='')
        amount = DecimalField(null=True, max_digits=12, decimal_places=2)
        decision_note = TextField(default='')
        decided_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        decided_at = DateTimeField(null=True)
        appeal_due_on = DateField(null=True)
        appeal_text = TextField(default='')
        appealed_at = DateTimeField(null=True)
        appeal_outcome = CharField(max_length=16, default='')
        appeal_decision_note = TextField(default='')
        appeal_decided_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        appeal_decided_at = DateTimeField(null=True)
        final_at = DateTimeField(null=True)
        version = IntegerField(default=1)
        history_count = IntegerField(default=0)
        history_head = CharField(max_length=64, default='')
        class Meta:
            database = db
            table_name = 'accountability_record'
            indexes = ((('subject', 'status'), False), (('status', 'opened_at'), False))
    db.create_tables([AccountabilityRecord])

    class AccountabilityEvidence(Model):
        record = ForeignKeyField(AccountabilityRecord, on_delete='RESTRICT')
        original_name = CharField()
        stored_name = CharField(unique=True, max_length=80)
        mime_type = CharField(max_length=100)
        size = IntegerField()
        sha256 = CharField(max_length=64)
        uploaded_by = ForeignKeyField(User, on_delete='RESTRICT')
        uploaded_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'accountability_evidence'
    db.create_tables([AccountabilityEvidence])

    class AccountabilityView(Model):
        record = ForeignKeyField(AccountabilityRecord, on_delete='RESTRICT')
        user = ForeignKeyField(User, on_delete='RESTRICT')
        at = DateTimeField()
        what = CharField(max_length=16)
        class Meta:
            database = db
            table_name = 'accountability_view'
            indexes = ((('record', 'at'), False),)
    db.create_tables([AccountabilityView])

    class EmergencyResponse(Model):
        number = CharField(unique=True, max_length=40)
        complaint = ForeignKeyField(Complaint, null=True, on_delete='RESTRICT')
        drill = BooleanField(default=False)
        title = CharField(max_length=200)
        level = CharField(max_length=8)
        status = CharField(max_length=16, default='active')
        activated_by = ForeignKeyField(User, on_delete='RESTRICT')
        activated_at = DateTimeField()
        stood_down_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        stood_down_at = DateTimeField(null=True)
        summary = TextField(default='')
        lessons = TextField(default='')
        version = IntegerField(default=1)
        history_count = IntegerField(default=0)
        history_head = CharField(max_length=64, default='')
        class Meta:
            database = db
            table_name = 'emergency_response'
            indexes = ((('drill', 'status', 'activated_at'), False),)
    db.create_tables([EmergencyResponse])

    class EmergencyMember(Model):
        response = ForeignKeyField(EmergencyResponse, on_delete='RESTRICT')
        user = ForeignKeyField(User, on_delete='RESTRICT')
        role = CharField(max_length=16)
        added_at = DateTimeField()
        added_by = ForeignKeyField(User, on_delete='RESTRICT')
        removed_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'emergency_member'
            indexes = ((('response', 'user', 'role'), False), (('user', 'removed_at'), False))
    db.create_tables([EmergencyMember])

    class GroupDetail(Model):
        complaint = ForeignKeyField(Complaint, unique=True, on_delete='RESTRICT')
        headcount = IntegerField()
        location = CharField(max_length=300)
        mood = CharField(max_length=16)
        core_demands = TextField()
        handled_at = DateTimeField(null=True)
        handled_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        handled_note = TextField(default='')
        class Meta:
            database = db
            table_name = 'group_detail'
            indexes = ((('handled_at',), False),)
    db.create_tables([GroupDetail])

    class GroupRepresentative(Model):
        group = ForeignKeyField(GroupDetail, on_delete='RESTRICT')
        position = IntegerField()
        name = CharField(max_length=120)
        contact = CharField(max_length=120, default='')
        class Meta:
            database = db
            table_name = 'group_representative'
    db.create_tables([GroupRepresentative])

    class ImprovementPlan(Model):
        number = CharField(unique=True, max_length=40)
        title = CharField(max_length=200)
        problem = TextField()
        target = TextField()
        root_cause = ForeignKeyField(RootCause, null=True, on_delete='RESTRICT')
        nature = CharField(max_length=24, default='')
        department = ForeignKeyField(Department, null=True, on_delete='RESTRICT')
        owner = ForeignKeyField(User, on_delete='RESTRICT')
        starts_on = DateField()
        ends_on = DateField()
        status = CharField(max_length=16, default='active')
        created_by = ForeignKeyField(User, on_delete='RESTRICT')
        created_at = DateTimeField()
        parent = ForeignKeyField('self', null=True, on_delete='RESTRICT')
        version = IntegerField(default=1)
        history_count = IntegerField(default=0)
        history_head = CharField(max_length=64, default='')
        class Meta:
            database = db
            table_name = 'improvement_plan'
            indexes = ((('status', 'ends_on'), False),)
    db.create_tables([ImprovementPlan])

    class PlanComplaint(Model):
        plan = ForeignKeyField(ImprovementPlan, on_delete='RESTRICT')
        complaint = ForeignKeyField(Complaint, on_delete='RESTRICT')
        class Meta:
            database = db
            table_name = 'plan_complaint'
            indexes = ((('plan', 'complaint'), True),)
    db.create_tables([PlanComplaint])

    class PlanMeasure(Model):
        plan = ForeignKeyField(ImprovementPlan, on_delete='RESTRICT')
        position = IntegerField(default=1)
        text = TextField()
        department = ForeignKeyField(Department, null=True, on_delete='RESTRICT')
        owner = ForeignKeyField(User, on_delete='RESTRICT')
        due_on = DateField()
        done_at = DateTimeField(null=True)
        done_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        done_note = TextField(default='')
        class Meta:
            database = db
            table_name = 'plan_measure'
    db.create_tables([PlanMeasure])

    class PlanReview(Model):
        plan = ForeignKeyField(ImprovementPlan, on_delete='RESTRICT')
        reviewer = ForeignKeyField(User, on_delete='RESTRICT')
        reviewed_at = DateTimeField()
        before_from = DateField()
        before_to = DateField()
        after_from = DateField()
        after_to = DateField()
        before_count = IntegerField()
        after_count = IntegerField()
        before_avg_days = FloatField(null=True)
        after_avg_days = FloatField(null=True)
        conclusion = CharField(max_length=16)
        note = TextField(default='')
        follow_up = ForeignKeyField(ImprovementPlan, null=True, on_delete='RESTRICT')
        class Meta:
            database = db
            table_name = 'plan_review'
    db.create_tables([PlanReview])

    class RecordEvent(Model):
        subject = CharField(max_length=16)
        subject_id = IntegerField()
        seq = IntegerField()
        at = DateTimeField()
        actor = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        action = CharField(max_length=40)
        note = TextField(default='')
        data = TextField(default='{}')
        prev_hash = CharField(max_length=64)
        hash = CharField(max_length=64)
        class Meta:
            database = db
            table_name = 'record_event'
            indexes = ((('subject', 'subject_id', 'seq'), True),)
    db.create_tables([RecordEvent])

    migrator.migrate(migrator.add_column('notification', 'subject', CharField(max_length=16, default='')))
    migrator.migrate(migrator.add_column('notification', 'subject_id', IntegerField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('notification', 'subject_id'))
    migrator.migrate(migrator.drop_column('notification', 'subject'))
    migrator.migrate(migrator.drop_table('record_event'))
    migrator.migrate(migrator.drop_table('plan_review'))
    migrator.migrate(migrator.drop_table('plan_measure'))
    migrator.migrate(migrator.drop_table('plan_complaint'))
    migrator.migrate(migrator.drop_table('improvement_plan'))
    migrator.migrate(migrator.drop_table('group_representative'))
    migrator.migrate(migrator.drop_table('group_detail'))
    migrator.migrate(migrator.drop_table('emergency_member'))
    migrator.migrate(migrator.drop_table('emergency_response'))
    migrator.migrate(migrator.drop_table('accountability_view'))
    migrator.migrate(migrator.drop_table('accountability_evidence'))
    migrator.migrate(migrator.drop_table('accountability_record'))
