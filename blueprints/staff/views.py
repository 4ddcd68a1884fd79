"""Placeholder routes; replaced by the staff pages."""
from flask import abort
from flask_login import login_required

from blueprints.staff import bp


@bp.get("/")
@login_required
def index():
    abort(404)


@bp.get("/<int:user_id>")
@login_required
def show(user_id):
    abort(404)
