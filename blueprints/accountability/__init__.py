"""Accountability: see views.py."""
from flask import Blueprint

bp = Blueprint("accountability", __name__, url_prefix="/accountability")

from blueprints.accountability import views  # noqa: E402,F401
