from flask import Blueprint

bp = Blueprint("complaints", __name__, url_prefix="/complaints")

from blueprints.complaints import views, actions  # noqa: E402,F401
from blueprints.complaints import documents  # noqa: E402,F401
