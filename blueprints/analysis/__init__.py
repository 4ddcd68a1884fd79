"""Analysis: see views.py."""
from flask import Blueprint

bp = Blueprint("analysis", __name__, url_prefix="/analysis")

from blueprints.analysis import views  # noqa: E402,F401
