"""Placeholder routes; replaced by the analysis pages."""
from flask import abort
from flask_login import login_required

from blueprints.analysis import bp


@bp.get("/")
@login_required
def dashboard():
    abort(404)
