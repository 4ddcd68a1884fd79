"""The workflow steps on the complaint page: each person is offered exactly the steps they may
take now, each step posts as a page (303) or with htmx (200, the complaint panel), and the
server refuses everything else (422 beside the field, 409 stale or wrong stage, 403, 404)."""
import datetime as dt
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from werkzeug.security import generate_password_hash

from domain import access, accounts, workflow
from domain.deadlines import local_date
from domain.models import Complaint, Event, utcnow
from domain.settings import load_settings
from domain.stage_models import (Approval, Assignment, Dispute, Extension, Investigation,
                                 Measure, Proposal, Remedy, Response, RootCause, Visit)
from tests.factories import make_complaint, make_department, make_user

HX = {"HX-Request": "true"}
ACT = re.compile(r'action="/complaints/\d+/act/(\w+)"')


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """These tests are about the workflow pages, not hashing: a cheap hash keeps them quick."""
    monkeypatch.setattr(accounts, "generate_password_hash",
                        lambda password: generate_password_hash(password, "pbkdf2:sha256:1"))


@pytest.fixture
def org(app, login_as):
    """Two departments and one person per role; a complaint registered by the intake clerk."""
    service, warehouse = make_department("Customer Service"), make_department("Warehouse")
    people = {
        "intake": make_user("intake"),
        "manager": make_user("manager"),
        "leader": make_user("leader"),
        "head": make_user("dept_head", department=service),
        "inv": make_user("investigator", department=service),
        "other_head": make_user("dept_head", department=warehouse),
        "auditor": make_user("auditor"),
        "admin": make_user("admin"),
    }
    clients = {}

    def client(name):
        if name not in clients:
            clients[name] = login_as(people[name])
        return clients[name]

    complaint = make_complaint(app, registered_by=people["intake"], nature="")
    return SimpleNamespace(service=service, warehouse=warehouse, people=people, client=client,
                           complaint=complaint, **people)


def today():
    return local_date(utcnow(), load_settings())


def current(complaint):
    return Complaint.get_by_id(complaint.id)


def post(client, complaint, action, hx=False, version=None, **data):
    version = current(complaint).version if version is None else version
    return client.post(f"/complaints/{complaint.id}/act/{action}",
                       data={"version": version, **data}, headers=HX if hx else {})


def offered(client, complaint) -> set:
    response = client.get(f"/complaints/{complaint.id}")
    assert response.status_code == 200
    return set(ACT.findall(response.get_data(as_text=True)))


def on_page(user, complaint) -> set:
    """The steps the page should offer: the table's, less deciding on an extension nobody
    asked for and marking items done when none is open (there is nothing to pick)."""
    complaint = current(complaint)
    expected = set(access.available_actions(user, complaint))
    if not Extension.select().where((Extension.complaint == complaint.id)
                                    & Extension.approved.is_null()).exists():
        expected.discard("decide_extension")
    if not (Remedy.select().where(Remedy.done_at.is_null() & ~Remedy.waived).exists()
            or Measure.select().where(Measure.done_at.is_null() & ~Measure.waived).exists()):
        expected -= {"mark_done", "waive"}
    return expected


def events(complaint) -> int:
    return Event.select().where(Event.complaint == complaint.id).count()


def step(org, action, user, **kwargs):
    """Take a step through the domain (to set a scene), as `user`."""
    c = current(org.complaint)
    getattr(workflow, action)(c.id, org.people[user], c.version, load_settings(), **kwargs)


def to_status(org, status):
    """Drive the complaint through the domain until it reaches `status`."""
    t = today()
    cause = RootCause.select().first()
    path = [
        ("assess", "intake", dict(nature="service", severity="ordinary", urgency="normal")),
        ("accept", "intake", {}),
        ("assign", "intake", dict(department_id=org.service.id)),
        ("confirm_receipt", "head", dict(investigator_id=org.inv.id)),
        ("submit_investigation", "inv", dict(methods=["records"], facts_verdict="true",
                                             facts_text="Facts", root_cause_id=cause.id)),
        ("submit_proposal", "inv", dict(
            apology="Sorry", remedies=[{"kind": "refund", "amount": "50", "currency": "CNY"}],
            measures=[{"description": "Train staff", "owner_id": org.head.id,
                       "due_on": t + dt.timedelta(days=10)}])),
        ("review", "head", {}),
        ("approve", "leader", {}),
        ("record_response", "intake", dict(method="email", sent_on=t, recipient="张伟")),
        ("accept_result", "intake", {}),
    ]
    after = {"registered": 1, "accepted": 2, "assigned": 3, "investigating": 4, "proposing": 5,
             "reviewing": 6, "approving": 7, "approved": 8, "responded": 9, "executing": 10}
    for action, user, kwargs in path[:after[status]]:
        step(org, action, user, **kwargs)
    assert current(org.complaint).status == status


# --- what the page offers ------------------------------------------------------------------

@pytest.mark.parametrize("who, expected", [
    ("intake", {"assess", "accept", "reject"}),
    ("manager", {"assess", "accept", "reject"}),
    ("leader", set()),
    ("auditor", set()),
    ("admin", set()),
])
def test_a_registered_complaint_offers_each_person_exactly_their_steps(org, who, expected):
    assert offered(org.client(who), org.complaint) == expected


def test_an_auditor_sees_the_complaint_but_no_step_and_no_step_section(org):
    to_status(org, "reviewing")
    html = org.client("auditor").get(f"/complaints/{org.complaint.id}").get_data(as_text=True)
    assert 'id="actions"' not in html and "/act/" not in html
    assert "Handling proposal" in html  # the records are shown all the same


@pytest.mark.parametrize("status, who, expected", [
    ("accepted", "intake", {"assign"}),
    ("assigned", "head", {"confirm_receipt", "transfer"}),
    ("assigned", "manager", {"transfer"}),
    ("investigating", "inv", {"request_extension", "submit_investigation"}),
    ("investigating", "head", {"transfer"}),
    ("reviewing", "head", {"review", "return_for_rework"}),
    ("reviewing", "inv", set()),
    ("approving", "leader", {"approve", "return_for_rework"}),
    ("approved", "intake", {"record_response"}),
    ("approved", "head", {"record_response"}),
    ("responded", "intake", {"accept_result", "appeal", "refer_out"}),
    ("executing", "head", {"mark_done", "complete_execution"}),
    ("executing", "leader", {"waive"}),
])
def test_each_stage_offers_each_person_the_steps_the_status_table_gives_them(
        org, status, who, expected):
    to_status(org, status)
    assert offered(org.client(who), org.complaint) == expected
    assert expected == on_page(org.people[who], org.complaint)


def test_the_forms_carry_the_version_the_page_was_rendered_with(org):
    to_status(org, "accepted")
    html = org.client("intake").get(f"/complaints/{org.complaint.id}").get_data(as_text=True)
    version = current(org.complaint).version
    assert f'name="version" type="hidden" value="{version}"' in html


def test_every_action_form_posts_with_htmx_into_the_panel_and_plainly_without_javascript(org):
    html = org.client("intake").get(f"/complaints/{org.complaint.id}").get_data(as_text=True)
    forms = re.findall(r"<form [^>]*/act/[^>]*>", html)
    assert len(forms) == 3
    for form in forms:
        assert 'method="post"' in form and 'data-hx-target="#complaint-panel"' in form
        assert 'data-hx-swap="outerHTML"' in form and 'data-hx-post="' in form and 'action="' in form


def test_ids_stay_unique_on_a_page_with_many_action_forms(org):
    to_status(org, "executing")
    html = org.client("head").get(f"/complaints/{org.complaint.id}").get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', html)
    ours = re.search(r'<section class="card actions-card".*?</section>', html, re.S).group(0)
    ours += re.search(r'<section class="card stages".*?</section>', html, re.S).group(0)
    mine = re.findall(r'\sid="([^"]+)"', ours)
    assert len(mine) >= 16
    assert [i for i in mine if ids.count(i) != 1] == []
    for label_for in re.findall(r'<label for="([^"]+)"', ours):
        assert label_for in mine


# --- one step, as a page and with htmx -------------------------------------------------------

def test_accepting_as_a_plain_form_post_redirects_back_to_the_complaint(org):
    step(org, "assess", "intake", nature="service", severity="ordinary", urgency="normal")
    response = post(org.client("intake"), org.complaint, "accept", note="OK")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/complaints/{org.complaint.id}")
    assert current(org.complaint).status == "accepted"
    page = org.client("intake").get(response.headers["Location"]).get_data(as_text=True)
    assert "Saved. The complaint is now: Accepted." in page


def test_accepting_with_htmx_returns_the_whole_panel_with_the_new_status_and_timeline(org):
    step(org, "assess", "intake", nature="service", severity="ordinary", urgency="normal")
    response = post(org.client("intake"), org.complaint, "accept", hx=True, note="Within remit")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<div id="complaint-panel">')
    assert "HX-Request" in response.headers["Vary"]
    assert "status-accepted" in html and "Within remit" in html  # the timeline came too
    assert set(ACT.findall(html)) == {"assign"}
    assert "Saved. The complaint is now: Accepted." in html


def test_assessing_keeps_the_status_and_records_the_new_values(org):
    response = post(org.client("intake"), org.complaint, "assess", hx=True, nature="price",
                    severity="major", urgency="urgent")
    assert response.status_code == 200
    c = current(org.complaint)
    assert (c.status, c.nature, c.severity, c.urgency) == ("registered", "price", "major", "urgent")
    assert "Saved." in response.get_data(as_text=True)


# --- refusals --------------------------------------------------------------------------------

@pytest.mark.parametrize("hx", [True, False])
def test_rejecting_without_a_reason_is_refused_beside_the_field_and_saves_nothing(org, hx):
    before = events(org.complaint)
    response = post(org.client("intake"), org.complaint, "reject", hx=hx, reason="  ")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert ("<html" in html) is not hx
    assert re.search(r'<p class="error" id="reject-reason-error">Write the reason for not '
                     r'accepting the complaint\.</p>', html)
    assert re.search(r'<details class="action action-reject" id="act-reject" open>', html)
    assert current(org.complaint).status == "registered" and events(org.complaint) == before


def test_a_rule_of_the_workflow_is_shown_beside_the_field_it_concerns(org):
    to_status(org, "investigating")
    response = post(org.client("inv"), org.complaint, "request_extension", hx=True, days="20",
                    reason="Need the supplier's answer")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="request_extension-days-error"' in html and "at most 15" in html
    assert Extension.select().count() == 0


def test_accepting_before_the_nature_is_assessed_says_so_above_the_form(org):
    response = post(org.client("intake"), org.complaint, "accept", hx=True)
    assert response.status_code == 422
    assert "Assess the complaint (its nature) before accepting it." in response.get_data(
        as_text=True)
    assert current(org.complaint).status == "registered"


@pytest.mark.parametrize("hx", [True, False])
def test_a_stale_form_gets_409_with_a_clear_message_and_saves_nothing(org, hx):
    stale = current(org.complaint).version
    step(org, "assess", "intake", nature="service", severity="ordinary", urgency="normal")
    before = events(org.complaint)
    response = post(org.client("manager"), org.complaint, "reject", hx=hx, version=stale,
                    reason="Outside our remit")
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else acted on this complaint after you opened it. Nothing was saved" in html
    c = current(org.complaint)
    assert c.status == "registered" and not c.rejection_reason and events(org.complaint) == before
    # The user's text is kept, now with the current version, for a second look.
    assert "Outside our remit" in html and 'id="act-reject" open>' in html
    assert f'id="reject-version" name="version" type="hidden" value="{c.version}"' in html


def test_two_people_taking_the_same_step_at_once_only_the_first_succeeds(org):
    to_status(org, "accepted")
    version = current(org.complaint).version
    first = post(org.client("intake"), org.complaint, "assign", version=version,
                 department=str(org.service.id))
    second = post(org.client("manager"), org.complaint, "assign", hx=True, version=version,
                  department=str(org.warehouse.id))
    assert first.status_code == 303 and second.status_code == 409
    assert Assignment.select().count() == 1
    assert current(org.complaint).department_id == org.service.id


def test_a_step_the_stage_no_longer_allows_gets_409(org):
    to_status(org, "accepted")
    response = post(org.client("intake"), org.complaint, "accept", hx=True)
    assert response.status_code == 409
    assert "no longer possible at the complaint&#39;s current stage" in response.get_data(
        as_text=True)


@pytest.mark.parametrize("who, action, data", [
    ("intake", "confirm_receipt", {}),      # a department head's step
    ("manager", "confirm_receipt", {}),
    ("auditor", "transfer", {}),
    ("leader", "transfer", {}),
])
def test_a_step_that_is_not_the_users_gets_403_and_saves_nothing(org, who, action, data):
    to_status(org, "assigned")
    before = events(org.complaint)
    data = {"investigator": str(org.inv.id), "department": str(org.warehouse.id),
            "reason": "x", **data}
    response = post(org.client(who), org.complaint, action, hx=True, **data)
    assert response.status_code == 403
    assert events(org.complaint) == before and current(org.complaint).status == "assigned"


def test_the_investigator_cannot_review_their_own_proposal(org):
    to_status(org, "reviewing")
    response = post(org.client("inv"), org.complaint, "review", comment="Fine by me")
    assert response.status_code == 403
    assert Approval.select().count() == 0


def test_a_department_head_of_another_department_cannot_reach_the_complaint(org):
    to_status(org, "assigned")
    before = events(org.complaint)
    response = post(org.client("other_head"), org.complaint, "confirm_receipt",
                    investigator=str(org.inv.id))
    assert response.status_code == 404
    assert events(org.complaint) == before and current(org.complaint).status == "assigned"
    assert Assignment.get().received_by_id is None


def test_an_unknown_step_is_not_found(org):
    assert post(org.client("intake"), org.complaint, "delete").status_code == 404


def test_steps_are_post_only(org):
    response = org.client("intake").get(f"/complaints/{org.complaint.id}/act/accept")
    assert response.status_code == 405


# --- particular steps -----------------------------------------------------------------------

def test_a_transfer_keeps_the_earlier_assignment_on_the_page(org):
    to_status(org, "investigating")
    response = post(org.client("head"), org.complaint, "transfer", hx=True,
                    department=str(org.warehouse.id), reason="Stock problem, not service",
                    requirements="Check the batch", due_on="")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    # The head of Customer Service no longer sees it: the panel says so by its steps' absence.
    assert Assignment.select().count() == 2
    page = org.client("manager").get(f"/complaints/{org.complaint.id}").get_data(as_text=True)
    assert "Customer Service" in page and "Warehouse" in page
    assert "Transferred: Stock problem, not service" in page
    assert "Check the batch" in page
    assert html.count('class="inactive"') == 1


def test_the_transfer_form_does_not_offer_the_current_department(org):
    to_status(org, "assigned")
    html = org.client("manager").get(f"/complaints/{org.complaint.id}").get_data(as_text=True)
    select = re.search(r'<select id="transfer-department".*?</select>', html, re.S).group(0)
    assert "Warehouse" in select and "Customer Service" not in select


def test_confirm_receipt_offers_only_active_investigators_of_the_department(org):
    other_inv = make_user("investigator", department=org.warehouse, full_name="Elsewhere Person")
    to_status(org, "assigned")
    html = org.client("head").get(f"/complaints/{org.complaint.id}").get_data(as_text=True)
    select = re.search(r'<select id="confirm_receipt-investigator".*?</select>', html,
                       re.S).group(0)
    assert org.inv.full_name in select and other_inv.full_name not in select
    assert org.head.full_name not in select


def test_an_extension_is_requested_and_decided_on_the_page(org):
    to_status(org, "investigating")
    assert post(org.client("inv"), org.complaint, "request_extension", days="3",
                reason="Waiting for the lab").status_code == 303
    html = org.client("head").get(f"/complaints/{org.complaint.id}").get_data(as_text=True)
    assert "decide_extension" in html and "Waiting for the lab" in html
    response = post(org.client("head"), org.complaint, "decide_extension", hx=True,
                    decision="refuse", comment="")
    assert response.status_code == 422
    assert "Say why the extension is refused." in response.get_data(as_text=True)
    response = post(org.client("head"), org.complaint, "decide_extension", hx=True,
                    decision="approve", comment="Fine")
    assert response.status_code == 200
    assert current(org.complaint).investigation_days == 8
    assert Extension.get().approved is True


def test_the_investigation_report_needs_a_method_and_shows_on_the_page(org):
    to_status(org, "investigating")
    cause = RootCause.select().first()
    data = dict(facts_verdict="partly", facts_text="The kettle leaked at the seam.",
                root_cause=str(cause.id), root_cause_text="Bad batch",
                impact_customer="Refund delay", impact_reputation="", impact_business="")
    response = post(org.client("inv"), org.complaint, "submit_investigation", hx=True, **data)
    assert response.status_code == 422
    assert "Choose at least one investigation method." in response.get_data(as_text=True)
    response = post(org.client("inv"), org.complaint, "submit_investigation", hx=True,
                    methods=["records", "site"], **data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and current(org.complaint).status == "proposing"
    assert "Review of records and contracts, Site inspection" in html
    assert "Partly true" in html and "Bad batch" in html and cause.name in html


def test_a_proposal_with_remedies_and_measures_in_plain_rows(org):
    to_status(org, "proposing")
    due = (today() + dt.timedelta(days=14)).isoformat()
    response = post(org.client("inv"), org.complaint, "submit_proposal", hx=True,
                    apology="We apologise.", responsibility="Store staff",
                    **{"remedies-0-kind": "refund", "remedies-0-amount": "199.50",
                       "remedies-0-currency": "cny", "remedies-0-description": "Full refund",
                       "remedies-1-kind": "", "remedies-2-kind": "",
                       "measures-0-description": "Retrain the shop staff",
                       "measures-0-owner": str(org.head.id), "measures-0-due_on": due,
                       "measures-1-description": "", "measures-2-description": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    remedy, measure = Remedy.get(), Measure.get()
    assert (remedy.kind, remedy.amount, remedy.currency) == ("refund", Decimal("199.50"), "CNY")
    assert measure.owner_id == org.head.id and measure.due_on.isoformat() == due
    assert "199.50 CNY" in html and "Retrain the shop staff" in html


def test_a_remedy_row_with_an_amount_but_no_kind_is_refused_in_its_row(org):
    to_status(org, "proposing")
    response = post(org.client("inv"), org.complaint, "submit_proposal", hx=True,
                    apology="Sorry", **{"remedies-0-amount": "10"})
    assert response.status_code == 422
    assert 'id="submit_proposal-remedies-0-kind-error"' in response.get_data(as_text=True)
    assert Proposal.select().count() == 0


def test_a_measure_without_a_person_responsible_is_refused_above_the_measures(org):
    to_status(org, "proposing")
    response = post(org.client("inv"), org.complaint, "submit_proposal", hx=True,
                    **{"measures-0-description": "Fix the shelf",
                       "measures-0-due_on": today().isoformat()})
    assert response.status_code == 422
    assert "Each measure needs a person responsible." in response.get_data(as_text=True)


def test_returning_a_proposal_needs_a_comment_and_is_listed_with_the_approvals(org):
    to_status(org, "reviewing")
    response = post(org.client("head"), org.complaint, "return_for_rework", hx=True, comment="")
    assert response.status_code == 422
    assert "Say what needs to change." in response.get_data(as_text=True)
    response = post(org.client("head"), org.complaint, "return_for_rework", hx=True,
                    comment="Offer a replacement too")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and current(org.complaint).status == "investigating"
    assert "Department review" in html and "returned" in html
    assert "Offer a replacement too" in html


def test_the_response_form_proposes_the_complainant_and_today(org):
    to_status(org, "approved")
    html = org.client("intake").get(f"/complaints/{org.complaint.id}").get_data(as_text=True)
    assert 'value="张伟"' in html and f'value="{today().isoformat()}"' in html


def test_an_appeal_reopens_the_investigation_and_is_shown(org):
    to_status(org, "responded")
    response = post(org.client("intake"), org.complaint, "appeal", hx=True,
                    reason="The refund is too small")
    assert response.status_code == 200 and current(org.complaint).status == "investigating"
    assert "The refund is too small" in response.get_data(as_text=True)
    assert Dispute.get().kind == "appeal"


def test_a_dispute_taken_outside_waits_for_its_outcome(org):
    to_status(org, "responded")
    assert post(org.client("intake"), org.complaint, "refer_out", kind="mediation",
                body="Consumer association", reference="CA-9",
                started_on=today().isoformat()).status_code == 303
    html = org.client("intake").get(f"/complaints/{org.complaint.id}").get_data(as_text=True)
    assert "waiting for the outcome" in html and "CA-9" in html
    assert ACT.findall(html) == ["record_outcome"]
    response = post(org.client("intake"), org.complaint, "record_outcome", hx=True,
                    outcome="Settled at mediation", ended_on=today().isoformat())
    assert response.status_code == 200 and current(org.complaint).status == "executing"
    assert "Settled at mediation" in response.get_data(as_text=True)


def test_each_open_remedy_and_measure_has_its_own_done_form_and_a_leader_may_waive(org):
    to_status(org, "executing")
    remedy, measure = Remedy.get(), Measure.get()
    head_page = org.client("head").get(f"/complaints/{org.complaint.id}").get_data(as_text=True)
    assert 'id="act-mark_done-remedy-%d"' % remedy.id in head_page
    assert 'id="act-mark_done-measure-%d"' % measure.id in head_page
    response = post(org.client("head"), org.complaint, "mark_done", hx=True, kind="remedy",
                    item_id=str(remedy.id), note="Refunded by bank transfer")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and Remedy.get().done_at is not None
    assert "act-mark_done-remedy-" not in html and "Refunded by bank transfer" in html
    response = post(org.client("leader"), org.complaint, "waive", hx=True, kind="measure",
                    item_id=str(measure.id), reason="")
    assert response.status_code == 422
    assert 'id="waive-measure-%d-reason-error"' % measure.id in response.get_data(as_text=True)
    response = post(org.client("leader"), org.complaint, "waive", kind="measure",
                    item_id=str(measure.id), reason="Shop closed")
    assert response.status_code == 303 and Measure.get().waived


def test_marking_an_item_of_another_complaint_done_is_refused(org, app):
    to_status(org, "executing")
    response = post(org.client("head"), org.complaint, "mark_done", hx=True, kind="remedy",
                    item_id="9999", note="")
    assert response.status_code == 422
    assert "There is no such measure on this complaint." in response.get_data(as_text=True)


def test_execution_cannot_complete_while_items_are_open(org):
    to_status(org, "executing")
    response = post(org.client("manager"), org.complaint, "complete_execution", hx=True)
    assert response.status_code == 422
    assert "Every remedy and measure must be done" in response.get_data(as_text=True)
    assert current(org.complaint).status == "executing"


def _to_visiting(org):
    to_status(org, "executing")
    for r in Remedy.select():
        step(org, "mark_done", "head", kind="remedy", item_id=r.id)
    for m in Measure.select():
        step(org, "mark_done", "head", kind="measure", item_id=m.id)
    step(org, "complete_execution", "manager")


def test_the_return_visit_takes_satisfaction_as_labelled_radio_buttons(org):
    _to_visiting(org)
    html = org.client("intake").get(f"/complaints/{org.complaint.id}").get_data(as_text=True)
    assert "<legend>Satisfaction" in html
    for n in range(1, 6):
        assert re.search(f'<input id="record_visit-satisfaction-{n - 1}" name="satisfaction" '
                         f'[^>]*type="radio" value="{n}">', html)
    assert '<label for="record_visit-satisfaction-4">5 – very satisfied</label>' in html
    response = post(org.client("intake"), org.complaint, "record_visit", hx=True, method="phone",
                    visited_on=today().isoformat(), resolved="yes", comments="")
    assert response.status_code == 422
    assert "Satisfaction is from 1 to 5." in response.get_data(as_text=True)


def test_a_dissatisfied_visit_offers_reopening_to_those_who_may(org):
    _to_visiting(org)
    response = post(org.client("intake"), org.complaint, "record_visit", hx=True, method="phone",
                    visited_on=today().isoformat(), satisfaction="2", resolved="no",
                    comments="Still leaking")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The complainant is not satisfied." in html and "reopen" not in ACT.findall(html)
    manager = org.client("manager").get(f"/complaints/{org.complaint.id}").get_data(as_text=True)
    notice = re.search(r'<div class="notice notice-warn".*?</details>', manager, re.S).group(0)
    assert "/act/reopen" in notice and "<details" in notice and " open>" in notice
    assert ACT.findall(manager).count("reopen") == 1
    response = post(org.client("manager"), org.complaint, "reopen", hx=True,
                    reason="Leak not fixed")
    assert response.status_code == 200 and current(org.complaint).status == "investigating"
    assert "The complainant is not satisfied." not in response.get_data(as_text=True)


def test_a_satisfied_visit_shows_no_reopen_notice(org):
    _to_visiting(org)
    step(org, "record_visit", "intake", method="phone", visited_on=today(), satisfaction=5,
         resolved=True)
    html = org.client("manager").get(f"/complaints/{org.complaint.id}").get_data(as_text=True)
    assert "The complainant is not satisfied." not in html
    assert "5 of 5" in html


def test_an_overdue_stage_is_marked_overdue(org):
    to_status(org, "investigating")
    Complaint.update(stage_due_on=today() - dt.timedelta(days=1)).where(
        Complaint.id == org.complaint.id).execute()
    html = org.client("head").get(f"/complaints/{org.complaint.id}").get_data(as_text=True)
    due = re.search(r"<dt>Current stage due</dt><dd>.*?</dd>", html, re.S).group(0)
    assert "badge-overdue" in due


def test_a_stage_due_today_is_not_overdue(org):
    to_status(org, "investigating")
    Complaint.update(stage_due_on=today()).where(Complaint.id == org.complaint.id).execute()
    html = org.client("head").get(f"/complaints/{org.complaint.id}").get_data(as_text=True)
    due = re.search(r"<dt>Current stage due</dt><dd>.*?</dd>", html, re.S).group(0)
    assert "badge-overdue" not in due


# --- the whole life through HTTP ---------------------------------------------------------------

@pytest.mark.parametrize("hx", [False, True], ids=["page", "htmx"])
def test_a_complaint_goes_from_registered_to_archived_through_the_web_pages(org, hx):
    t = today()
    cause = RootCause.select().first()
    due = (t + dt.timedelta(days=10)).isoformat()
    c = org.complaint

    def do(who, action, expect_status, **data):
        for name in org.people:  # everyone is offered exactly their steps, before each one
            if access.can_view(org.people[name], current(c)):
                assert offered(org.client(name), c) == on_page(org.people[name], c), (
                    name, action)
        response = post(org.client(who), c, action, hx=hx, **data)
        body = response.get_data(as_text=True)
        if hx:
            assert response.status_code == 200, (action, body)
            assert "<html" not in body and 'id="complaint-panel"' in body
        else:
            assert response.status_code == 303, (action, body)
        assert current(c).status == expect_status, action

    do("intake", "assess", "registered", nature="service", severity="ordinary", urgency="normal")
    do("intake", "accept", "accepted", note="Within our remit")
    do("intake", "assign", "assigned", department=str(org.service.id),
       requirements="Call the customer", due_on="")
    do("head", "confirm_receipt", "investigating", investigator=str(org.inv.id))
    do("inv", "request_extension", "investigating", days="2", reason="Lab test")
    do("head", "decide_extension", "investigating", decision="approve", comment="")
    do("inv", "submit_investigation", "proposing", methods=["records", "interviews"],
       facts_verdict="true", facts_text="Leaking seam", root_cause=str(cause.id),
       root_cause_text="", impact_customer="", impact_reputation="", impact_business="")
    do("inv", "submit_proposal", "reviewing", apology="We are sorry.",
       responsibility="Supplier", **{"remedies-0-kind": "replacement",
                                     "measures-0-description": "Check the batch",
                                     "measures-0-owner": str(org.head.id),
                                     "measures-0-due_on": due})
    do("head", "review", "approving", comment="Agreed")
    do("leader", "approve", "approved", comment="")
    do("intake", "record_response", "responded", method="post", sent_on=t.isoformat(),
       recipient="张伟")
    do("intake", "accept_result", "executing", note="")
    do("head", "mark_done", "executing", kind="remedy", item_id=str(Remedy.get().id),
       note="Sent")
    do("head", "mark_done", "executing", kind="measure", item_id=str(Measure.get().id),
       note="Batch checked")
    do("manager", "complete_execution", "visiting")
    do("intake", "record_visit", "visiting", method="phone", visited_on=t.isoformat(),
       satisfaction="4", resolved="yes", comments="Happy")
    do("manager", "close", "closed", note="")
    do("manager", "archive", "archived")

    html = org.client("manager").get(f"/complaints/{c.id}").get_data(as_text=True)
    assert "/act/" not in html
    for text in ("Call the customer", "Lab test", "Leaking seam", "We are sorry.",
                 "Check the batch", "Agreed", "4 of 5", "Leader approval"):
        assert text in html, text
    assert Visit.select().count() == Response.select().count() == 1


def test_a_complaint_not_accepted_can_be_archived_through_the_web_pages(org):
    post(org.client("intake"), org.complaint, "reject", reason="Outside our remit")
    assert current(org.complaint).status == "rejected"
    assert offered(org.client("intake"), org.complaint) == set()
    assert offered(org.client("admin"), org.complaint) == {"archive"}
    assert post(org.client("admin"), org.complaint, "archive").status_code == 303
    assert current(org.complaint).status == "archived"


# --- queries -----------------------------------------------------------------------------------

def _pile_up_records(org, n):
    """n of every kind of stage record on the complaint (written directly: a volume test)."""
    c, t, people = current(org.complaint), today(), list(org.people.values())
    cause = RootCause.select().first()
    for i in range(n):
        who = people[i % len(people)]
        Assignment.create(complaint=c, department=org.service, due_on=t, assigned_by=who,
                          received_by=who, investigator=org.inv, current=False,
                          transfer_reason=f"reason {i}")
        Extension.create(complaint=c, requested_by=org.inv, days=1, reason="r", approved=True,
                         decided_by=who)
        Investigation.create(complaint=c, investigator=org.inv, methods="records",
                             facts_verdict="true", facts_text="f", root_cause=cause)
        p = Proposal.create(complaint=c, author=org.inv, current=False)
        for _ in range(2):
            Remedy.create(proposal=p, kind="refund", amount=1, done_by=who)
            Measure.create(proposal=p, description="m", owner=who, due_on=t)
        Approval.create(complaint=c, proposal=p, level=1, approved=False, decided_by=who)
        Response.create(complaint=c, method="post", sent_on=t, recipient="x", recorded_by=who)
        Dispute.create(complaint=c, kind="appeal", reason="r", started_on=t, recorded_by=who)
        Visit.create(complaint=c, method="phone", visited_on=t, satisfaction=3, resolved=True,
                     recorded_by=who)


def test_the_complaint_page_reads_stage_records_in_a_fixed_number_of_queries(
        org, app, count_queries):
    to_status(org, "investigating")
    client = org.client("manager")
    client.get(f"/complaints/{org.complaint.id}")  # warm up: session, settings
    _pile_up_records(org, 1)
    with count_queries() as few:
        assert client.get(f"/complaints/{org.complaint.id}").status_code == 200
    _pile_up_records(org, 12)
    with count_queries() as many:
        html = client.get(f"/complaints/{org.complaint.id}").get_data(as_text=True)
    assert "reason 11" in html
    assert many.count == few.count, (few.count, many.count)
