"""Accountability records (责任追究): the list and export (views.py), opening a record
(views.py), and one record's page, steps, PDF and evidence (record.py)."""
from flask import Blueprint

bp = Blueprint("accountability", __name__, url_prefix="/accountability")

from blueprints.accountability import record, views  # noqa: E402,F401
