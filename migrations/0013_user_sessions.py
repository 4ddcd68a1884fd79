# Generated from a schema diff on 2026-11-23 22:15.
from peewee import *

# Timestamp defaults (utcnow) are set by the application models, not the database.

def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class AuditEntry(Model):
        at = DateTimeField(index=True)
        actor = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        action = CharField(max_length=32)
        target_user = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        detail = TextField(default='{}')
        class Meta:
            database = db
            table_name = 'audit_entry'
            indexes = ((('target_user', 'action', 'at'), False),)
    db.create_tables([AuditEntry])

    class UserSession(Model):
        id = CharField(primary_key=True, max_length=64)
        user = ForeignKeyField(User, on_delete='RESTRICT')
        created_at = DateTimeField()
        last_seen_at = DateTimeField()
        ip = CharField(max_length=64, default='')
        user_agent = CharField(max_length=120, default='')
        ended_at = DateTimeField(null=True)
        ended_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        end_reason = CharField(max_length=16, default='')
        class Meta:
            database = db
            table_name = 'user_session'
            indexes = ((('user', 'ended_at'), False), (('ended_at', 'last_seen_at'), False))
    db.create_tables([UserSession])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('user_session'))
    migrator.migrate(migrator.drop_table('audit_entry'))
