"""What the outbox is given to send: staff notices at once for the steps that wait on
someone, and a daily digest of due and overdue items, in each person's language."""
import datetime as dt

import pytest

from domain.mail_models import OutboxMessage
from domain.models import Complaint, User, utcnow
from domain.settings import load_settings, save_settings
from domain.work import send_reminders
from tests.workflow_helpers import act, drive, make_cast, reload

PUBLIC = "https://complaints.example.org"


@pytest.fixture
def cast(app):
    app.config["PUBLIC_URL"] = PUBLIC
    save_settings({"email_enabled": True, "smtp_host": "127.0.0.1",
                   "mail_from": "complaints@redress.example"})
    with app.app_context():
        cast = make_cast(app)
        cast.settings = load_settings()
        yield cast


def _notices(user):
    return list(OutboxMessage.select().where((OutboxMessage.user == user.id)
                                             & (OutboxMessage.kind == "notice")))


def test_assignment_emails_the_department_head_in_their_language(cast):
    User.update(locale="en").where(User.id == cast.head.id).execute()
    complaint = drive(cast, "assigned")
    (notice,) = _notices(cast.head)
    assert notice.subject == f"A complaint was assigned to your department · {complaint.number}"
    assert notice.complaint_id == complaint.id and notice.to_address == cast.head.email
    assert f"{PUBLIC}/complaints/{complaint.id}" in notice.body
    assert notice.body.startswith(f"Hello {cast.head.full_name},")
    assert _notices(cast.other_head) == []


def test_without_a_language_of_their_own_staff_get_notices_in_the_letters_language(cast):
    assert cast.settings["letter_language"] == "zh_Hans" and cast.investigator.locale == ""
    complaint = drive(cast, "investigating")
    (notice,) = _notices(cast.investigator)
    assert notice.subject == f"您已被指定为调查人员 · {complaint.number}"
    assert notice.language == "zh_Hans"


def test_staff_notices_follow_the_steps_that_wait_on_someone(cast):
    User.update(locale="en").execute()
    complaint = drive(cast, "reviewing")
    kinds = {n.subject.split(" · ")[0] for n in _notices(cast.investigator)}
    assert "You were named investigator" in kinds
    assert any("waits for your review" in n.subject for n in _notices(cast.head))
    complaint = act(cast, complaint, "review")
    assert any("waits for your approval" in n.subject for n in _notices(cast.leader))
    act(cast, complaint, "return_for_rework", actor=cast.leader)
    assert any("returned for rework" in n.subject for n in _notices(cast.investigator))


def test_someone_without_an_email_address_gets_the_in_app_notice_only(cast):
    User.update(email="").where(User.id == cast.head.id).execute()
    drive(cast, "assigned")
    assert _notices(cast.head) == []


def test_kinds_not_meant_for_email_send_none(cast):
    drive(cast, "approved")  # "approved" tells the first contact in the app only
    assert _notices(cast.intake) == []


def _overdue(cast, n=2):
    complaints = [drive(cast, "investigating") for _ in range(n)]
    Complaint.update(stage_due_on=cast.today - dt.timedelta(days=3)).where(
        Complaint.id.in_([c.id for c in complaints])).execute()
    return complaints


def test_reminders_send_one_digest_a_day_to_each_person_listing_their_items(cast):
    complaints = _overdue(cast)
    assert send_reminders(cast.settings) >= 2
    (digest,) = OutboxMessage.select().where((OutboxMessage.kind == "digest")
                                             & (OutboxMessage.user == cast.investigator.id))
    for c in complaints:
        assert reload(c).number in digest.body
        assert f"{PUBLIC}/complaints/{c.id}" in digest.body
    assert digest.dedupe_key == f"digest:{cast.investigator.id}:{cast.today.isoformat()}"
    send_reminders(cast.settings)  # run again the same day: nothing new
    assert OutboxMessage.select().where(OutboxMessage.kind == "digest").count() == 1


def test_the_next_day_brings_a_new_digest(cast):
    _overdue(cast, 1)
    send_reminders(cast.settings)
    send_reminders(cast.settings, now=utcnow() + dt.timedelta(days=1))
    assert OutboxMessage.select().where(OutboxMessage.kind == "digest").count() == 2


def test_reminders_queue_no_digest_while_email_is_off(cast):
    save_settings({"email_enabled": False})
    _overdue(cast, 1)
    send_reminders(load_settings())
    assert OutboxMessage.select().where(OutboxMessage.kind == "digest").count() == 0
