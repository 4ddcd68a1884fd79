# Generated from a schema diff on 2026-11-23 17:25.
# The status + channel filter of the list: count from the index alone, page read in order
# (measured with scripts/bench.py, see docs/performance.md).
from peewee import *

def up(migrator, db):
    migrator.migrate(migrator.add_index('complaint', ('channel', 'status', 'received_at')))


def down(migrator, db):
    migrator.migrate(migrator.drop_index('complaint', 'complaint_channel_status_received_at'))
