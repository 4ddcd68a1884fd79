"""The frame every action runs in: checks, the status move, the history event."""
import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from extensions import db
from domain import access, history
from domain.deadlines import WorkCalendar, load_calendar, local_date
from domain.errors import Conflict, DomainError, Forbidden
from domain.models import Complaint, User, utcnow
from domain.statuses import TRANSITIONS, next_status


@dataclass
class Step:
    """An action under way: the complaint, who acts, and what the step will record."""
    complaint: Complaint
    actor: User | None
    action: str
    settings: dict
    calendar: WorkCalendar
    now: dt.datetime
    today: dt.date
    note: str = ""
    public: bool = False
    changes: list = field(default_factory=list)

    def record(self, name: str, old, new) -> None:
        """Record old → new for the history."""
        if old != new:
            self.changes.append((name, "" if old is None else str(old),
                                 "" if new is None else str(new)))

    def change(self, name: str, old, new) -> None:
        """Set a plain complaint field and record old → new for the history."""
        self.record(name, old, new)
        setattr(self.complaint, name, new)


def require(value, message, field_name=None):
    """Refuse the step with `message` (beside `field_name`) unless `value` is truthy."""
    if not value:
        raise DomainError(message, field_name)
    return value


@contextmanager
def step(complaint_id: int, action: str, actor: User | None, expected_version: int | None,
         settings: dict, *, system: bool = False):
    """Run one action: yields a Step to fill in; on leaving, moves the status and writes
    the history event, all in one transaction. `system` is for the complainant's own
    actions (no staff actor), which Part E's public pages make."""
    with db.atomic():
        complaint = Complaint.get_or_none(Complaint.id == complaint_id)
        if complaint is None:
            raise DomainError(_l("There is no such complaint."))
        if expected_version is not None and complaint.version != expected_version:
            raise Conflict(_l("Someone else acted on this complaint after you opened it. "
                              "Reload the page and try again."))
        if (complaint.status, action) not in TRANSITIONS:
            raise Conflict(_l("This step is not possible at the complaint's current stage."))
        if not system and not access.may_act(actor, complaint, action):
            raise Forbidden(_l("You may not take this step on this complaint."))
        now = utcnow()
        s = Step(complaint, actor, action, settings, load_calendar(settings), now,
                 local_date(now, settings))
        yield s
        old = complaint.status
        complaint.status = next_status(old, action)
        complaint.version += 1
        complaint.updated_at = now
        complaint.save()
        history.append_event(complaint, actor, action, from_status=old,
                             to_status=complaint.status, note=s.note, public=s.public,
                             changes=s.changes)


def same(a, b) -> bool:
    return (a.id if a else None) == (b.id if b else None)


__all__ = ["Step", "step", "require", "Conflict", "Forbidden", "DomainError", "same"]
