"""The privacy demo data: one export and one anonymised complaint, through the domain."""
from domain import privacy
from domain.models import Complaint, Event
from scripts import demo_privacy
from tests.workflow_helpers import drive, make_cast


def test_privacy_demo_exports_one_person_and_anonymises_one_closed_complaint(app):
    cast = make_cast(app)
    open_one = drive(cast, "registered", complainant_phone="13511112222")
    closed = drive(cast, "closed", complainant_phone="13633334444", complainant_name="王芳")
    demo_privacy.seed({"admin": cast.admin}, [open_one, closed])
    assert Event.select().where((Event.complaint == open_one.id)
                                & (Event.action == "privacy_export")).exists()
    assert privacy.is_anonymised(Complaint.get_by_id(closed.id))
    assert not privacy.is_anonymised(Complaint.get_by_id(open_one.id))
