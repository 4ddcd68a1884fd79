"""A complainant's own appeal (made on the public pages) has no staff member recording it.

pwmigrate does not detect null changes, so this one is written with playhouse.migrate.
"""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.drop_not_null('dispute', 'recorded_by_id'))


def down(migrator, db):
    migrator.migrate(migrator.add_not_null('dispute', 'recorded_by_id'))
