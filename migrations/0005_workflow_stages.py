# Generated from a schema diff on 2026-11-23 17:54.
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

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Proposal(Model):
        complaint = ForeignKeyField(Complaint, on_delete='RESTRICT')
        author = ForeignKeyField(User, on_delete='RESTRICT')
        submitted_at = DateTimeField()
        apology = TextField(default='')
        responsibility = TextField(default='')
        current = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'proposal'
    db.create_tables([Proposal])

    class Approval(Model):
        complaint = ForeignKeyField(Complaint, on_delete='RESTRICT')
        proposal = ForeignKeyField(Proposal, on_delete='RESTRICT')
        level = IntegerField()
        approved = BooleanField()
        decided_by = ForeignKeyField(User, on_delete='RESTRICT')
        decided_at = DateTimeField()
        comment = TextField(default='')
        class Meta:
            database = db
            table_name = 'approval'
    db.create_tables([Approval])

    class Assignment(Model):
        complaint = ForeignKeyField(Complaint, on_delete='RESTRICT')
        department = ForeignKeyField(Department, on_delete='RESTRICT')
        requirements = TextField(default='')
        due_on = DateField()
        assigned_by = ForeignKeyField(User, on_delete='RESTRICT')
        assigned_at = DateTimeField()
        transfer_reason = TextField(default='')
        received_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        received_at = DateTimeField(null=True)
        investigator = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        current = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'assignment'
    db.create_tables([Assignment])

    class CalendarDay(Model):
        day = DateField(unique=True)
        working = BooleanField()
        note = CharField(max_length=200, default='')
        class Meta:
            database = db
            table_name = 'calendar_day'
    db.create_tables([CalendarDay])

    class Dispute(Model):
        complaint = ForeignKeyField(Complaint, on_delete='RESTRICT')
        kind = CharField(max_length=16)
        body = CharField(max_length=200, default='')
        reference = CharField(max_length=120, default='')
        reason = TextField(default='')
        started_on = DateField()
        outcome = TextField(default='')
        ended_on = DateField(null=True)
        recorded_by = ForeignKeyField(User, on_delete='RESTRICT')
        recorded_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'dispute'
    db.create_tables([Dispute])

    class Extension(Model):
        complaint = ForeignKeyField(Complaint, on_delete='RESTRICT')
        requested_by = ForeignKeyField(User, on_delete='RESTRICT')
        requested_at = DateTimeField()
        days = IntegerField()
        reason = TextField()
        decided_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        decided_at = DateTimeField(null=True)
        approved = BooleanField(null=True)
        comment = TextField(default='')
        class Meta:
            database = db
            table_name = 'extension'
    db.create_tables([Extension])

    class RootCause(Model):
        code = CharField(unique=True, max_length=40)
        name = CharField(max_length=120)
        name_zh = CharField(max_length=120, default='')
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'root_cause'
    db.create_tables([RootCause])

    class Investigation(Model):
        complaint = ForeignKeyField(Complaint, on_delete='RESTRICT')
        investigator = ForeignKeyField(User, on_delete='RESTRICT')
        methods = CharField(max_length=200)
        facts_verdict = CharField(max_length=16)
        facts_text = TextField()
        root_cause = ForeignKeyField(RootCause, on_delete='RESTRICT')
        root_cause_text = TextField(default='')
        impact_customer = TextField(default='')
        impact_reputation = TextField(default='')
        impact_business = TextField(default='')
        submitted_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'investigation'
    db.create_tables([Investigation])

    class Measure(Model):
        proposal = ForeignKeyField(Proposal, on_delete='RESTRICT')
        description = TextField()
        owner = ForeignKeyField(User, on_delete='RESTRICT')
        due_on = DateField()
        done_at = DateTimeField(null=True)
        done_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        done_note = TextField(default='')
        waived = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'measure'
    db.create_tables([Measure])

    class Notification(Model):
        user = ForeignKeyField(User, on_delete='RESTRICT')
        complaint = ForeignKeyField(Complaint, null=True, on_delete='RESTRICT')
        kind = CharField(max_length=40)
        created_at = DateTimeField()
        read_at = DateTimeField(null=True)
        day_key = CharField(max_length=80, default='')
        class Meta:
            database = db
            table_name = 'notification'
            indexes = ((('user', 'read_at', 'created_at'), False), (('day_key',), False))
    db.create_tables([Notification])

    class Remedy(Model):
        proposal = ForeignKeyField(Proposal, on_delete='RESTRICT')
        kind = CharField(max_length=16)
        amount = DecimalField(null=True, max_digits=12, decimal_places=2)
        currency = CharField(max_length=3, default='CNY')
        description = TextField(default='')
        done_at = DateTimeField(null=True)
        done_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        done_note = TextField(default='')
        waived = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'remedy'
    db.create_tables([Remedy])

    class Response(Model):
        complaint = ForeignKeyField(Complaint, on_delete='RESTRICT')
        method = CharField(max_length=20)
        sent_on = DateField()
        recipient = CharField(max_length=200)
        recorded_by = ForeignKeyField(User, on_delete='RESTRICT')
        recorded_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'response'
    db.create_tables([Response])

    class Visit(Model):
        complaint = ForeignKeyField(Complaint, on_delete='RESTRICT')
        method = CharField(max_length=16)
        visited_on = DateField()
        satisfaction = IntegerField()
        resolved = BooleanField()
        comments = TextField(default='')
        recorded_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        recorded_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'visit'
    db.create_tables([Visit])

    migrator.migrate(migrator.add_column('complaint', 'accepted_at', DateTimeField(null=True)))
    migrator.migrate(migrator.add_column('complaint', 'rejection_reason', TextField(default='')))
    migrator.migrate(migrator.add_column('complaint', 'responded_at', DateTimeField(null=True)))
    migrator.migrate(migrator.add_column('complaint', 'stage_due_on', DateField(null=True)))
    migrator.migrate(migrator.add_column('complaint', 'reply_due_on', DateField(null=True)))
    migrator.migrate(migrator.add_column('complaint', 'investigation_started_on', DateField(null=True)))
    migrator.migrate(migrator.add_column('complaint', 'investigation_days', IntegerField(default=0)))
    migrator.migrate(migrator.add_index('complaint', ('status', 'stage_due_on')))

    # The root-cause categories of the procedure; an admin can add more.
    for code, name, name_zh in (
            ("management_gap", "Management gap", "管理漏洞"),
            ("operator_error", "Operator error", "操作失误"),
            ("product_defect", "Product defect", "产品缺陷"),
            ("service_shortfall", "Service shortfall", "服务不到位"),
            ("other", "Other", "其他")):
        db.execute_sql("INSERT INTO root_cause (code, name, name_zh, active) VALUES (%s)"
                       % ", ".join([db.param] * 4), (code, name, name_zh, True))


def down(migrator, db):
    migrator.migrate(migrator.drop_index('complaint', 'complaint_status_stage_due_on'))
    migrator.migrate(migrator.drop_column('complaint', 'investigation_days'))
    migrator.migrate(migrator.drop_column('complaint', 'investigation_started_on'))
    migrator.migrate(migrator.drop_column('complaint', 'reply_due_on'))
    migrator.migrate(migrator.drop_column('complaint', 'stage_due_on'))
    migrator.migrate(migrator.drop_column('complaint', 'responded_at'))
    migrator.migrate(migrator.drop_column('complaint', 'rejection_reason'))
    migrator.migrate(migrator.drop_column('complaint', 'accepted_at'))
    migrator.migrate(migrator.drop_table('visit'))
    migrator.migrate(migrator.drop_table('response'))
    migrator.migrate(migrator.drop_table('remedy'))
    migrator.migrate(migrator.drop_table('notification'))
    migrator.migrate(migrator.drop_table('measure'))
    migrator.migrate(migrator.drop_table('investigation'))
    migrator.migrate(migrator.drop_table('root_cause'))
    migrator.migrate(migrator.drop_table('extension'))
    migrator.migrate(migrator.drop_table('dispute'))
    migrator.migrate(migrator.drop_table('calendar_day'))
    migrator.migrate(migrator.drop_table('assignment'))
    migrator.migrate(migrator.drop_table('approval'))
    migrator.migrate(migrator.drop_table('proposal'))
