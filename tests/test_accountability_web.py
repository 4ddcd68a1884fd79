"""The accountability pages: the list (readers: all, filtered; anyone else: their own), the
CSV export, opening a record, the record page and its htmx steps (422 beside the field, 409
when stale), the view log, the confidential PDF in both languages, lazy finalisation."""
import io
import subprocess

import pytest

from domain import accountability as acc
from domain.oversight_models import AccountabilityRecord, AccountabilityView
from domain.stage_models import Notification
from tests.conftest import PNG
from tests.factories import make_complaint
from tests.test_accountability_support import day_after_due, make_world, open_record, record_at
from tests.workflow_helpers import quick_user

HX = {"HX-Request": "true"}


@pytest.fixture
def world(app):
    # No app context stays pushed: it would carry the signed-in user from client to client.
    return make_world(app)


def _views(record, what=None):
    query = AccountabilityView.select().where(AccountabilityView.record == record.id)
    return query.where(AccountabilityView.what == what).count() if what else query.count()


def test_readers_see_every_record_and_filter_by_status_level_person_and_department(
        world, login_as):
    c = world.cast
    mine = record_at(world, "proposed")
    other = acc.open_record(c.manager, c.other_investigator, "primary", "仓库发货错误")
    client = login_as(c.leader)
    page = client.get("/accountability/").get_data(as_text=True)
    assert mine.number in page and other.number in page and "Export CSV" in page
    fragment = client.get("/accountability/?level=primary", headers=HX).get_data(as_text=True)
    assert other.number in fragment and mine.number not in fragment
    assert "<html" not in fragment
    for query, shown in ((f"status=proposed", mine), (f"person={c.other_investigator.id}", other),
                         (f"department={c.dept.id}", mine)):
        text = client.get(f"/accountability/?{query}", headers=HX).get_data(as_text=True)
        assert shown.number in text
        assert (other if shown is mine else mine).number not in text


def test_anyone_else_sees_only_the_records_about_themselves(world, login_as):
    c = world.cast
    mine = open_record(world)
    other = acc.open_record(c.manager, c.other_investigator, "direct", "仓库发货错误")
    page = login_as(world.person).get("/accountability/?person=%d" % c.other_investigator.id)
    text = page.get_data(as_text=True)
    assert "My accountability records" in text
    assert mine.number in text and other.number not in text and "Export CSV" not in text
    text = login_as(c.auditor).get("/accountability/").get_data(as_text=True)
    assert "There are no accountability records about you." in text
    assert mine.number not in text


def test_the_list_page_reads_a_fixed_number_of_queries(world, login_as, count_queries):
    client = login_as(world.cast.manager)
    open_record(world)
    client.get("/accountability/")
    with count_queries() as few:
        client.get("/accountability/")
    for _ in range(6):
        acc.open_record(world.cast.manager, quick_user("investigator", world.cast.other_dept),
                        "direct", "多人")
    client.get("/accountability/")
    with count_queries() as many:
        assert "ZR-" in client.get("/accountability/").get_data(as_text=True)
    assert many.count == few.count


def test_the_export_is_a_utf8_csv_with_bom_of_the_filtered_list_and_each_row_is_logged(
        world, login_as):
    c = world.cast
    decided = record_at(world, "decided")
    other = acc.open_record(c.manager, c.other_investigator, "primary", "=HYPERLINK(\"x\")")
    response = login_as(c.manager).get("/accountability/export.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    text = response.data.decode("utf-8-sig")
    assert decided.number in text and other.number in text and "500.00" in text
    assert "'=HYPERLINK" in text  # never run as a spreadsheet formula
    assert _views(decided, "export") == 1 and _views(other, "export") == 1
    filtered = login_as(c.admin).get("/accountability/export.csv?status=decided")
    assert other.number not in filtered.data.decode("utf-8-sig")
    assert _views(other, "export") == 1


def test_the_complaint_manager_opens_a_record_from_a_complaint(world, login_as):
    complaint = make_complaint(world.app, registered_by=world.cast.intake)
    client = login_as(world.cast.manager)
    form = client.get(f"/accountability/new?complaint={complaint.id}").get_data(as_text=True)
    assert f'value="{complaint.number}"' in form
    assert f'<option value="{world.person.id}"' in form
    assert f'<option value="{world.cast.manager.id}"' not in form  # never about themselves
    response = client.post(f"/accountability/new?complaint={complaint.id}", data={
        "subject": world.person.id, "complaint_number": complaint.number, "level": "direct",
        "findings": "未按时回复客户。", "evidence": (io.BytesIO(PNG), "proof.png")},
        content_type="multipart/form-data")
    record = AccountabilityRecord.get()
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/accountability/{record.id}")
    assert (record.complaint_id, record.subject_id, record.evidence.count()) == (
        complaint.id, world.person.id, 1)
    assert Notification.select().where(Notification.user == world.person.id).count() == 0


@pytest.mark.parametrize("data, field, message", [
    ({"level": "direct", "findings": "x"}, "subject", "Choose the person concerned."),
    ({"subject": "PERSON", "findings": "x"}, "level", "Choose the level of responsibility."),
    ({"subject": "PERSON", "level": "direct", "findings": "x", "complaint_number": "TS-0"},
     "complaint_number", "There is no complaint numbered TS-0"),
])
def test_opening_a_record_with_bad_input_shows_the_message_beside_the_field(
        world, login_as, data, field, message):
    data = {k: (world.person.id if v == "PERSON" else v) for k, v in data.items()}
    response = login_as(world.cast.manager).post("/accountability/new", data=data)
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in text and message in text
    assert AccountabilityRecord.select().count() == 0


def test_the_manager_proposes_through_htmx_and_errors_stay_beside_the_field(world, login_as):
    record = open_record(world)
    client = login_as(world.cast.manager)
    url = f"/accountability/{record.id}/act/propose"
    bad = client.post(url, headers=HX, data={"propose-version": record.version,
                                             "propose-sanction": "fine", "propose-note": "扣绩效"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and 'id="propose-amount-error"' in text
    assert "Give the amount of the fine or deduction." in text and "<html" not in text
    good = client.post(url, headers=HX, data={"propose-version": record.version,
                                              "propose-sanction": "fine", "propose-amount": "300",
                                              "propose-note": "扣绩效"})
    assert good.status_code == 200 and "Saved. The record is now: Sanction proposed." in \
        good.get_data(as_text=True)
    assert AccountabilityRecord.get_by_id(record.id).proposed_amount == 300


def test_a_step_on_a_stale_page_is_refused_with_409_and_nothing_is_saved(world, login_as):
    record = open_record(world)
    client = login_as(world.cast.manager)
    acc.update_findings(record, world.cast.manager, "新的认定", "primary", record.version)
    response = client.post(f"/accountability/{record.id}/act/propose", headers=HX, data={
        "propose-version": record.version, "propose-sanction": "criticism",
        "propose-note": "批评教育"})
    assert response.status_code == 409
    assert "Someone else changed this record" in response.get_data(as_text=True)
    assert AccountabilityRecord.get_by_id(record.id).status == "investigating"


def test_the_person_sees_the_decision_and_may_accept_or_appeal_until_the_date(world, login_as):
    record = record_at(world, "decided")
    client = login_as(world.person)
    text = client.get(f"/accountability/{record.id}").get_data(as_text=True)
    assert "I accept the decision and will not appeal" in text and "Submit the appeal" in text
    assert "Who looked at this record" not in text  # the view log is for leaders and admins
    response = client.post(f"/accountability/{record.id}/act/appeal", data={
        "appeal-version": record.version, "appeal-text": "延误系物流原因。"})
    assert response.status_code == 303
    assert AccountabilityRecord.get_by_id(record.id).status == "appealed"


def test_after_the_appeal_period_the_page_shows_the_record_final_and_refuses_an_appeal(
        world, login_as, monkeypatch):
    record = record_at(world, "decided")
    later = day_after_due(record)
    monkeypatch.setattr("blueprints.accountability.record._today", lambda: later)
    client = login_as(world.person)
    text = client.get(f"/accountability/{record.id}").get_data(as_text=True)
    assert "Submit the appeal" not in text
    assert AccountabilityRecord.get_by_id(record.id).status == "final"
    response = client.post(f"/accountability/{record.id}/act/appeal", headers=HX, data={
        "appeal-version": record.version + 1, "appeal-text": "不服"})
    assert response.status_code == 409
    assert f"The appeal period ended on {record.appeal_due_on.isoformat()}" in \
        response.get_data(as_text=True)


def test_every_look_is_logged_and_leaders_and_admins_see_the_log(world, login_as):
    record = record_at(world, "decided")
    person, manager = login_as(world.person), login_as(world.cast.manager)
    person.get(f"/accountability/{record.id}")
    manager.get(f"/accountability/{record.id}", headers=HX)
    evidence = manager.get(f"/accountability/{record.id}/evidence/{record.evidence.get().id}")
    assert evidence.headers["Content-Disposition"].startswith("attachment")
    evidence.close()
    assert "Who looked at this record" not in manager.get(
        f"/accountability/{record.id}").get_data(as_text=True)
    text = login_as(world.cast.leader).get(f"/accountability/{record.id}").get_data(as_text=True)
    assert "Who looked at this record" in text and "5 looks in all" in text
    assert world.person.full_name in text and "Evidence file" in text and "Page section" in text
    assert [_views(record, w) for w in ("page", "fragment", "evidence")] == [3, 1, 1]


@pytest.mark.parametrize("language, words", [("en", ["CONFIDENTIAL", "Accountability decision"]),
                                             ("zh_Hans", ["ZR-"])])
def test_the_record_pdf_is_marked_confidential_on_every_page_in_the_viewers_language(
        world, login_as, tmp_path, language, words):
    record = record_at(world, "final")
    acc.add_evidence  # noqa: B018 (the record carries one evidence file)
    client = login_as(world.cast.leader)
    client.post("/language", data={"lang": language})
    response = client.get(f"/accountability/{record.id}/record.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert _views(record, "pdf") == 1
    path = tmp_path / "record.pdf"
    path.write_bytes(response.data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert all(w in text for w in words)
    if language == "en":
        assert all("CONFIDENTIAL" in p for p in pages)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "CJK" in fonts


def test_the_account_page_links_to_my_accountability_records(world, login_as):
    text = login_as(world.person).get("/account").get_data(as_text=True)
    assert 'href="/accountability/"' in text and "My accountability records" in text


def test_the_complaint_page_lists_its_records_to_readers_only(world, login_as):
    complaint = make_complaint(world.app, registered_by=world.cast.intake)
    record = open_record(world, complaint)
    assert record.number in login_as(world.cast.manager).get(
        f"/complaints/{complaint.id}").get_data(as_text=True)
    assert record.number not in login_as(world.cast.auditor).get(
        f"/complaints/{complaint.id}").get_data(as_text=True)


def test_the_record_page_and_its_htmx_fragment_come_from_one_source(world, login_as):
    record = record_at(world, "proposed")
    client = login_as(world.cast.leader)
    page = client.get(f"/accountability/{record.id}")
    fragment = client.get(f"/accountability/{record.id}", headers=HX)
    assert "HX-Request" in page.headers["Vary"] and "HX-Request" in fragment.headers["Vary"]
    page_text, fragment_text = page.get_data(as_text=True), fragment.get_data(as_text=True)
    assert "<html" in page_text and "<html" not in fragment_text
    for text in (page_text, fragment_text):
        assert 'id="record-panel"' in text and "Record the decision" in text


def test_the_reminders_command_makes_decisions_past_their_appeal_period_final(world, app):
    import datetime as dt
    record = record_at(world, "decided")
    AccountabilityRecord.update(appeal_due_on=record.appeal_due_on - dt.timedelta(days=60)).where(
        AccountabilityRecord.id == record.id).execute()
    result = app.test_cli_runner().invoke(args=["reminders"])
    assert "1 accountability decisions became final" in result.output
    assert AccountabilityRecord.get_by_id(record.id).status == "final"
