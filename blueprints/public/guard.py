"""What keeps the public pages safe without accounts or outside services: the signed time
a form was shown (too fast is a robot), rate limits per address, and the verified lookup
kept in the session for a short time (every /track page checks it)."""
import time

from flask import current_app, session
from itsdangerous import BadSignature, URLSafeSerializer

from domain.models import Complaint

TRACK_MINUTES = 20          # a verified lookup lasts this long after the last page seen
MAX_FORM_AGE = 6 * 3600     # a form older than this is shown again


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="public-form-started")


def form_started_token() -> str:
    return _signer().dumps({"t": int(time.time())})


def filled_in_human_time(token: str | None) -> bool:
    """The form's signed start time is genuine, not too recent and not too old."""
    try:
        started = int(_signer().loads(token or "")["t"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return False
    elapsed = time.time() - started
    return current_app.config.get("PUBLIC_MIN_FILL_SECONDS", 3) <= elapsed <= MAX_FORM_AGE


def complain_limit() -> str:
    return current_app.config.get("PUBLIC_COMPLAIN_RATE_LIMIT", "5 per hour")


def track_limit() -> str:
    return current_app.config.get("PUBLIC_TRACK_RATE_LIMIT", "10 per minute")


def addition_limit() -> str:
    return current_app.config.get("PUBLIC_ADDITION_RATE_LIMIT", "20 per hour")


def remember_lookup(complaint: Complaint) -> None:
    session["public_track"] = {"id": complaint.id,
                               "until": int(time.time()) + TRACK_MINUTES * 60}


def forget_lookup() -> None:
    session.pop("public_track", None)


def verified_complaint() -> Complaint | None:
    """The complaint looked up in this browser in the last minutes (the time is renewed
    on every page), else None."""
    entry = session.get("public_track")
    if not isinstance(entry, dict) or int(entry.get("until", 0)) < time.time():
        forget_lookup()
        return None
    complaint = Complaint.get_or_none(Complaint.id == entry.get("id"))
    if complaint is None:
        forget_lookup()
        return None
    remember_lookup(complaint)
    return complaint
