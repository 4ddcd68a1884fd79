"""The audit trail of sign-ins and account changes, for the administrators' audit page.

`record()` is called inside the transaction that makes the change it describes, so a change
and its audit row are saved together or not at all."""
import json
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from peewee import JOIN

from domain.models import LoginEvent, User
from domain.queries import Page
from domain.security_models import AuditEntry

# Account changes an audit row can describe, with their labels.
ACTIONS = {
    "user_created": _l("Account created"),
    "roles_changed": _l("Roles changed"),
    "department_changed": _l("Department changed"),
    "deactivated": _l("Account deactivated"),
    "reactivated": _l("Account reactivated"),
    "password_reset": _l("Password reset by an administrator"),
    "password_changed": _l("Password changed by its owner"),
    "account_unlocked": _l("Sign-in lock lifted"),
    "session_ended": _l("Signed out by an administrator"),
}


def record(action: str, *, actor: User | None, target: User | None, **detail) -> AuditEntry:
    """One audit row (call inside the change's own db.atomic())."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    return AuditEntry.create(action=action, actor=actor, target_user=target,
                             detail=json.dumps(detail, ensure_ascii=False, sort_keys=True))


def detail_of(entry: AuditEntry) -> dict:
    try:
        value = json.loads(entry.detail or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


@dataclass
class AuditFilter:
    """The audit page's filters: which list, whose name, which outcome, which page."""
    view: str = "logins"      # logins | changes
    username: str = ""
    outcome: str = ""         # "" | success | failure (logins only)
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "AuditFilter":
        view = args.get("view", "logins")
        outcome = args.get("outcome", "")
        raw = args.get("page", "")
        return cls(view=view if view in ("logins", "changes") else "logins",
                   username=(args.get("username") or "").strip().lower()[:64],
                   outcome=outcome if outcome in ("success", "failure") else "",
                   page=min(max(int(raw), 1), 10_000) if raw.isdigit() else 1)

    def args(self, **overrides) -> dict:
        values = {"view": self.view, "username": self.username, "outcome": self.outcome,
                  "page": self.page}
        values.update(overrides)
        return {k: v for k, v in values.items() if v not in ("", None, 1) or k == "view"}


def logins_page(f: AuditFilter, per_page: int) -> Page:
    """Sign-ins newest first, filtered by the name typed in and the outcome (two queries)."""
    query = LoginEvent.select()
    if f.username:
        query = query.where(LoginEvent.username == f.username)
    if f.outcome:
        query = query.where(LoginEvent.success == (f.outcome == "success"))
    total = query.count()
    rows = list(query.order_by(LoginEvent.at.desc(), LoginEvent.id.desc())
                .limit(per_page).offset((f.page - 1) * per_page))
    return Page(rows, total, f.page, per_page)


def changes_page(f: AuditFilter, per_page: int) -> Page:
    """Account changes newest first, with who made them and whose account (two queries)."""
    actor = User.alias("actor_user")
    target = User.alias("target_user")
    query = (AuditEntry.select(AuditEntry, actor, target)
             .join_from(AuditEntry, actor, JOIN.LEFT_OUTER,
                        on=(AuditEntry.actor == actor.id), attr="actor_row")
             .join_from(AuditEntry, target, JOIN.LEFT_OUTER,
                        on=(AuditEntry.target_user == target.id), attr="target_row"))
    if f.username:
        query = query.where(target.username == f.username)
    total = query.count()
    rows = list(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                .limit(per_page).offset((f.page - 1) * per_page))
    return Page(rows, total, f.page, per_page)
