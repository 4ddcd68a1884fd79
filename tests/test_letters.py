"""Letters to the complainant: staff prepare one (language, free text), preview it as a page,
issue it (one stored PDF with its SHA-256, numbered, versioned, in the history), print it,
and record its delivery. The PDFs are opened with poppler-utils (pdfinfo, pdftotext,
pdffonts), as a reader would."""
import datetime as dt
import hashlib
import re
import shutil
import subprocess

import pytest
from werkzeug.security import generate_password_hash

from domain import access, accounts, letters
from domain.letter_models import Letter
from domain.models import Complaint, Event
from tests.factories import make_complaint
from tests.workflow_helpers import drive, make_cast

pytestmark = pytest.mark.skipif(not shutil.which("pdffonts"),
                                reason="poppler-utils (pdfinfo, pdftotext, pdffonts) missing")

HX = {"HX-Request": "true"}
APPROVED = ["assess", "accept", "assign", "confirm_receipt", "submit_investigation",
            "submit_proposal", "review", "approve"]
STEPS = {  # a complaint in the state each kind of letter needs
    "acknowledgement": ["assess"],
    "rejection": ["assess", "reject"],
    "extension": ["assess", "accept", "assign", "confirm_receipt", "request_extension",
                  "decide_extension"],
    "response": APPROVED,
    "appeal_decision": APPROVED + ["record_response", "appeal", "submit_investigation",
                                   "submit_proposal", "review", "approve"],
}


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    monkeypatch.setattr(accounts, "generate_password_hash",
                        lambda password: generate_password_hash(password, "pbkdf2:sha256:1"))


@pytest.fixture
def cast(app):
    """The people of a small organisation (department A handles the complaints)."""
    with app.test_request_context():
        return make_cast(app)


@pytest.fixture
def complaint_in(app, cast):
    """complaint_in(kind, **fields): a complaint that the letter `kind` fits, taken there
    through the real workflow (no request context stays pushed for the test's requests)."""
    def _make(kind, **fields):
        with app.test_request_context():
            steps = STEPS[kind]
            return drive(cast, _status(steps), steps=steps, **fields)
    return _make


def _status(steps):
    last = steps[-1]
    return {"assess": "registered", "reject": "rejected", "decide_extension": "investigating",
            "approve": "approved"}[last]


@pytest.fixture
def as_(login_as, cast):
    """as_(role) → a client signed in as the cast member of that role."""
    clients = {}

    def _client(role):
        if role not in clients:
            person = (getattr(cast, role) if role.startswith(("other_", "outside_"))
                      else cast.by_role(role))
            clients[role] = login_as(person)
        return clients[role]
    return _client


def _paragraphs(app, kind, language, **changes) -> dict:
    with app.test_request_context():
        data = letters.default_paragraphs(kind, language)
    data.update(changes)
    data["language"] = language
    return data


def _issue(app, client, complaint, kind, language="en", **changes):
    return client.post(f"/complaints/{complaint.id}/letters/new/{kind}",
                       data=_paragraphs(app, kind, language, **changes))


def _pdf_path(app, letter):
    return letters.letter_path(app.config["DOCUMENT_DIR"], letter)


def _run(*args) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _pages(path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", str(path)), re.M).group(1))


def _text(path) -> str:
    return _run("pdftotext", "-enc", "UTF-8", str(path), "-")


def _fonts(path) -> list[dict]:
    """pdffonts' table: name, type, embedded ("yes"/"no") per font."""
    rows = _run("pdffonts", str(path)).splitlines()[2:]
    fonts = []
    for row in rows:
        parts = row.split()
        # name type [encoding…] emb sub uni object ID: emb is the 5th field from the end
        fonts.append({"name": parts[0], "row": row, "emb": parts[-5]})
    return fonts


def _only_letter(complaint) -> Letter:
    rows = list(Letter.select().where(Letter.complaint == complaint.id))
    assert len(rows) == 1
    return rows[0]


def _flat(text: str) -> str:
    """pdftotext breaks lines where the page does: compare without the white space."""
    return re.sub(r"\s+", "", text)


# --- issuing ---------------------------------------------------------------------------------

def test_intake_staff_issue_an_acknowledgement_stored_once_with_its_hash(app, cast, as_,
                                                                         complaint_in):
    complaint = complaint_in("acknowledgement", language="en")
    client = as_("intake")
    page = client.get(f"/complaints/{complaint.id}/letters/new/acknowledgement")
    assert page.status_code == 200

    response = _issue(app, client, complaint, "acknowledgement")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/complaints/{complaint.id}#letters")

    letter = _only_letter(complaint)
    assert (letter.kind, letter.version, letter.language) == ("acknowledgement", 1, "en")
    assert re.fullmatch(r"HL-\d{4}-\d{4}", letter.reference)
    assert letter.issued_by_id == cast.intake.id
    path = _pdf_path(app, letter)
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() == letter.sha256
    assert letter.size == len(data)
    assert _pages(path) == letter.pages == 1
    text = _flat(_text(path))
    for fact in (letter.reference, complaint.number, "Acknowledgementofreceipt", "张伟",
                 _flat(complaint.matter), _flat("Given to you when your complaint was registered.")):
        assert fact in text, fact
    event = (Event.select().where(Event.complaint == complaint.id)
             .order_by(Event.seq.desc()).first())
    assert (event.action, event.public) == ("issue_letter", True)
    assert letter.reference in event.note

    shown = client.get(f"/complaints/{complaint.id}").get_data(as_text=True)
    assert 'id="letters"' in shown
    assert letter.reference in shown and letter.sha256[:12] in shown
    assert f'/complaints/{complaint.id}/letters/{letter.id}.pdf' in shown


def test_a_chinese_response_embeds_a_cjk_font_and_says_what_was_decided(app, as_,
                                                                       complaint_in):
    complaint = complaint_in("response")
    assert _issue(app, as_("manager"), complaint, "response", "zh_Hans").status_code == 303
    letter = _only_letter(complaint)
    path = _pdf_path(app, letter)
    fonts = _fonts(path)
    assert any(re.search(r"Noto-?(Serif|Sans)-?CJK", f["name"]) and f["emb"] == "yes"
               for f in fonts), fonts
    assert all(f["emb"] == "yes" for f in fonts), fonts  # no glyph left to a reader's font
    assert not any("Type 3" in f["row"] for f in fonts)  # no bitmap stand-ins
    text = _flat(_text(path))
    for fact in (letter.reference, complaint.number, "张伟", "购买的电水壶漏水，申请退款。",
                 _flat("The seal of batch 7 was faulty."), "199.00",
                 "Inspecteverykettleofbatch7"):
        assert fact in text, fact
    assert "年" in text and "月" in text  # dates written as 2026年11月23日
    assert _pages(path) == letter.pages


def test_issuing_again_makes_version_2_and_leaves_version_1_byte_identical(app, as_,
                                                                          complaint_in):
    complaint = complaint_in("response")
    client = as_("intake")
    _issue(app, client, complaint, "response", "zh_Hans")
    first = _only_letter(complaint)
    before = _pdf_path(app, first).read_bytes()

    response = _issue(app, client, complaint, "response", "en",
                      closing="With our apologies once more.")
    assert response.status_code == 303
    rows = list(Letter.select().where(Letter.complaint == complaint.id).order_by(Letter.id))
    assert [r.version for r in rows] == [1, 2]
    second = rows[1]
    assert second.reference != first.reference and second.language == "en"
    assert _pdf_path(app, first).read_bytes() == before
    assert hashlib.sha256(before).hexdigest() == Letter.get_by_id(first.id).sha256
    assert "Withourapologiesoncemore." in _flat(_text(_pdf_path(app, second)))
    page = client.get(f"/complaints/{complaint.id}").get_data(as_text=True)
    assert first.reference in page and second.reference in page


@pytest.mark.parametrize("language", ["en", "zh_Hans"])
@pytest.mark.parametrize("kind", list(letters.KINDS))
def test_every_kind_of_letter_renders_in_both_languages(app, as_, complaint_in, kind,
                                                        language):
    complaint = complaint_in(kind)
    client = as_("manager")
    page = client.get(f"/complaints/{complaint.id}")
    assert f"/letters/new/{kind}" in page.get_data(as_text=True)
    assert _issue(app, client, complaint, kind, language).status_code == 303
    letter = _only_letter(complaint)
    path = _pdf_path(app, letter)
    assert 1 <= _pages(path) == letter.pages <= 2
    text = _flat(_text(path))
    assert letter.reference in text and complaint.number in text and "张伟" in text
    if kind == "rejection":
        assert "Thekettlewasboughtfromanothershop." in text
    if kind == "extension":
        assert "Thesupplieranswersnextweek." in text
    if kind == "appeal_decision":
        assert "Therefundistoosmall." in text
    if language == "zh_Hans":
        assert any("CJK" in f["name"] and f["emb"] == "yes" for f in _fonts(path))


# --- what is offered, and when ---------------------------------------------------------------

@pytest.mark.parametrize("kind, offered", [
    ("acknowledgement", ["acknowledgement"]),
    ("rejection", ["acknowledgement", "rejection"]),
    ("extension", ["acknowledgement", "extension"]),
    ("response", ["acknowledgement", "response"]),
    ("appeal_decision", ["acknowledgement", "response", "appeal_decision"]),
])
def test_the_complaint_page_offers_the_letters_that_fit_the_complaint_now(
        as_, complaint_in, kind, offered):
    complaint = complaint_in(kind)
    page = as_("manager").get(f"/complaints/{complaint.id}").get_data(as_text=True)
    shown = re.findall(rf"/complaints/{complaint.id}/letters/new/(\w+)\"", page)
    assert shown == offered


def test_a_letter_that_does_not_fit_the_complaint_is_not_issued(app, as_, complaint_in):
    complaint = complaint_in("acknowledgement")
    client = as_("manager")
    page = client.get(f"/complaints/{complaint.id}/letters/new/response")
    assert page.status_code == 303
    response = _issue(app, client, complaint, "response")
    assert response.status_code == 409
    assert "does not fit the complaint" in response.get_data(as_text=True)
    assert not Letter.select().exists()
    assert client.get(f"/complaints/{complaint.id}/letters/new/nonsense").status_code == 404


# --- preview and the free text ---------------------------------------------------------------

def test_the_preview_shows_the_letter_with_its_paragraphs_as_a_page(app, as_, complaint_in):
    complaint = complaint_in("response", language="en")
    client = as_("dept_head")
    url = f"/complaints/{complaint.id}/letters/new/response/preview"
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    defaults = _paragraphs(app, "response", "en")
    assert defaults["opening"] in html and defaults["follow_up"] in html
    assert "The seal of batch 7 was faulty." in html
    assert '<link rel="stylesheet" href="/letters/print.css">' in html
    assert "<style" not in html and " style=" not in html and "<script" not in html
    assert "Preview" in html
    css = client.get("/letters/print.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    css.close()

    edited = client.post(url, data=_paragraphs(app, "response", "en",
                                               opening="We write about your kettle.\n\n"
                                                       "Second paragraph."))
    assert edited.status_code == 200
    html = edited.get_data(as_text=True)
    assert "<p>We write about your kettle.</p>" in html and "<p>Second paragraph.</p>" in html
    assert not Letter.select().exists()


def test_html_in_a_paragraph_is_refused_with_a_message_and_nothing_is_issued(app, as_,
                                                                            complaint_in):
    complaint = complaint_in("acknowledgement")
    client = as_("intake")
    response = _issue(app, client, complaint, "acknowledgement",
                      opening='Hello <script>alert(1)</script>')
    assert response.status_code == 422
    assert "Plain text only" in response.get_data(as_text=True)
    assert not Letter.select().exists()
    assert not list((app.config["DOCUMENT_DIR"] / "letters").rglob("*.pdf")) \
        if (app.config["DOCUMENT_DIR"] / "letters").exists() else True
    preview = client.post(f"/complaints/{complaint.id}/letters/new/acknowledgement/preview",
                          data=_paragraphs(app, "acknowledgement", "en",
                                           closing="<b>bold</b>"))
    assert preview.status_code == 422


def test_an_empty_paragraph_or_an_unknown_language_is_refused(app, as_, complaint_in):
    complaint = complaint_in("acknowledgement")
    client = as_("intake")
    assert _issue(app, client, complaint, "acknowledgement", opening="  ").status_code == 422
    data = _paragraphs(app, "acknowledgement", "en")
    data["language"] = "fr"
    assert client.post(f"/complaints/{complaint.id}/letters/new/acknowledgement",
                       data=data).status_code == 422
    assert not Letter.select().exists()


def test_the_acknowledgement_prints_the_lookup_code_only_when_it_is_the_right_one(
        app, cast, as_):
    with app.test_request_context():  # just registered: its code is still at hand
        complaint = make_complaint(app, registered_by=cast.intake)
    client = as_("intake")
    wrong = _issue(app, client, complaint, "acknowledgement", lookup_code="ABCDEFGHJKLM")
    assert wrong.status_code == 422
    assert "not the lookup code" in wrong.get_data(as_text=True)
    assert not Letter.select().exists()
    right = _issue(app, client, complaint, "acknowledgement",
                   lookup_code=complaint.lookup_code.lower())
    assert right.status_code == 303
    assert complaint.lookup_code in _text(_pdf_path(app, _only_letter(complaint)))


# --- who may do what -------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["intake", "manager", "dept_head", "leader", "admin"])
def test_staff_who_act_on_the_complaint_may_prepare_letters(as_, complaint_in, role):
    complaint = complaint_in("response")
    client = as_(role)
    assert client.get(f"/complaints/{complaint.id}/letters/new/response").status_code == 200
    assert "/letters/new/response" in client.get(f"/complaints/{complaint.id}").get_data(
        as_text=True)


@pytest.mark.parametrize("role", ["investigator", "auditor"])
def test_the_investigator_and_the_auditor_may_not_issue_letters(app, as_, complaint_in,
                                                                role):
    complaint = complaint_in("response")
    client = as_(role)
    assert client.get(f"/complaints/{complaint.id}/letters/new/response").status_code == 403
    assert _issue(app, client, complaint, "response").status_code == 403
    assert client.get(f"/complaints/{complaint.id}/letters/new/response/preview"
                      ).status_code == 403
    assert "/letters/new/" not in client.get(f"/complaints/{complaint.id}").get_data(
        as_text=True)
    assert not Letter.select().exists()


@pytest.mark.parametrize("person", ["other_head", "other_investigator", "outside_intake"])
def test_another_departments_staff_get_not_found(app, as_, complaint_in, person):
    complaint = complaint_in("response")
    _issue(app, as_("manager"), complaint, "response")
    letter = _only_letter(complaint)
    client = as_(person)
    assert client.get(f"/complaints/{complaint.id}/letters/new/response").status_code == 404
    assert _issue(app, client, complaint, "response").status_code == 404
    assert client.get(f"/complaints/{complaint.id}/letters/{letter.id}.pdf").status_code == 404
    assert client.post(f"/complaints/{complaint.id}/letters/{letter.id}/delivery",
                       data={f"delivery-{letter.id}-method": "post"}).status_code == 404
    assert Letter.select().count() == 1


def test_nobody_issues_letters_on_an_archived_complaint(cast):
    archived = Complaint(status="archived", registered_by=cast.intake.id,
                         department=cast.dept.id)
    for role in ("intake", "manager", "dept_head", "leader", "admin"):
        assert not access.can_issue_letters(cast.by_role(role), archived)
    assert access.can_see_letters(cast.auditor, archived)


# --- printing --------------------------------------------------------------------------------

def test_print_opens_the_stored_pdf_for_anyone_who_may_view_the_complaint(app, as_,
                                                                          complaint_in):
    complaint = complaint_in("response")
    _issue(app, as_("intake"), complaint, "response")
    letter = _only_letter(complaint)
    for role in ("auditor", "investigator", "intake"):
        response = as_(role).get(f"/complaints/{complaint.id}/letters/{letter.id}.pdf")
        assert response.status_code == 200
        assert response.mimetype == "application/pdf"
        assert response.headers["Content-Disposition"].startswith("inline")
        assert f"{letter.reference}-v1.pdf" in response.headers["Content-Disposition"]
        assert response.data == _pdf_path(app, letter).read_bytes()
        response.close()
    # Another complaint's letter id under this complaint is not found.
    other = complaint_in("acknowledgement")
    assert as_("manager").get(f"/complaints/{other.id}/letters/{letter.id}.pdf"
                              ).status_code == 404


def test_a_changed_file_is_not_served_as_the_letter(app, as_, complaint_in):
    complaint = complaint_in("acknowledgement")
    _issue(app, as_("intake"), complaint, "acknowledgement")
    letter = _only_letter(complaint)
    path = _pdf_path(app, letter)
    path.write_bytes(path.read_bytes() + b"%tampered\n")
    assert as_("intake").get(f"/complaints/{complaint.id}/letters/{letter.id}.pdf"
                             ).status_code == 500


# --- delivery --------------------------------------------------------------------------------

def test_delivery_is_recorded_against_the_letter_with_a_history_event(app, cast, as_,
                                                                     complaint_in):
    complaint = complaint_in("response")
    client = as_("intake")
    _issue(app, client, complaint, "response")
    letter = _only_letter(complaint)
    before = _pdf_path(app, letter).read_bytes()
    url = f"/complaints/{complaint.id}/letters/{letter.id}/delivery"
    today = cast.today

    late = client.post(url, headers=HX, data={f"delivery-{letter.id}-method": "post",
                                              f"delivery-{letter.id}-delivered_on":
                                              (today + dt.timedelta(days=1)).isoformat()})
    assert late.status_code == 422
    assert "cannot be in the future" in late.get_data(as_text=True)
    assert Letter.get_by_id(letter.id).delivered_on is None

    done = client.post(url, headers=HX, data={f"delivery-{letter.id}-method": "email",
                                              f"delivery-{letter.id}-delivered_on":
                                              today.isoformat()})
    assert done.status_code == 200
    html = done.get_data(as_text=True)
    assert html.lstrip().startswith('<section class="card" id="letters"')
    assert "Email" in html and "recorded" in html
    letter = Letter.get_by_id(letter.id)
    assert (letter.delivery_method, letter.delivered_on) == ("email", today)
    assert letter.delivery_recorded_by_id == cast.intake.id
    event = (Event.select().where(Event.complaint == complaint.id)
             .order_by(Event.seq.desc()).first())
    assert event.action == "record_letter_delivery" and letter.reference in event.note
    assert _pdf_path(app, letter).read_bytes() == before  # the letter itself never changes

    unknown = client.post(url, data={f"delivery-{letter.id}-method": "pigeon",
                                     f"delivery-{letter.id}-delivered_on": today.isoformat()})
    assert unknown.status_code == 422  # the whole complaint page, the form kept open
    assert "<!DOCTYPE html>" in unknown.get_data(as_text=True)
    assert Letter.get_by_id(letter.id).delivery_method == "email"

    plain = client.post(url, data={f"delivery-{letter.id}-method": "in_person",
                                   f"delivery-{letter.id}-delivered_on": today.isoformat()})
    assert plain.status_code == 303
    assert Letter.get_by_id(letter.id).delivery_method == "in_person"


def test_the_auditor_may_not_record_a_delivery(app, as_, complaint_in):
    complaint = complaint_in("acknowledgement")
    _issue(app, as_("intake"), complaint, "acknowledgement")
    letter = _only_letter(complaint)
    response = as_("auditor").post(
        f"/complaints/{complaint.id}/letters/{letter.id}/delivery",
        data={f"delivery-{letter.id}-method": "post",
              f"delivery-{letter.id}-delivered_on": dt.date.today().isoformat()})
    assert response.status_code == 403
    assert Letter.get_by_id(letter.id).delivery_method == ""
