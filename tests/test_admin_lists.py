"""Administration of the working calendar, the root-cause list and the deadline settings."""
import datetime as dt
import re

import pytest
from werkzeug.security import generate_password_hash

from domain import accounts
from domain.deadlines import load_calendar
from domain.settings import DEFAULTS, load_settings
from domain.stage_models import CalendarDay, RootCause
from tests.factories import make_user

WEDNESDAY = dt.date(2026, 6, 10)
SUNDAY = dt.date(2026, 6, 14)
SPRING_FESTIVAL = dt.date(2026, 2, 17)


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    monkeypatch.setattr(accounts, "generate_password_hash",
                        lambda password: generate_password_hash(password, "pbkdf2:sha256:1"))


@pytest.fixture
def admin(login_as):
    return login_as("admin")


def field_error(html: str, field: str) -> str:
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', html, re.S)
    return match.group(1) if match else ""


# --- calendar -----------------------------------------------------------------------------

def test_admin_adds_a_closed_day_and_deadlines_skip_it(admin):
    assert load_calendar(load_settings()).is_working_day(WEDNESDAY)
    response = admin.post("/admin/calendar", data={"day": "2026-06-10", "kind": "closed",
                                                   "note": "Stocktaking"})
    assert response.status_code == 303, response.get_data(as_text=True)
    assert response.headers["Location"] == "/admin/calendar?year=2026"
    assert not load_calendar(load_settings()).is_working_day(WEDNESDAY)
    page = admin.get("/admin/calendar?year=2026").get_data(as_text=True)
    assert "The day was added to the calendar." in page
    assert "Stocktaking" in page and "Closed day" in page


def test_admin_adds_an_extra_working_day_on_a_weekend(admin):
    response = admin.post("/admin/calendar", data={"day": SUNDAY.isoformat(),
                                                   "kind": "working", "note": "Open day"})
    assert response.status_code == 303
    assert load_calendar(load_settings()).is_working_day(SUNDAY)


@pytest.mark.parametrize("day, kind, message", [
    (SUNDAY, "closed", "This is already a day off in the public calendar."),
    (SPRING_FESTIVAL, "closed", "This is already a day off in the public calendar."),
    (WEDNESDAY, "working", "This is already a working day."),
])
def test_a_day_that_would_change_nothing_is_refused(admin, day, kind, message):
    response = admin.post("/admin/calendar", data={"day": day.isoformat(), "kind": kind})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "day") == message
    assert CalendarDay.select().count() == 0


def test_a_date_already_in_the_calendar_is_refused(admin):
    CalendarDay.create(day=WEDNESDAY, working=False, note="Stocktaking")
    response = admin.post("/admin/calendar", data={"day": "2026-06-10", "kind": "closed"})
    assert response.status_code == 422
    assert "already in the calendar" in field_error(response.get_data(as_text=True), "day")
    assert CalendarDay.select().count() == 1


def test_a_missing_or_bad_date_is_refused(admin):
    for value in ("", "2026-13-45"):
        response = admin.post("/admin/calendar", data={"day": value, "kind": "closed"})
        assert response.status_code == 422
        assert field_error(response.get_data(as_text=True), "day")


def test_admin_changes_a_days_kind_and_note_but_never_deletes_it(admin):
    day = CalendarDay.create(day=WEDNESDAY, working=False, note="Stocktaking")
    form = admin.get(f"/admin/calendar/{day.id}").get_data(as_text=True)
    assert "Stocktaking" in form
    response = admin.post(f"/admin/calendar/{day.id}", data={"kind": "working",
                                                              "note": "Moved"})
    assert response.status_code == 303
    day = CalendarDay.get_by_id(day.id)
    assert day.working and day.note == "Moved" and day.day == WEDNESDAY
    assert admin.post(f"/admin/calendar/{day.id}/delete").status_code in (404, 405)
    assert CalendarDay.select().count() == 1


def test_calendar_shows_the_years_public_holidays_and_make_up_days(admin):
    page = admin.get("/admin/calendar?year=2026").get_data(as_text=True)
    assert "Spring Festival" in page and "National Day" in page
    assert 'datetime="2026-02-28"' in page  # a make-up working Saturday
    assert "Weekend working day (make-up for a holiday)" in page
    assert 'href="/admin/calendar?year=2027"' in page


def test_calendar_of_an_unreasonable_year_falls_back_to_this_year(admin):
    assert admin.get("/admin/calendar?year=99999").status_code == 200


def test_calendar_day_that_does_not_exist_is_404(admin):
    assert admin.get("/admin/calendar/999").status_code == 404


# --- root causes --------------------------------------------------------------------------

def test_root_causes_list_shows_the_procedures_categories(admin):
    page = admin.get("/admin/root-causes").get_data(as_text=True)
    assert "Management gap" in page and "管理漏洞" in page and "Product defect" in page


def test_admin_adds_a_root_cause(admin):
    response = admin.post("/admin/root-causes/new", data={
        "code": "supplier_fault", "name": "Supplier fault", "name_zh": "供应商原因",
        "active": "y"})
    assert response.status_code == 303, response.get_data(as_text=True)
    cause = RootCause.get(RootCause.code == "supplier_fault")
    assert cause.name == "Supplier fault" and cause.name_zh == "供应商原因" and cause.active


@pytest.mark.parametrize("code, message", [
    ("product_defect", "This code is taken."),
    ("Bad Code", "Lower-case letters, digits and underscores, starting with a letter."),
    ("", "This field is required."),
])
def test_a_bad_or_taken_root_cause_code_is_refused(admin, code, message):
    before = RootCause.select().count()
    response = admin.post("/admin/root-causes/new", data={"code": code, "name": "X"})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "code") == message
    assert RootCause.select().count() == before


def test_admin_renames_and_deactivates_a_root_cause_but_its_code_stays(admin):
    cause = RootCause.get(RootCause.code == "other")
    response = admin.post(f"/admin/root-causes/{cause.id}", data={
        "code": "changed", "name": "Something else", "name_zh": "其他原因"})
    assert response.status_code == 303
    cause = RootCause.get_by_id(cause.id)
    assert (cause.code, cause.name, cause.name_zh, cause.active) == (
        "other", "Something else", "其他原因", False)
    page = admin.get("/admin/root-causes").get_data(as_text=True)
    assert "Deactivated" in page
    assert RootCause.select().count() == 5


def test_root_cause_name_with_markup_is_refused(admin):
    cause = RootCause.get(RootCause.code == "other")
    response = admin.post(f"/admin/root-causes/{cause.id}", data={"name": "<b>x</b>",
                                                                   "active": "y"})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "name") == \
        "Plain text only: remove the HTML tags."


# --- deadline settings --------------------------------------------------------------------

def deadlines(**overrides) -> dict:
    data = {name: str(DEFAULTS[name]) for name in (
        "registration_days", "verification_days", "assignment_days", "receipt_days",
        "investigation_days", "investigation_cap_days", "review_days", "response_days",
        "reply_days", "visit_days", "accountability_appeal_days")}
    data["country"] = "CN"
    data.update(overrides)
    return data


def test_settings_page_shows_the_deadlines(admin):
    page = admin.get("/admin/settings").get_data(as_text=True)
    assert 'id="investigation_cap_days"' in page and 'value="15"' in page
    assert '<option selected value="CN">' in page or 'value="CN" selected' in page


def test_admin_changes_the_deadlines_and_the_country(admin):
    response = admin.post("/admin/settings/deadlines", data=deadlines(
        investigation_days="7", investigation_cap_days="20", country="HK", visit_days="5"))
    assert response.status_code == 303, response.get_data(as_text=True)
    assert response.headers["Location"] == "/admin/settings#deadlines"
    settings = load_settings()
    assert (settings["investigation_days"], settings["investigation_cap_days"],
            settings["country"], settings["visit_days"]) == (7, 20, "HK", 5)
    assert settings["org_name"] == "Redress Demo Organisation"  # the other form's


@pytest.mark.parametrize("field, value, message", [
    ("investigation_cap_days", "4",
     "The limit cannot be shorter than the investigation itself (5 working days)."),
    ("investigation_days", "0", "Number must be between 1 and 60."),
    ("reply_days", "", "This field is required."),
    ("country", "XX", "Not a valid choice."),
])
def test_invalid_deadlines_are_refused_with_a_message(admin, field, value, message):
    response = admin.post("/admin/settings/deadlines", data=deadlines(**{field: value}))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), field) == message
    assert load_settings()["investigation_days"] == 5
    assert load_settings()["country"] == "CN"


# --- access -------------------------------------------------------------------------------

ADMIN_PAGES = [("GET", "/admin/calendar"), ("POST", "/admin/calendar"),
               ("GET", "/admin/calendar/{day}"), ("POST", "/admin/calendar/{day}"),
               ("GET", "/admin/root-causes"), ("GET", "/admin/root-causes/new"),
               ("POST", "/admin/root-causes/new"), ("POST", "/admin/root-causes/{cause}"),
               ("POST", "/admin/settings/deadlines")]


@pytest.mark.parametrize("role", ["intake", "investigator", "dept_head", "leader", "manager",
                                  "auditor"])
def test_only_the_admin_reaches_the_calendar_root_causes_and_deadlines(login_as, role):
    day = CalendarDay.create(day=WEDNESDAY, working=False, note="Stocktaking")
    cause = RootCause.get(RootCause.code == "other")
    client = login_as(role)
    for method, path in ADMIN_PAGES:
        url = path.format(day=day.id, cause=cause.id)
        data = {"day": "2026-06-11", "kind": "working", "note": "x", "code": "new_cause",
                "name": "X", **deadlines(investigation_days="9", investigation_cap_days="9")}
        response = client.get(url) if method == "GET" else client.post(url, data=data)
        assert response.status_code == 403, (method, url)
    assert CalendarDay.select().count() == 1 and CalendarDay.get().working is False
    assert RootCause.get_by_id(cause.id).name == "Other"
    assert load_settings()["investigation_days"] == 5


def test_admin_pages_need_a_fresh_sign_in(app, admin):
    with admin.session_transaction() as session:
        session["_fresh"] = False
    response = admin.get("/admin/calendar")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_admin_navigation_links_the_new_pages(admin):
    page = admin.get("/admin/users").get_data(as_text=True)
    assert 'href="/admin/calendar"' in page and 'href="/admin/root-causes"' in page


def test_non_admin_sees_no_administration_link(login_as):
    page = login_as(make_user("manager")).get("/work").get_data(as_text=True)
    assert 'href="/admin/users"' not in page
