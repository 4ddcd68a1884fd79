"""Administration: staff accounts, departments and organisation settings."""
import re

import pytest

from domain.models import Department, User
from domain.settings import load_settings
from tests.factories import PASSWORD, make_complaint, make_department, make_user

NEW_PASSWORD = "a-long-enough-pass"


@pytest.fixture
def admin(login_as):
    return login_as("admin")


def user_form(**overrides) -> dict:
    data = {"username": "liu.yang", "full_name": "Liu Yang", "email": "liu@example.org",
            "roles": ["intake"], "department": "", "password": NEW_PASSWORD}
    data.update(overrides)
    return data


def edit_form(user, **overrides) -> dict:
    data = {"username": user.username, "full_name": user.full_name, "email": user.email,
            "roles": sorted(user.role_set), "department": str(user.department_id or ""),
            "active": "y"}
    data.update(overrides)
    return data


def field_error(html: str, field: str) -> str:
    """The error shown beside a field ('' when none)."""
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', html, re.S)
    return match.group(1) if match else ""


def settings_form(**overrides) -> dict:
    data = {"org_name": "Harbour Clinic", "org_name_zh": "港湾诊所", "timezone": "Asia/Shanghai",
            "number_prefix": "TS", "number_padding": "6", "max_upload_mb": "10"}
    data.update(overrides)
    return data


# --- users ------------------------------------------------------------------------------------

def test_admin_creates_a_user_with_several_roles_and_a_department(app, admin):
    dept = make_department("After-sales", name_zh="售后部")
    response = admin.post("/admin/users/new", data=user_form(
        roles=["investigator", "intake"], department=str(dept.id)))
    assert response.status_code == 303, response.get_data(as_text=True)
    assert response.headers["Location"] == "/admin/users"
    user = User.get(User.username == "liu.yang")
    assert user.role_set == {"intake", "investigator"}
    assert user.roles == "intake,investigator"  # stored in the vocabulary's order
    assert user.department_id == dept.id
    assert user.active and user.full_name == "Liu Yang"
    assert user.password_hash != NEW_PASSWORD
    listing = admin.get("/admin/users").get_data(as_text=True)
    assert "Liu Yang" in listing and "After-sales" in listing
    assert "Intake staff, Investigator" in listing
    signed_in = app.test_client().post("/login", data={"username": "liu.yang",
                                                       "password": NEW_PASSWORD})
    assert signed_in.status_code == 303


def test_new_user_form_lists_roles_and_active_departments_only(admin):
    make_department("Shop floor")
    closed = make_department("Closed branch")
    closed.active = False
    closed.save()
    page = admin.get("/admin/users/new").get_data(as_text=True)
    assert 'value="investigator"' in page and 'value="auditor"' in page
    assert "Shop floor" in page
    assert "Closed branch" not in page


def test_taken_username_is_refused_with_a_message(admin):
    make_user("intake", username="liu.yang")
    response = admin.post("/admin/users/new", data=user_form(username="Liu.Yang"))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "username") == "This username is taken."
    assert User.select().where(User.username == "liu.yang").count() == 1


@pytest.mark.parametrize("department", ["999999", "abc", "inactive"])
def test_unknown_or_inactive_department_is_refused_and_nothing_saved(admin, department):
    if department == "inactive":
        dept = make_department("Old branch")
        dept.active = False
        dept.save()
        department = str(dept.id)
    response = admin.post("/admin/users/new", data=user_form(department=department))
    assert response.status_code == 422
    message = field_error(response.get_data(as_text=True), "department")
    assert message in ("Not a valid choice.", "Choose a department from the list.")
    assert not User.select().where(User.username == "liu.yang").exists()


def test_user_without_roles_is_refused_with_a_message(admin):
    data = user_form()
    del data["roles"]
    response = admin.post("/admin/users/new", data=data)
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "roles") == \
        "Choose at least one role from the list."
    assert not User.select().where(User.username == "liu.yang").exists()


def test_unknown_role_is_refused(admin):
    response = admin.post("/admin/users/new", data=user_form(roles=["intake", "superuser"]))
    assert response.status_code == 422
    assert "not a valid choice" in field_error(response.get_data(as_text=True), "roles")
    assert not User.select().where(User.username == "liu.yang").exists()


@pytest.mark.parametrize("password, message", [
    ("short", "Use at least 10 characters."),
    ("", "Use at least 10 characters."),
    ("liu.yang-2026!", "The password must not contain the username."),
])
def test_weak_password_is_refused_with_a_message(admin, password, message):
    response = admin.post("/admin/users/new", data=user_form(password=password))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "password") == message
    assert not User.select().where(User.username == "liu.yang").exists()


def test_very_long_full_name_is_refused_and_nothing_saved(admin):
    response = admin.post("/admin/users/new", data=user_form(full_name="张" * 10_000))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "full_name") == \
        "Field cannot be longer than 120 characters."
    assert not User.select().where(User.username == "liu.yang").exists()


def test_markup_in_full_name_is_refused_and_nothing_saved(admin):
    response = admin.post("/admin/users/new",
                          data=user_form(full_name="<script>alert(1)</script>"))
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert field_error(body, "full_name") == "Plain text only: remove the HTML tags."
    assert "<script>alert(1)</script>" not in body  # echoed back escaped, never as markup
    assert not User.select().where(User.username == "liu.yang").exists()


@pytest.mark.parametrize("username", ["liu yang", "liu/yang", "<b>", "x"])
def test_username_with_unusual_characters_is_refused(admin, username):
    response = admin.post("/admin/users/new", data=user_form(username=username))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "username")
    assert User.select().count() == 1  # only the admin


def test_admin_changes_a_users_roles_and_department(admin):
    dept = make_department("Quality")
    user = make_user("intake")
    response = admin.post(f"/admin/users/{user.id}", data=edit_form(
        user, roles=["dept_head"], department=str(dept.id), full_name="Renamed Person"))
    assert response.status_code == 303
    saved = User.get_by_id(user.id)
    assert (saved.roles, saved.department_id, saved.full_name) == (
        "dept_head", dept.id, "Renamed Person")
    assert saved.username == user.username  # the username never changes


def test_admin_resets_a_password_and_the_old_one_stops_working(app, admin):
    user = make_user("intake")
    response = admin.post(f"/admin/users/{user.id}", data=edit_form(user,
                                                                    password=NEW_PASSWORD))
    assert response.status_code == 303
    client = app.test_client()
    assert client.post("/login", data={"username": user.username,
                                       "password": PASSWORD}).status_code == 422
    assert client.post("/login", data={"username": user.username,
                                       "password": NEW_PASSWORD}).status_code == 303


def test_edit_with_a_refused_password_saves_nothing(admin):
    user = make_user("intake")
    response = admin.post(f"/admin/users/{user.id}", data=edit_form(
        user, roles=["manager"], full_name="Should Not Stick", password="short"))
    assert response.status_code == 422
    assert "Use at least 10 characters." in response.get_data(as_text=True)
    saved = User.get_by_id(user.id)
    assert (saved.roles, saved.full_name) == ("intake", user.full_name)


def test_admin_deactivates_a_user_who_is_kept_not_deleted(app, admin):
    user = make_user("investigator", full_name="Gone Away")
    complaint = make_complaint(app, registered_by=user)
    response = admin.post(f"/admin/users/{user.id}", data=edit_form(user, active=""))
    assert response.status_code == 303
    saved = User.get_or_none(User.id == user.id)
    assert saved is not None and saved.active is False
    assert complaint.registered_by_id == user.id
    listing = admin.get("/admin/users").get_data(as_text=True)
    row = re.search(r'<tr class="inactive">(.*?)</tr>', listing, re.S)
    assert row and "Gone Away" in row.group(1) and "Deactivated" in row.group(1)
    refused = app.test_client().post("/login", data={"username": user.username,
                                                     "password": PASSWORD})
    assert refused.status_code == 422


def test_admin_reactivates_a_user(app, admin):
    user = make_user("intake")
    admin.post(f"/admin/users/{user.id}", data=edit_form(user, active=""))
    response = admin.post(f"/admin/users/{user.id}", data=edit_form(user, active="y"))
    assert response.status_code == 303
    assert User.get_by_id(user.id).active is True
    assert app.test_client().post("/login", data={"username": user.username,
                                                  "password": PASSWORD}).status_code == 303


def test_there_is_no_way_to_delete_a_user(admin):
    user = make_user("intake")
    for method in ("delete", "post"):
        response = getattr(admin, method)(f"/admin/users/{user.id}/delete")
        assert response.status_code in (404, 405)
    assert admin.delete(f"/admin/users/{user.id}").status_code == 405
    assert User.get_or_none(User.id == user.id) is not None


def test_editing_an_unknown_user_is_404(admin):
    assert admin.get("/admin/users/999999").status_code == 404
    assert admin.post("/admin/users/999999", data=user_form()).status_code == 404


# --- departments ------------------------------------------------------------------------------

def test_admin_creates_a_department(admin):
    response = admin.post("/admin/departments/new",
                          data={"name": "Customer Service", "name_zh": "客服部", "active": "y"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/departments"
    dept = Department.get(Department.name == "Customer Service")
    assert dept.name_zh == "客服部" and dept.active
    listing = admin.get("/admin/departments").get_data(as_text=True)
    assert "Customer Service" in listing and "客服部" in listing


def test_admin_renames_a_department(admin):
    dept = make_department("Custmer Service")
    response = admin.post(f"/admin/departments/{dept.id}",
                          data={"name": "Customer Service", "name_zh": "客服部", "active": "y"})
    assert response.status_code == 303
    saved = Department.get_by_id(dept.id)
    assert (saved.name, saved.name_zh) == ("Customer Service", "客服部")
    assert Department.select().count() == 1


def test_admin_deactivates_a_department_which_is_kept(admin):
    dept = make_department("Warehouse")
    response = admin.post(f"/admin/departments/{dept.id}", data={"name": "Warehouse",
                                                                 "name_zh": ""})
    assert response.status_code == 303
    saved = Department.get_or_none(Department.id == dept.id)
    assert saved is not None and saved.active is False
    listing = admin.get("/admin/departments").get_data(as_text=True)
    row = re.search(r'<tr class="inactive">(.*?)</tr>', listing, re.S)
    assert row and "Warehouse" in row.group(1) and "Deactivated" in row.group(1)
    assert "Warehouse" not in admin.get("/admin/users/new").get_data(as_text=True)


@pytest.mark.parametrize("existing", ["Warehouse", "  Warehouse  "])
def test_duplicate_department_name_is_refused_with_a_message(admin, existing):
    make_department("Warehouse")
    response = admin.post("/admin/departments/new", data={"name": existing, "name_zh": ""})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "name") == \
        "A department with this name exists."
    assert Department.select().count() == 1


def test_renaming_a_department_to_another_ones_name_is_refused(admin):
    make_department("Warehouse")
    shop = make_department("Shop")
    response = admin.post(f"/admin/departments/{shop.id}", data={"name": "Warehouse",
                                                                 "active": "y"})
    assert response.status_code == 422
    assert "A department with this name exists." in response.get_data(as_text=True)
    assert Department.get_by_id(shop.id).name == "Shop"


def test_saving_a_department_under_its_own_name_is_allowed(admin):
    dept = make_department("Warehouse")
    response = admin.post(f"/admin/departments/{dept.id}",
                          data={"name": "Warehouse", "name_zh": "仓库", "active": "y"})
    assert response.status_code == 303
    assert Department.get_by_id(dept.id).name_zh == "仓库"


def test_department_name_with_markup_or_too_long_is_refused(admin):
    for name, message in (("<b>Sales</b>", "Plain text only: remove the HTML tags."),
                          ("x" * 10_000, "Field cannot be longer than 120 characters.")):
        response = admin.post("/admin/departments/new", data={"name": name})
        assert response.status_code == 422
        assert field_error(response.get_data(as_text=True), "name") == message
    assert Department.select().count() == 0


# --- settings ---------------------------------------------------------------------------------

def test_settings_page_shows_the_current_settings(admin):
    page = admin.get("/admin/settings").get_data(as_text=True)
    assert 'value="TS"' in page
    assert "Redress Demo Organisation" in page


def test_new_number_prefix_is_used_for_the_next_complaint(app, admin):
    before = make_complaint(app)
    assert before.number.startswith("TS-")
    response = admin.post("/admin/settings", data=settings_form(number_prefix="HC",
                                                                number_padding="4"))
    assert response.status_code == 303, response.get_data(as_text=True)
    assert load_settings()["number_prefix"] == "HC"
    complaint = make_complaint(app)
    assert re.fullmatch(r"HC-\d{4}-0001", complaint.number), complaint.number
    page = admin.get("/admin/settings").get_data(as_text=True)
    assert "The settings were saved." in page and 'value="HC"' in page
    assert "Harbour Clinic" in admin.get("/complaints").get_data(as_text=True)


@pytest.mark.parametrize("field, value, message", [
    ("number_prefix", "ts-1", "Capital letters and digits only."),
    ("number_prefix", "ABCDEFGHIJK", "Field cannot be longer than 10 characters."),
    ("number_padding", "2", "Number must be between 3 and 10."),
    ("max_upload_mb", "500", "Number must be between 1 and 50."),
    ("timezone", "Mars/Olympus", "Not a valid choice."),
    ("org_name", "<script>x</script>", "Plain text only: remove the HTML tags."),
    ("org_name", "", "This field is required."),
])
def test_invalid_settings_are_refused_with_a_message(admin, field, value, message):
    response = admin.post("/admin/settings", data=settings_form(**{field: value}))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), field) == message
    assert load_settings()["number_prefix"] == "TS"
    assert load_settings()["org_name"] == "Redress Demo Organisation"
