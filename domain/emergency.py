"""Emergency responses (应急响应) and drills (演练).

A leader activates the emergency plan for an open group or major complaint (one active
response per complaint), or starts a drill of it (no complaint, marked as a drill
everywhere, excluded from every statistic: use real_responses()). The team holds people in
the six roles (vocab.TEAM_ROLES). Anyone on the team, and leaders, append to the action log
while the response is active; leaders change the team and stand it down with a summary.

The response's own hash-chained history (domain/record_history) IS its action log: every
change runs in one transaction with its event ("activate", "add_member", "remove_member",
"log", "statement", "stand_down", "lessons"). Log entries and statements are appends: they
never conflict and leave `version` alone; changes to the record itself (team, stand-down,
lessons) check the version the user's page showed and bump it. A real response also writes
"emergency_activated" / "emergency_stood_down" on the complaint's history (status and
version of the complaint untouched). Lists are in domain/emergency_queries.py."""
import datetime as dt

from flask_babel import lazy_gettext as _l

from extensions import db
from domain import access, groups, history, record_history
from domain.errors import Conflict, DomainError, Forbidden
from domain.group_models import EmergencyMember, EmergencyResponse, GroupDetail
from domain.models import Complaint, User, utcnow
from domain.notifications import active_with_role, notify
from domain.numbering import next_number
from domain.vocab import EMERGENCY_LEVELS, TEAM_ROLES
from domain.workflow.core import require as _require

# Where a public statement was issued.
STATEMENT_CHANNELS = {
    "on_site": _l("On-site announcement"),
    "notice": _l("Written notice"),
    "website": _l("Website or official account"),
    "social": _l("Social media"),
    "press": _l("Press and media"),
    "other": _l("Other"),
}
EVENT_LABELS = {
    "activate": _l("Emergency plan activated"),
    "add_member": _l("Added to the team"),
    "remove_member": _l("Taken off the team"),
    "log": _l("Action"),
    "statement": _l("Public statement"),
    "stand_down": _l("Stood down"),
    "lessons": _l("Lessons learned recorded"),
}
STATUSES = {"active": _l("Active"), "stood_down": _l("Stood down")}
MAX_TEXT = 5000
STALE = _l("Someone else changed this response after you opened it. Nothing was saved; the "
           "page now shows the response as it is.")
NOT_ACTIVE = _l("This response has been stood down: nothing more can be added to its log.")


# The access rules live in domain/access.py; re-exported for the views.
can_issue_statement = access.can_issue_statement
can_record_lessons = access.can_record_lessons


def _text(value, message, field, limit=MAX_TEXT, required=True) -> str:
    value = (value or "").strip()
    if required:
        _require(value, message, field)
    _require(len(value) <= limit, _l("This text is too long (at most %(n)s characters).",
                                     n=limit), field)
    return value


def _year() -> int:
    from domain.deadlines import local_date
    from domain.settings import load_settings
    return local_date(utcnow(), load_settings()).year


def _clean_team(team) -> list[tuple[User, str]]:
    """(user_id, role) pairs → (active User, role), each pair once; at least one person."""
    pairs, seen = [], set()
    for user_id, role in team or []:
        _require(role in TEAM_ROLES, _l("Choose a role from the list."), "team")
        if (int(user_id), role) not in seen:
            seen.add((int(user_id), role))
            pairs.append((int(user_id), role))
    _require(pairs, _l("Put at least one person on the team."), "team")
    users = {u.id: u for u in User.select().where(User.id.in_([p[0] for p in pairs])
                                                  & User.active)}
    _require(len({p[0] for p in pairs} - set(users)) == 0,
             _l("Choose active staff members only."), "team")
    return [(users[uid], role) for uid, role in pairs]


def _check_level_title(level, title, title_field="title"):
    _require(level in EMERGENCY_LEVELS, _l("Choose the level of the response."), "level")
    return _text(title, _l("Describe the situation in a line."), title_field, limit=200)


def _create(actor, complaint, level, title, team, drill) -> EmergencyResponse:
    prefix = "YL" if drill else "YJ"
    response = EmergencyResponse.create(
        number=next_number(prefix, _year(), 4), complaint=complaint.id if complaint else None,
        drill=drill, title=title, level=level, activated_by=actor.id, activated_at=utcnow())
    now = utcnow()
    EmergencyMember.insert_many([{"response": response.id, "user": u.id, "role": role,
                                  "added_at": now, "added_by": actor.id}
                                 for u, role in team]).execute()
    record_history.append(
        response, actor, "activate", note=title,
        data={"level": level, "drill": drill, "complaint": complaint.number if complaint else "",
              "team": [[u.full_name, role] for u, role in team]})
    team_users = [u for u, _role in team if u.id != actor.id]
    notify(team_users, complaint, "emergency_team", subject=("emergency", response.id))
    return response


def activate(complaint: Complaint, actor: User, level: str, title: str,
             team: list[tuple[int, str]]) -> EmergencyResponse:
    """Activate the emergency plan for a group or major complaint. Its group alert (if any)
    counts as handled from now on."""
    title = _check_level_title(level, title)
    team = _clean_team(team)
    with db.atomic():
        complaint = Complaint.get_by_id(complaint.id)
        if not access.can_activate_emergency(actor, complaint):
            raise Forbidden(_l("You may not activate the emergency plan for this complaint."))
        if active_for(complaint) is not None:
            raise Conflict(_l("An emergency response for this complaint is already active."))
        response = _create(actor, complaint, level, title, team, drill=False)
        note = f"{response.number} · {title}"
        history.append_event(complaint, actor, "emergency_activated",
                             from_status=complaint.status, note=note)
        detail = GroupDetail.get_or_none(GroupDetail.complaint == complaint.id)
        if detail is not None and detail.handled_at is None:
            # Stored as written, so in no one language: the response's number and situation.
            groups._set_handled(detail, complaint, actor, note)
        team_ids = {u.id for u, _role in team} | {actor.id}
        notify([u for u in active_with_role("leader") + active_with_role("manager")
                if u.id not in team_ids], complaint, "emergency_activated",
               subject=("emergency", response.id))
    return response


def start_drill(actor: User, level: str, scenario: str,
                team: list[tuple[int, str]]) -> EmergencyResponse:
    """A drill of the plan: the same flow on an imagined situation; no complaint."""
    if not access.can_start_drill(actor):
        raise Forbidden(_l("You may not start a drill."))
    scenario = _check_level_title(level, scenario, "scenario")
    team = _clean_team(team)
    with db.atomic():
        return _create(actor, None, level, scenario, team, drill=True)


def _load(response_id: int, version: int | None = None, active: bool = False):
    response = EmergencyResponse.get_or_none(EmergencyResponse.id == response_id)
    _require(response, _l("There is no such emergency response."))
    if version is not None and response.version != version:
        raise Conflict(STALE)
    if active and response.status != "active":
        raise Conflict(NOT_ACTIVE)
    return response


def _bump(response) -> None:
    response.version += 1
    response.save()


def current_members(response) -> list[EmergencyMember]:
    """The team now, by role order then name, with users loaded (one query)."""
    rows = list(EmergencyMember.select(EmergencyMember, User)
                .join(User, on=(EmergencyMember.user == User.id))
                .where((EmergencyMember.response == response.id)
                       & EmergencyMember.removed_at.is_null())
                .order_by(User.full_name))
    order = list(TEAM_ROLES)
    return sorted(rows, key=lambda m: order.index(m.role) if m.role in order else 99)


def member_ids(response) -> set[int]:
    return {m.user_id for m in EmergencyMember.select(EmergencyMember.user)
            .where((EmergencyMember.response == response.id)
                   & EmergencyMember.removed_at.is_null())}


def member_roles(response) -> dict[int, set[str]]:
    roles: dict[int, set[str]] = {}
    for m in (EmergencyMember.select(EmergencyMember.user, EmergencyMember.role)
              .where((EmergencyMember.response == response.id)
                     & EmergencyMember.removed_at.is_null())):
        roles.setdefault(m.user_id, set()).add(m.role)
    return roles


def add_member(response, actor: User, user_id: int, role: str, version: int | None):
    if role not in TEAM_ROLES:
        raise DomainError(_l("Choose a role from the list."), "role")
    user = User.get_or_none((User.id == user_id) & User.active)
    _require(user, _l("Choose an active staff member."), "user")
    with db.atomic():
        response = _load(response.id, version, active=True)
        if not access.can_run_emergency(actor, response):
            raise Forbidden(_l("Only a leader changes the team."))
        if role in member_roles(response).get(user.id, set()):
            raise DomainError(_l("%(name)s already has this role on the team.",
                                 name=user.full_name), "user")
        EmergencyMember.create(response=response.id, user=user.id, role=role,
                               added_by=actor.id, added_at=utcnow())
        _bump(response)
        record_history.append(response, actor, "add_member",
                              data={"user": user.full_name, "user_id": user.id, "role": role})
        if user.id != actor.id:
            notify([user], response.complaint if response.complaint_id else None,
                   "emergency_team", subject=("emergency", response.id))
    return response


def remove_member(response, actor: User, member_id: int, version: int | None):
    """Take someone off the team: the row keeps when they were removed (never deleted)."""
    with db.atomic():
        response = _load(response.id, version, active=True)
        if not access.can_run_emergency(actor, response):
            raise Forbidden(_l("Only a leader changes the team."))
        member = EmergencyMember.get_or_none((EmergencyMember.id == member_id)
                                             & (EmergencyMember.response == response.id)
                                             & EmergencyMember.removed_at.is_null())
        _require(member, _l("This person is no longer on the team."), "member")
        member.removed_at = utcnow()
        member.save()
        _bump(response)
        record_history.append(response, actor, "remove_member",
                              data={"user": member.user.full_name, "user_id": member.user_id,
                                    "role": member.role})
    return response


def log(response, actor: User, text: str, happened_at: dt.datetime | None = None):
    """Append an action to the log (who, when, what); `happened_at` (UTC) when it took place
    earlier than now. Never edited."""
    text = _text(text, _l("Say what was done."), "text", limit=2000)
    now = utcnow()
    if happened_at is not None:
        _require(happened_at <= now + dt.timedelta(minutes=5),
                 _l("The time cannot be in the future."), "happened_at")
    with db.atomic():
        response = _load(response.id, active=True)
        if not access.can_log_emergency(actor, response, member_ids(response)):
            raise Forbidden(_l("Only the team and leaders add to the log."))
        if happened_at is not None:
            _require(happened_at >= response.activated_at - dt.timedelta(days=1),
                     _l("The time is long before the response was activated."),
                     "happened_at")
        data = {"happened_at": happened_at.isoformat(timespec="minutes")} if happened_at else {}
        return record_history.append(response, actor, "log", note=text, data=data)


def statement(response, actor: User, channel: str, text: str):
    """Record a public statement as issued (where, and its text)."""
    _require(channel in STATEMENT_CHANNELS, _l("Choose where the statement was issued."),
             "channel")
    text = _text(text, _l("Give the text of the statement."), "text")
    with db.atomic():
        response = _load(response.id, active=True)
        if not can_issue_statement(actor, response, member_roles(response)):
            raise Forbidden(_l("Only leaders and the team's coordination and statement "
                               "people issue statements."))
        return record_history.append(response, actor, "statement", note=text,
                                     data={"channel": channel})


def stand_down(response, actor: User, summary: str, lessons: str, version: int | None):
    """End the response with a summary of the outcome (and lessons learned)."""
    summary = _text(summary, _l("Summarise the outcome."), "summary")
    lessons = _text(lessons, "", "lessons", required=False)
    with db.atomic():
        response = _load(response.id, version)
        if not access.can_run_emergency(actor, response):
            raise Forbidden(_l("Only a leader stands a response down."))
        if response.status != "active":
            raise Conflict(_l("This response has already been stood down."))
        response.status, response.summary = "stood_down", summary
        response.stood_down_by, response.stood_down_at = actor.id, utcnow()
        if lessons:
            response.lessons = lessons
        _bump(response)
        record_history.append(response, actor, "stand_down", note=summary,
                              data={"lessons": lessons} if lessons else {})
        complaint = response.complaint if response.complaint_id else None
        if complaint is not None:
            history.append_event(complaint, actor, "emergency_stood_down",
                                 from_status=complaint.status,
                                 note=f"{response.number} · {summary}")
        notify([m.user for m in current_members(response) if m.user_id != actor.id],
               complaint, "emergency_stood_down", subject=("emergency", response.id))
    return response


def record_lessons(response, actor: User, lessons: str, version: int | None):
    """Write (or rewrite) the lessons learned: during or after a drill or a response."""
    lessons = _text(lessons, _l("Write the lessons learned."), "lessons")
    with db.atomic():
        response = _load(response.id, version)
        if not can_record_lessons(actor, response):
            raise Forbidden(_l("Only a leader records the lessons learned."))
        old = response.lessons
        response.lessons = lessons
        _bump(response)
        record_history.append(response, actor, "lessons", note=lessons,
                              data={"changes": [["lessons", old, lessons]]})
    return response


def active_for(complaint) -> EmergencyResponse | None:
    return (EmergencyResponse.select()
            .where((EmergencyResponse.complaint == complaint.id)
                   & (EmergencyResponse.status == "active")).first())


def real_responses():
    """Every response that is not a drill: the only ones any statistic may count."""
    return EmergencyResponse.select().where(EmergencyResponse.drill == False)  # noqa: E712
