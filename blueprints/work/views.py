"""My work (what waits on me), the board (open and overdue by stage and department),
notifications."""
from flask import flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import org_settings
from blueprints.web import redirect_after_post, roles_required
from blueprints.work import bp
from domain import notifications, work


@bp.get("")
@login_required
def index():
    from domain.emergency_queries import active_for_member
    return render_template("work/index.html",
                           work=work.my_work(current_user, org_settings()),
                           my_emergencies=active_for_member(current_user))


@bp.get("/board")
@roles_required(work.may_see_board)
def board():
    return render_template("work/board.html", board=work.board(current_user, org_settings()))


@bp.get("/notifications")
@login_required
def notifications_page():
    return render_template("work/notifications.html",
                           items=work.inbox(current_user),
                           kinds=notifications.KINDS)


@bp.post("/notifications/read")
@login_required
def mark_read():
    notifications.mark_all_read(current_user)
    flash(_("All notifications are marked as read."), "success")
    return redirect_after_post(url_for("work.notifications_page"))
