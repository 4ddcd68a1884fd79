"""The append-only, hash-chained history of a complaint."""
import hashlib
import json

from domain.models import Complaint, Event, FieldChange, utcnow

GENESIS = "0" * 64


def _digest(event: Event, changes: list[tuple[str, str, str]]) -> str:
    payload = [
        event.complaint_id, event.seq, event.at.isoformat(timespec="microseconds"),
        event.actor_id, event.action, event.from_status, event.to_status, event.note,
        bool(event.public), [list(c) for c in changes], event.prev_hash,
    ]
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def append_event(complaint: Complaint, actor, action: str, *, from_status: str = "",
                 to_status: str = "", note: str = "", public: bool = False,
                 changes: list[tuple[str, str, str]] = (), at=None) -> Event:
    """Write one history event (and its field changes). Call inside the write transaction.

    `at` is for imports and demo data that replay a past history; live actions leave it out.
    """
    last = (Event.select(Event.seq, Event.hash)
            .where(Event.complaint == complaint.id)
            .order_by(Event.seq.desc()).limit(1).first())
    event = Event(complaint=complaint.id, seq=(last.seq + 1) if last else 1, at=at or utcnow(),
                  actor=actor.id if actor else None, action=action,
                  from_status=from_status, to_status=to_status or from_status,
                  note=note, public=public, prev_hash=last.hash if last else GENESIS)
    changes = [(f, "" if o is None else str(o), "" if n is None else str(n)) for f, o, n in changes]
    event.hash = _digest(event, changes)
    event.save(force_insert=True)
    Complaint.update(history_count=event.seq, history_head=event.hash).where(
        Complaint.id == complaint.id).execute()
    complaint.history_count, complaint.history_head = event.seq, event.hash
    if changes:
        FieldChange.insert_many(
            [{"event": event.id, "field": f, "old": o, "new": n} for f, o, n in changes]
        ).execute()
    return event


def verify_complaint(complaint_id: int) -> list[str]:
    """Problems found in one complaint's chain (empty when intact)."""
    complaint = Complaint.get_by_id(complaint_id)
    events = list(Event.select().where(Event.complaint == complaint_id).order_by(Event.seq))
    changes: dict[int, list] = {}
    if events:
        for fc in (FieldChange.select().where(FieldChange.event.in_([e.id for e in events]))
                   .order_by(FieldChange.id)):
            changes.setdefault(fc.event_id, []).append((fc.field, fc.old, fc.new))
    return _check(events, changes, complaint)


def _check(events, changes, complaint=None) -> list[str]:
    problems = []
    if complaint is not None and events:
        last = events[-1]
        if last.seq != complaint.history_count or last.hash != complaint.history_head:
            problems.append(f"complaint {complaint.id}: its newest events are missing "
                            f"(expected {complaint.history_count})")
    prev = GENESIS
    for expected_seq, event in enumerate(events, start=1):
        where = f"complaint {event.complaint_id} event {event.seq}"
        if event.seq != expected_seq:
            problems.append(f"{where}: sequence gap (expected {expected_seq})")
        if event.prev_hash != prev:
            problems.append(f"{where}: does not link to the previous event")
        if _digest(event, changes.get(event.id, [])) != event.hash:
            problems.append(f"{where}: content does not match its hash")
        prev = event.hash
    return problems


def verify_all(batch: int = 500) -> tuple[int, list[str]]:
    """Check every complaint's chain; returns (complaints checked, problems)."""
    problems, checked, last_id = [], 0, 0
    while True:
        heads = {c.id: c for c in Complaint.select(Complaint.id, Complaint.history_count,
                                                       Complaint.history_head)
                 .where(Complaint.id > last_id).order_by(Complaint.id).limit(batch)}
        ids = list(heads)
        if not ids:
            return checked, problems
        events = list(Event.select().where(Event.complaint.in_(ids))
                      .order_by(Event.complaint, Event.seq))
        changes: dict[int, list] = {}
        for fc in (FieldChange.select().join(Event)
                   .where(Event.complaint.in_(ids)).order_by(FieldChange.id)):
            changes.setdefault(fc.event_id, []).append((fc.field, fc.old, fc.new))
        by_complaint: dict[int, list] = {}
        for e in events:
            by_complaint.setdefault(e.complaint_id, []).append(e)
        for cid in ids:
            if cid not in by_complaint:
                problems.append(f"complaint {cid}: has no history")
            problems.extend(_check(by_complaint.get(cid, []), changes, heads[cid]))
        checked += len(ids)
        last_id = ids[-1]
