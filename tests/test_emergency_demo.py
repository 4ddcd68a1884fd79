"""The demo emergency data (scripts/demo_emergency.py) is made through the domain: group
details on the open group complaints, an active response with a log and a statement, and a
drill stood down with its lessons; every history intact."""
from domain import emergency
from domain.group_models import EmergencyResponse, GroupDetail
from domain.record_history import events_of, verify_record
from scripts.seed_demo import seed


def test_demo_emergencies_show_an_active_response_and_a_drill_with_lessons(app):
    seed(app.config["UPLOAD_DIR"], complaints=12)  # the demo seeding makes them too
    response = EmergencyResponse.get(EmergencyResponse.drill == False)  # noqa: E712
    drill = EmergencyResponse.get(EmergencyResponse.drill == True)  # noqa: E712
    assert response.status == "active" and not response.drill
    assert [e.action for e in events_of(response)].count("log") == 5
    assert "statement" in [e.action for e in events_of(response)]
    assert GroupDetail.get(GroupDetail.complaint == response.complaint_id).handled_at
    drill = EmergencyResponse.get_by_id(drill.id)
    assert drill.drill and drill.status == "stood_down" and drill.lessons
    assert emergency.real_responses().count() == 1
    assert all(verify_record(r) == [] for r in EmergencyResponse.select())
