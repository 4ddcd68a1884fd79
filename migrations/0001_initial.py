# Generated from a schema diff on 2026-11-23 17:17.
from peewee import *

# Timestamp defaults (utcnow) are set by the application models, not the database.

def up(migrator, db):
    class Department(Model):
        name = CharField(unique=True, max_length=120)
        name_zh = CharField(max_length=120, default='')
        active = BooleanField(default=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'department'
    db.create_tables([Department])

    class User(Model):
        username = CharField(unique=True, max_length=64)
        full_name = CharField(max_length=120)
        email = CharField(max_length=254, default='')
        password_hash = CharField()
        roles = CharField(max_length=200, default='')
        department = ForeignKeyField(Department, null=True, on_delete='RESTRICT')
        locale = CharField(max_length=10, default='')
        active = BooleanField(default=True)
        created_at = DateTimeField()
        password_changed_at = DateTimeField(null=True)
        session_version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'user'
    db.create_tables([User])

    class Complaint(Model):
        number = CharField(unique=True, max_length=40)
        lookup_code_hash = CharField(max_length=64)
        status = CharField(max_length=24, default='registered')
        version = IntegerField(default=1)
        channel = CharField(max_length=16)
        language = CharField(max_length=10, default='zh_Hans')
        received_at = DateTimeField()
        registered_at = DateTimeField()
        registered_by = ForeignKeyField(User, on_delete='RESTRICT')
        first_contact = ForeignKeyField(User, on_delete='RESTRICT')
        complainant_name = CharField(max_length=120)
        complainant_phone = CharField(max_length=40, default='')
        complainant_email = CharField(max_length=254, default='')
        complainant_address = CharField(max_length=300, default='')
        contact_key = CharField(index=True, max_length=254, default='')
        matter = TextField()
        demand = TextField(default='')
        order_ref = CharField(max_length=120, default='')
        amount_claimed = DecimalField(null=True, max_digits=12, decimal_places=2)
        nature = CharField(max_length=24, default='')
        severity = CharField(max_length=16, default='ordinary')
        urgency = CharField(max_length=16, default='normal')
        regulator_name = CharField(max_length=120, default='')
        regulator_ref = CharField(max_length=120, default='')
        regulator_due = DateTimeField(null=True)
        department = ForeignKeyField(Department, null=True, on_delete='RESTRICT')
        assignee = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        updated_at = DateTimeField()
        closed_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'complaint'
            indexes = ((('received_at', 'id'), False), (('status', 'received_at'), False), (('channel', 'received_at'), False), (('department', 'received_at'), False), (('assignee', 'received_at'), False), (('registered_by', 'received_at'), False), (('complainant_email',), False))
    db.create_tables([Complaint])

    class Event(Model):
        complaint = ForeignKeyField(Complaint, on_delete='RESTRICT')
        seq = IntegerField()
        at = DateTimeField()
        actor = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        action = CharField(max_length=40)
        from_status = CharField(max_length=24, default='')
        to_status = CharField(max_length=24, default='')
        note = TextField(default='')
        public = BooleanField(default=False)
        prev_hash = CharField(max_length=64)
        hash = CharField(max_length=64)
        class Meta:
            database = db
            table_name = 'event'
            indexes = ((('complaint', 'seq'), True),)
    db.create_tables([Event])

    class Evidence(Model):
        complaint = ForeignKeyField(Complaint, on_delete='RESTRICT')
        original_name = CharField()
        stored_name = CharField(unique=True, max_length=80)
        mime_type = CharField(max_length=100)
        size = IntegerField()
        sha256 = CharField(max_length=64)
        uploaded_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        uploaded_at = DateTimeField()
        source = CharField(max_length=16, default='staff')
        class Meta:
            database = db
            table_name = 'evidence'
    db.create_tables([Evidence])

    class FieldChange(Model):
        event = ForeignKeyField(Event, on_delete='RESTRICT')
        field = CharField(max_length=40)
        old = TextField(default='')
        new = TextField(default='')
        class Meta:
            database = db
            table_name = 'field_change'
    db.create_tables([FieldChange])

    class LoginEvent(Model):
        at = DateTimeField(index=True)
        username = CharField(max_length=64)
        user = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        ip = CharField(max_length=64, default='')
        success = BooleanField()
        class Meta:
            database = db
            table_name = 'login_event'
    db.create_tables([LoginEvent])

    class NumberSequence(Model):
        name = CharField(primary_key=True, max_length=40)
        value = BigIntegerField(default=0)
        class Meta:
            database = db
            table_name = 'number_sequence'
    db.create_tables([NumberSequence])

    class Setting(Model):
        key = CharField(primary_key=True, max_length=64)
        value = TextField()
        class Meta:
            database = db
            table_name = 'setting'
    db.create_tables([Setting])

    # Keyword search (SQLite): CJK text is stored as bigrams, see domain/search.py.
    if isinstance(db, SqliteDatabase):
        db.execute_sql("CREATE VIRTUAL TABLE complaint_fts USING fts5("
                       "body, tokenize = 'unicode61 remove_diacritics 2')")
    else:  # PostgreSQL: the same words as a tsvector (domain/search_pg.py)
        db.execute_sql("CREATE TABLE complaint_search ("
                       "id integer PRIMARY KEY, body tsvector NOT NULL)")
        db.execute_sql("CREATE INDEX complaint_search_body ON complaint_search USING gin (body)")


def down(migrator, db):
    if isinstance(db, SqliteDatabase):
        db.execute_sql("DROP TABLE IF EXISTS complaint_fts")
    else:
        db.execute_sql("DROP TABLE IF EXISTS complaint_search")
    migrator.migrate(migrator.drop_table('setting'))
    migrator.migrate(migrator.drop_table('number_sequence'))
    migrator.migrate(migrator.drop_table('login_event'))
    migrator.migrate(migrator.drop_table('field_change'))
    migrator.migrate(migrator.drop_table('evidence'))
    migrator.migrate(migrator.drop_table('event'))
    migrator.migrate(migrator.drop_table('complaint'))
    migrator.migrate(migrator.drop_table('user'))
    migrator.migrate(migrator.drop_table('department'))
