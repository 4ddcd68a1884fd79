# Generated from a schema diff on 2026-11-23 17:47.
from peewee import *

def up(migrator, db):
    migrator.migrate(migrator.add_column('complaint', 'history_count', IntegerField(default=0)))
    migrator.migrate(migrator.add_column('complaint', 'history_head', CharField(max_length=64, default='')))
    # Existing complaints: record their current newest event.
    db.execute_sql(
        "UPDATE complaint SET "
        "history_count = (SELECT max(e.seq) FROM event e WHERE e.complaint_id = complaint.id), "
        "history_head = (SELECT e.hash FROM event e WHERE e.complaint_id = complaint.id "
        "ORDER BY e.seq DESC LIMIT 1) "
        "WHERE EXISTS (SELECT 1 FROM event e WHERE e.complaint_id = complaint.id)")


def down(migrator, db):
    migrator.migrate(migrator.drop_column('complaint', 'history_head'))
    migrator.migrate(migrator.drop_column('complaint', 'history_count'))
