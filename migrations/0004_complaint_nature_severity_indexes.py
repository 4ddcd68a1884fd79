# Generated from a schema diff on 2026-11-23 17:50.
from peewee import *

def up(migrator, db):
    migrator.migrate(migrator.add_index('complaint', ('nature', 'received_at')))
    migrator.migrate(migrator.add_index('complaint', ('severity', 'received_at')))


def down(migrator, db):
    migrator.migrate(migrator.drop_index('complaint', 'complaint_severity_received_at'))
    migrator.migrate(migrator.drop_index('complaint', 'complaint_nature_received_at'))
