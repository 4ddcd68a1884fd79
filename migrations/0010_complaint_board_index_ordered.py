# Generated from a schema diff on 2026-11-23 19:10.
from peewee import *

def up(migrator, db):
    migrator.migrate(migrator.drop_index('complaint', 'complaint_status_department_id_stage_due_on'))
    migrator.migrate(migrator.add_index('complaint', ('status', 'department_id', 'stage_due_on', 'received_at')))


def down(migrator, db):
    migrator.migrate(migrator.drop_index('complaint', 'complaint_status_department_id_stage_due_on_received_at'))
    migrator.migrate(migrator.add_index('complaint', ('status', 'department_id', 'stage_due_on')))
