"""Per-request check of a signed-in session: ended (by an administrator, a password change,
deactivation) → signed out; idle longer than SESSION_IDLE_MINUTES or older than
SESSION_LIFETIME_MINUTES → signed out with a message. The "still open" check is part of the
query that loads the user (blueprints.auth.views.load_user), so it costs no extra query;
the last-seen time is written at most once a minute."""
import time

from flask import current_app, flash, request, session
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from domain import sessions

# The name of the session key holding the token (bandit takes it for a password).
SESSION_TOKEN = "sid"  # nosec B105
STARTED = "started"
SEEN = "seen"


def begin(token: str) -> None:
    """Note a new sign-in in the (just cleared) Flask session."""
    now = int(time.time())
    session[SESSION_TOKEN] = token
    session[STARTED] = now
    session[SEEN] = now


def current_key() -> str | None:
    token = session.get(SESSION_TOKEN)
    return sessions.key_of(token) if isinstance(token, str) and token else None


def _sign_out(message: str | None, reason: str | None) -> None:
    key = current_key()
    if key and reason:
        sessions.end(key, reason)
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    if message:
        flash(message, "info")


def check_session() -> None:
    if "_user_id" not in session or request.endpoint == "static":
        return
    if not current_user.is_authenticated:
        # The user loader refused the session: ended elsewhere, password changed, deactivated.
        _sign_out(_("You were signed out. Please sign in again."), None)
        return
    now = int(time.time())
    config = current_app.config
    seen = session.get(SEEN, 0)
    started = session.get(STARTED, 0)
    if not isinstance(seen, int) or not isinstance(started, int):
        _sign_out(_("You were signed out. Please sign in again."), "expired")
    elif now - started > current_app.permanent_session_lifetime.total_seconds():
        _sign_out(_("Your sign-in has expired. Please sign in again."), "expired")
    elif now - seen > int(config["SESSION_IDLE_MINUTES"]) * 60:
        _sign_out(_("You were signed out after %(minutes)s minutes without activity.",
                    minutes=config["SESSION_IDLE_MINUTES"]), "idle")
    elif now - seen >= sessions.TOUCH_EVERY_SECONDS:
        session[SEEN] = now
        sessions.touch(current_key())


def install_session_guard(app) -> None:
    app.before_request(check_session)
