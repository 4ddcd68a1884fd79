"""A complaint's history as shown on its page: events with their actors and field changes."""
from peewee import JOIN

from domain.models import Complaint, Event, FieldChange, User


def timeline_for(complaint: Complaint, public_only: bool = False) -> list[Event]:
    """Events oldest first, each with `.actor_name` and `.change_list`, in two queries."""
    query = (Event.select(Event, User.full_name.alias("actor_name"))
             .join(User, JOIN.LEFT_OUTER, on=(Event.actor == User.id))
             .where(Event.complaint == complaint.id)
             .order_by(Event.seq))
    if public_only:
        query = query.where(Event.public)
    events = list(query.objects())
    by_event: dict[int, list] = {e.id: [] for e in events}
    if events:
        for fc in (FieldChange.select()
                   .where(FieldChange.event.in_(list(by_event)))
                   .order_by(FieldChange.id)):
            by_event[fc.event_id].append(fc)
    for e in events:
        e.change_list = by_event[e.id]
    return events
