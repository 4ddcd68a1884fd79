"""The outbox: queued in the causing transaction, sent by `send-mail` over a real SMTP
conversation with a local server (aiosmtpd), with retries, backoff and no double sending."""
import datetime as dt
import hashlib
import re
import threading

import pytest
from werkzeug.security import generate_password_hash

from domain import accounts, letters, outbox
from domain.mail_models import OutboxMessage
from domain.models import utcnow
from domain.numbering import hash_lookup_code
from domain.settings import load_settings, save_settings
from tests.factories import make_complaint
from tests.mail.smtp_sink import SmtpSink, free_port
from tests.workflow_helpers import act, drive, make_cast, reload

PUBLIC = "https://complaints.example.org"


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    monkeypatch.setattr(accounts, "generate_password_hash",
                        lambda password: generate_password_hash(password, "pbkdf2:sha256:1"))


@pytest.fixture
def sink():
    server = SmtpSink().start()
    yield server
    server.stop()


@pytest.fixture
def mail_on(app, sink):
    """Email switched on, pointing at the local SMTP server."""
    app.config["PUBLIC_URL"] = PUBLIC
    save_settings(sink.settings())
    return load_settings()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def _send(app, now=None, settings=None):
    return outbox.send_due(now, document_dir=app.config["DOCUMENT_DIR"],
                           settings=settings or load_settings())


def _queue(settings, n=1, to="li.na@example.com", **kw):
    return [outbox.enqueue("test", to, f"Message {i}", f"Body {i}", settings=settings, **kw)
            for i in range(n)]


def test_nothing_is_queued_while_email_is_off(app, ctx):
    cast = make_cast(app)
    complaint = make_complaint(app, registered_by=cast.intake)
    assert outbox.queue_acknowledgement(complaint, "ABCDEFGHJKLM") is None
    drive(cast, "assigned")
    assert OutboxMessage.select().count() == 0
    assert _send(app) == {"sent": 0, "retry": 0, "failed": 0}


def test_a_queued_message_is_delivered_exactly_once_with_two_senders_at_once(
        app, ctx, sink, mail_on):
    queued = _queue(mail_on, n=12)
    start, reports = threading.Barrier(2), []

    def sender():
        start.wait()
        try:
            reports.append(_send(app, settings=mail_on))
        finally:
            from extensions import db
            db.close()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sum(r["sent"] for r in reports) == 12
    received = sink.messages
    assert len(received) == 12
    assert sorted(m["Message-ID"] for m in received) == sorted(q.message_id for q in queued)
    assert {m.status for m in OutboxMessage.select()} == {"sent"}
    assert _send(app, now=utcnow() + dt.timedelta(days=1)) == {"sent": 0, "retry": 0,
                                                                "failed": 0}
    assert len(sink.messages) == 12


def test_while_the_server_is_down_messages_wait_with_backoff_then_go_once(app, ctx):
    down = SmtpSink(port=free_port())  # nobody listens on its port yet
    save_settings(down.settings())
    settings = load_settings()
    first, second = _queue(settings, n=2)
    now = utcnow()
    report = _send(app, now, settings)
    assert report == {"sent": 0, "retry": 1, "failed": 0}  # the run stops at the first
    first = OutboxMessage.get_by_id(first.id)
    assert (first.status, first.attempts) == ("queued", 1)
    assert first.next_attempt_at == now + dt.timedelta(minutes=1)
    assert "Connection" in first.last_error
    assert OutboxMessage.get_by_id(second.id).attempts == 0
    _send(app, now + dt.timedelta(seconds=61), settings)  # the second's first try
    assert OutboxMessage.get_by_id(second.id).attempts == 1
    assert OutboxMessage.get_by_id(first.id).attempts == 1
    _send(app, now + dt.timedelta(seconds=62), settings)  # the first's second try
    first = OutboxMessage.get_by_id(first.id)
    assert first.attempts == 2
    assert first.next_attempt_at == now + dt.timedelta(seconds=62, minutes=2)
    down.start()
    try:
        report = _send(app, now + dt.timedelta(minutes=5), settings)
        assert report["sent"] == 2
        _send(app, now + dt.timedelta(hours=7), settings)
        assert sorted(m["Subject"] for m in down.messages) == ["Message 0", "Message 1"]
        assert OutboxMessage.get_by_id(first.id).sent_at is not None
    finally:
        down.stop()


def test_backoff_doubles_from_one_minute_up_to_six_hours():
    assert [outbox.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4, 9, 10, 20)] == [
        1, 2, 4, 8, 256, 360, 360]


def test_after_too_many_attempts_a_message_fails_and_an_admin_can_send_it_again(app, ctx):
    down = SmtpSink(port=free_port())
    save_settings(down.settings())
    settings = load_settings()
    (message,) = _queue(settings)
    now = utcnow()
    for _ in range(outbox.MAX_ATTEMPTS):
        now += dt.timedelta(hours=7)
        _send(app, now, settings)
    message = OutboxMessage.get_by_id(message.id)
    assert (message.status, message.attempts) == ("failed", outbox.MAX_ATTEMPTS)
    assert _send(app, now + dt.timedelta(days=2), settings)["retry"] == 0
    outbox.retry(message.id)
    down.start()
    try:
        assert _send(app, utcnow() + dt.timedelta(seconds=1), settings)["sent"] == 1
        assert len(down.messages) == 1
    finally:
        down.stop()


def test_a_refused_recipient_fails_at_once_with_the_servers_answer(app, ctx, sink, mail_on):
    (refused,) = _queue(mail_on, to="refused@example.com")
    (good,) = _queue(mail_on, to="good@example.com")
    report = _send(app, settings=mail_on)
    assert report == {"sent": 1, "retry": 0, "failed": 1}
    refused = OutboxMessage.get_by_id(refused.id)
    assert refused.status == "failed" and "550" in refused.last_error
    assert [m["To"] for m in sink.messages] == ["good@example.com"]


def test_a_message_left_sending_by_a_crashed_sender_is_sent_after_the_lease(
        app, ctx, sink, mail_on):
    (message,) = _queue(mail_on)
    now = utcnow()
    assert outbox._claim(message.id, now) is not None  # a sender took it, then died
    assert _send(app, now + dt.timedelta(minutes=1), mail_on)["sent"] == 0
    assert _send(app, now + outbox.SENDING_LEASE + dt.timedelta(seconds=1), mail_on)["sent"] == 1
    assert len(sink.messages) == 1


def test_the_same_digest_key_is_queued_once(app, ctx, mail_on):
    assert outbox.enqueue("digest", "a@example.com", "S", "B", settings=mail_on,
                          dedupe_key="digest:1:2026-11-23") is not None
    assert outbox.enqueue("digest", "a@example.com", "S", "B", settings=mail_on,
                          dedupe_key="digest:1:2026-11-23") is None
    assert OutboxMessage.select().count() == 1


def test_the_acknowledgement_in_chinese_arrives_intact_with_number_code_and_link(
        app, ctx, sink, mail_on):
    save_settings({"org_name_zh": "示例商贸有限公司"})
    complaint = make_complaint(app, language="zh_Hans", complainant_name="张伟",
                               complainant_email="zhang.wei@example.com")
    # Registering the complaint queued it, in the same transaction.
    message = OutboxMessage.get()
    assert message.complaint_id == complaint.id and message.kind == "acknowledgement"
    assert _send(app)["sent"] == 1
    (received,) = sink.messages
    assert received["From"].addresses[0].display_name == "示例商贸有限公司"
    assert complaint.number in received["Subject"]
    assert received["To"].addresses[0].display_name == "张伟"
    body = received.get_body(("plain",)).get_content()
    assert "张伟" in body and complaint.number in body
    codes = re.findall(r"\b[A-Z2-9]{12}\b", body)
    assert [hash_lookup_code(c) for c in codes] == [complaint.lookup_code_hash]
    assert f"{PUBLIC}/track" in body
    assert received["Auto-Submitted"] == "auto-generated"


def test_the_acknowledgement_in_english_is_in_english(app, ctx, sink, mail_on):
    complaint = make_complaint(app, language="en", complainant_name="Jane Doe",
                               complainant_email="jane@example.com")
    _send(app)
    (received,) = sink.messages
    assert received["Subject"] == f"Your complaint {complaint.number} has been received"
    assert received["From"].addresses[0].display_name == "Redress Demo Organisation"
    assert "Dear Jane Doe," in received.get_body(("plain",)).get_content()


def test_markup_in_a_complainants_name_arrives_as_plain_text(app, ctx, sink, mail_on):
    name = '<script>alert("x")</script><b>Li</b>'
    complaint = make_complaint(app, language="en", complainant_name=name,
                               complainant_email="li@example.com")
    _send(app)
    (received,) = sink.messages
    assert not received.is_multipart()
    assert received.get_content_type() == "text/plain"
    assert f"Dear {name}," in received.get_content()
    assert "&lt;" not in received.get_content()


def test_no_acknowledgement_without_a_complainant_email(app, ctx, mail_on):
    complaint = make_complaint(app, complainant_email="")
    assert outbox.queue_acknowledgement(complaint, "ABCD-EFGH-JKLM") is None


def _login(app, user):
    from tests.factories import PASSWORD
    client = app.test_client()
    assert client.post("/login", data={"username": user.username,
                                       "password": PASSWORD}).status_code == 303
    return client


def test_answer_sent_carries_the_response_letter_matching_its_sha256(app, sink, mail_on):
    with app.test_request_context():
        cast = make_cast(app)
        complaint = drive(cast, "approved", language="zh_Hans",
                          complainant_email="zhang.wei@example.com")
        paragraphs = letters.default_paragraphs("response", "zh_Hans")
    client = _login(app, cast.manager)
    response = client.post(f"/complaints/{complaint.id}/letters/new/response",
                           data=dict(paragraphs, language="zh_Hans"))
    assert response.status_code == 303
    letter = letters.Letter.get(letters.Letter.complaint == complaint.id)
    with app.app_context():
        act(cast, complaint, "record_response")
        (message,) = OutboxMessage.select().where(OutboxMessage.kind == "answer_sent")
        assert message.complaint_id == complaint.id
        assert message.attachment_sha256 == letter.sha256
        assert _send(app)["sent"] >= 1  # with the staff notices of the steps before
    (received,) = [m for m in sink.messages if m["To"].addresses[0].addr_spec
                   == "zhang.wei@example.com" and m.is_multipart()]  # not the acknowledgement
    (attachment,) = list(received.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"{letter.reference}.pdf"
    assert hashlib.sha256(attachment.get_content()).hexdigest() == letter.sha256
    assert letter.reference in received.get_body(("plain",)).get_content()
    assert reload(complaint).status == "responded"


def test_an_altered_letter_file_is_not_sent_and_the_message_fails_saying_why(
        app, ctx, sink, mail_on):
    folder = app.config["DOCUMENT_DIR"] / "letters" / "ab"
    folder.mkdir(parents=True)
    (folder / "abcdef.pdf").write_bytes(b"%PDF-1.4 original")
    sha = hashlib.sha256(b"%PDF-1.4 original").hexdigest()
    (folder / "abcdef.pdf").write_bytes(b"%PDF-1.4 changed")
    (message,) = _queue(mail_on, attachment=("letters/ab/abcdef.pdf", sha, "HL-1.pdf"))
    assert _send(app)["failed"] == 1
    message = OutboxMessage.get_by_id(message.id)
    assert message.status == "failed" and "SHA-256" in message.last_error
    assert sink.messages == []


def test_an_attachment_path_outside_the_document_folder_is_refused(app, ctx, sink, mail_on):
    (message,) = _queue(mail_on, attachment=("../test.db", "0" * 64, "x.pdf"))
    assert _send(app)["failed"] == 1
    assert "outside" in OutboxMessage.get_by_id(message.id).last_error
    assert sink.messages == []


def test_the_send_mail_command_sends_what_is_due(app, sink, mail_on):
    with app.app_context():
        _queue(mail_on, n=2)
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert "2 sent, 0 to retry later, 0 failed" in result.output
    assert len(sink.messages) == 2


def test_the_send_mail_command_says_when_email_is_off(app):
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert "email is off" in result.output
