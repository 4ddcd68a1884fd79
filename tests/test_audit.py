"""The administrators' audit page: sign-ins (filtered, paginated) and changes to accounts and
their permissions, each written in the same transaction as the change."""
import pytest
from werkzeug.security import generate_password_hash

from domain import accounts
from domain.errors import DomainError
from domain.models import LoginEvent, User
from domain.security_models import AuditEntry
from tests.factories import PASSWORD, make_department, make_user

HX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    monkeypatch.setattr(accounts, "generate_password_hash",
                        lambda password: generate_password_hash(password, "pbkdf2:sha256:1"))


@pytest.fixture
def admin(login_as):
    return login_as("admin")


def _edit(admin_client, user, **changes):
    data = {"username": user.username, "full_name": user.full_name, "email": user.email,
            "roles": sorted(user.role_set), "department": str(user.department_id or ""),
            "active": "y" if user.active else "", "password": ""}
    data.update(changes)
    return admin_client.post(f"/admin/users/{user.id}", data=data)


def _entries(action):
    return list(AuditEntry.select().where(AuditEntry.action == action))


def test_admin_changing_roles_is_audited_with_old_and_new_roles(admin):
    user = make_user("intake", full_name="Sun Li")
    assert _edit(admin, user, roles=["intake", "investigator"]).status_code == 303
    [entry] = _entries("roles_changed")
    assert (entry.actor_id, entry.target_user_id) == (admin.user.id, user.id)
    page = admin.get("/admin/audit?view=changes").get_data(as_text=True)
    assert "Roles changed" in page and "Sun Li" in page
    assert "From Intake staff to Intake staff, Investigator" in page


def test_department_change_deactivation_and_reactivation_are_audited(admin):
    quality = make_department("Quality", "质量部")
    user = make_user("intake")
    _edit(admin, user, department=str(quality.id))
    _edit(admin, User.get_by_id(user.id), active="")
    _edit(admin, User.get_by_id(user.id), active="y")
    assert [e.action for e in AuditEntry.select().where(AuditEntry.target_user == user.id)
            .order_by(AuditEntry.id)] == ["user_created", "department_changed", "deactivated",
                                          "reactivated"]
    page = admin.get("/admin/audit?view=changes").get_data(as_text=True)
    assert "From None to Quality" in page
    admin.post("/language", data={"lang": "zh_Hans"})
    assert "质量部" in admin.get("/admin/audit?view=changes").get_data(as_text=True)
    assert "Account deactivated" in page and "Account reactivated" in page


def test_admin_password_reset_is_audited_without_the_password(admin):
    user = make_user("intake")
    _edit(admin, user, password="violet-compass-river-3")
    [entry] = _entries("password_reset")
    assert entry.actor_id == admin.user.id and "violet" not in entry.detail


def test_creating_a_user_is_audited_with_who_created_it(admin):
    response = admin.post("/admin/users/new", data={
        "username": "zhou.min", "full_name": "Zhou Min", "email": "", "roles": ["manager"],
        "department": "", "password": "amber-lighthouse-52"})
    assert response.status_code == 303
    entry = AuditEntry.get((AuditEntry.action == "user_created")
                           & (AuditEntry.target_user == User.get(User.username == "zhou.min")))
    assert entry.actor_id == admin.user.id
    assert "Complaint manager" in admin.get("/admin/audit?view=changes").get_data(as_text=True)


def test_saving_a_user_without_changes_writes_no_audit_row(admin):
    user = make_user("intake")
    before = AuditEntry.select().count()
    assert _edit(admin, user).status_code == 303
    assert AuditEntry.select().count() == before


def test_a_refused_change_leaves_no_audit_row(app, admin):
    with app.test_request_context(), pytest.raises(DomainError):
        accounts.update_user(admin.user.id, full_name="Admin", email="", roles=["intake"],
                             department_id=None, active=True, actor=admin.user)
    assert not _entries("roles_changed")
    assert User.get_by_id(admin.user.id).has_role("admin")


def test_logins_page_lists_successes_and_failures_with_address(app, admin):
    user = make_user("intake", username="wu.hao")
    c = app.test_client()
    c.post("/login", data={"username": "wu.hao", "password": "wrong-password-9"},
           environ_base={"REMOTE_ADDR": "203.0.113.5"})
    c.post("/login", data={"username": "wu.hao", "password": PASSWORD},
           environ_base={"REMOTE_ADDR": "203.0.113.5"})
    page = admin.get("/admin/audit?username=wu.hao").get_data(as_text=True)
    assert "2 sign-in attempts" in page
    assert "Sign-in refused" in page and "Signed in" in page and "203.0.113.5" in page
    assert user.username in page


def test_logins_filter_by_outcome_and_username(app, admin):
    for name in ("a.one", "b.two"):
        LoginEvent.create(username=name, ip="192.0.2.1", success=False)
    LoginEvent.create(username="a.one", ip="192.0.2.1", success=True)
    only = admin.get("/admin/audit?username=A.One&outcome=failure").get_data(as_text=True)
    assert "1 sign-in attempt" in only and "b.two" not in only


def test_logins_are_paginated_as_page_and_htmx_fragment(app, admin):
    for i in range(app.config["PAGE_SIZE"] + 5):
        LoginEvent.create(username=f"guess{i}", ip="192.0.2.9", success=False)
    page = admin.get("/admin/audit?outcome=failure&page=2")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "<h1>Audit</h1>" in text and "Page 2 of 2" in text
    assert 'href="/admin/audit?view=logins&amp;outcome=failure" data-hx-get' in text  # previous page keeps the filter
    fragment = admin.get("/admin/audit?outcome=failure&page=2", headers=HX).get_data(as_text=True)
    assert "<h1>" not in fragment and "Page 2 of 2" in fragment
    assert fragment.count("<tr>") == 1 + 5


def test_changes_filter_by_the_account_concerned(admin):
    one, two = make_user("intake", full_name="First Person"), make_user("intake",
                                                                         full_name="Second Person")
    _edit(admin, one, roles=["manager"])
    _edit(admin, two, roles=["manager"])
    page = admin.get(f"/admin/audit?view=changes&username={one.username}").get_data(as_text=True)
    assert "First Person" in page and "Second Person" not in page


def test_unknown_view_or_outcome_falls_back_to_all_sign_ins(admin):
    response = admin.get("/admin/audit?view=<script>&outcome=maybe&page=x")
    assert response.status_code == 200
    assert "<script>" not in response.get_data(as_text=True).split("<main", 1)[1]


def test_audit_page_is_for_administrators_only(login_as):
    for role in ("manager", "leader", "auditor"):
        assert login_as(role).get("/admin/audit").status_code == 403


def test_audit_and_sessions_are_in_the_administration_menu(admin):
    page = admin.get("/admin/users").get_data(as_text=True)
    assert 'href="/admin/sessions"' in page and 'href="/admin/audit"' in page


def test_audit_page_opens_in_chinese(app, admin):
    admin.post("/language", data={"lang": "zh_Hans"})
    for view in ("logins", "changes"):
        assert admin.get(f"/admin/audit?view={view}").status_code == 200
    assert admin.get("/admin/sessions").status_code == 200
