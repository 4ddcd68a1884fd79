"""The demo data (scripts/seed_demo.py): built through the workflow, every state, intact history.

One test, because seeding takes a few seconds (most of it hashing the demo passwords)."""
import re

from domain.deadlines import local_date
from domain.history import verify_all
from domain.models import Complaint, Event, utcnow
from domain.settings import load_settings
from domain.stage_models import Approval, Assignment, Dispute, Extension, Visit
from domain.statuses import STATUSES
from domain.vocab import CHANNELS
from scripts.seed_demo import DEMO_PASSWORD, USERS, seed

CJK = re.compile(r"[\u4e00-\u9fff]")


def _check_contents(demo):
    assert 55 <= len(demo) <= 65
    assert len([c for c in demo if c.channel == "email" and c.registered_by.username
                == "system-email"]) == 2  # taken in from the mailbox
    assert len([c for c in demo if c.registered_by.username == "system-online"]) == 2
    demo = [c for c in demo  # the stories, without those from the mailbox and the form
            if c.registered_by.username not in ("system-email", "system-online")]
    statuses = [c.status for c in demo]
    for status in STATUSES:
        assert statuses.count(status) >= 3, status
    assert {c.channel for c in demo} == set(CHANNELS)
    assert any(c.severity == "group" for c in demo)
    assert any(c.severity == "major" for c in demo)
    chinese = [c for c in demo if c.language == "zh_Hans"]
    assert len(chinese) * 2 == len(demo)
    assert all(CJK.search(c.matter) for c in chinese)
    assert not any(CJK.search(c.matter) for c in demo if c.language == "en")


def _check_history(demo):
    checked, problems = verify_all()
    assert checked == len(demo) and problems == []
    for c in demo:
        last = Event.select().where(Event.complaint == c.id).order_by(Event.seq.desc()).first()
        assert last.to_status == c.status, c.number


def _check_special_cases(demo):
    assert Assignment.select().where(Assignment.transfer_reason != "").exists()
    assert Extension.select().where(Extension.approved.is_null()).exists()
    assert Extension.select().where(Extension.approved == True).exists()  # noqa: E712
    assert Approval.select().where(Approval.approved == False).exists()  # noqa: E712
    assert Dispute.select().where(Dispute.kind == "appeal").exists()
    assert Dispute.select().where(Dispute.kind == "mediation").exists()
    assert Visit.select().where(Visit.satisfaction <= 2).exists()
    actions = {e.action for e in Event.select(Event.action)}
    assert {"waive", "reopen", "record_outcome", "transfer", "return_for_rework"} <= actions
    today = local_date(utcnow(), load_settings())
    assert len([c for c in demo if c.stage_due_on and c.stage_due_on < today]) >= 3


def test_demo_data_covers_every_state_with_an_intact_history_and_working_logins(app):
    with app.test_request_context():
        seed(app.config["UPLOAD_DIR"])
    demo = list(Complaint.select())
    _check_contents(demo)
    _check_history(demo)
    _check_special_cases(demo)
    for username, *_ in USERS:
        response = app.test_client().post("/login", data={"username": username,
                                                          "password": DEMO_PASSWORD})
        assert response.status_code == 303, username
