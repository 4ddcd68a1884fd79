"""The demo's email complaints are taken in like real mail."""
from domain.mail_models import MailIntake
from domain.models import Complaint, Evidence
from scripts import demo_mail


def test_the_demo_brings_two_email_complaints_one_with_its_receipt(app):
    with app.app_context():
        demo_mail.seed({}, [])
        demo_mail.seed({}, [])  # run twice: the same messages are not taken in again
    complaints = list(Complaint.select().where(Complaint.channel == "email"))
    assert len(complaints) == 2 and MailIntake.select().count() == 2
    assert {c.language for c in complaints} == {"zh_Hans"}
    assert Evidence.select().count() == 1
    assert all("<" not in c.matter for c in complaints)
