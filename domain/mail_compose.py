"""What the outbox sends, composed from templates/email/*.txt in the recipient's language:
the complainant's acknowledgement and "answer sent" (the complaint's language), staff
notices and the daily digest (the person's language, else the letters' language).

Plain text only: what people typed (names, subjects) is never markup in an email."""
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context, has_request_context, render_template, request
from flask_babel import force_locale, gettext as _
from werkzeug.routing import BuildError

from domain import outbox
from domain.letter_models import Letter
from domain.letters import letter_path
from domain.models import Complaint, User
from domain.notifications import KINDS
from domain.stage_models import Response
from domain.vocab import RESPONSE_METHODS, label

LANGUAGES = ("en", "zh_Hans")
TRACK_PATH = "/track"
DIGEST_LIMIT = 50  # items listed in one digest; the rest are counted


def _language(value: str | None, settings: dict) -> str:
    if value in LANGUAGES:
        return value
    fallback = settings.get("letter_language")
    return fallback if fallback in LANGUAGES else "zh_Hans"


def org_name(settings: dict, language: str) -> str:
    if language.startswith("zh") and settings.get("org_name_zh"):
        return settings["org_name_zh"]
    return settings.get("org_name", "")


def base_url() -> str:
    """PUBLIC_URL, else the address of the request being served, else "" (no links)."""
    if not has_app_context():
        return ""
    configured = current_app.config.get("PUBLIC_URL", "")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.url_root.rstrip("/")
    return ""


def link(endpoint: str, **values) -> str:
    """An absolute link for an email, or "" when the app's address is not known."""
    base = base_url()
    if not base:
        return ""
    try:
        path = current_app.url_map.bind("localhost").build(endpoint, values)
    except BuildError:
        return ""
    return base + path


def track_url() -> str:
    """The public page where a complainant follows a complaint (number + lookup code)."""
    base = base_url()
    if not base:
        return ""
    for endpoint in ("public.track", "track.index"):
        if endpoint in current_app.view_functions:
            return link(endpoint) if base else ""
    return base + TRACK_PATH if base else ""


def local_day(value: dt.datetime | None, settings: dict) -> str:
    if value is None:
        return ""
    zone = ZoneInfo(settings.get("timezone") or "UTC")
    return value.replace(tzinfo=dt.timezone.utc).astimezone(zone).date().isoformat()


def _render(name: str, language: str, settings: dict, **context) -> str:
    with force_locale(language):
        return render_template(f"email/{name}.txt", org=org_name(settings, language),
                               settings=settings, **context).strip() + "\n"


def _subject(language: str, text_fn) -> str:
    """The subject in `language` (the organisation's name is the sender's name)."""
    with force_locale(language):
        return str(text_fn())


def acknowledgement(complaint: Complaint, lookup_code: str, settings: dict):
    if not outbox.email_enabled(settings) or not complaint.complainant_email:
        return None
    language = _language(complaint.language, settings)
    body = _render("acknowledgement", language, settings, complaint=complaint,
                   lookup_code=lookup_code, track_url=track_url(),
                   received_on=local_day(complaint.received_at, settings))
    subject = _subject(language, lambda: _(
        "Your complaint %(number)s has been received", number=complaint.number))
    return outbox.enqueue("acknowledgement", complaint.complainant_email, subject, body,
                          settings=settings, language=language,
                          to_name=complaint.complainant_name, complaint=complaint)


def latest_response_letter(complaint: Complaint) -> Letter | None:
    return (Letter.select().where((Letter.complaint == complaint.id)
                                  & (Letter.kind == "response"))
            .order_by(Letter.version.desc()).first())


def answer_sent(complaint: Complaint, settings: dict):
    """The written response was recorded: tell the complainant, with the latest issued
    response letter attached (read from disk and checked when the message is sent)."""
    if not outbox.email_enabled(settings) or not complaint.complainant_email:
        return None
    language = _language(complaint.language, settings)
    letter = latest_response_letter(complaint)
    response = (Response.select().where(Response.complaint == complaint.id)
                .order_by(Response.id.desc()).first())
    with force_locale(language):
        method = label(RESPONSE_METHODS, response.method) if response else ""
    body = _render("answer_sent", language, settings, complaint=complaint, letter=letter,
                   response=response, method=method, track_url=track_url(),
                   sent_on=response.sent_on.isoformat() if response else "")
    subject = _subject(language, lambda: _(
        "Our response to your complaint %(number)s", number=complaint.number))
    attachment = None
    if letter is not None:
        attachment = (str(letter_path(Path(""), letter)), letter.sha256,
                      f"{letter.reference}.pdf")
    return outbox.enqueue("answer_sent", complaint.complainant_email, subject, body,
                          settings=settings, language=language,
                          to_name=complaint.complainant_name, complaint=complaint,
                          attachment=attachment)


def staff_notices(users, complaint: Complaint | None, kind: str, settings: dict) -> int:
    """One email per person told (who has an address), in that person's language."""
    if not outbox.email_enabled(settings):
        return 0
    queued = 0
    url = link("complaints.show", complaint_id=complaint.id) if complaint else ""
    for user in users:
        if not outbox.usable_address(user.email):
            continue
        language = _language(user.locale, settings)
        with force_locale(language):
            what = str(KINDS.get(kind, kind))
        body = _render("notice", language, settings, user=user, complaint=complaint,
                       what=what, url=url)
        subject = _subject(language, lambda: (
            f"{what} · {complaint.number}" if complaint else what))
        if outbox.enqueue("notice", user.email, subject, body, settings=settings,
                          language=language, to_name=user.full_name, complaint=complaint, user=user):
            queued += 1
    return queued


def digests(items_by_user: dict, today: dt.date, settings: dict) -> int:
    """The daily digest: one message per person per day listing what is overdue or due by
    the next working day (the dedupe key keeps it to one even if reminders run again).
    `items_by_user`: user id → [(kind, number, complaint id, status, due date)]."""
    if not outbox.email_enabled(settings) or not items_by_user:
        return 0
    users = {u.id: u for u in User.select().where(User.id.in_(list(items_by_user)))}
    queued = 0
    for user_id, items in items_by_user.items():
        user = users.get(user_id)
        if user is None or not outbox.usable_address(user.email):
            continue
        language = _language(user.locale, settings)
        items = sorted(set(items), key=lambda i: (i[0] != "overdue", i[4], i[1]))
        shown = [dict(kind=k, number=n, url=link("complaints.show", complaint_id=cid),
                      status=s, due=d.isoformat()) for k, n, cid, s, d in items[:DIGEST_LIMIT]]
        body = _render("digest", language, settings, user=user, items=shown,
                       overdue=sum(1 for i in items if i[0] == "overdue"),
                       due_soon=sum(1 for i in items if i[0] != "overdue"),
                       more=max(len(items) - DIGEST_LIMIT, 0), today=today.isoformat(),
                       work_url=link("work.index"))
        subject = _subject(language, lambda: _(
            "Complaints due or overdue on %(day)s: %(count)s", day=today.isoformat(),
            count=len(items)))
        if outbox.enqueue("digest", user.email, subject, body, settings=settings,
                          language=language, to_name=user.full_name, user=user,
                          dedupe_key=f"digest:{user.id}:{today.isoformat()}"):
            queued += 1
    return queued


def trial_message(user: User, settings: dict):
    language = _language(user.locale, settings)
    body = _render("test", language, settings, user=user)
    subject = _subject(language, lambda: _("Test message"))
    return outbox.enqueue("test", user.email, subject, body, settings=settings,
                          language=language, to_name=user.full_name, user=user)

