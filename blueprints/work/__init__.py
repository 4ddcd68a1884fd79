"""My work, the board and notifications; plus what every page's header needs from them."""
from flask import Blueprint, g
from flask_login import current_user

bp = Blueprint("work", __name__, url_prefix="/work")


@bp.app_context_processor
def _header_helpers():
    return {"org_today": org_today, "unread_notifications": unread_notifications,
            "can_see_board": can_see_board}


def can_see_board() -> bool:
    from domain.work import may_see_board
    return current_user.is_authenticated and may_see_board(current_user)


def org_today():
    """Today in the organisation's time zone, worked out once per request."""
    if "org_today" not in g:
        from app import org_settings
        from domain.deadlines import local_date
        from domain.models import utcnow
        g.org_today = local_date(utcnow(), org_settings())
    return g.org_today


def unread_notifications() -> int:
    """The signed-in user's unread notifications: one query, only on pages that show it."""
    if not current_user.is_authenticated:
        return 0
    if "unread_notifications" not in g:
        from domain.notifications import unread_count
        g.unread_notifications = unread_count(current_user)
    return g.unread_notifications


from blueprints.work import views  # noqa: E402,F401
