# Generated from a schema diff on 2026-11-23 18:05.
from peewee import *

def up(migrator, db):
    migrator.migrate(migrator.add_index('complaint', ('assignee_id', 'status', 'received_at')))
    migrator.migrate(migrator.add_index('complaint', ('department_id', 'status', 'received_at')))
    migrator.migrate(migrator.add_index('complaint', ('registered_by_id', 'status', 'received_at')))


def down(migrator, db):
    migrator.migrate(migrator.drop_index('complaint', 'complaint_registered_by_id_status_received_at'))
    migrator.migrate(migrator.drop_index('complaint', 'complaint_department_id_status_received_at'))
    migrator.migrate(migrator.drop_index('complaint', 'complaint_assignee_id_status_received_at'))
