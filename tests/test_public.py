"""The public complaint form (/complain): a complainant without an account registers a
complaint online, is shown its number and lookup code once, and can download the
acknowledgement. Protected by CSRF, a honeypot field, a minimum fill time, per-address rate
limits, input length limits and checked uploads."""
import re
import shutil
import subprocess
import time

import pytest
from itsdangerous import URLSafeSerializer

from domain import accounts, numbering
from domain.letter_models import Letter
from domain.models import Complaint, Event, Evidence
from domain.settings import save_settings
from tests.test_public_support import (GOOD, PNG, cast, confirmation, relaxed_limits,  # noqa: F401
                                       started_token, submit, text_of)


def test_the_complaint_form_is_public_and_shows_no_staff_navigation(client):
    response = client.get("/complain")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Make a complaint" in page and 'id="main"' in page and "Skip to content" in page
    assert "My work" not in page and "/complaints" not in page and "Sign out" not in page
    assert "Up to 5 files, each at most 10 MB" in page
    assert 'maxlength="5000"' in page and 'maxlength="120"' in page


def test_the_complaint_form_comes_in_chinese_for_a_chinese_browser(client):
    response = client.get("/complain", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    page = response.get_data(as_text=True)
    assert '<html lang="zh-Hans">' in page
    assert "跳到正文" in page and "English" in page


def test_a_complaint_sent_online_is_registered_and_its_number_and_code_shown_once(app, client):
    response = submit(client)
    assert response.status_code == 303 and response.headers["Location"].endswith("/complain/done")
    number, code, page = confirmation(client)
    complaint = Complaint.get(Complaint.number == number)
    assert complaint.channel == "online" and complaint.status == "registered"
    assert complaint.registered_by_id == accounts.system_user("online").id
    assert complaint.complainant_name == GOOD["complainant_name"]
    assert complaint.order_ref == GOOD["order_ref"] and complaint.demand == GOOD["demand"]
    assert len(code) >= 10 and complaint.lookup_code_hash == numbering.hash_lookup_code(code)
    assert code not in complaint.lookup_code_hash
    assert "shown only once" in page and "Download the acknowledgement (PDF)" in page
    again = client.get("/complain/done").get_data(as_text=True)
    assert number in again and code not in again


def test_the_acknowledgement_is_issued_as_a_letter_with_the_lookup_code(app, client):
    submit(client)
    number, code, page = confirmation(client)
    complaint = Complaint.get(Complaint.number == number)
    letter = Letter.get(Letter.complaint == complaint.id)
    assert letter.kind == "acknowledgement" and letter.language == "en"
    assert letter.issued_by_id == accounts.system_user("online").id
    assert Event.select().where((Event.complaint == complaint.id)
                                & (Event.action == "issue_letter") & Event.public).exists()
    pdf = client.get(re.search(r'href="(/track/letters/\d+\.pdf)"', page).group(1))
    data = pdf.get_data()
    pdf.close()
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True,
                              check=True).stdout.decode()
        assert code in text and number in text


def test_a_complaint_sent_in_chinese_gets_a_chinese_acknowledgement(client):
    client.post("/language", data={"lang": "zh_Hans", "next": "/complain"})
    submit(client)
    number, _code, page = confirmation(client)
    complaint = Complaint.get(Complaint.number == number)
    assert complaint.language == "zh_Hans"
    assert Letter.get(Letter.complaint == complaint.id).language == "zh_Hans"
    assert "投诉编号" in page


def test_staff_see_the_online_acknowledgement_among_the_complaints_letters(app, client,
                                                                           login_as):
    submit(client)
    number, _code, _page = confirmation(client)
    complaint = Complaint.get(Complaint.number == number)
    letter = Letter.get(Letter.complaint == complaint.id)
    page = login_as("manager").get(f"/complaints/{complaint.id}").get_data(as_text=True)
    assert letter.reference in page


def test_a_name_or_the_matter_left_empty_is_shown_beside_the_field(client):
    response = submit(client, complainant_name="", matter="")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Enter your name." in page and "Tell us what happened." in page
    assert Complaint.select().count() == 0


def test_a_complaint_without_phone_or_email_is_refused(client):
    response = submit(client, complainant_phone="", complainant_email="")
    assert response.status_code == 422
    assert "Give a phone number or an email address" in response.get_data(as_text=True)
    assert Complaint.select().count() == 0


def test_over_long_input_is_refused(client):
    response = submit(client, matter="x" * 5001, complainant_name="y" * 121)
    assert response.status_code == 422
    assert Complaint.select().count() == 0


@pytest.mark.parametrize("name", ["complainant_name", "complainant_phone", "complainant_email",
                                  "matter", "demand", "order_ref"])
def test_html_in_any_field_is_refused_and_shown_back_escaped(client, name):
    response = submit(client, **{name: '<script>alert("x")</script>'})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page
    assert Complaint.select().count() == 0


def test_a_filled_honeypot_looks_accepted_but_registers_nothing(client):
    response = submit(client, website="http://spam.example")
    assert response.status_code == 303 and response.headers["Location"].endswith("/complain/thanks")
    page = client.get("/complain/thanks")
    assert page.status_code == 200 and "Thank you" in text_of(page)
    assert not re.search(r"TS-\d{4}-\d+", page.get_data(as_text=True))
    assert Complaint.select().count() == 0


def test_the_honeypot_is_labelled_for_screen_readers_and_hidden_by_css(client):
    page = client.get("/complain").get_data(as_text=True)
    assert re.search(r'<div class="hp-field">\s*<label for="website">Leave this field empty',
                     page)


def test_a_form_sent_too_fast_is_shown_again_with_a_neutral_message(app, client):
    app.config["PUBLIC_MIN_FILL_SECONDS"] = 3
    response = submit(client)
    assert response.status_code == 422
    assert "Please check your details and send the form again." in response.get_data(as_text=True)
    assert GOOD["matter"] in response.get_data(as_text=True)  # what was typed is kept
    assert Complaint.select().count() == 0


def test_a_form_filled_in_human_time_is_accepted(app, client):
    app.config["PUBLIC_MIN_FILL_SECONDS"] = 3
    earlier = URLSafeSerializer("test-secret", salt="public-form-started").dumps(
        {"t": int(time.time()) - 20})
    response = submit(client, started=earlier)
    assert response.status_code == 303
    assert Complaint.select().count() == 1


@pytest.mark.parametrize("token", ["", "forged", URLSafeSerializer(
    "another-secret", salt="public-form-started").dumps({"t": 1})])
def test_a_missing_or_forged_start_time_is_refused(client, token):
    response = submit(client, started=token)
    assert response.status_code == 422
    assert Complaint.select().count() == 0


def test_the_form_is_refused_without_its_csrf_token(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/complain", data=dict(GOOD, started=started_token(client)))
    assert response.status_code == 400
    assert "The form had expired" in response.get_data(as_text=True)
    assert Complaint.select().count() == 0


def test_too_many_complaints_from_one_address_are_refused_with_a_clear_page(app, client):
    app.config["PUBLIC_COMPLAIN_RATE_LIMIT"] = "5 per hour"
    for _ in range(5):
        assert submit(client).status_code == 303
    response = submit(client)
    assert response.status_code == 429
    assert "Too many attempts from your network" in response.get_data(as_text=True)
    assert Complaint.select().count() == 5
    assert client.get("/complain").status_code == 200  # reading the form is not limited


def test_evidence_files_are_stored_as_the_complainants(app, client):
    response = submit(client, files=[(PNG, "kettle.png")])
    assert response.status_code == 303
    number, _code, _page = confirmation(client)
    row = Evidence.get(Evidence.complaint == Complaint.get(Complaint.number == number).id)
    assert row.original_name == "kettle.png" and row.mime_type == "image/png"


def test_more_than_five_files_are_refused(client):
    files = [(PNG, f"photo{i}.png") for i in range(6)]
    response = submit(client, files=files)
    assert response.status_code == 422
    assert "Attach at most 5 files." in response.get_data(as_text=True)
    assert Complaint.select().count() == 0 and Evidence.select().count() == 0


def test_an_oversized_file_is_refused_with_the_limit(app, client):
    with app.app_context():
        save_settings({"max_upload_mb": 1})
    response = submit(client, files=[(PNG + b"\0" * (1024 * 1024 + 10), "big.png")])
    assert response.status_code == 422
    assert "is larger than 1 MB" in response.get_data(as_text=True)
    assert Complaint.select().count() == 0


def test_a_web_page_disguised_as_a_photo_is_refused(client):
    response = submit(client, files=[(b"<html><script>alert(1)</script></html>",
                                      "photo.png")])
    assert response.status_code == 422
    assert "is not an allowed type" in response.get_data(as_text=True)
    assert Complaint.select().count() == 0


def test_a_request_larger_than_the_server_takes_gets_the_public_error_page(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = submit(client, files=[(PNG + b"\0" * 4096, "big.png")])
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "The files are too large" in page and "Check your complaint" in page


def test_the_organisations_logo_is_shown_but_no_other_stored_image(app, client):
    import io
    from PIL import Image
    from domain import branding
    buffer = io.BytesIO()
    Image.new("RGBA", (40, 20), (200, 30, 30, 0)).save(buffer, "PNG")
    image = buffer.getvalue()
    with app.app_context():
        logo = branding.store(app.config["DOCUMENT_DIR"], branding.check_and_process("logo", image))
        seal = branding.store(app.config["DOCUMENT_DIR"], branding.check_and_process("seal", image))
        save_settings({"logo_file": logo, "seal_file": seal, "org_name": "Kettle & Co"})
    page = client.get("/complain").get_data(as_text=True)
    assert f'src="/complain/logo/{logo}"' in page and "Kettle &amp; Co" in page
    response = client.get(f"/complain/logo/{logo}")
    response.close()
    assert response.status_code == 200
    assert client.get(f"/complain/logo/{seal}").status_code == 404
