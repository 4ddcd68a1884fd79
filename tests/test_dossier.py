"""The archive dossier: archiving a complaint makes one PDF/A of its whole record, stored with
its SHA-256 and never made again; it is rendered before the archive step's write transaction,
and a failed step leaves no file behind. The PDFs are opened with poppler-utils (pdfinfo,
pdftotext, pdffonts), as a reader would."""
import hashlib
import json
import re
import shutil
import subprocess
import time

import pytest
from flask import render_template

from domain import dossier, history, intake, workflow
from domain.errors import Conflict
from domain.letter_models import Dossier, Letter
from domain.models import Complaint, Evidence
from extensions import db
from tests.conftest import PDF, PNG
from tests.factories import make_complaint
from tests.workflow_helpers import ROUTES, act, drive, last_event, make_cast, reload, run_steps

pytestmark = pytest.mark.skipif(not shutil.which("pdffonts"),
                                reason="poppler-utils (pdfinfo, pdftotext, pdffonts) missing")

# Every kind of stage record: a rejected proposal and a second round of investigation, an
# extension, approvals at both levels, a response, execution and a return visit.
FULL = ["assess", "accept", "assign", "confirm_receipt", "request_extension",
        "decide_extension", "submit_investigation", "submit_proposal", "return_for_rework",
        "submit_investigation", "submit_proposal", "review", "approve", "record_response",
        "accept_result", "finish_items", "complete_execution", "record_visit", "close"]


@pytest.fixture
def cast(app):
    with app.test_request_context():
        return make_cast(app)


@pytest.fixture
def in_request(app):
    """Domain calls that render templates need a request (no context stays pushed for the
    test clients' own requests)."""
    return app.test_request_context


def _run(*args) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _text(path) -> str:
    return _run("pdftotext", "-enc", "UTF-8", str(path), "-")


def _flat(text: str) -> str:
    """pdftotext's text without its line breaks and spaces (Chinese has none of its own)."""
    return re.sub(r"\s+", "", text)


def _the_dossier(app, complaint):
    rows = list(Dossier.select().where(Dossier.complaint == complaint.id))
    assert len(rows) == 1
    return rows[0], dossier.file_of(app.config["DOCUMENT_DIR"], rows[0])


def _stored_files(app) -> dict:
    folder = app.config["DOCUMENT_DIR"] / dossier.FOLDER
    return {p.name: p.read_bytes() for p in folder.rglob("*.pdf")} if folder.exists() else {}


def test_archiving_makes_one_pdfa_dossier_stored_with_its_hash(app, cast, in_request):
    with in_request():
        complaint = drive(cast, "archived", language="en", complainant_name="John Smith",
                          matter="The kettle leaks at the base.",
                          files=[("receipt.pdf", PDF), ("photo.png", PNG)])
    row, path = _the_dossier(app, complaint)
    assert Dossier.select().count() == 1
    data = path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == row.sha256 and len(data) == row.size
    assert row.created_by_id == cast.manager.id
    assert f"Pages:           {row.pages}" in _run("pdfinfo", str(path))
    meta = _run("pdfinfo", "-meta", str(path))
    assert 'pdfaid:part="3"' in meta and 'pdfaid:conformance="B"' in meta
    # The archive event carries the dossier's hash into the complaint's hash chain.
    event = last_event(complaint)
    assert (event.action, event.to_status) == ("archive", "archived")
    assert event.note == f"SHA-256 {row.sha256}"
    assert history.verify_complaint(complaint.id) == []

    text = _text(path)
    assert "Complaint dossier" in text and complaint.number in text
    assert "John Smith" in text and "The kettle leaks at the base." in text
    for label in ("Registered", "Assessed", "Accepted", "Assigned", "Receipt confirmed",
                  "Investigation report submitted", "Proposal submitted",
                  "Reviewed by department head", "Response sent", "Marked as done",
                  "Execution completed", "Return visit", "Closed", "Archived"):
        assert label in text, label
    evidence = list(Evidence.select().where(Evidence.complaint == complaint.id))
    assert len(evidence) == 2
    for item in evidence:
        assert item.sha256 in text and item.original_name in text


def test_a_chinese_complaints_dossier_is_in_chinese_with_an_embedded_cjk_font(app, cast,
                                                                           in_request):
    with in_request():
        complaint = drive(cast, "archived")  # the factory's complaint is in Chinese
    _row, path = _the_dossier(app, complaint)
    fonts = _run("pdffonts", str(path)).splitlines()[2:]
    cjk = [line for line in fonts if "CJK" in line]
    assert cjk and all(line.split()[-5] == "yes" for line in cjk), fonts  # "emb" column
    flat = _flat(_text(path))
    assert _flat(complaint.matter) in flat and "张伟" in flat
    assert "已归档" in flat  # the history's status labels are in Chinese


def test_the_dossier_holds_every_stage_record_and_the_letters_text(app, cast, in_request):
    with in_request():
        complaint = drive(cast, "closed", steps=FULL, language="en")
        Letter.create(complaint=complaint.id, kind="response", version=1, language="en",
                      reference="HL-2026-0042",
                      paragraphs=json.dumps({"opening": "We have finished looking into it.",
                                             "closing": "Thank you for telling us."}),
                      stored_name="0" * 32, sha256="a" * 64, size=1, pages=1,
                      issued_by=cast.intake)
        complaint = act(cast, complaint, "archive")
    _row, path = _the_dossier(app, complaint)
    text = _text(path)
    flat = _flat(text)
    for expected in (
            "Check the batch records.",             # assignment requirements
            "The supplier answers next week.",      # extension request
            "Granted.",                             # its decision
            "The seal of batch 7 was faulty.",      # investigation report
            "Add the supplier's answer.",           # the proposal returned for rework
            "We apologise for the faulty kettle.",  # proposal
            "Inspect every kettle of batch 7",      # measure, and its execution
            "Agreed.", "Approved.",                 # both approvals
            "Happy now.",                           # return visit
            "HL-2026-0042", "We have finished looking into it.", "Thank you for telling us.",
            cast.head.full_name, cast.leader.full_name, cast.investigator.full_name):
        assert _flat(expected) in flat, expected
    assert "Proposal 1 of 2" in text and "Report 2 of 2" in text


def test_a_second_archive_is_refused_and_the_dossier_never_changes(app, cast, in_request):
    with in_request():
        complaint = drive(cast, "archived")
    row, path = _the_dossier(app, complaint)
    before, stamp = _stored_files(app), path.stat().st_mtime_ns
    for actor in (cast.manager, cast.admin):
        with in_request(), pytest.raises(Conflict):
            workflow.archive(complaint.id, actor, reload(complaint).version, cast.settings)
    assert _stored_files(app) == before and path.stat().st_mtime_ns == stamp
    assert Dossier.select().count() == 1
    assert Dossier.get_by_id(row.id).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_dossier_of_an_older_state_is_refused_and_its_file_deleted(app, cast, in_request):
    with in_request():
        complaint = drive(cast, "closed")
        # Something is recorded between the rendering and the archive step (a letter, say):
        # the dossier would miss it.
        made = dossier.render(complaint, cast.manager, cast.settings,
                              app.config["DOCUMENT_DIR"])
        assert made.path.is_file()
        with db.atomic():
            history.append_event(complaint, cast.intake, "issue_letter",
                                 from_status="closed", note="HL-2026-0001 v1")
        with pytest.raises(Conflict):
            workflow.archive(complaint.id, cast.manager, complaint.version, cast.settings,
                             dossier_file=made)
        assert not made.path.exists()
        # A stale version is refused too, and its file deleted.
        made = dossier.render(reload(complaint), cast.manager, cast.settings,
                              app.config["DOCUMENT_DIR"])
        with pytest.raises(Conflict):
            workflow.archive(complaint.id, cast.manager, complaint.version - 1, cast.settings,
                             dossier_file=made)
        assert not made.path.exists()
    assert reload(complaint).status == "closed"
    assert Dossier.select().count() == 0 and _stored_files(app) == {}
    # Archived properly afterwards, it has its one dossier.
    with in_request():
        act(cast, complaint, "archive")
    assert len(_stored_files(app)) == 1


def test_nobody_renders_a_dossier_for_a_step_they_may_not_take(app, cast, in_request):
    with in_request():
        complaint = drive(cast, "closed")
        for actor, version in ((cast.intake, complaint.version),
                               (cast.manager, complaint.version - 1)):
            with pytest.raises(Exception):
                workflow.archive(complaint.id, actor, version, cast.settings)
    assert _stored_files(app) == {} and Dossier.select().count() == 0


def test_the_dossier_is_rendered_outside_any_write_transaction(app, cast, in_request,
                                                               monkeypatch):
    seen = []
    original = dossier.letters.render_pdf

    def watching(*args, **kwargs):
        seen.append(db.in_transaction())
        return original(*args, **kwargs)

    monkeypatch.setattr(dossier.letters, "render_pdf", watching)
    with in_request():
        complaint = drive(cast, "archived")
    assert seen == [False]
    assert _the_dossier(app, complaint)[1].is_file()


# --- on the web ------------------------------------------------------------------------------

def test_the_archive_action_makes_the_dossier_and_viewers_download_it(app, cast, in_request,
                                                                     login_as):
    with in_request():
        complaint = drive(cast, "closed", language="en")
    manager = login_as(cast.manager)
    response = manager.post(f"/complaints/{complaint.id}/act/archive",
                            data={"version": reload(complaint).version})
    assert response.status_code == 303
    row, path = _the_dossier(app, complaint)
    for person in (cast.manager, cast.head, cast.auditor, cast.intake):
        response = login_as(person).get(f"/complaints/{complaint.id}/dossier.pdf")
        assert response.status_code == 200, person.username
        assert response.mimetype == "application/pdf"
        assert response.data == path.read_bytes()
        assert f"{complaint.number}-dossier.pdf" in response.headers["Content-Disposition"]
        response.close()
    for person in (cast.other_head, cast.other_investigator, cast.outside_intake):
        assert login_as(person).get(f"/complaints/{complaint.id}/dossier.pdf"
                                    ).status_code == 404, person.username


def test_a_complaint_without_a_dossier_has_none_to_download(app, cast, in_request, login_as):
    with in_request():
        complaint = drive(cast, "closed")
    assert login_as(cast.manager).get(f"/complaints/{complaint.id}/dossier.pdf"
                                      ).status_code == 404


def test_a_changed_file_is_not_served_as_the_dossier(app, cast, in_request, login_as):
    with in_request():
        complaint = drive(cast, "archived")
    _row, path = _the_dossier(app, complaint)
    path.write_bytes(path.read_bytes() + b"%tampered\n")
    assert login_as(cast.manager).get(f"/complaints/{complaint.id}/dossier.pdf"
                                      ).status_code == 500


def test_the_complaint_page_part_shows_the_dossier_and_its_full_hash(app, cast, in_request):
    with in_request():
        closed = drive(cast, "closed")
        archived = drive(cast, "archived")
        row, _path = _the_dossier(app, archived)
        html = render_template("complaints/_dossier.html", c=reload(archived))
        assert row.sha256 in html
        assert f'href="/complaints/{archived.id}/dossier.pdf"' in html
        assert cast.manager.full_name in html
        assert render_template("complaints/_dossier.html", c=closed).strip() == ""


# --- how long it takes -----------------------------------------------------------------------

def test_a_dossier_of_200_events_renders_in_under_3_seconds(app, cast, in_request):
    with in_request():
        complaint = make_complaint(app, registered_by=cast.intake)
        for i in range(200):
            c = reload(complaint)
            intake.update(c.id, {"matter": f"购买的电水壶漏水（第 {i} 次更正）",
                                 "order_ref": f"SO-{i}"}, cast.intake, c.version)
        complaint = run_steps(cast, complaint, ROUTES["closed"])
        assert complaint.history_count > 200
        document_dir = app.config["DOCUMENT_DIR"]
        dossier.render(complaint, cast.manager, cast.settings, document_dir)  # warm-up
        cpu, wall = time.process_time(), time.perf_counter()
        made = dossier.render(complaint, cast.manager, cast.settings, document_dir)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"dossier of {complaint.history_count} events: {made.pages} pages, "
          f"{made.size // 1024} KB, {wall:.2f} s ({cpu:.2f} s CPU)")
    # CPU time: what the rendering costs, whatever else the machine is running.
    assert cpu < 3.0
    assert str(complaint.history_count) in _text(made.path)
    assert Complaint.get_by_id(complaint.id).status == "closed"
