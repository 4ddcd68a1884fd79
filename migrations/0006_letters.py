# Generated from a schema diff on 2026-11-23 17:58.
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

    class Dossier(Model):
        complaint = ForeignKeyField(Complaint, unique=True, on_delete='RESTRICT')
        stored_name = CharField(unique=True, max_length=80)
        sha256 = CharField(max_length=64)
        size = IntegerField()
        pages = IntegerField()
        created_by = ForeignKeyField(User, on_delete='RESTRICT')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'dossier'
    db.create_tables([Dossier])

    class Letter(Model):
        complaint = ForeignKeyField(Complaint, on_delete='RESTRICT')
        kind = CharField(max_length=24)
        version = IntegerField()
        language = CharField(max_length=10)
        reference = CharField(unique=True, max_length=60)
        paragraphs = TextField()
        stored_name = CharField(unique=True, max_length=80)
        sha256 = CharField(max_length=64)
        size = IntegerField()
        pages = IntegerField()
        issued_by = ForeignKeyField(User, on_delete='RESTRICT')
        issued_at = DateTimeField()
        delivery_method = CharField(max_length=20, default='')
        delivered_on = DateField(null=True)
        delivery_recorded_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        class Meta:
            database = db
            table_name = 'letter'
            indexes = ((('complaint', 'kind', 'version'), True),)
    db.create_tables([Letter])

    class LetterText(Model):
        kind = CharField(max_length=24)
        language = CharField(max_length=10)
        paragraphs = TextField()
        active = BooleanField(default=True)
        updated_by = ForeignKeyField(User, on_delete='RESTRICT')
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'letter_text'
            indexes = ((('kind', 'language', 'active'), False),)
    db.create_tables([LetterText])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('letter_text'))
    migrator.migrate(migrator.drop_table('letter'))
    migrator.migrate(migrator.drop_table('dossier'))
