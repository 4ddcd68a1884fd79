from flask import Blueprint

bp = Blueprint("complaints", __name__, url_prefix="/complaints")

from blueprints.complaints import views  # noqa: E402,F401
