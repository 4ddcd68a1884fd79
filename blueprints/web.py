"""Helpers every view uses: page-or-fragment rendering, loaders that check access,
form error handling and time-zone conversion."""
import datetime as dt
import hashlib
from functools import wraps
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import (abort, current_app, make_response, redirect, render_template, request,
                   send_file)
from flask_login import current_user, fresh_login_required, login_required

from domain import access
from domain.models import Complaint, Department, User


def is_fragment_request() -> bool:
    """An htmx request asking for part of a page (not boosted, not a history restore)."""
    return (request.headers.get("HX-Request") == "true"
            and request.headers.get("HX-Boosted") != "true"
            and request.headers.get("HX-History-Restore-Request") != "true")


def page_or_fragment(page_template: str, fragment: str, status: int = 200, **context):
    """The fragment for htmx requests, the whole page otherwise; both from one source."""
    template = fragment if is_fragment_request() else page_template
    response = make_response(render_template(template, **context), status)
    response.headers["Vary"] = "HX-Request"
    return response


def redirect_after_post(url: str):
    """303 for plain form posts; an HX-Redirect for htmx posts."""
    if request.headers.get("HX-Request") == "true":
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, 303)


def safe_next_url(target: str | None, fallback: str) -> str:
    """`target` if it is a path on this site, else `fallback` (no open redirects)."""
    if (target and target.startswith("/") and not target.startswith(("//", "/\\"))
            and "\\" not in target and not urlsplit(target).netloc
            and not urlsplit(target).scheme):
        return target
    return fallback


def send_stored_pdf(path, sha256: str, download_name: str, what: str):
    """Serve one of our stored PDFs (letter, dossier) inline, exactly as made: a missing
    file is 404 and a file that no longer matches its SHA-256 is 500 (both logged)."""
    if not path.is_file():
        current_app.logger.error("%s: file %s is missing", what, path)
        abort(404)
    if hashlib.sha256(path.read_bytes()).hexdigest() != sha256:
        current_app.logger.error("%s: file %s does not match its SHA-256", what, path)
        abort(500)
    response = send_file(path, mimetype="application/pdf", as_attachment=False,
                         download_name=download_name, max_age=0, conditional=True,
                         etag=sha256)
    response.headers["Cache-Control"] = "private, no-cache"
    # Opened in the browser's PDF viewer: a sandbox or the pages' style policy can stop
    # Chrome's viewer from drawing it, so only framing is restricted here.
    response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
    return response


def get_complaint_or_404(complaint_id: int, need: str = "view") -> Complaint:
    """Load a complaint the current user may `need` (view/edit/evidence), else 404/403."""
    complaint = Complaint.get_or_none(Complaint.id == complaint_id)
    if complaint is None or not access.can_view(current_user, complaint):
        abort(404)
    if need != "view" and not access.may(current_user, need, complaint):
        abort(403)
    return complaint


def roles_required(check, fresh: bool = False):
    """Decorator: login required (a fresh one if `fresh`), then `check(current_user)` must
    hold (else 403)."""
    def decorator(view):
        @wraps(view)
        @(fresh_login_required if fresh else login_required)
        def wrapped(*args, **kwargs):
            if not check(current_user):
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


def active_departments():
    return list(Department.select().where(Department.active).order_by(Department.name))


def active_users():
    return list(User.select().where(User.active).order_by(User.full_name))


def local_to_utc(value: dt.datetime | None, tz_name: str) -> dt.datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=ZoneInfo(tz_name)).astimezone(dt.timezone.utc).replace(tzinfo=None)


def utc_to_local(value: dt.datetime | None, tz_name: str) -> dt.datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=dt.timezone.utc).astimezone(ZoneInfo(tz_name)).replace(tzinfo=None)
