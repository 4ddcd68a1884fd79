from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from blueprints.admin import email, letterhead, lists, views  # noqa: E402,F401
from blueprints.admin import privacy  # noqa: E402,F401
from blueprints.admin import security  # noqa: E402,F401
