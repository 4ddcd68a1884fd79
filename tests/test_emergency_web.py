"""Emergency pages over HTTP: activation with the team picker, the response page (full and
as htmx fragment), the polled log fragment, the log form, team, statements, stand-down,
drills, the list, My work, access (404 to see, 403 to act) and the report PDF."""
import re
import subprocess

import pytest

from domain import emergency, intake
from domain.group_models import EmergencyResponse
from domain.oversight_models import RecordEvent
from domain.settings import load_settings
from tests.factories import complaint_data, make_user
from tests.test_emergency import GROUP

HX = {"HX-Request": "true"}


@pytest.fixture
def people(app):
    return {"leader": make_user("leader"), "manager": make_user("manager"),
            "intake": make_user("intake"), "a": make_user("investigator", full_name="Alice Li"),
            "b": make_user("dept_head", full_name="Bo Chen"), "outsider": make_user("investigator"),
            "auditor": make_user("auditor")}


def group_complaint(app, people):
    complaint, _code = intake.register(
        complaint_data(severity="group", channel="group_visit"), people["intake"], [],
        settings=load_settings(), upload_dir=app.config["UPLOAD_DIR"], max_bytes=1024,
        group=dict(GROUP))
    return complaint


def active_response(app, people):
    complaint = group_complaint(app, people)
    return emergency.activate(complaint, people["leader"], "II", "群体来访",
                              [(people["a"].id, "on_site"), (people["b"].id, "coordination")])


def test_a_leader_activates_the_plan_from_the_form_with_people_in_roles(app, login_as, people):
    complaint = group_complaint(app, people)
    c = login_as(people["leader"])
    page = c.get(f"/emergencies/activate/{complaint.id}").get_data(as_text=True)
    assert f"Group complaint {complaint.number}" in page  # the situation, prefilled
    for role in ("Coordination", "On-site handling", "Negotiation", "Analysis",
                 "Public statements", "Logistics"):
        assert f">{role}</label>" in page
    response = c.post(f"/emergencies/activate/{complaint.id}", data={
        "level": "II", "title": "25人在大厅聚集", "team_on_site": [str(people["a"].id)],
        "team_coordination": [str(people["b"].id), str(people["manager"].id)]})
    assert response.status_code == 303
    created = EmergencyResponse.get()
    assert response.headers["Location"].endswith(f"/emergencies/{created.id}")
    assert emergency.member_ids(created) == {people["a"].id, people["b"].id,
                                             people["manager"].id}


def test_activation_without_a_team_is_refused_beside_the_picker(app, login_as, people):
    complaint = group_complaint(app, people)
    response = login_as(people["leader"]).post(f"/emergencies/activate/{complaint.id}",
                                               data={"level": "II", "title": "x"})
    assert response.status_code == 422
    assert "Put at least one person on the team." in response.get_data(as_text=True)
    assert EmergencyResponse.select().count() == 0


def test_only_leaders_may_open_the_activation_form(app, login_as, people):
    complaint = group_complaint(app, people)
    assert login_as(people["manager"]).get(
        f"/emergencies/activate/{complaint.id}").status_code == 403
    assert login_as(people["outsider"]).get(
        f"/emergencies/activate/{complaint.id}").status_code == 404  # may not see it


def test_the_response_page_shows_team_log_and_polls_while_active_full_and_fragment(
        app, login_as, people):
    response = active_response(app, people)
    emergency.log(response, people["a"], "到达现场")
    c = login_as(people["a"])
    page = c.get(f"/emergencies/{response.id}").get_data(as_text=True)
    assert "<!DOCTYPE html>" in page and response.number in page
    assert "Alice Li" in page and "On-site handling" in page and "到达现场" in page
    assert 'data-hx-trigger="every 10s"' in page
    fragment = c.get(f"/emergencies/{response.id}", headers=HX)
    assert "HX-Request" in fragment.headers["Vary"]
    body = fragment.get_data(as_text=True)
    assert "<!DOCTYPE html>" not in body and 'id="response-panel"' in body
    live = c.get(f"/emergencies/{response.id}/log", headers=HX).get_data(as_text=True)
    assert live.lstrip().startswith('<div id="live-log"') and "到达现场" in live


def test_a_team_member_adds_to_the_log_with_htmx_and_gets_the_fresh_log(app, login_as, people):
    response = active_response(app, people)
    c = login_as(people["b"])
    answer = c.post(f"/emergencies/{response.id}/log", data={"log-text": "与代表沟通"}, headers=HX)
    assert answer.status_code == 200
    body = answer.get_data(as_text=True)
    assert 'id="log"' in body and "与代表沟通" in body and "Bo Chen" in body
    bad = c.post(f"/emergencies/{response.id}/log", data={"log-text": ""}, headers=HX)
    assert bad.status_code == 422 and 'id="log-text-error"' in bad.get_data(as_text=True)
    plain = c.post(f"/emergencies/{response.id}/log",
                   data={"log-text": "补记", "log-happened_at": "2000-01-01T09:00"})
    assert plain.status_code == 422  # long before the activation
    assert "long before" in plain.get_data(as_text=True)
    logs = RecordEvent.select().where(RecordEvent.action == "log")
    assert [e.note for e in logs] == ["与代表沟通"]


def test_people_not_on_the_team_cannot_see_a_response_and_readers_cannot_log(
        app, login_as, people):
    response = active_response(app, people)
    outsider = login_as(people["outsider"])
    for url in (f"/emergencies/{response.id}", f"/emergencies/{response.id}/log",
                f"/emergencies/{response.id}/report.pdf"):
        assert outsider.get(url).status_code == 404
    assert outsider.post(f"/emergencies/{response.id}/log",
                         data={"log-text": "x"}).status_code == 404
    auditor = login_as(people["auditor"])
    assert auditor.get(f"/emergencies/{response.id}").status_code == 200
    assert auditor.post(f"/emergencies/{response.id}/log", data={"log-text": "x"}).status_code == 403
    member = login_as(people["a"])
    assert member.post(f"/emergencies/{response.id}/stand-down",
                       data={"stand-summary": "x", "stand-version": "1"}).status_code == 403


def test_a_leader_changes_the_team_and_a_stale_page_gets_a_conflict(app, login_as, people):
    response = active_response(app, people)
    c = login_as(people["leader"])
    added = c.post(f"/emergencies/{response.id}/members", data={
        "member-user": str(people["manager"].id), "member-role": "statement",
        "member-version": "1"})
    assert added.status_code == 303
    stale = c.post(f"/emergencies/{response.id}/members", data={
        "member-user": str(people["auditor"].id), "member-role": "analysis",
        "member-version": "1"})
    assert stale.status_code == 409
    assert "Someone else changed this response" in stale.get_data(as_text=True)
    member = next(m for m in emergency.current_members(response) if m.user_id == people["a"].id)
    removed = c.post(f"/emergencies/{response.id}/members/remove",
                     data={"member": str(member.id), "version": "2"})
    assert removed.status_code == 303
    assert people["a"].id not in emergency.member_ids(response)


def test_statements_and_stand_down_from_the_page_stop_the_polling(app, login_as, people):
    response = active_response(app, people)
    c = login_as(people["leader"])
    assert c.post(f"/emergencies/{response.id}/statement",
                  data={"statement-channel": "", "statement-text": "x"}).status_code == 422
    assert c.post(f"/emergencies/{response.id}/statement",
                  data={"statement-channel": "notice", "statement-text": "告顾客书"}).status_code == 303
    refused = c.post(f"/emergencies/{response.id}/stand-down",
                     data={"stand-summary": "", "stand-version": "1"})
    assert refused.status_code == 422 and 'id="stand-summary-error"' in refused.get_data(as_text=True)
    assert c.post(f"/emergencies/{response.id}/stand-down",
                  data={"stand-summary": "人群已散去", "stand-version": "1"}).status_code == 303
    page = c.get(f"/emergencies/{response.id}").get_data(as_text=True)
    assert "告顾客书" in page and "人群已散去" in page and "every 10s" not in page


def test_a_leader_starts_a_drill_marked_as_such_and_writes_lessons(app, login_as, people):
    c = login_as(people["leader"])
    assert login_as(people["manager"]).get("/emergencies/drill").status_code == 403
    answer = c.post("/emergencies/drill", data={"level": "IV", "scenario": "模拟门店聚集",
                                                "team_logistics": [str(people["a"].id)]})
    assert answer.status_code == 303
    drill = EmergencyResponse.get()
    assert drill.drill and drill.number.startswith("YL-")
    page = c.get(f"/emergencies/{drill.id}").get_data(as_text=True)
    assert "DRILL" in page and "not a real emergency" in page
    c.post(f"/emergencies/{drill.id}/stand-down", data={"stand-summary": "完成", "stand-version": "1"})
    assert c.post(f"/emergencies/{drill.id}/lessons",
                  data={"lessons-lessons": "通知要更快", "lessons-version": "2"}).status_code == 303
    assert EmergencyResponse.get_by_id(drill.id).lessons == "通知要更快"


def test_the_list_puts_active_first_filters_drills_and_members_see_only_theirs(
        app, login_as, people):
    done = active_response(app, people)
    emergency.stand_down(done, people["leader"], "ok", "", done.version)
    live = active_response(app, people)
    drill = emergency.start_drill(people["leader"], "IV", "演练", [(people["b"].id, "analysis")])
    c = login_as(people["manager"])
    page = c.get("/emergencies/").get_data(as_text=True)
    numbers = re.findall(r"(Y[JL]-\d{4}-\d{4})</a>", page)
    assert numbers[:2] == [drill.number, live.number] and numbers[-1] == done.number
    drills = c.get("/emergencies/?kind=drill", headers=HX).get_data(as_text=True)
    assert drill.number in drills and live.number not in drills and "<!DOCTYPE" not in drills
    mine = login_as(people["a"]).get("/emergencies/").get_data(as_text=True)
    assert live.number in mine and drill.number not in mine


def test_the_list_page_runs_a_fixed_number_of_queries(app, login_as, people, count_queries):
    c = login_as(people["manager"])
    active_response(app, people)
    with count_queries() as few:
        c.get("/emergencies/")
    for _ in range(4):
        emergency.start_drill(people["leader"], "IV", "演练", [(people["b"].id, "analysis")])
    with count_queries() as many:
        c.get("/emergencies/")
    assert many.count == few.count


def test_my_work_shows_a_team_member_their_active_responses(app, login_as, people):
    response = active_response(app, people)
    page = login_as(people["a"]).get("/work").get_data(as_text=True)
    assert "Emergency responses you are on" in page and response.number in page
    assert "On-site handling" in page


def _pdf_text(body: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(body)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.mark.parametrize("lang, expected", [("en", "Emergency response report"),
                                            ("zh_Hans", "应急")])
def test_the_report_pdf_has_team_timeline_and_outcome_in_the_viewers_language(
        app, login_as, people, tmp_path, lang, expected):
    response = active_response(app, people)
    emergency.log(response, people["a"], "到达现场，劝导群众到会议室")
    emergency.stand_down(response, people["leader"], "代表签字，人群散去", "", response.version)
    c = login_as(people["manager"])
    c.post("/language", data={"lang": lang})
    answer = c.get(f"/emergencies/{response.id}/report.pdf")
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/pdf"
    text = _pdf_text(answer.data, tmp_path)
    assert response.number in text and "到达现场" in text and "代表签字" in text
    assert "Alice Li" in text and "一楼大厅" in text
    if lang == "en":
        assert expected in text
    fonts = subprocess.run(["pdffonts", str(tmp_path / "report.pdf")], capture_output=True,
                           text=True).stdout
    assert "CJK" in fonts


def test_a_drill_report_is_marked_as_a_drill_on_every_page(app, login_as, people, tmp_path):
    drill = emergency.start_drill(people["leader"], "IV", "演练", [(people["a"].id, "analysis")])
    for i in range(60):
        emergency.log(drill, people["a"], f"演练步骤 {i}：检查通讯与物资")
    answer = login_as(people["leader"]).get(f"/emergencies/{drill.id}/report.pdf")
    text = _pdf_text(answer.data, tmp_path)
    pages = text.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 2
    assert all("DRILL" in p for p in pages)
    assert "Drill report" in text
