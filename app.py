"""Application factory."""
import datetime as dt

from flask import Flask, g, has_request_context, make_response, redirect, request, session
from flask_babel import get_locale
from flask_login import current_user, login_url

from config import Config
from extensions import babel, csrf, db, htmx, limiter, login_manager
from domain.database import open_database
from domain.settings import load_settings


def select_locale():
    if not has_request_context():  # CLI commands, background jobs: the default language
        return None
    if current_user and current_user.is_authenticated and current_user.locale:
        return current_user.locale
    if session.get("lang") in ("en", "zh_Hans"):
        return session["lang"]
    for lang, _q in request.accept_languages:
        lang = lang.lower()
        if lang.startswith("zh"):
            return "zh_Hans"
        if lang.startswith("en"):
            return "en"
    return "en"


def select_timezone():
    return org_settings()["timezone"]


def org_settings() -> dict:
    """Organisation settings, read once per request."""
    if "org_settings" not in g:
        g.org_settings = load_settings()
    return g.org_settings


def _unauthorized():
    """Signed out: plain requests go to the sign-in page; htmx requests are told to go there."""
    target = login_url("auth.login", next_url=request.full_path.rstrip("?")
                       if request.method == "GET" else None)
    if request.headers.get("HX-Request") == "true":
        response = make_response("", 401)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)


def create_app(config=None) -> Flask:
    app = Flask(__name__, instance_path=str((config or Config()).INSTANCE_DIR))
    app.config.from_object(config or Config())
    app.config["UPLOAD_DIR"].mkdir(parents=True, exist_ok=True)
    app.config["DOCUMENT_DIR"].mkdir(parents=True, exist_ok=True)
    if app.config.get("PROXY_HOPS"):  # behind a reverse proxy: trust its X-Forwarded-* headers
        from werkzeug.middleware.proxy_fix import ProxyFix
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    database = open_database(app.config["DATABASE_URL"])
    csrf.init_app(app)
    htmx.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)
    login_manager.init_app(app)
    # A session seen from another address or browser is no longer "fresh": it may still
    # read, but changing a password or administering needs the password again.
    login_manager.session_protection = "basic"
    login_manager.refresh_view = "auth.login"
    login_manager.needs_refresh_message = None
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.unauthorized_handler(_unauthorized)

    @app.before_request
    def _connect():
        database.connect(reuse_if_open=True)

    @app.teardown_appcontext
    def _close(_exc):
        if not database.is_closed():
            database.close()

    from blueprints import register_blueprints
    register_blueprints(app)

    from blueprints.auth.session_guard import install_session_guard
    install_session_guard(app)  # ended, idle or expired sessions are signed out

    from blueprints.filters import register_filters
    register_filters(app)

    from blueprints.core.security import install_security_headers
    install_security_headers(app)

    from cli import register_cli
    register_cli(app)

    app.jinja_env.globals.update(org_settings=org_settings, get_locale=get_locale)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.config.setdefault("STARTED_AT", dt.datetime.now(dt.timezone.utc))
    return app
