"""The demo data of the complainant's side goes through the domain and can be looked up."""
from domain import public
from domain.letter_models import Letter
from domain.models import Complaint, Event
from domain.stage_models import Visit
from scripts import demo_public
from tests.test_public_support import cast, relaxed_limits  # noqa: F401
from tests.workflow_helpers import drive


def test_the_demo_makes_online_complaints_that_open_with_their_codes(app, cast, capsys):
    with app.test_request_context():
        investigating = drive(cast, "investigating")
        visiting = drive(cast, "visiting")
        made = demo_public.seed({}, [investigating, visiting],
                                document_dir=app.config["DOCUMENT_DIR"])
    assert len(made) == 2
    for number, code in made:
        complaint = public.find_for_lookup(number, code)
        assert complaint is not None and complaint.channel == "online"
    assert Letter.select().where(Letter.kind == "acknowledgement").count() == 1
    assert Event.select().where((Event.complaint == investigating.id)
                                & (Event.action == "complainant_info")).exists()
    assert Visit.select().where((Visit.complaint == visiting.id)
                                & Visit.recorded_by.is_null()).exists()
    assert made[0][1] in capsys.readouterr().out
    assert Complaint.select().where(Complaint.channel == "online").count() == 2
