"""The status lookup (/track): number + lookup code (never less), a plain-language status
with dates, public notes only, the letters sent to the complainant, additions from the
complainant, and the rating once the return visit is due. Nothing about staff is shown."""
import re
import time

import pytest

from domain import letter_context, letters, public
from domain.letter_models import Letter
from domain.models import Complaint, Event, Evidence
from domain.public import PUBLIC_STATUSES
from domain.settings import load_settings
from domain.stage_models import Notification, Visit
from domain.statuses import STATUSES
from tests.test_public_support import (PNG, cast, confirmation, look_up, post_multipart,  # noqa: F401
                                       relaxed_limits, submit, text_of)
from tests.workflow_helpers import act, drive, reload

GENERIC = "We could not find a complaint with this number and lookup code."


@pytest.fixture
def online(client):
    """A complaint sent through the form: (complaint, number, code); the client has seen
    the confirmation (and so may see the status page) — use another client for lookups."""
    submit(client)
    number, code, _page = confirmation(client)
    return Complaint.get(Complaint.number == number), number, code


@pytest.fixture
def tracked(app):
    """tracked(complaint) → (a new client that has looked the complaint up, its code)."""
    def _track(complaint, code=None):
        if code is None:  # a complaint made by staff: give it a code we know
            code = "ABCDEFGHJK23"
            from domain.numbering import hash_lookup_code
            Complaint.update(lookup_code_hash=hash_lookup_code(code)).where(
                Complaint.id == complaint.id).execute()
        c = app.test_client()
        assert look_up(c, complaint.number, code).status_code == 303
        return c
    return _track


@pytest.fixture
def driven(app, cast):
    def _drive(status, **fields):
        with app.test_request_context():
            return drive(cast, status, **fields)
    return _drive


# --- the lookup ------------------------------------------------------------------------------

def test_the_right_number_and_code_open_the_status_page(app, online):
    complaint, number, code = online
    c = app.test_client()
    response = look_up(c, number, code.lower())  # case and spaces do not matter
    assert response.status_code == 303 and response.headers["Location"].endswith("/track/status")
    page = text_of(c.get("/track/status"))
    assert f"Your complaint {number}" in page and "Status: Received" in page
    assert "Reply expected by" in page and "Acknowledgement of receipt" in page


def test_wrong_codes_on_sequential_numbers_all_get_the_same_generic_answer(app, online,
                                                                           driven):
    complaint, number, code = online
    driven("registered")
    prefix, year, _n = number.rsplit("-", 2)
    c = app.test_client()
    bodies = set()
    for n in range(1, 6):  # existing numbers and numbers that do not exist
        attempt = f"{prefix}-{year}-{n:06d}"
        response = look_up(c, attempt, "WRONGCODE234")
        assert response.status_code == 422
        bodies.add(response.get_data(as_text=True).replace(attempt, "NUMBER"))
    for number_, code_ in [("", ""), ("x" * 500, code), ("<script>", code), (number, ""),
                           (number, code[:-1] + "Z" if code[-1] != "Z" else code[:-1] + "Y")]:
        response = look_up(c, number_, code_)
        assert response.status_code == 422
        assert GENERIC in response.get_data(as_text=True)
        bodies.add(response.get_data(as_text=True).replace(number_, "NUMBER")
                   if number_ else response.get_data(as_text=True))
    assert all(GENERIC in b for b in bodies)
    assert len({re.sub(r'value="[^"]*"', "", b) for b in bodies}) == 1
    assert c.get("/track/status").status_code == 303  # nothing was opened


def test_the_number_with_the_phone_number_does_not_open_a_complaint(app, online):
    complaint, number, _code = online
    response = look_up(app.test_client(), number, complaint.complainant_phone)
    assert response.status_code == 422 and GENERIC in response.get_data(as_text=True)


def test_html_typed_into_the_lookup_is_shown_back_escaped(app):
    response = look_up(app.test_client(), '"><script>alert(1)</script>', "x")
    page = response.get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_too_many_lookups_from_one_address_are_refused_even_with_the_right_code(app, online):
    app.config["PUBLIC_TRACK_RATE_LIMIT"] = "10 per minute"
    complaint, number, code = online
    c = app.test_client()
    for _ in range(10):
        assert look_up(c, number, "WRONGCODE234").status_code == 422
    response = look_up(c, number, code)
    assert response.status_code == 429
    assert "Too many attempts from your network" in response.get_data(as_text=True)
    assert c.get("/track/status").status_code == 303


def test_the_status_page_closes_after_a_few_minutes(app, online):
    _complaint, number, code = online
    c = app.test_client()
    look_up(c, number, code)
    with c.session_transaction() as s:
        s["public_track"] = dict(s["public_track"], until=int(time.time()) - 1)
    response = c.get("/track/status")
    assert response.status_code == 303 and response.headers["Location"].endswith("/track")
    assert "Enter your complaint number and lookup code again" in text_of(c.get("/track"))


def test_closing_the_status_page_forgets_the_lookup(app, online):
    _complaint, number, code = online
    c = app.test_client()
    look_up(c, number, code)
    assert c.post("/track/end").status_code == 303
    assert c.get("/track/status").status_code == 303


def test_every_page_after_the_lookup_needs_it(app, online):
    complaint, _number, _code = online
    letter = Letter.get(Letter.complaint == complaint.id)
    c = app.test_client()
    for response in (c.get("/track/status"), c.get(f"/track/letters/{letter.id}.pdf"),
                     c.post("/track/info", data={"text": "more"}),
                     c.post("/track/rating", data={"satisfaction": "5", "resolved": "yes"})):
        assert response.status_code == 303 and response.headers["Location"].endswith("/track")
    assert not Event.select().where(Event.action == "complainant_info").exists()


# --- what the status page shows --------------------------------------------------------------

def test_every_status_has_a_plain_language_label_in_both_languages(app):
    from flask_babel import force_locale
    assert set(PUBLIC_STATUSES) == set(STATUSES)
    with app.test_request_context(), force_locale("en"):
        labels = {str(label) for label, _ in PUBLIC_STATUSES.values()}
    assert {"Received, being checked", "Being investigated", "Answer sent", "Closed"} <= labels


@pytest.mark.parametrize("status, label", [("investigating", "Being investigated"),
                                           ("reviewing", "Decision being prepared"),
                                           ("responded", "Answer sent"),
                                           ("closed", "Closed")])
def test_the_status_reads_in_plain_language_with_its_dates(driven, tracked, status, label):
    complaint = driven(status)
    page = text_of(tracked(complaint).get("/track/status"))
    assert f"Status: {label}" in page
    assert "Received" in page and "Accepted" in page
    if status in ("responded", "closed"):
        assert "Answer sent" in page and "Reply expected by" not in page
    else:
        assert "Reply expected by" in page
    if status == "closed":
        assert re.search(r"Closed \d+ \w+ \d{4}", page)


def test_internal_notes_and_staff_names_never_show_on_the_status_page(app, cast, driven,
                                                                      tracked):
    for person in (cast.intake, cast.investigator, cast.head, cast.leader, cast.manager):
        person.full_name = f"Staffname{person.id} Secret"
        person.save()
    complaint = driven("visiting")
    page = tracked(complaint).get("/track/status").get_data(as_text=True)
    internal = [e.note for e in Event.select().where((Event.complaint == complaint.id)
                                                     & ~Event.public & (Event.note != ""))]
    assert internal  # the investigation report, the review and approval comments …
    for note in internal:
        assert note not in page
    assert "Staffname" not in page and "Secret" not in page
    assert cast.dept.name not in page
    public_notes = [e.note for e in Event.select().where((Event.complaint == complaint.id)
                                                         & Event.public & (Event.note != ""))]
    assert public_notes and all(n in page for n in public_notes)


def test_a_rejected_complaint_shows_the_reason(driven, tracked):
    complaint = driven("rejected")
    page = text_of(tracked(complaint).get("/track/status"))
    assert "Status: Not accepted" in page
    assert "The kettle was bought from another shop." in page


def test_html_in_a_public_note_is_shown_escaped(app, cast, tracked):
    with app.test_request_context():
        complaint = drive(cast, "registered")
        act(cast, complaint, "accept", note='<img src=x onerror="alert(1)">')
    page = tracked(complaint).get("/track/status").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x" in page


def _issue_response(app, cast, complaint) -> Letter:
    settings = load_settings()
    with app.test_request_context():
        context = letter_context.build(reload(complaint), "response", settings,
                                       app.config["DOCUMENT_DIR"], for_pdf=True)
        return letters.issue(reload(complaint), "response", "en",
                             letters.default_paragraphs("response", "en"), cast.intake,
                             context=context, document_dir=app.config["DOCUMENT_DIR"],
                             settings=settings)


def test_letters_issued_to_the_complainant_can_be_downloaded(app, cast, driven, tracked):
    complaint = driven("approved")
    letter = _issue_response(app, cast, complaint)
    c = tracked(complaint)
    page = c.get("/track/status").get_data(as_text=True)
    assert "Formal written response" in page and letter.reference in page
    response = c.get(f"/track/letters/{letter.id}.pdf")
    data = response.get_data()
    response.close()
    assert response.status_code == 200 and data.startswith(b"%PDF")


def test_another_complaints_letter_is_not_served(app, cast, driven, tracked, online):
    mine, _number, _code = online
    other = driven("approved")
    letter = _issue_response(app, cast, other)
    c = tracked(mine, online[2])
    response = c.get(f"/track/letters/{letter.id}.pdf")
    assert response.status_code == 404


# --- additions from the complainant ----------------------------------------------------------

def test_the_complainant_adds_information_which_lands_in_the_history(app, cast, driven,
                                                                     tracked, login_as):
    complaint = driven("investigating")
    c = tracked(complaint)
    response = post_multipart(c, "/track/info", {"text": "The leak started on day 2."},
                              [(PNG, "leak.png")])
    assert response.status_code == 303
    event = Event.get((Event.complaint == complaint.id) & (Event.action == "complainant_info"))
    assert event.actor_id is None and event.public and event.note == "The leak started on day 2."
    evidence = Evidence.get((Evidence.complaint == complaint.id)
                            & (Evidence.source == "complainant"))
    assert evidence.uploaded_by_id is None and evidence.original_name == "leak.png"
    told = {n.user_id for n in Notification.select().where(
        (Notification.kind == "complainant_info") & (Notification.complaint == complaint.id))}
    assert {cast.head.id, cast.investigator.id} <= told and cast.leader.id not in told
    page = text_of(c.get("/track/status"))
    assert "Information from you" in page and "The leak started on day 2." in page
    assert "leak.png" in page
    staff_page = text_of(login_as(cast.head).get(f"/complaints/{complaint.id}"))
    assert "the complainant" in staff_page and "Information from the complainant" in staff_page


def test_an_empty_addition_is_refused_with_a_message(driven, tracked):
    complaint = driven("investigating")
    response = tracked(complaint).post("/track/info", data={"text": "  "})
    assert response.status_code == 422
    assert "Write something or choose a file to send." in response.get_data(as_text=True)


def test_html_in_an_addition_is_refused_and_shown_back_escaped(driven, tracked):
    complaint = driven("investigating")
    response = tracked(complaint).post("/track/info",
                                       data={"text": "<script>alert(1)</script>"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "<script>alert" not in page
    assert "&lt;script&gt;" in page
    assert not Event.select().where(Event.action == "complainant_info").exists()


def test_a_disguised_file_added_later_is_refused_and_nothing_is_saved(driven, tracked):
    complaint = driven("investigating")
    response = post_multipart(tracked(complaint), "/track/info", {"text": "see file"},
                              [(b"<html><script>x</script></html>", "receipt.pdf")])
    assert response.status_code == 422
    assert "is not an allowed type" in response.get_data(as_text=True)
    assert not Event.select().where(Event.action == "complainant_info").exists()
    assert not Evidence.select().where(Evidence.source == "complainant").exists()


def test_nothing_can_be_added_to_a_closed_complaint(driven, tracked):
    complaint = driven("closed")
    c = tracked(complaint)
    assert "Add information or files" not in text_of(c.get("/track/status"))
    response = c.post("/track/info", data={"text": "One more thing"})
    assert response.status_code == 422
    assert "This complaint is closed" in response.get_data(as_text=True)


# --- the rating ------------------------------------------------------------------------------

def test_the_complainant_rates_the_handling_once_the_return_visit_is_due(app, cast, driven,
                                                                         tracked):
    complaint = driven("visiting")
    c = tracked(complaint)
    assert "How satisfied are you" in text_of(c.get("/track/status"))
    response = c.post("/track/rating", data={"satisfaction": "4", "resolved": "yes",
                                             "comments": "Quick refund."})
    assert response.status_code == 303
    visit = Visit.get((Visit.complaint == complaint.id) & Visit.recorded_by.is_null())
    assert (visit.method, visit.satisfaction, visit.resolved, visit.comments) == \
        ("questionnaire", 4, True, "Quick refund.")
    assert Event.get((Event.complaint == complaint.id) & (Event.action == "record_visit")
                     & Event.actor.is_null())
    assert "you have rated the handling" in text_of(c.get("/track/status"))


def test_a_second_rating_in_the_same_round_is_refused_clearly(driven, tracked):
    complaint = driven("visiting")
    c = tracked(complaint)
    c.post("/track/rating", data={"satisfaction": "5", "resolved": "yes"})
    response = c.post("/track/rating", data={"satisfaction": "1", "resolved": "no"})
    assert response.status_code == 422
    assert "You have already rated the handling of this complaint." in \
        response.get_data(as_text=True)
    assert Visit.select().where(Visit.recorded_by.is_null()).count() == 1


def test_a_dissatisfied_rating_tells_the_managers(cast, driven, tracked):
    complaint = driven("visiting")
    tracked(complaint).post("/track/rating", data={"satisfaction": "1", "resolved": "no"})
    assert Notification.select().where((Notification.kind == "dissatisfied")
                                       & (Notification.user == cast.manager.id)).exists()


def test_before_the_return_visit_the_page_says_when_rating_will_be_possible(driven, tracked):
    complaint = driven("executing")
    c = tracked(complaint)
    page = text_of(c.get("/track/status"))
    assert "Once what was decided has been carried out, you will be able to rate" in page
    response = c.post("/track/rating", data={"satisfaction": "5", "resolved": "yes"})
    assert response.status_code == 422
    assert "cannot be rated at this stage" in response.get_data(as_text=True)
    assert not Visit.select().where(Visit.recorded_by.is_null()).exists()


def test_a_rating_needs_a_score_and_an_answer(driven, tracked):
    complaint = driven("visiting")
    response = tracked(complaint).post("/track/rating", data={"comments": "hm"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose a rating from 1 to 5." in page and "Answer yes or no." in page


def test_a_reopened_complaint_may_be_rated_again_in_its_next_round(app, cast, driven, tracked):
    complaint = driven("visiting")
    c = tracked(complaint)
    c.post("/track/rating", data={"satisfaction": "2", "resolved": "no"})
    with app.test_request_context():
        from tests.workflow_helpers import run_steps
        run_steps(cast, complaint, ["reopen", "submit_investigation", "submit_proposal",
                                    "review", "approve", "record_response", "accept_result",
                                    "finish_items", "complete_execution"])
    assert reload(complaint).status == "visiting"
    assert public.rating_state(reload(complaint)) == "open"
    assert c.post("/track/rating", data={"satisfaction": "5", "resolved": "yes"}
                  ).status_code == 303
    assert Visit.select().where(Visit.recorded_by.is_null()).count() == 2


def test_the_status_page_works_in_chinese(online, app):
    _complaint, number, code = online
    c = app.test_client()
    c.post("/language", data={"lang": "zh_Hans", "next": "/track"})
    look_up(c, number, code)
    page = c.get("/track/status").get_data(as_text=True)
    assert '<html lang="zh-Hans">' in page and "跳到正文" in page
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", page)


def test_staff_names_are_absent_from_every_public_page(app, cast, driven, tracked):
    for person in (cast.intake, cast.head, cast.investigator, cast.manager):
        person.full_name = f"Staffname{person.id}"
        person.save()
    complaint = driven("visiting")
    c = tracked(complaint)
    pages = [c.get("/track/status"), c.get("/complain"), c.get("/track"),
             look_up(app.test_client(), complaint.number, "WRONGCODE234")]
    submit(c)
    pages.append(c.get("/complain/done"))
    for response in pages:
        html = response.get_data(as_text=True)
        assert response.status_code in (200, 422)
        assert "Staffname" not in html and "system-online" not in html
