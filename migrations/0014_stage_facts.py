# Generated from a schema diff on 2026-11-23 23:33.
from peewee import *

def up(migrator, db):
    class Complaint(Model):
        class Meta:
            database = db
            table_name = 'complaint'

    class StageFact(Model):
        complaint = ForeignKeyField(Complaint, primary_key=True, on_delete='RESTRICT')
        version = IntegerField()
        basis = CharField(max_length=64)
        answered = IntegerField(default=0)
        reopened = IntegerField(default=0)
        appealed = IntegerField(default=0)
        acceptance_started = IntegerField(default=0)
        acceptance_ended = IntegerField(default=0)
        acceptance_on_time = IntegerField(null=True)
        acceptance_days = DoubleField(null=True)
        assignment_started = IntegerField(default=0)
        assignment_ended = IntegerField(default=0)
        assignment_on_time = IntegerField(null=True)
        assignment_days = DoubleField(null=True)
        receipt_started = IntegerField(default=0)
        receipt_ended = IntegerField(default=0)
        receipt_on_time = IntegerField(null=True)
        receipt_days = DoubleField(null=True)
        investigation_started = IntegerField(default=0)
        investigation_ended = IntegerField(default=0)
        investigation_on_time = IntegerField(null=True)
        investigation_days = DoubleField(null=True)
        review_started = IntegerField(default=0)
        review_ended = IntegerField(default=0)
        review_on_time = IntegerField(null=True)
        review_days = DoubleField(null=True)
        approval_started = IntegerField(default=0)
        approval_ended = IntegerField(default=0)
        approval_on_time = IntegerField(null=True)
        approval_days = DoubleField(null=True)
        response_started = IntegerField(default=0)
        response_ended = IntegerField(default=0)
        response_on_time = IntegerField(null=True)
        response_days = DoubleField(null=True)
        reply_started = IntegerField(default=0)
        reply_ended = IntegerField(default=0)
        reply_on_time = IntegerField(null=True)
        reply_days = DoubleField(null=True)
        visit_started = IntegerField(default=0)
        visit_ended = IntegerField(default=0)
        visit_on_time = IntegerField(null=True)
        visit_days = DoubleField(null=True)
        class Meta:
            database = db
            table_name = 'stage_fact'
    db.create_tables([StageFact])

    migrator.migrate(migrator.add_index('login_event', ('username', 'at')))


def down(migrator, db):
    migrator.migrate(migrator.drop_index('login_event', 'login_event_username_at'))
    migrator.migrate(migrator.drop_table('stage_fact'))
