"""Who may see and do what: every role against every endpoint, as a page and as an htmx
fragment, plus department scoping of the list, search and duplicates, and CSRF."""
import datetime as dt
import io
import re
from types import SimpleNamespace

import pytest
from werkzeug.security import generate_password_hash

from app import create_app
import config
from domain import accounts
from domain.database import migrate
from domain.models import Complaint, Department, Evidence, User
from domain.settings import load_settings
from extensions import db
from tests.conftest import PNG
from tests.factories import PASSWORD, make_complaint, make_department, make_user

ROLES = ("intake", "investigator", "dept_head", "leader", "manager", "auditor", "admin")
SEE_ALL = {"leader", "manager", "auditor", "admin"}
REGISTER = {"intake", "manager", "admin"}
EDIT = {"intake", "dept_head", "manager", "admin"}
EVIDENCE = {"intake", "investigator", "dept_head", "manager", "admin"}
ADMIN = {"admin"}
EVERYONE = set(ROLES)

HX = {"HX-Request": "true"}
OWN_PHONE = "13800138000"
OTHER_PHONE = "13900139000"
OTHER_MATTER = "仓库发错货，外部门的投诉。"


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """These tests are about access, not hashing: a cheap hash keeps the matrix quick."""
    monkeypatch.setattr(accounts, "generate_password_hash",
                        lambda password: generate_password_hash(password, "pbkdf2:sha256:1"))


@pytest.fixture
def world(app):
    """Two departments, one complaint (with an evidence file) in each."""
    service = make_department("Customer Service")
    warehouse = make_department("Warehouse")
    registrar = make_user("intake")  # no department: visibility below comes from department
    own = make_complaint(app, registered_by=registrar, department=service,
                         files=[("own.png", PNG)], complainant_phone=OWN_PHONE,
                         complainant_email="own@example.com")
    other = make_complaint(app, registered_by=registrar, department=warehouse,
                           files=[("other.png", PNG)], complainant_phone=OTHER_PHONE,
                           complainant_email="other@example.com", complainant_name="李娜",
                           matter=OTHER_MATTER)
    return SimpleNamespace(
        service=service, warehouse=warehouse, registrar=registrar, own=own, other=other,
        own_ev=Evidence.get(Evidence.complaint == own.id),
        other_ev=Evidence.get(Evidence.complaint == other.id))


# --- request payloads ---------------------------------------------------------------------

def _received_at() -> str:
    return (dt.datetime.now() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")


def intake_form(**overrides) -> dict:
    data = {
        "channel": "hotline", "received_at": _received_at(), "complainant_name": "王芳",
        "complainant_phone": "13700137000", "complainant_email": "", "complainant_address": "",
        "matter": "新登记的投诉事项", "demand": "", "order_ref": "", "amount_claimed": "",
        "nature": "", "severity": "ordinary", "urgency": "normal", "language": "zh_Hans",
        "regulator_name": "", "regulator_ref": "", "regulator_due": "",
    }
    data.update(overrides)
    return data


def edit_form(complaint, **overrides) -> dict:
    data = intake_form(complainant_name=complaint.complainant_name,
                       complainant_phone=complaint.complainant_phone,
                       complainant_email=complaint.complainant_email,
                       matter="Corrected matter after a call back", version=str(complaint.version))
    data.update(overrides)
    return data


def evidence_form() -> dict:
    return {"evidence": (io.BytesIO(PNG), "receipt.png"), "note": "receipt"}


NEW_USER = {"username": "newperson", "full_name": "New Person", "email": "", "roles": ["intake"],
            "department": "", "password": "a-long-enough-pass"}
NEW_DEPARTMENT = {"name": "Legal", "name_zh": "法务部", "active": "y"}
SETTINGS = {"org_name": "Changed Organisation", "org_name_zh": "", "timezone": "Asia/Shanghai",
            "number_prefix": "TS", "number_padding": "6", "max_upload_mb": "10"}


# --- side effects: what a request changed, so a refused request can be shown to change nothing

def complaints_count(w):
    return Complaint.select().count()


def own_matter(w):
    return Complaint.get_by_id(w.own.id).matter


def other_matter(w):
    return Complaint.get_by_id(w.other.id).matter


def own_evidence_count(w):
    return Evidence.select().where(Evidence.complaint == w.own.id).count()


def other_evidence_count(w):
    return Evidence.select().where(Evidence.complaint == w.other.id).count()


def users_count(w):
    return User.select().count()


def departments_count(w):
    return Department.select().count()


def org_name(w):
    return load_settings()["org_name"]


# --- the matrix ---------------------------------------------------------------------------
# (id, method, path, allowed roles, hidden from other departments?, form builder, side effect)
# "hidden": for staff who do not see all complaints the object does not exist (404);
# otherwise a role outside `allowed` gets 403.

def E(name, method, path, allowed, hidden=False, form=None, effect=None, kind="page"):
    """kind: page (a fragment for htmx), fragment (always), full (always a page), file."""
    return SimpleNamespace(name=name, method=method, path=path, allowed=allowed, hidden=hidden,
                           form=form, effect=effect, kind=kind)


ENDPOINTS = [
    E("list", "GET", "/complaints", EVERYONE),
    E("intake form", "GET", "/complaints/new", REGISTER),
    E("register", "POST", "/complaints/new", REGISTER, form=lambda w: intake_form(),
      effect=complaints_count),
    E("duplicates", "GET", f"/complaints/duplicates?complainant_phone={OWN_PHONE}", REGISTER,
      kind="fragment"),
    E("own complaint", "GET", "/complaints/{own}", EVERYONE),
    E("other department's complaint", "GET", "/complaints/{other}", EVERYONE, hidden=True),
    E("own timeline", "GET", "/complaints/{own}/timeline", EVERYONE, kind="fragment"),
    E("other department's timeline", "GET", "/complaints/{other}/timeline", EVERYONE,
      hidden=True, kind="fragment"),
    E("own edit form", "GET", "/complaints/{own}/edit", EDIT),
    E("other department's edit form", "GET", "/complaints/{other}/edit", EDIT, hidden=True),
    E("correct own complaint", "POST", "/complaints/{own}/edit", EDIT,
      form=lambda w: edit_form(w.own), effect=own_matter),
    E("correct other department's complaint", "POST", "/complaints/{other}/edit", EDIT,
      hidden=True, form=lambda w: edit_form(w.other), effect=other_matter),
    E("add evidence to own complaint", "POST", "/complaints/{own}/evidence", EVIDENCE,
      form=lambda w: evidence_form(), effect=own_evidence_count),
    E("add evidence to other department's complaint", "POST", "/complaints/{other}/evidence",
      EVIDENCE, hidden=True, form=lambda w: evidence_form(), effect=other_evidence_count),
    E("download own evidence", "GET", "/complaints/{own}/evidence/{own_ev}", EVERYONE,
      kind="file"),
    E("download other department's evidence", "GET", "/complaints/{other}/evidence/{other_ev}",
      EVERYONE, hidden=True, kind="file"),
    E("users", "GET", "/admin/users", ADMIN, kind="full"),
    E("departments", "GET", "/admin/departments", ADMIN, kind="full"),
    E("settings", "GET", "/admin/settings", ADMIN, kind="full"),
    E("create user", "POST", "/admin/users/new", ADMIN, form=lambda w: dict(NEW_USER),
      effect=users_count, kind="full"),
    E("create department", "POST", "/admin/departments/new", ADMIN,
      form=lambda w: dict(NEW_DEPARTMENT), effect=departments_count, kind="full"),
    E("change settings", "POST", "/admin/settings", ADMIN, form=lambda w: dict(SETTINGS),
      effect=org_name, kind="full"),
]


def expected_status(endpoint, role) -> int | str:
    if endpoint.hidden and role not in SEE_ALL:
        return 404
    return "ok" if role in endpoint.allowed else 403


def send(client, endpoint, w, htmx: bool):
    """Make the request and read it whole (closing it, so a sent file is closed too)."""
    path = endpoint.path.format(own=w.own.id, other=w.other.id, own_ev=w.own_ev.id,
                                other_ev=w.other_ev.id)
    headers = HX if htmx else {}
    if endpoint.method == "GET":
        response = client.get(path, headers=headers)
    else:
        response = client.post(path, data=endpoint.form(w), headers=headers,
                               content_type="multipart/form-data")
    response.body = response.get_data()
    response.close()
    return response


def shows_complaint(html: str, complaint) -> bool:
    """Whether `html` lists or links to `complaint` (a search box may echo its number)."""
    return f'/complaints/{complaint.id}"' in html or complaint.complainant_name in html


MATRIX = [pytest.param(role, e, htmx, id=f"{role}-{e.name}-{'htmx' if htmx else 'page'}")
          for role in ROLES for e in ENDPOINTS for htmx in (False, True)]


@pytest.mark.parametrize("role, endpoint, htmx", MATRIX)
def test_staff_reach_only_what_their_role_and_department_allow(world, login_as, role,
                                                                endpoint, htmx):
    c = login_as(role, department=world.service)
    before = endpoint.effect(world) if endpoint.effect else None
    response = send(c, endpoint, world, htmx)
    expected = expected_status(endpoint, role)
    text = "" if endpoint.kind == "file" else response.body.decode()

    if expected == "ok" and endpoint.method == "POST":
        if htmx:
            assert response.status_code == 204, text
            assert response.headers["HX-Redirect"].startswith("/")
        else:
            assert response.status_code == 303, text
        assert endpoint.effect(world) != before, "an allowed change was not saved"
        return
    if expected == "ok":
        assert response.status_code == 200, text
        if endpoint.kind == "file":
            assert response.body == PNG
            assert response.headers["Content-Disposition"].startswith("attachment")
        else:
            full_page = endpoint.kind == "full" or (endpoint.kind == "page" and not htmx)
            assert ("<html" in text) is full_page, "page/fragment mismatch"
        return
    text = response.body.decode()
    assert response.status_code == expected, text[:500]
    if endpoint.effect:
        assert endpoint.effect(world) == before, "a refused request changed data"
    assert ("<html" in text) is not htmx, "error page/fragment mismatch"
    message = ("You do not have permission to do this." if expected == 403
               else "There is nothing here, or you do not have access to it.")
    assert message in text
    assert not shows_complaint(text, world.other)


ANON = [pytest.param(e, htmx, id=f"anonymous-{e.name}-{'htmx' if htmx else 'page'}")
        for e in ENDPOINTS for htmx in (False, True)]


@pytest.mark.parametrize("endpoint, htmx", ANON)
def test_anonymous_visitor_is_sent_to_sign_in_and_sees_nothing(app, world, endpoint, htmx):
    client = app.test_client()
    before = endpoint.effect(world) if endpoint.effect else None
    response = send(client, endpoint, world, htmx)
    if htmx:  # htmx is told to load the sign-in page as a whole page
        assert response.status_code == 401
        assert response.headers["HX-Redirect"].startswith("/login")
    else:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")
    if endpoint.effect:
        assert endpoint.effect(world) == before
    text = response.body.decode()
    assert not shows_complaint(text, world.own) and not shows_complaint(text, world.other)


def test_signed_out_htmx_request_sends_the_browser_to_the_sign_in_page(app, world):
    response = app.test_client().get("/complaints?q=x", headers=HX)
    assert response.headers.get("HX-Redirect", "").startswith("/login")


# --- named stories (the matrix covers them too; these read as the rules) ----------------------

def test_auditor_cannot_correct_intake_data(world, login_as):
    c = login_as("auditor")
    assert c.get(f"/complaints/{world.own.id}").status_code == 200
    response = c.post(f"/complaints/{world.own.id}/edit", data=edit_form(world.own))
    assert response.status_code == 403
    assert "You do not have permission to do this." in response.get_data(as_text=True)
    assert own_matter(world) == world.own.matter


def test_auditor_cannot_register_or_add_evidence(world, login_as):
    c = login_as("auditor")
    assert c.post("/complaints/new", data=intake_form()).status_code == 403
    assert c.post(f"/complaints/{world.own.id}/evidence", data=evidence_form(),
                  content_type="multipart/form-data").status_code == 403
    assert Complaint.select().count() == 2
    assert own_evidence_count(world) == 1


def test_investigator_cannot_see_a_complaint_of_another_department(world, login_as):
    c = login_as("investigator", department=world.service)
    response = c.get(f"/complaints/{world.other.id}")
    assert response.status_code == 404
    assert world.other.number not in response.get_data(as_text=True)


def test_staff_without_a_department_see_only_what_they_registered_or_were_given(
        app, world, login_as):
    c = login_as("investigator")  # no department
    assert c.get(f"/complaints/{world.own.id}").status_code == 404
    world.own.assignee = c.user
    world.own.save()
    assert c.get(f"/complaints/{world.own.id}").status_code == 200
    page = c.get("/complaints").get_data(as_text=True)
    assert world.own.number in page and world.other.number not in page


def test_investigator_sees_a_complaint_of_another_department_assigned_to_them(world, login_as):
    c = login_as("investigator", department=world.service)
    world.other.assignee = c.user
    world.other.save()
    assert c.get(f"/complaints/{world.other.id}").status_code == 200
    assert world.other.number in c.get("/complaints").get_data(as_text=True)


def test_intake_staff_see_a_complaint_they_registered_for_another_department(
        app, world, login_as):
    c = login_as("intake", department=world.service)
    mine = make_complaint(app, registered_by=c.user, department=world.warehouse)
    assert c.get(f"/complaints/{mine.id}").status_code == 200
    assert c.get(f"/complaints/{world.other.id}").status_code == 404


def test_dept_head_cannot_download_another_departments_evidence(world, login_as):
    c = login_as("dept_head", department=world.service)
    with c.get(f"/complaints/{world.other.id}/evidence/{world.other_ev.id}") as response:
        assert response.status_code == 404
        assert response.data != PNG


def test_evidence_of_one_complaint_cannot_be_fetched_through_another(world, login_as):
    c = login_as("dept_head", department=world.service)
    # own complaint id is visible, but the evidence belongs to the other department's one
    with c.get(f"/complaints/{world.own.id}/evidence/{world.other_ev.id}") as response:
        assert response.status_code == 404
        assert response.data != PNG


# --- the list, search and duplicates only show visible complaints ----------------------------

@pytest.mark.parametrize("role", ["intake", "investigator", "dept_head"])
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_department_staff_list_shows_only_their_departments_complaints(world, login_as, role,
                                                                       htmx):
    c = login_as(role, department=world.service)
    body = c.get("/complaints", headers=HX if htmx else {}).get_data(as_text=True)
    assert world.own.number in body
    assert world.other.number not in body
    assert "1 complaint" in body


@pytest.mark.parametrize("role", sorted(SEE_ALL))
def test_leaders_managers_auditors_and_admins_list_every_complaint(world, login_as, role):
    body = login_as(role, department=world.service).get("/complaints").get_data(as_text=True)
    assert world.own.number in body and world.other.number in body


@pytest.mark.parametrize("query", ["number", "name", "matter", "phone"])
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_search_never_finds_another_departments_complaint(world, login_as, query, htmx):
    q = {"number": world.other.number, "name": world.other.complainant_name,
         "matter": "发错货", "phone": OTHER_PHONE}[query]
    manager = login_as("manager")
    found = manager.get("/complaints", query_string={"q": q}).get_data(as_text=True)
    assert world.other.number in found  # the search does find it for someone who may see it
    c = login_as("dept_head", department=world.service)
    body = c.get("/complaints", query_string={"q": q},
                 headers=HX if htmx else {}).get_data(as_text=True)
    assert f'/complaints/{world.other.id}"' not in body  # (the search box echoes `q`)
    assert "No complaints match." in body


def test_duplicates_fragment_names_another_departments_complaint_without_its_details(
        world, login_as):
    """First-contact responsibility: the person taking a repeat call learns that the caller
    already has an open complaint elsewhere (its number and stage), but not its contents."""
    manager = login_as("manager")
    shown = manager.get("/complaints/duplicates", query_string={"complainant_phone": OTHER_PHONE},
                        headers=HX).get_data(as_text=True)
    assert world.other.number in shown
    c = login_as("intake", department=world.service)
    for query in ({"complainant_phone": OTHER_PHONE},
                  {"complainant_email": "other@example.com"}):
        response = c.get("/complaints/duplicates", query_string=query, headers=HX)
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert world.other.number in body
        assert "handled by another department" in body
        assert not shows_complaint(body, world.other)  # no link, no name
        assert world.other.matter[:10] not in body


def test_duplicates_fragment_shows_an_open_complaint_of_the_own_department(world, login_as):
    c = login_as("intake", department=world.service)
    body = c.get("/complaints/duplicates", query_string={"complainant_phone": OWN_PHONE},
                 headers=HX).get_data(as_text=True)
    assert world.own.number in body
    assert "Possible duplicates" in body


# --- CSRF ---------------------------------------------------------------------------------

class CsrfConfig(config.TestConfig):
    WTF_CSRF_ENABLED = True


@pytest.fixture
def csrf_app(tmp_path):
    if not db.is_closed():
        db.close()
    application = create_app(CsrfConfig(tmp_path / "csrf"))
    migrate()
    yield application
    if not db.is_closed():
        db.close()


def _token(html: str) -> str:
    match = (re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
             or re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html))
    assert match, "no CSRF token on the page"
    return match.group(1)


def _csrf_login(app, user):
    c = app.test_client()
    token = _token(c.get("/login").get_data(as_text=True))
    response = c.post("/login", data={"username": user.username, "password": PASSWORD,
                                      "csrf_token": token})
    assert response.status_code == 303
    return c


def test_post_without_a_csrf_token_is_refused_and_saves_nothing(csrf_app):
    user = make_user("intake")
    c = _csrf_login(csrf_app, user)
    response = c.post("/complaints/new", data=intake_form())
    assert response.status_code == 400
    assert "Your form had expired" in response.get_data(as_text=True)
    assert Complaint.select().count() == 0
    refused = c.post("/complaints/new", data=intake_form(), headers={"X-CSRFToken": "forged"})
    assert refused.status_code == 400
    assert Complaint.select().count() == 0


def test_sign_in_without_a_csrf_token_is_refused(csrf_app):
    user = make_user("intake")
    c = csrf_app.test_client()
    response = c.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 400
    assert c.get("/complaints").status_code == 302  # still signed out


def test_htmx_post_with_the_csrf_header_is_accepted(csrf_app):
    user = make_user("intake")
    c = _csrf_login(csrf_app, user)
    page = c.get("/complaints/new").get_data(as_text=True)
    header_token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    response = c.post("/complaints/new", data=intake_form(),
                      headers={"X-CSRFToken": header_token, **HX})
    assert response.status_code == 204, response.get_data(as_text=True)
    assert response.headers["HX-Redirect"].startswith("/complaints/")
    assert Complaint.select().count() == 1
