"""The append-only, hash-chained history of records that are not complaints: emergency
responses (whose action log it is), accountability records and improvement plans.

Each record keeps the newest event's number and hash (history_count, history_head), so a
removed tail is caught as well as an edited or removed event in the middle."""
import hashlib
import json

from peewee import JOIN

from domain.models import User, utcnow
from domain.oversight_models import RecordEvent

GENESIS = "0" * 64


def _subject_of(record) -> str:
    from domain.group_models import EmergencyResponse
    from domain.oversight_models import AccountabilityRecord, ImprovementPlan
    for model, name in ((EmergencyResponse, "emergency"), (AccountabilityRecord, "accountability"),
                        (ImprovementPlan, "plan")):
        if isinstance(record, model):
            return name
    raise TypeError(f"no history for {type(record).__name__}")


def _models() -> dict:
    from domain.group_models import EmergencyResponse
    from domain.oversight_models import AccountabilityRecord, ImprovementPlan
    return {"emergency": EmergencyResponse, "accountability": AccountabilityRecord,
            "plan": ImprovementPlan}


def _digest(event: RecordEvent) -> str:
    payload = [event.subject, event.subject_id, event.seq,
               event.at.isoformat(timespec="microseconds"), event.actor_id, event.action,
               event.note, event.data, event.prev_hash]
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def append(record, actor: User | None, action: str, *, note: str = "", data: dict | None = None,
           at=None) -> RecordEvent:
    """Write one event for `record`. Call inside the write transaction that made the change.

    `data` holds structured details (field changes as {"changes": [[field, old, new]]},
    a statement's channel, the time an action took place …); it is hashed with the rest."""
    subject = _subject_of(record)
    last = (RecordEvent.select(RecordEvent.seq, RecordEvent.hash)
            .where((RecordEvent.subject == subject) & (RecordEvent.subject_id == record.id))
            .order_by(RecordEvent.seq.desc()).limit(1).first())
    event = RecordEvent(subject=subject, subject_id=record.id,
                        seq=(last.seq + 1) if last else 1, at=at or utcnow(),
                        actor=actor.id if actor else None, action=action, note=note or "",
                        data=json.dumps(data or {}, ensure_ascii=False, sort_keys=True,
                                        default=str),
                        prev_hash=last.hash if last else GENESIS)
    event.hash = _digest(event)
    event.save(force_insert=True)
    model = type(record)
    model.update(history_count=event.seq, history_head=event.hash).where(
        model.id == record.id).execute()
    record.history_count, record.history_head = event.seq, event.hash
    return event


def events_of(record, actions: tuple[str, ...] | None = None) -> list[RecordEvent]:
    """The record's events, oldest first, with their actors loaded in the same query."""
    query = (RecordEvent.select(RecordEvent, User).join(User, on=(RecordEvent.actor == User.id),
                                                         join_type=JOIN.LEFT_OUTER)
             .where((RecordEvent.subject == _subject_of(record))
                    & (RecordEvent.subject_id == record.id)))
    if actions:
        query = query.where(RecordEvent.action.in_(actions))
    return list(query.order_by(RecordEvent.seq))


def event_data(event: RecordEvent) -> dict:
    try:
        return json.loads(event.data or "{}")
    except ValueError:
        return {}


def verify_record(record) -> list[str]:
    """Problems in one record's chain (empty when intact)."""
    subject = _subject_of(record)
    events = list(RecordEvent.select().where((RecordEvent.subject == subject)
                                             & (RecordEvent.subject_id == record.id))
                  .order_by(RecordEvent.seq))
    return _check(subject, record, events)


def _check(subject, record, events) -> list[str]:
    problems, prev = [], GENESIS
    name = f"{subject} {record.id}"
    if events and (events[-1].seq != record.history_count
                   or events[-1].hash != record.history_head):
        problems.append(f"{name}: its newest events are missing "
                        f"(expected {record.history_count})")
    if not events and record.history_count:
        problems.append(f"{name}: has no history")
    for expected, event in enumerate(events, start=1):
        where = f"{name} event {event.seq}"
        if event.seq != expected:
            problems.append(f"{where}: sequence gap (expected {expected})")
        if event.prev_hash != prev:
            problems.append(f"{where}: does not link to the previous event")
        if _digest(event) != event.hash:
            problems.append(f"{where}: content does not match its hash")
        prev = event.hash
    return problems


def verify_all_records() -> tuple[int, list[str]]:
    """Check every emergency response, accountability record and plan."""
    checked, problems = 0, []
    for subject, model in _models().items():
        events: dict[int, list] = {}
        for event in (RecordEvent.select().where(RecordEvent.subject == subject)
                      .order_by(RecordEvent.subject_id, RecordEvent.seq)):
            events.setdefault(event.subject_id, []).append(event)
        for record in model.select(model.id, model.history_count, model.history_head):
            problems.extend(_check(subject, record, events.get(record.id, [])))
            checked += 1
    return checked, problems
