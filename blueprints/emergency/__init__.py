"""Emergency: see views.py."""
from flask import Blueprint

bp = Blueprint("emergency", __name__, url_prefix="/emergencies")

from blueprints.emergency import views  # noqa: E402,F401
