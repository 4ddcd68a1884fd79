# Generated from a schema diff on 2026-11-23 21:23.
from peewee import *

# Timestamp defaults (utcnow) are set by the application models, not the database.

def up(migrator, db):
    class Complaint(Model):
        class Meta:
            database = db
            table_name = 'complaint'

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class MailIntake(Model):
        message_id = CharField(unique=True, max_length=300)
        complaint = ForeignKeyField(Complaint, null=True, on_delete='RESTRICT')
        sender = CharField(max_length=254, default='')
        subject = CharField(max_length=300, default='')
        received_at = DateTimeField()
        status = CharField(max_length=12, default='registered')
        error = TextField(default='')
        class Meta:
            database = db
            table_name = 'mail_intake'
    db.create_tables([MailIntake])

    class OutboxMessage(Model):
        kind = CharField(max_length=32)
        to_address = CharField(max_length=254)
        to_name = CharField(max_length=120, default='')
        language = CharField(max_length=10, default='')
        subject = CharField(max_length=300)
        body = TextField()
        attachment_path = CharField(max_length=300, default='')
        attachment_sha256 = CharField(max_length=64, default='')
        attachment_name = CharField(max_length=200, default='')
        complaint = ForeignKeyField(Complaint, null=True, on_delete='RESTRICT')
        user = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        status = CharField(max_length=12, default='queued')
        attempts = IntegerField(default=0)
        next_attempt_at = DateTimeField()
        last_error = TextField(default='')
        created_at = DateTimeField()
        sent_at = DateTimeField(null=True)
        message_id = CharField(max_length=200)
        dedupe_key = CharField(unique=True, null=True, max_length=120)
        class Meta:
            database = db
            table_name = 'outbox_message'
            indexes = ((('status', 'next_attempt_at'), False), (('created_at',), False))
    db.create_tables([OutboxMessage])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('outbox_message'))
    migrator.migrate(migrator.drop_table('mail_intake'))
