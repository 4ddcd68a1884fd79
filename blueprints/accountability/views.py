"""Placeholder routes; replaced by the accountability pages."""
from flask import abort
from flask_login import login_required

from blueprints.accountability import bp


@bp.get("/")
@login_required
def index():
    abort(404)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    abort(404)


@bp.get("/<int:record_id>")
@login_required
def show(record_id):
    abort(404)
