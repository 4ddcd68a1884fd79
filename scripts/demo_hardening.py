"""Demo data for Part G hardening: a few sign-ins for the audit page (two mistyped passwords
by the intake clerk before signing in, a guessed name from outside) and two permission
changes: the logistics head stood in as complaint manager for a while, and the role was
taken back afterwards (both in the audit trail)."""
from domain import accounts
from scripts.seed_demo import DEMO_PASSWORD


def seed(users: dict, complaints: list) -> None:
    intake, logistics, admin = users["intake"], users["logistics"], users["admin"]
    for wrong in ("demo-pasword-1", "demo-password-l"):
        accounts.sign_in(intake.username, wrong, "10.0.8.21")
    accounts.sign_in(intake.username, DEMO_PASSWORD, "10.0.8.21")
    accounts.sign_in("administrator", "admin123456", "203.0.113.77")  # someone guessing
    accounts.sign_in(admin.username, DEMO_PASSWORD, "10.0.8.2")
    if not logistics.has_role("manager"):
        accounts.update_user(logistics.id, full_name=logistics.full_name, email=logistics.email,
                             roles=sorted(logistics.role_set | {"manager"}),
                             department_id=logistics.department_id, active=True, actor=admin)
        accounts.update_user(logistics.id, full_name=logistics.full_name, email=logistics.email,
                             roles=sorted(logistics.role_set),
                             department_id=logistics.department_id, active=True, actor=admin)
