"""Letters to the complainant: prepare (preview, edit the free text), issue, print, deliver."""
from flask import Blueprint

bp = Blueprint("letters", __name__)

from blueprints.letters import views  # noqa: E402,F401
