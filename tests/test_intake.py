"""Intake over HTTP: registering, refusing bad input, evidence, duplicates, corrections."""
import datetime as dt
import hashlib
import html
import io
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from domain.models import Complaint, Event, Evidence, FieldChange
from domain.numbering import LOOKUP_ALPHABET, hash_lookup_code
from domain.settings import save_settings
from domain.vocab import CHANNELS
from tests.conftest import PDF, PNG
from tests.factories import make_complaint

TZ = ZoneInfo("Asia/Shanghai")  # the default organisation time zone
HX = {"HX-Request": "true"}


def local_now() -> dt.datetime:
    return dt.datetime.now(TZ).replace(tzinfo=None, second=0, microsecond=0)


def form_data(**overrides) -> dict:
    """What the intake form sends for a plain hotline complaint."""
    data = {
        "channel": "hotline",
        "received_at": (local_now() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "language": "zh_Hans",
        "complainant_name": "李娜",
        "complainant_phone": "13900139000",
        "complainant_email": "lina@example.com",
        "complainant_address": "",
        "matter": "门店售出的吹风机使用一周后损坏，要求退款。",
        "demand": "退款 299 元",
        "order_ref": "SO-2026-77",
        "amount_claimed": "",
        "nature": "",
        "severity": "ordinary",
        "urgency": "normal",
        "regulator_name": "",
        "regulator_ref": "",
        "regulator_due": "",
    }
    data.update(overrides)
    return data


def upload(content: bytes, name: str) -> FileStorage:
    return FileStorage(io.BytesIO(content), filename=name,
                       content_type="application/octet-stream")


def post_multipart(client, url, data, files=(), headers=None):
    """A multipart POST encoded in memory (the test client's own encoder spools big
    bodies to a temporary file it never closes, which filterwarnings=error turns into
    a failure)."""
    payload = MultiDict(data)
    for content, name in files:
        payload.add("evidence", upload(content, name))
    boundary, body = encode_multipart(payload)
    return client.post(url, data=body, headers=headers or {},
                       content_type=f"multipart/form-data; boundary={boundary}")


def post_intake(client, data, files=(), headers=None):
    return post_multipart(client, "/complaints/new", data, files, headers)


def stored_files(app) -> list[Path]:
    return sorted(p for p in Path(app.config["UPLOAD_DIR"]).rglob("*") if p.is_file())


def field_error(page: str, field: str) -> str | None:
    """The error message shown next to `field`, or None."""
    m = re.search(rf'<p class="error" id="{field}-error"[^>]*>(.*?)</p>', page, re.S)
    return html.unescape(m.group(1)).strip() if m else None


def shown_lookup_code(page: str) -> str | None:
    m = re.search(r'<strong class="code"[^>]*>\s*([^<\s]+)\s*</strong>', page)
    return m.group(1) if m else None


def this_year() -> int:
    return dt.datetime.now(TZ).year


# --- registering ------------------------------------------------------------------------

@pytest.mark.parametrize("channel", list(CHANNELS))
def test_intake_staff_registering_a_complaint_from_any_channel_gets_a_number_and_a_lookup_code(
        app, login_as, channel):
    c = login_as("intake")
    extra = {"regulator_name": "12315", "regulator_ref": "12315-2026-0042"} \
        if channel == "regulator" else {}
    if channel == "group_visit":  # a group visit brings the group's details
        extra = {"group_headcount": "12", "group_location": "一楼大厅", "group_mood": "calm",
                 "group_core_demands": "退还预付款", "rep1_name": "王芳",
                 "rep1_contact": "13900000001"}
    response = post_intake(c, form_data(channel=channel, **extra))

    assert response.status_code == 303
    complaint = Complaint.get()
    assert response.headers["Location"].endswith(f"/complaints/{complaint.id}")
    assert re.fullmatch(r"TS-\d{4}-\d{6}", complaint.number)
    assert complaint.number == f"TS-{this_year()}-000001"
    assert complaint.channel == channel
    assert complaint.status == "registered"

    page = c.get(response.headers["Location"]).get_data(as_text=True)
    code = shown_lookup_code(page)
    assert code is not None and len(code) >= 10 and set(code) <= set(LOOKUP_ALPHABET)
    assert hash_lookup_code(code) == complaint.lookup_code_hash
    assert complaint.number in page
    assert f"Complaint {complaint.number} registered." in page


def test_intake_the_lookup_code_is_shown_once_and_not_again_on_reload(app, login_as):
    c = login_as("intake")
    location = post_intake(c, form_data()).headers["Location"]
    first = c.get(location).get_data(as_text=True)
    code = shown_lookup_code(first)
    assert code
    again = c.get(location).get_data(as_text=True)
    assert shown_lookup_code(again) is None
    assert code not in again


def test_intake_the_lookup_code_survives_a_look_at_another_complaint_first(app, login_as):
    c = login_as("intake")
    other = make_complaint(app, registered_by=c.user)
    location = post_intake(c, form_data()).headers["Location"]
    assert shown_lookup_code(c.get(f"/complaints/{other.id}").get_data(as_text=True)) is None
    assert shown_lookup_code(c.get(location).get_data(as_text=True))


def test_intake_the_person_who_registers_stays_the_first_contact_person(app, login_as):
    c = login_as("intake")
    location = post_intake(c, form_data()).headers["Location"]
    complaint = Complaint.get()
    assert complaint.registered_by_id == c.user.id
    assert complaint.first_contact_id == c.user.id
    page = c.get(location).get_data(as_text=True)
    assert re.search(r"First-contact person</dt>\s*<dd[^>]*>\s*" + re.escape(c.user.full_name),
                     page)
    register = Event.get(Event.complaint == complaint.id)
    assert (register.action, register.actor_id, register.seq) == ("register", c.user.id, 1)


def test_intake_received_time_is_entered_in_local_time_and_stored_in_utc(app, login_as):
    c = login_as("intake")
    local = local_now() - dt.timedelta(hours=3)
    post_intake(c, form_data(received_at=local.strftime("%Y-%m-%dT%H:%M")))
    stored = Complaint.get().received_at
    assert stored == local.replace(tzinfo=TZ).astimezone(dt.timezone.utc).replace(tzinfo=None)


def test_intake_a_regulator_reply_deadline_is_shown_as_the_date_entered(app, login_as):
    c = login_as("intake")
    location = post_intake(c, form_data(channel="regulator", regulator_name="12315",
                                        regulator_ref="R-1", regulator_due="2026-03-10")
                           ).headers["Location"]
    page = c.get(location).get_data(as_text=True)
    assert re.search(r"Regulator reply deadline</dt>\s*<dd[^>]*>(.*?)</dd>", page).group(1) \
        .strip() == "2026-03-10"


def test_intake_a_regulator_referral_without_its_reference_is_refused_beside_the_field(
        app, login_as):
    c = login_as("intake")
    response = post_intake(c, form_data(channel="regulator", regulator_name="12315"),
                           files=[(PNG, "photo.png")])
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "regulator_ref") == \
        "A regulator referral needs the regulator's reference number."
    assert "Nothing has been saved yet" in page
    assert Complaint.select().count() == 0
    assert stored_files(app) == []


def test_intake_htmx_submission_with_errors_gets_422_and_only_the_form_back(app, login_as):
    c = login_as("intake")
    response = post_intake(c, form_data(complainant_name=""), headers=HX)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<form id="intake-form"')
    assert "<html" not in body
    assert field_error(body, "complainant_name")
    assert "HX-Request" in response.headers["Vary"]
    assert Complaint.select().count() == 0


def test_intake_htmx_submission_that_succeeds_gets_204_and_an_hx_redirect(app, login_as):
    c = login_as("intake")
    response = post_intake(c, form_data(), headers=HX)
    assert response.status_code == 204
    assert response.get_data() == b""
    complaint = Complaint.get()
    assert response.headers["HX-Redirect"] == f"/complaints/{complaint.id}"
    # The browser then loads that page, where the lookup code is shown once.
    assert shown_lookup_code(c.get(response.headers["HX-Redirect"]).get_data(as_text=True))


def test_intake_staff_without_the_intake_role_cannot_open_the_form(app, login_as):
    c = login_as("investigator")
    assert c.get("/complaints/new").status_code == 403
    assert post_intake(c, form_data()).status_code == 403
    assert Complaint.select().count() == 0


# --- bad input saves nothing --------------------------------------------------------------

def _big_png(size: int) -> bytes:
    return PNG + b"\x00" * (size - len(PNG))


BAD_INPUT = {
    "missing name": (dict(complainant_name=""), [], "complainant_name", None),
    "missing matter": (dict(matter=""), [], "matter", None),
    "10,000-character name": (dict(complainant_name="张" * 10_000), [], "complainant_name",
                              "longer than 120"),
    "script in the matter": (dict(matter="<script>alert(1)</script>"), [], "matter",
                             "Plain text only: remove the HTML tags."),
    "impossible date": (dict(received_at="2026-13-45T99:99"), [], "received_at", None),
    "received in the future": (
        dict(received_at=(local_now() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")),
        [], "received_at", "The time received cannot be in the future."),
    "no way to reach the complainant": (
        dict(complainant_phone="", complainant_email="", complainant_address=""), [],
        "complainant_phone", "Enter at least one way to reach the complainant."),
    "HTML named evidence.pdf": (
        {}, [(b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
              "evidence.pdf")], "evidence", "not an allowed type"),
    "ELF executable named evidence.pdf": (
        {}, [(b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120, "evidence.pdf")], "evidence",
        "not an allowed type"),
    "Windows EXE named evidence.pdf": (
        {}, [(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200,
              "evidence.pdf")], "evidence", "not an allowed type"),
    "empty file": ({}, [(b"", "empty.pdf")], "evidence", "The file empty.pdf is empty."),
}


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_intake_bad_input_is_refused_with_a_message_and_nothing_is_saved(app, login_as, case):
    overrides, files, field, message = BAD_INPUT[case]
    c = login_as("intake")
    # A valid photo rides along: it must not be kept when the rest is refused.
    response = post_intake(c, form_data(**overrides), files=[(PNG, "photo.png"), *files])

    assert response.status_code == 422
    error = field_error(response.get_data(as_text=True), field)
    assert error, f"no message beside {field}"
    if message:
        assert message in error
    assert Complaint.select().count() == 0
    assert Event.select().count() == 0
    assert Evidence.select().count() == 0
    assert stored_files(app) == []


@pytest.mark.parametrize("field", ["complainant_name", "matter"])
def test_intake_a_name_or_matter_of_only_spaces_is_refused(app, login_as, field):
    c = login_as("intake")
    response = post_intake(c, form_data(**{field: "   "}))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), field)
    assert Complaint.select().count() == 0


def test_intake_a_file_over_the_configured_size_limit_is_refused(app, login_as):
    save_settings({"max_upload_mb": 1})
    c = login_as("intake")
    response = post_intake(c, form_data(), files=[(_big_png(2 * 1024 * 1024), "scan.png")])
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The file scan.png is larger than 1 MB." in field_error(page, "evidence")
    assert "Up to 1 MB each" in page  # the hint follows the setting
    assert Complaint.select().count() == 0
    assert stored_files(app) == []


def test_intake_a_file_just_under_the_limit_is_accepted(app, login_as):
    save_settings({"max_upload_mb": 1})
    c = login_as("intake")
    response = post_intake(c, form_data(), files=[(_big_png(1024 * 1024), "scan.png")])
    assert response.status_code == 303
    assert Evidence.get().size == 1024 * 1024


# --- evidence ---------------------------------------------------------------------------

def test_intake_evidence_is_stored_outside_static_under_a_random_name_with_its_sha256(
        app, login_as):
    c = login_as("intake")
    response = post_intake(c, form_data(), files=[(PNG, "photo.png"), (PDF, "收据.pdf")])
    assert response.status_code == 303

    items = {e.original_name: e for e in Evidence.select()}
    assert set(items) == {"photo.png", "收据.pdf"}
    static = Path(app.static_folder).resolve()
    for content, name, mime in ((PNG, "photo.png", "image/png"),
                                (PDF, "收据.pdf", "application/pdf")):
        item = items[name]
        assert re.fullmatch(r"[0-9a-f]{32}", item.stored_name)
        assert item.sha256 == hashlib.sha256(content).hexdigest()
        assert (item.mime_type, item.size) == (mime, len(content))
        assert item.uploaded_by_id == c.user.id
        path = Path(app.config["UPLOAD_DIR"]) / item.stored_name[:2] / item.stored_name
        assert path.read_bytes() == content
        assert static not in path.resolve().parents
    names = [p.name for p in stored_files(app)]
    assert len(names) == 2 and "photo.png" not in names and "收据.pdf" not in names


def test_intake_evidence_downloads_as_an_attachment_under_its_original_name(app, login_as):
    c = login_as("intake")
    post_intake(c, form_data(), files=[(PDF, "receipt.pdf"), (PNG, "照片.png")])
    complaint = Complaint.get()
    pdf = Evidence.get(Evidence.original_name == "receipt.pdf")
    with c.get(f"/complaints/{complaint.id}/evidence/{pdf.id}") as response:
        assert response.status_code == 200
        assert response.get_data() == PDF
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert "filename=receipt.pdf" in response.headers["Content-Disposition"]
        assert response.mimetype == "application/pdf"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response.headers["Content-Security-Policy"]
        assert "no-store" in response.headers["Cache-Control"]

    png = Evidence.get(Evidence.original_name == "照片.png")
    with c.get(f"/complaints/{complaint.id}/evidence/{png.id}") as response:
        assert response.get_data() == PNG
        assert "filename*=UTF-8''%E7%85%A7%E7%89%87.png" in \
            response.headers["Content-Disposition"]


def test_intake_evidence_of_one_complaint_cannot_be_fetched_through_another(app, login_as):
    c = login_as("manager")
    first = make_complaint(app, files=[("a.pdf", PDF)])
    second = make_complaint(app)
    item = Evidence.get(Evidence.complaint == first.id)
    assert c.get(f"/complaints/{second.id}/evidence/{item.id}").status_code == 404
    with c.get(f"/complaints/{first.id}/evidence/{item.id}") as response:
        assert response.status_code == 200 and response.get_data() == PDF


def test_intake_adding_evidence_on_the_complaint_page_writes_an_add_evidence_event(
        app, login_as):
    c = login_as("intake")
    complaint = make_complaint(app, registered_by=c.user)
    response = post_multipart(c, f"/complaints/{complaint.id}/evidence",
                              {"note": "客户补充发票"}, files=[(PDF, "invoice.pdf")])
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/complaints/{complaint.id}")

    item = Evidence.get(Evidence.complaint == complaint.id)
    assert (item.original_name, item.sha256) == ("invoice.pdf", hashlib.sha256(PDF).hexdigest())
    event = Event.select().where(Event.complaint == complaint.id).order_by(Event.seq.desc()).get()
    assert (event.action, event.seq, event.actor_id, event.note) == \
        ("add_evidence", 2, c.user.id, "客户补充发票")
    change = FieldChange.get(FieldChange.event == event.id)
    assert change.field == "evidence" and change.new.startswith("invoice.pdf (sha256 ")
    assert item.sha256[:12] in change.new

    page = c.get(f"/complaints/{complaint.id}").get_data(as_text=True)
    assert "Evidence added" in page and "invoice.pdf" in page and "客户补充发票" in page


def test_intake_adding_a_disguised_file_on_the_complaint_page_is_refused(app, login_as):
    c = login_as("intake")
    complaint = make_complaint(app, registered_by=c.user)
    response = post_multipart(c, f"/complaints/{complaint.id}/evidence", {},
                              files=[(b"\x7fELF\x02\x01\x01" + b"\x00" * 64, "evidence.pdf")],
                              headers=HX)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "<html" not in body and 'id="evidence"' in body
    assert "not an allowed type" in field_error(body, "evidence")
    assert Evidence.select().count() == 0
    assert Event.select().where(Event.complaint == complaint.id).count() == 1
    assert stored_files(app) == []


# --- possible duplicates ----------------------------------------------------------------

def test_intake_duplicate_check_shows_an_open_complaint_with_the_same_phone_however_written(
        app, login_as):
    c = login_as("intake")
    earlier = make_complaint(app, registered_by=c.user, complainant_phone="13800138000",
                             complainant_email="")
    for phone in ("13800138000", "+86 138-0013-8000", "138 0013 8000"):
        response = c.get("/complaints/duplicates", query_string={"complainant_phone": phone})
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert "Possible duplicates" in body and earlier.number in body, phone
        assert "<html" not in body


def test_intake_duplicate_check_shows_an_open_complaint_with_the_same_email(app, login_as):
    c = login_as("intake")
    earlier = make_complaint(app, registered_by=c.user, complainant_phone="",
                             complainant_email="wang@example.com")
    body = c.get("/complaints/duplicates", query_string={
        "complainant_email": "Wang@Example.com"}).get_data(as_text=True)
    assert earlier.number in body


def test_intake_duplicate_check_ignores_closed_complaints_and_other_contacts(app, login_as):
    c = login_as("intake")
    closed = make_complaint(app, registered_by=c.user, complainant_phone="13800138000",
                            complainant_email="same@example.com")
    Complaint.update(status="closed").where(Complaint.id == closed.id).execute()
    make_complaint(app, registered_by=c.user, complainant_phone="13700137000",
                   complainant_email="other@example.com")
    body = c.get("/complaints/duplicates", query_string={
        "complainant_phone": "+86 138-0013-8000",
        "complainant_email": "same@example.com"}).get_data(as_text=True)
    assert "Possible duplicates" not in body
    assert body.strip() == ""


# --- correcting intake data -------------------------------------------------------------

def _register(c, **overrides) -> Complaint:
    assert post_intake(c, form_data(**overrides)).status_code == 303
    return Complaint.select().order_by(Complaint.id.desc()).get()


def test_intake_correction_form_carries_the_current_version(app, login_as):
    c = login_as("intake")
    complaint = _register(c)
    page = c.get(f"/complaints/{complaint.id}/edit").get_data(as_text=True)
    assert '<input id="version" name="version" type="hidden" value="1">' in page
    assert 'value="李娜"' in page


def test_intake_correcting_data_records_old_and_new_values_shown_on_the_complaint_page(
        app, login_as):
    c = login_as("intake")
    complaint = _register(c)
    response = c.post(f"/complaints/{complaint.id}/edit", data=form_data(
        version="1", complainant_name="李娜娜", amount_claimed="299.00", nature="product_quality"))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/complaints/{complaint.id}")

    complaint = Complaint.get_by_id(complaint.id)
    assert (complaint.complainant_name, complaint.version) == ("李娜娜", 2)
    event = Event.get((Event.complaint == complaint.id) & (Event.action == "edit"))
    assert (event.seq, event.actor_id) == (2, c.user.id)
    changes = {fc.field: (fc.old, fc.new) for fc in event.changes}
    assert changes == {"complainant_name": ("李娜", "李娜娜"),
                       "amount_claimed": ("", "299.00"),
                       "nature": ("", "product_quality")}

    page = c.get(f"/complaints/{complaint.id}").get_data(as_text=True)
    assert "Intake data corrected" in page
    assert re.search(r'<th scope="row">Complainant</th>\s*<td[^>]*>李娜</td>\s*'
                     r'<td[^>]*>李娜娜</td>', page)
    assert re.search(r'<th scope="row">Amount claimed</th>\s*<td[^>]*>—</td>\s*'
                     r'<td[^>]*>299.00</td>', page)


def test_intake_correcting_with_a_stale_version_gets_409_and_saves_nothing(app, login_as):
    c = login_as("intake")
    complaint = _register(c)
    assert c.post(f"/complaints/{complaint.id}/edit", data=form_data(
        version="1", complainant_name="第一位同事改的")).status_code == 303
    events_before = Event.select().count()

    response = c.post(f"/complaints/{complaint.id}/edit", data=form_data(
        version="1", complainant_name="第二位同事改的"))
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Someone else changed this complaint while you were editing." in page
    complaint = Complaint.get_by_id(complaint.id)
    assert (complaint.complainant_name, complaint.version) == ("第一位同事改的", 2)
    assert Event.select().count() == events_before


def test_intake_correction_that_changes_nothing_writes_no_history(app, login_as):
    c = login_as("intake")
    complaint = _register(c)
    response = c.post(f"/complaints/{complaint.id}/edit", data=form_data(version="1"))
    assert response.status_code == 303
    assert Complaint.get_by_id(complaint.id).version == 1
    assert [e.action for e in Event.select().where(Event.complaint == complaint.id)] == \
        ["register"]


def test_intake_correction_with_bad_data_is_refused_and_saves_nothing(app, login_as):
    c = login_as("intake")
    complaint = _register(c)
    response = c.post(f"/complaints/{complaint.id}/edit", headers=HX, data=form_data(
        version="1", matter="<b>bold</b>", complainant_name="新名字"))
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<form id="edit-form"') and "<html" not in body
    assert field_error(body, "matter") == "Plain text only: remove the HTML tags."
    complaint = Complaint.get_by_id(complaint.id)
    assert (complaint.complainant_name, complaint.version) == ("李娜", 1)
    assert Event.select().count() == 1


def test_intake_a_closed_complaint_cannot_be_corrected(app, login_as):
    c = login_as("intake")
    complaint = _register(c)
    Complaint.update(status="closed").where(Complaint.id == complaint.id).execute()
    assert c.get(f"/complaints/{complaint.id}/edit").status_code == 403
    response = c.post(f"/complaints/{complaint.id}/edit", data=form_data(
        version="1", complainant_name="改不了"))
    assert response.status_code == 403
    assert Complaint.get_by_id(complaint.id).complainant_name == "李娜"
