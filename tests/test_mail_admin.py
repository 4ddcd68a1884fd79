"""Administration → Email: only administrators; settings saved with passwords kept; a test
message; the outbox list with failed messages sent again."""
import pytest

from domain import outbox
from domain.mail_models import OutboxMessage
from domain.settings import load_settings, save_settings

FORM = {"email_enabled": "y", "smtp_host": "smtp.example.org", "smtp_port": "587",
        "smtp_security": "starttls", "smtp_username": "robot", "smtp_password": "s3cret-pass",
        "mail_from": "Complaints <complaints@example.org>", "imap_host": "", "imap_port": "993",
        "imap_security": "ssl", "imap_username": "", "imap_password": "",
        "imap_folder": "INBOX"}


@pytest.fixture
def admin(login_as):
    return login_as("admin")


@pytest.mark.parametrize("role", ["intake", "manager", "leader", "auditor", "dept_head"])
def test_only_administrators_see_or_change_the_email_settings(login_as, role):
    client = login_as(role)
    assert client.get("/admin/email").status_code == 403
    assert client.post("/admin/email", data=FORM).status_code == 403
    assert client.post("/admin/email/test").status_code == 403
    assert client.post("/admin/email/outbox/1/retry").status_code == 403
    assert load_settings()["email_enabled"] is False


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/admin/email")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_admin_turns_email_on_and_the_password_is_never_shown_back(admin):
    response = admin.post("/admin/email", data=FORM)
    assert response.status_code == 303
    settings = load_settings()
    assert settings["email_enabled"] is True
    assert settings["smtp_host"] == "smtp.example.org"
    assert settings["smtp_password"] == "s3cret-pass"
    page = admin.get("/admin/email").get_data(as_text=True)
    assert "s3cret-pass" not in page
    assert "A password is stored" in page
    assert 'aria-current="page">Email' in page


def test_an_empty_password_keeps_the_stored_one(admin):
    admin.post("/admin/email", data=FORM)
    assert admin.post("/admin/email", data=dict(FORM, smtp_password="",
                                                smtp_port="2525")).status_code == 303
    settings = load_settings()
    assert settings["smtp_password"] == "s3cret-pass" and settings["smtp_port"] == 2525


@pytest.mark.parametrize("change, field, message", [
    ({"smtp_host": ""}, "smtp_host", "Sending needs the mail server."),
    ({"mail_from": ""}, "mail_from", "Sending needs the address messages come from."),
    ({"mail_from": "not an address"}, "mail_from", "Enter an address such as"),
    ({"smtp_host": "smtp example; rm"}, "smtp_host", "Enter a server name"),
    ({"smtp_port": "70000"}, "smtp_port", "between 1 and 65535"),
    ({"imap_enabled": "y", "imap_host": "imap.example.org"}, "imap_username",
     "The mailbox needs its user name."),
])
def test_incomplete_or_wrong_settings_are_refused_beside_the_field(admin, change, field,
                                                                   message):
    response = admin.post("/admin/email", data=dict(FORM, **change))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert f'id="{field}-error"' in page
    assert load_settings()["email_enabled"] is False


def test_the_test_button_queues_a_message_to_the_admins_own_address(admin):
    admin.post("/admin/email", data=FORM)
    response = admin.post("/admin/email/test")
    assert response.status_code == 303
    (message,) = OutboxMessage.select()
    assert message.to_address == admin.user.email and message.kind == "test"
    page = admin.get("/admin/email").get_data(as_text=True)
    assert admin.user.email in page and "Waiting (1)" in page


def test_the_test_button_says_so_when_email_is_off(admin):
    response = admin.post("/admin/email/test", follow_redirects=True)
    assert "Email is off" in response.get_data(as_text=True)
    assert OutboxMessage.select().count() == 0


def _failed_message(settings):
    message = outbox.enqueue("test", "li@example.com", "Hello", "Body", settings=settings)
    OutboxMessage.update(status="failed", attempts=10,
                         last_error="550 5.1.1 No such user here").where(
        OutboxMessage.id == message.id).execute()
    return message


def test_failed_messages_are_listed_with_their_error_and_can_be_sent_again(admin):
    admin.post("/admin/email", data=FORM)
    message = _failed_message(load_settings())
    page = admin.get("/admin/email?view=failed").get_data(as_text=True)
    assert "550 5.1.1 No such user here" in page and "Send again" in page
    response = admin.post(f"/admin/email/outbox/{message.id}/retry")
    assert response.status_code == 303
    message = OutboxMessage.get_by_id(message.id)
    assert (message.status, message.attempts) == ("queued", 0)


def test_the_outbox_list_comes_as_a_fragment_for_htmx(admin):
    admin.post("/admin/email", data=FORM)
    _failed_message(load_settings())
    response = admin.get("/admin/email?view=failed", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert "<html" not in html and "<table" in html and "Failed (1)" in html


def test_retrying_an_unknown_message_is_not_found(admin):
    assert admin.post("/admin/email/outbox/999/retry").status_code == 404


def test_the_outbox_list_uses_a_fixed_number_of_queries(admin, count_queries):
    admin.post("/admin/email", data=FORM)
    save_settings({"email_enabled": True})
    settings = load_settings()
    from tests.factories import make_complaint
    def five_more():  # registering queues an acknowledgement too (the app renders it)
        with admin.application.app_context():
            for _ in range(5):
                outbox.enqueue("test", "li@example.com", "Hello", "Body", settings=settings,
                               complaint=make_complaint(admin.application))
    five_more()
    with count_queries() as q:
        page = admin.get("/admin/email").get_data(as_text=True)
    assert page.count("/complaints/") >= 5
    five_more()
    with count_queries() as q3:
        admin.get("/admin/email")
    assert q3.count == q.count
