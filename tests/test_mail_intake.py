"""Email intake: messages (.eml fixtures in tests/mail/) become complaints in channel
"email", once per message; `fetch-mail` reads them from an IMAP mailbox (a small fake IMAP
server on 127.0.0.1 speaking the protocol to Python's imaplib)."""
import hashlib
import re
import socketserver
import threading
from pathlib import Path

import pytest

from domain import mail_fetch
from domain.mail_fetch import fetch_mail
from domain.mail_intake import html_to_text, register_message
from domain.mail_models import MailIntake, OutboxMessage
from domain.models import Complaint, Evidence, Event
from domain.settings import load_settings, save_settings

MAIL = Path(__file__).parent / "mail"


def eml(name: str) -> bytes:
    return (MAIL / name).read_bytes()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def _register(app, name, **settings_changes):
    settings = dict(load_settings(), **settings_changes)
    return register_message(eml(name), settings=settings, upload_dir=app.config["UPLOAD_DIR"])


def test_a_plain_message_becomes_an_email_complaint_from_its_sender(app, ctx):
    row, created = _register(app, "plain.eml")
    assert created and row.message_id == "<kettle-1@mail.example.com>"
    complaint = Complaint.get_by_id(row.complaint_id)
    assert complaint.channel == "email" and complaint.status == "registered"
    assert complaint.complainant_name == "Wang Fang"
    assert complaint.complainant_email == "wang.fang@example.com"
    assert complaint.matter.splitlines()[0] == "The kettle I bought leaks"
    assert "leaks from the base" in complaint.matter
    assert complaint.language == "en"
    assert complaint.registered_by.username == "system-email"
    assert Event.get(Event.complaint == complaint.id).action == "register"


def test_an_html_only_message_keeps_its_text_and_none_of_its_html(app, ctx):
    row, _ = _register(app, "html_only.eml")
    complaint = Complaint.get_by_id(row.complaint_id)
    assert "The cashier shouted at me & my mother." in complaint.matter
    assert "I want an apology.\nChen Jie" in complaint.matter
    for trace in ("<", ">", "script", "alert", "stolen", "color: red", "tracker"):
        assert trace not in complaint.matter
    assert complaint.complainant_name == "Chen Jie"


def test_attachments_become_evidence_and_a_disguised_program_is_refused_and_noted(app, ctx):
    row, _ = _register(app, "with_attachments.eml")
    complaint = Complaint.get_by_id(row.complaint_id)
    (evidence,) = Evidence.select().where(Evidence.complaint == complaint.id)
    assert evidence.original_name == "receipt.pdf" and evidence.mime_type == "application/pdf"
    stored = (app.config["UPLOAD_DIR"] / evidence.stored_name[:2] / evidence.stored_name)
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == evidence.sha256
    assert "Attachments not accepted:" in complaint.matter
    assert "photo.jpg is not an allowed type" in complaint.matter
    assert "photo.jpg" in row.error


def test_a_chinese_encoded_subject_and_body_arrive_as_chinese(app, ctx):
    row, _ = _register(app, "chinese_subject.eml")
    complaint = Complaint.get_by_id(row.complaint_id)
    assert complaint.matter.splitlines()[0] == "电水壶漏水，要求退款"
    assert "订单号SO-99" in complaint.matter
    assert complaint.complainant_name == "张伟"
    assert complaint.language == "zh_Hans"
    assert row.subject == "电水壶漏水，要求退款"


def test_one_message_never_becomes_two_complaints(app, ctx):
    first, created = _register(app, "plain.eml")
    again, created_again = _register(app, "plain.eml")
    assert created and not created_again and again.id == first.id
    assert Complaint.select().count() == 1 and MailIntake.select().count() == 1


def test_a_message_without_message_id_is_known_by_the_hash_of_its_bytes(app, ctx):
    row, _ = _register(app, "no_message_id.eml")
    assert row.message_id == "sha256:" + hashlib.sha256(eml("no_message_id.eml")).hexdigest()
    _register(app, "no_message_id.eml")
    assert Complaint.select().count() == 1
    assert Complaint.get().complainant_name == "zhao.lei"


def test_automatic_replies_are_recorded_but_never_become_complaints(app, ctx):
    row, created = _register(app, "auto_reply.eml")
    assert not created and row.status == "ignored" and "auto-replied" in row.error
    assert Complaint.select().count() == 0


def test_with_email_on_the_sender_gets_an_acknowledgement_with_number_and_code(app, ctx):
    save_settings({"email_enabled": True, "smtp_host": "127.0.0.1",
                   "mail_from": "complaints@redress.example"})
    row, _ = _register(app, "chinese_subject.eml")
    (message,) = OutboxMessage.select()
    complaint = Complaint.get_by_id(row.complaint_id)
    assert message.kind == "acknowledgement" and message.complaint_id == complaint.id
    assert message.to_address == "zhang.wei@example.com" and message.language == "zh_Hans"
    code = re.search(r"[A-Z0-9]{4}-?[A-Z0-9]{4}-?[A-Z0-9]{4}|[A-Z0-9]{8,}",
                     message.body.split(complaint.number, 2)[-1])
    assert complaint.number in message.body and code


def test_our_own_messages_are_not_taken_in(app, ctx):
    row, created = _register(app, "plain.eml", mail_from="wang.fang@example.com")
    assert not created and row.status == "ignored"


def test_html_to_text_drops_scripts_styles_and_comments():
    assert html_to_text("<style>x{}</style><!-- c --><p>a &lt;b&gt;</p><script>y</script>"
                        "<div>c</div>") == "a <b>\nc"


# A fake IMAP server: just enough of IMAP4rev1 for imaplib (LOGIN, SELECT, UID SEARCH,
# UID FETCH BODY.PEEK[], UID STORE +FLAGS, LOGOUT).

class FakeMailbox:
    def __init__(self, messages):
        self.messages = {i + 1: {"raw": raw, "seen": False} for i, raw in enumerate(messages)}
        self.lock = threading.Lock()
        self.logins = []

    def unseen(self):
        return [uid for uid, m in self.messages.items() if not m["seen"]]


def _handler(mailbox):
    class Handler(socketserver.StreamRequestHandler):
        def reply(self, text: str | bytes):
            self.wfile.write(text if isinstance(text, bytes) else text.encode() + b"\r\n")

        def handle(self):
            self.reply("* OK fake IMAP ready")
            while True:
                line = self.rfile.readline()
                if not line:
                    return
                tag, command, *rest = line.decode().strip().split(" ", 2)
                args = rest[0] if rest else ""
                command = command.upper()
                if command == "CAPABILITY":
                    self.reply("* CAPABILITY IMAP4rev1")
                elif command == "LOGIN":
                    mailbox.logins.append(args)
                elif command == "SELECT":
                    self.reply(f"* {len(mailbox.messages)} EXISTS")
                elif command == "UID":
                    self.uid(args)
                elif command == "LOGOUT":
                    self.reply("* BYE")
                    self.reply(f"{tag} OK LOGOUT completed")
                    return
                self.reply(f"{tag} OK {command} completed")

        def uid(self, args):
            sub, rest = args.split(" ", 1)
            with mailbox.lock:
                if sub.upper() == "SEARCH":
                    self.reply("* SEARCH " + " ".join(map(str, mailbox.unseen())))
                elif sub.upper() == "FETCH":
                    uid = int(rest.split(" ", 1)[0])
                    raw = mailbox.messages[uid]["raw"]
                    self.reply(f"* {uid} FETCH (UID {uid} BODY[] {{{len(raw)}}}".encode()
                               + b"\r\n" + raw + b")\r\n")
                elif sub.upper() == "STORE":
                    uid = int(rest.split(" ", 1)[0])
                    mailbox.messages[uid]["seen"] = True
                    self.reply(f"* {uid} FETCH (UID {uid} FLAGS (\\Seen))")
    return Handler


@pytest.fixture
def imap_server():
    servers = []

    def _start(messages):
        mailbox = FakeMailbox(messages)
        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _handler(mailbox))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        mailbox.port = server.server_address[1]
        return mailbox
    yield _start
    for server in servers:
        server.shutdown()
        server.server_close()


def _imap_settings(port):
    return {"imap_enabled": True, "imap_host": "127.0.0.1", "imap_port": port,
            "imap_security": "none", "imap_username": "complaints", "imap_password": "pw",
            "imap_folder": "INBOX"}


def test_fetch_mail_registers_new_messages_once_and_marks_them_seen(app, ctx, imap_server):
    mailbox = imap_server([eml("plain.eml"), eml("chinese_subject.eml"), eml("plain.eml"),
                           eml("auto_reply.eml")])
    save_settings(_imap_settings(mailbox.port))
    report = fetch_mail(load_settings(), upload_dir=app.config["UPLOAD_DIR"])
    assert (report.registered, report.duplicates, report.ignored) == (2, 1, 1)
    assert report.errors == []
    assert Complaint.select().where(Complaint.channel == "email").count() == 2
    assert mailbox.unseen() == []
    assert mailbox.logins == ['complaints "pw"']
    again = fetch_mail(load_settings(), upload_dir=app.config["UPLOAD_DIR"])
    assert again.registered == 0 and Complaint.select().count() == 2


def test_a_message_that_fails_stays_unseen_and_is_taken_next_time(app, ctx, imap_server,
                                                                    monkeypatch):
    mailbox = imap_server([eml("plain.eml"), eml("chinese_subject.eml")])
    save_settings(_imap_settings(mailbox.port))
    real = mail_fetch.register_message

    def flaky(raw, **kw):
        if b"zh-1@" in raw:
            raise OSError("disk full")
        return real(raw, **kw)

    monkeypatch.setattr(mail_fetch, "register_message", flaky)
    report = fetch_mail(load_settings(), upload_dir=app.config["UPLOAD_DIR"])
    assert report.registered == 1 and len(report.errors) == 1 and "disk full" in report.errors[0]
    assert mailbox.unseen() == [2]
    monkeypatch.setattr(mail_fetch, "register_message", real)
    assert fetch_mail(load_settings(), upload_dir=app.config["UPLOAD_DIR"]).registered == 1
    assert mailbox.unseen() == [] and Complaint.select().count() == 2


def test_the_fetch_mail_command_reports_what_it_did(app, imap_server):
    mailbox = imap_server([eml("plain.eml")])
    with app.app_context():
        save_settings(_imap_settings(mailbox.port))
    result = app.test_cli_runner().invoke(args=["fetch-mail"])
    assert "1 complaints registered, 0 already registered, 0 ignored, 0 failed" in result.output


def test_the_fetch_mail_command_says_when_intake_is_off(app):
    result = app.test_cli_runner().invoke(args=["fetch-mail"])
    assert "email intake is off" in result.output
