"""Signed-in sessions: started at sign-in, seen on each request (written at most once a
minute), ended by signing out, by being idle or too old, by a password change or
deactivation, or by an administrator. The browser holds a random token in its signed
session cookie; the database holds only the token's SHA-256 (the session's id)."""
import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from peewee import JOIN

from extensions import db
from domain import access, audit
from domain.errors import Forbidden
from domain.models import Department, User, utcnow
from domain.queries import Page
from domain.security_models import UserSession

TOUCH_EVERY_SECONDS = 60

END_REASONS = {
    "signed_out": _l("Signed out"),
    "idle": _l("Idle too long"),
    "expired": _l("Sign-in expired"),
    "forced": _l("Signed out by an administrator"),
    "password": _l("Password changed"),
    "deactivated": _l("Account deactivated"),
    "replaced": _l("Signed in again"),
}


def key_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(user: User, ip: str, user_agent: str) -> str:
    """Record a new sign-in; return the token to keep in the session cookie."""
    token = secrets.token_urlsafe(32)
    with db.atomic():
        UserSession.create(id=key_of(token), user=user, ip=(ip or "")[:64],
                           user_agent=short_agent(user_agent))
    return token


def short_agent(user_agent: str) -> str:
    """The browser and system in a few words ("Firefox 128 · Windows")."""
    ua = user_agent or ""
    browser = next((name for name, mark in (
        ("Edge", "Edg/"), ("Opera", "OPR/"), ("Firefox", "Firefox/"), ("Chrome", "Chrome/"),
        ("Safari", "Safari/")) if mark in ua), "")
    if browser:
        mark = {"Edge": "Edg/", "Opera": "OPR/", "Safari": "Version/"}.get(browser,
                                                                          browser + "/")
        version = ua.split(mark, 1)[1].split(".", 1)[0].split(" ", 1)[0] if mark in ua else ""
        browser = f"{browser} {version}".strip()
    system = next((name for name, mark in (
        ("Android", "Android"), ("iOS", "iPhone"), ("iOS", "iPad"), ("Windows", "Windows"),
        ("macOS", "Mac OS X"), ("Linux", "Linux")) if mark in ua), "")
    short = " · ".join(part for part in (browser, system) if part)
    return (short or ua)[:120]


def touch(key: str, now: dt.datetime | None = None) -> None:
    """The session was used: note it (the caller limits this to once a minute)."""
    UserSession.update(last_seen_at=now or utcnow()).where(
        (UserSession.id == key) & UserSession.ended_at.is_null()).execute()


def end(key: str, reason: str, by: User | None = None) -> None:
    """End one session (signing out, idle, expired, replaced by a new sign-in)."""
    with db.atomic():
        UserSession.update(ended_at=utcnow(), end_reason=reason, ended_by=by).where(
            (UserSession.id == key) & UserSession.ended_at.is_null()).execute()


def end_all(user: User, reason: str, by: User | None = None, keep: str | None = None) -> int:
    """End every open session of `user` except `keep` (call inside the change's transaction)."""
    query = UserSession.update(ended_at=utcnow(), end_reason=reason, ended_by=by).where(
        (UserSession.user == user.id) & UserSession.ended_at.is_null())
    if keep:
        query = query.where(UserSession.id != keep)
    return query.execute()


# Who may end a session: domain/access.py (re-exported for the views).
may_end = access.can_end_session


def force_end(session_id: str, actor: User) -> UserSession:
    """End a session from the admin page or the person's own account page. Ending another
    person's session is written to the audit trail."""
    with db.atomic():
        session = UserSession.get_or_none(UserSession.id == session_id)
        if session is None or not may_end(actor, session):
            raise Forbidden(_l("You may not end this session."))
        if session.ended_at is None:
            own = session.user_id == actor.id
            session.ended_at, session.ended_by = utcnow(), actor
            session.end_reason = "signed_out" if own else "forced"
            session.save()
            if not own:
                audit.record("session_ended", actor=actor, target=session.user,
                             ip=session.ip, browser=session.user_agent)
        return session


@dataclass
class Limits:
    idle_minutes: int
    lifetime_minutes: int

    def alive(self, now: dt.datetime | None = None):
        """The condition for a session that is still usable."""
        now = now or utcnow()
        return (UserSession.ended_at.is_null()
                & (UserSession.last_seen_at > now - dt.timedelta(minutes=self.idle_minutes))
                & (UserSession.created_at > now - dt.timedelta(minutes=self.lifetime_minutes)))


def active_page(limits: Limits, page: int, per_page: int, username: str = "") -> Page:
    """Sessions still usable, most recently used first, with user and department
    (two queries)."""
    query = (UserSession.select(UserSession, User, Department)
             .join(User, on=(UserSession.user == User.id))
             .join(Department, JOIN.LEFT_OUTER)
             .where(limits.alive()))
    if username:
        query = query.where(User.username == username)
    total = query.count()
    rows = list(query.order_by(UserSession.last_seen_at.desc(), UserSession.id)
                .limit(per_page).offset((page - 1) * per_page))
    return Page(rows, total, page, per_page)


def active_of(user: User, limits: Limits) -> list[UserSession]:
    return list(UserSession.select().where((UserSession.user == user.id) & limits.alive())
                .order_by(UserSession.last_seen_at.desc()).limit(50))
