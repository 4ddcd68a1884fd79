from flask import Blueprint

bp = Blueprint("core", __name__)

from blueprints.core import health, views  # noqa: E402,F401
