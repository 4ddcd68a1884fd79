# Generated from a schema diff on 2026-11-23 18:20.
from peewee import *

def up(migrator, db):
    migrator.migrate(migrator.add_index('complaint', ('status', 'department_id', 'stage_due_on')))


def down(migrator, db):
    migrator.migrate(migrator.drop_index('complaint', 'complaint_status_department_id_stage_due_on'))
