"""Placeholder routes; replaced by the improvement plan pages."""
from flask import abort
from flask_login import login_required

from blueprints.plans import bp


@bp.get("/")
@login_required
def index():
    abort(404)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    abort(404)


@bp.get("/<int:plan_id>")
@login_required
def show(plan_id):
    abort(404)
