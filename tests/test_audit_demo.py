"""The hardening demo data: sign-ins and a temporary role, all on the audit page."""
from domain.models import LoginEvent
from domain.security_models import AuditEntry
from scripts import demo_hardening
from tests.factories import make_department
from scripts.seed_demo import DEMO_PASSWORD
from domain import accounts


def _user(username, roles, department=None):
    return accounts.create_user(username=username, full_name=username.title(), email="",
                                roles=roles, department_id=department.id if department else None,
                                password=DEMO_PASSWORD)


def test_hardening_demo_fills_the_audit_page_with_sign_ins_and_a_role_change(app, login_as):
    logistics_dept = make_department("Logistics", "物流配送部")
    users = {"intake": _user("intake", ["intake"]), "admin": _user("admin", ["admin"]),
             "logistics": _user("logistics", ["investigator", "dept_head"], logistics_dept)}
    demo_hardening.seed(users, [])
    assert LoginEvent.select().where(~LoginEvent.success).count() == 3
    assert LoginEvent.select().where(LoginEvent.success).count() == 2
    changes = [e.action for e in AuditEntry.select().where(
        AuditEntry.target_user == users["logistics"].id).order_by(AuditEntry.id)]
    assert changes == ["user_created", "roles_changed", "roles_changed"]
    assert users["logistics"].__class__.get_by_id(users["logistics"].id).roles == \
        "investigator,dept_head"
    page = login_as("admin").get("/admin/audit?view=changes").get_data(as_text=True)
    assert "From Investigator, Department head to Investigator, Department head, Complaint manager" in page
