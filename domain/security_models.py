"""Signed-in sessions (so an admin can see and end them) and the audit trail of account
changes (roles, department, active, passwords, unlocks, forced sign-outs)."""
from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from domain.models import BaseModel, User, utcnow


class UserSession(BaseModel):
    """One sign-in. The browser's signed session cookie holds a random token; only its
    SHA-256 is stored here (the id), so neither the database nor the admin pages ever hold
    a value that would let someone take the session over. Ended, never deleted."""
    id = CharField(primary_key=True, max_length=64)
    user = ForeignKeyField(User, backref="sessions", on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
    last_seen_at = DateTimeField(default=utcnow)  # refreshed at most once a minute
    ip = CharField(max_length=64, default="")
    user_agent = CharField(max_length=120, default="")
    ended_at = DateTimeField(null=True)
    ended_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    # signed_out | idle | expired | forced | password | deactivated | replaced
    end_reason = CharField(max_length=16, default="")

    class Meta:
        indexes = ((("user", "ended_at"), False), (("ended_at", "last_seen_at"), False))


class AuditEntry(BaseModel):
    """A change to an account or its access, by whom and when. Append-only."""
    at = DateTimeField(default=utcnow, index=True)
    actor = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    action = CharField(max_length=32)
    target_user = ForeignKeyField(User, null=True, backref="audit_entries", on_delete="RESTRICT")
    detail = TextField(default="{}")  # JSON: {"old": ..., "new": ...} and the like

    class Meta:
        indexes = ((("target_user", "action", "at"), False),)


SECURITY_MODELS = [UserSession, AuditEntry]
