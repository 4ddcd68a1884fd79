"""Emergency responses (应急响应) and drills (演练): the list, activation, drills (views.py);
one response's page, its log, team, statements, stand-down and report (response.py)."""
from flask import Blueprint

bp = Blueprint("emergency", __name__, url_prefix="/emergencies")

from blueprints.emergency import response, views  # noqa: E402,F401
