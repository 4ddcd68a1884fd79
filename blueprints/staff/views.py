"""A staff member's page for leaders and admins (access.can_see_staff): the list of active
staff with their figures, and one person's complaints handled, on-time rate, satisfaction
and accountability records (each record listed is logged as viewed)."""
from flask import abort, current_app, request
from flask_login import current_user
from peewee import JOIN

from app import org_settings
from blueprints.staff import bp
from blueprints.web import page_or_fragment, roles_required
from domain import access, staff
from domain.models import Department, User

MAX_PAGE = 10_000


def _page_number() -> int:
    raw = request.args.get("page", "")
    return min(max(int(raw), 1), MAX_PAGE) if raw.isdigit() else 1


@bp.get("/")
@roles_required(access.can_see_staff)
def index():
    page = staff.staff_page(_page_number(), current_app.config["PAGE_SIZE"], org_settings())
    return page_or_fragment("staff/index.html", "staff/_results.html", page=page)


@bp.get("/<int:user_id>")
@roles_required(access.can_see_staff)
def show(user_id):
    user = (User.select(User, Department).join(Department, JOIN.LEFT_OUTER)
            .where(User.id == user_id).first())
    if user is None:
        abort(404)
    m = staff.member(user, current_user, org_settings())
    return page_or_fragment("staff/show.html", "staff/_member.html", m=m, u=user)
