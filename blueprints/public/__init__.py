"""The complainant's side (Part E): /complain (the online form) and /track (the status
lookup with number and lookup code). No sign-in; nothing about staff is shown."""
from flask import Blueprint

bp = Blueprint("public", __name__)

from blueprints.public import views, track  # noqa: E402,F401
