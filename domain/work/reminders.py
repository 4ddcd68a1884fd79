"""Reminders (flask --app app reminders, from cron or a systemd timer): in-app notices of
complaints due by the next working day or overdue, to the people they wait on, once a day."""
import datetime as dt
from dataclasses import dataclass

from extensions import db
from domain import outbox
from domain.models import Complaint, User, utcnow
from domain.stage_models import Notification, Visit
from domain.statuses import OPEN_STATUSES
from domain.work.tasks import today_and_soon

REMINDER_BATCH = 500
FIRST_CONTACT_STAGES = ("registered", "accepted", "approved", "responded", "external")


@dataclass
class People:
    """The active staff, loaded once: who holds which role, by department."""
    by_id: dict
    heads: dict  # department id → [user]
    managers: list
    leaders: list

    @classmethod
    def load(cls) -> "People":
        users = list(User.select().where(User.active))
        heads: dict = {}
        for u in users:
            if u.has_role("dept_head") and u.department_id:
                heads.setdefault(u.department_id, []).append(u)
        return cls({u.id: u for u in users}, heads,
                   [u for u in users if u.has_role("manager")],
                   [u for u in users if u.has_role("leader")])

    def first_contact(self, c) -> list:
        person = self.by_id.get(c.first_contact_id)
        if person and person.has_role("intake", "manager"):
            return [person]
        return self.managers

    def heads_of(self, c, fallback=True) -> list:
        heads = [u for u in self.heads.get(c.department_id, []) if u.id != c.assignee_id]
        return heads or (self.managers if fallback else [])


def recipients(c, people: People, visited: bool) -> list:
    """Whom an open complaint with a due date waits on (as on their My work page)."""
    if c.status in FIRST_CONTACT_STAGES or (c.status == "visiting" and not visited):
        return people.first_contact(c)
    if c.status in ("assigned", "reviewing", "executing"):
        return people.heads_of(c)
    if c.status in ("investigating", "proposing"):
        person = people.by_id.get(c.assignee_id)
        return [person] if person else people.heads_of(c)
    if c.status == "approving":
        return [u for u in people.leaders if u.id != c.assignee_id]
    if c.status == "visiting":
        return people.managers
    return []


def send_reminders(settings: dict, now: dt.datetime | None = None,
                   batch_size: int = REMINDER_BATCH) -> int:
    """For open complaints due by the next working day or overdue, tell the people they wait
    on ("due_soon" or "overdue"), at most once per complaint, person and day. Safe to run
    again: what was already sent today is not sent twice. Returns how many were created."""
    now = now or utcnow()
    today, soon = today_and_soon(settings, now)
    ids = [cid for (cid,) in Complaint.select(Complaint.id).where(
        Complaint.status.in_(OPEN_STATUSES) & (Complaint.stage_due_on <= soon)).tuples()]
    people = People.load()
    created = 0
    # Email on: one digest per person and day of what waits on them (domain/outbox.py).
    digest = {} if outbox.email_enabled(settings) else None
    for start in range(0, len(ids), batch_size):
        created += _remind_batch(ids[start:start + batch_size], today, people, now, digest)
    if digest:
        with db.atomic():
            outbox.queue_digests(digest, today, settings)
    return created


def _remind_batch(ids: list, today: dt.date, people: People, now: dt.datetime,
                  digest: dict | None = None) -> int:
    with db.atomic():
        complaints = list(Complaint.select(
            Complaint.id, Complaint.status, Complaint.stage_due_on, Complaint.department,
            Complaint.assignee, Complaint.first_contact, Complaint.number).where(
            Complaint.id.in_(ids) & Complaint.status.in_(OPEN_STATUSES)
            & Complaint.stage_due_on.is_null(False)))
        visiting = [c.id for c in complaints if c.status == "visiting"]
        visited = {v for (v,) in Visit.select(Visit.complaint).where(
            Visit.complaint.in_(visiting)).distinct().tuples()} if visiting else set()
        wanted = []
        for c in complaints:
            kind = "overdue" if c.stage_due_on < today else "due_soon"
            key = f"{kind}:{c.id}:{today.isoformat()}"
            for person in recipients(c, people, c.id in visited):
                wanted.append((person.id, c.id, kind, key))
                if digest is not None:
                    digest.setdefault(person.id, []).append(
                        (kind, c.number, c.id, c.status, c.stage_due_on))
        if not wanted:
            return 0
        sent = set(Notification.select(Notification.user, Notification.day_key).where(
            Notification.day_key.in_(list({w[3] for w in wanted}))).tuples())
        rows, seen = [], set()
        for user_id, cid, kind, key in wanted:
            if (user_id, key) in sent or (user_id, key) in seen:
                continue
            seen.add((user_id, key))
            rows.append({"user": user_id, "complaint": cid, "kind": kind, "day_key": key,
                         "created_at": now})
        if rows:
            Notification.insert_many(rows).execute()
        return len(rows)
