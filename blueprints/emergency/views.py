"""Placeholder routes; replaced by the emergency response pages."""
from flask import abort
from flask_login import login_required

from blueprints.emergency import bp


@bp.get("/")
@login_required
def index():
    abort(404)


@bp.route("/activate/<int:complaint_id>", methods=["GET", "POST"])
@login_required
def activate(complaint_id):
    abort(404)


@bp.route("/drill", methods=["GET", "POST"])
@login_required
def new_drill():
    abort(404)


@bp.get("/<int:response_id>")
@login_required
def show(response_id):
    abort(404)
