"""The accountability demo data goes through the domain functions and leaves intact
histories."""
from domain import record_history
from domain.oversight_models import AccountabilityRecord
from scripts.demo_accountability import seed
from tests.factories import make_complaint
from tests.workflow_helpers import make_cast, quick_user


def test_the_demo_seeds_records_at_every_stage_with_intact_histories(app):
    cast = make_cast(app)
    users = {"manager": cast.manager, "leader": cast.leader, "investigator": cast.investigator,
             "head": cast.head, "logistics": quick_user("dept_head", cast.other_dept)}
    complaints = [make_complaint(app, registered_by=cast.intake) for _ in range(4)]
    records = seed(users, complaints)
    assert [r.status for r in records] == ["final", "decided", "proposed", "investigating"]
    assert all(record_history.verify_record(AccountabilityRecord.get_by_id(r.id)) == []
               for r in records)
