"""Personal data: export for one person (admins only, logged), anonymise after the retention
period or on request, keeping the statistics and leaving no old value in the database."""
import datetime as dt
import json

import pytest
from peewee import fn

import cli_ops
from domain import privacy
from domain.errors import DomainError, Forbidden
from domain.history import verify_complaint
from domain.models import Complaint, Event, FieldChange, utcnow
from domain.search import filter_query
from domain.settings import load_settings, save_settings
from domain.stage_models import Response, Visit
from extensions import db
from tests import pg_support
from tests.conftest import PNG
from tests.factories import make_complaint
from tests.workflow_helpers import drive, make_cast, reload

NAME, PHONE, EMAIL = "欧阳娜娜", "139-1234-5678", "ouyang.nana@example.cn"
PERSON = dict(complainant_name=NAME, complainant_phone=PHONE, complainant_email=EMAIL,
              complainant_address="上海市徐汇区漕溪北路88号", order_ref="SO-778899")


@pytest.fixture
def cast(app):
    return make_cast(app)


def _closed_years_ago(complaint, years):
    Complaint.update(closed_at=utcnow() - dt.timedelta(days=365 * years + 5)).where(
        Complaint.id == complaint.id).execute()


def _by_nature():
    return {r.nature: r.n for r in Complaint.select(Complaint.nature, fn.COUNT(Complaint.id)
                                                    .alias("n")).group_by(Complaint.nature)}


def _satisfaction():
    return [(v.complaint_id, v.satisfaction, v.resolved) for v in Visit.select().order_by(Visit.id)]


def _db_bytes(app):
    if pg_support.ACTIVE:
        return _pg_table_bytes()
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    path = app.config["INSTANCE_DIR"] / "test.db"
    data = path.read_bytes()
    wal = path.with_name(path.name + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def _pg_table_bytes():
    """PostgreSQL: the files of every table, index and TOAST table of the test's database
    (read through the server: needs a superuser, as the throwaway cluster's user is)."""
    if not db.execute_sql("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
                          ).fetchone()[0]:
        pytest.skip("reading the table files needs a PostgreSQL superuser")
    db.execute_sql("CHECKPOINT")  # what is only in shared buffers reaches the files
    paths = [row[0] for row in db.execute_sql(
        "SELECT pg_relation_filepath(c.oid) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname IN ('public', 'pg_toast') AND c.relkind IN ('r', 'i', 't', 'm')")]
    data = b""
    for path in filter(None, paths):
        for segment in (path, *(f"{path}.{k}" for k in range(1, 4))):
            if db.execute_sql("SELECT (pg_stat_file(%s, true)).size",
                              (segment,)).fetchone()[0] is None:
                break
            data += bytes(db.execute_sql("SELECT pg_read_binary_file(%s)",
                                         (segment,)).fetchone()[0])
    return data


# --- Export ----------------------------------------------------------------------------

def test_export_contains_every_complaint_of_the_person_and_is_logged_in_each_history(cast):
    first = drive(cast, "closed", files=[("receipt.png", PNG)], **PERSON)
    second = drive(cast, "registered", **{**PERSON, "complainant_phone": "+86 13912345678",
                                           "matter": "第二次投诉：快递延误。"})
    drive(cast, "registered")  # somebody else
    data = privacy.export_person("13912345678", cast.admin)
    assert [c["number"] for c in data["complaints"]] == [first.number, second.number]
    one = data["complaints"][0]
    assert one["complainant"] == {"name": NAME, "phone": PHONE, "email": EMAIL,
                                  "address": PERSON["complainant_address"]}
    assert one["order_ref"] == "SO-778899" and one["matter"] and one["demand"]
    assert one["received_at"] and one["closed_at"]
    assert [e["name"] for e in one["evidence"]] == ["receipt.png"]
    assert one["responses"] and one["visits"][0]["satisfaction"]
    assert isinstance(one["letters"], list)
    json.dumps(data, ensure_ascii=False)
    for c in (first, second):
        event = Event.select().where(Event.complaint == c.id).order_by(Event.seq.desc()).get()
        assert event.action == "privacy_export" and not event.public
        assert event.actor_id == cast.admin.id
        assert verify_complaint(c.id) == []
    # by email, case-insensitive
    assert len(privacy.export_person("OUYANG.NANA@example.cn", cast.admin)["complaints"]) == 2


def test_export_is_for_administrators_only_and_says_when_nothing_matches(cast):
    drive(cast, "registered", **PERSON)
    with pytest.raises(Forbidden):
        privacy.export_person(PHONE, cast.manager)
    with pytest.raises(DomainError) as e:
        privacy.export_person("13000000000", cast.admin)
    assert e.value.field == "person"
    with pytest.raises(DomainError):
        privacy.export_person("12", cast.admin)


# --- Anonymise -------------------------------------------------------------------------

def test_anonymising_after_the_retention_period_keeps_the_statistics(cast, app):
    old = drive(cast, "closed", files=[("receipt.png", PNG)], **PERSON)
    recent = drive(cast, "closed", complainant_name="李雷", nature="service_attitude")
    still_open = drive(cast, "investigating", **PERSON)
    _closed_years_ago(old, 4)
    _closed_years_ago(recent, 1)
    nature_before, satisfaction_before = _by_nature(), _satisfaction()
    dates_before = (old.received_at, reload(old).closed_at, old.nature, old.department_id)

    assert privacy.anonymise_expired(load_settings()) == 0  # default: off
    save_settings({"retention_years": 3})
    assert privacy.anonymise_expired(load_settings()) == 1

    old = reload(old)
    assert old.complainant_name == "[anonymised]"
    assert (old.complainant_phone, old.complainant_email, old.complainant_address,
            old.contact_key, old.order_ref) == ("", "", "", "", "")
    assert privacy.is_anonymised(old)
    assert Response.get(Response.complaint == old.id).recipient == "[anonymised]"
    assert (old.received_at, old.closed_at, old.nature, old.department_id) == dates_before
    assert reload(recent).complainant_name == "李雷"
    assert reload(still_open).complainant_phone == PHONE
    assert _by_nature() == nature_before
    assert _satisfaction() == satisfaction_before
    # Evidence rows stay (nothing is hard-deleted), downloads are refused.
    assert old.evidence.count() == 1 and privacy.is_anonymised(old)
    # The history says so, with field names only, and the chain holds.
    event = Event.select().where(Event.complaint == old.id).order_by(Event.seq.desc()).get()
    assert event.action == "anonymise" and event.actor_id is None and not event.public
    fields = {fc.field: (fc.old, fc.new) for fc in event.changes}
    assert {"complainant_name", "complainant_phone", "complainant_email",
            "complainant_address", "contact_key", "order_ref"} <= set(fields)
    assert all(PHONE not in o + n and NAME not in o + n for o, n in fields.values())
    assert verify_complaint(old.id) == []
    # Running again does nothing more.
    assert privacy.anonymise_expired(load_settings()) == 0


def test_anonymised_values_are_nowhere_in_the_database_file_and_search_forgets_them(cast, app):
    complaint = drive(cast, "rejected", **PERSON)
    for i in range(40):  # later complaints: the search index has several segments
        make_complaint(app, registered_by=cast.intake, complainant_name=f"客户{i}",
                       complainant_phone=f"1370000{i:04d}")
    _closed_years_ago(complaint, 6)
    assert filter_query(Complaint.select(), NAME).count() == 1
    assert filter_query(Complaint.select(), "13912345678").count() == 1
    save_settings({"retention_years": 5})
    if pg_support.ACTIVE:  # VACUUM FULL keeps versions a concurrent CREATE/DROP DATABASE might see
        pg_support.quiet()
    assert privacy.anonymise_expired(load_settings()) == 1
    assert filter_query(Complaint.select(), NAME).count() == 0
    assert filter_query(Complaint.select(), "13912345678").count() == 0
    assert filter_query(Complaint.select(), complaint.number).count() == 1
    raw = _db_bytes(app)
    for value in (PHONE, "13912345678", EMAIL, NAME, "SO-778899", "漕溪北路",
                  "欧阳 阳娜 娜娜", "阳娜", "ouyang.nana", "12345678"):
        assert value.encode() not in raw, value


def test_admin_anonymises_one_closed_complaint_on_request_but_not_an_open_one(cast):
    closed = drive(cast, "closed", **PERSON)
    still_open = drive(cast, "investigating", **PERSON)
    with pytest.raises(DomainError, match="still being handled"):
        privacy.anonymise_complaint(still_open.number, cast.admin)
    with pytest.raises(Forbidden):
        privacy.anonymise_complaint(closed.number, cast.manager)
    privacy.anonymise_complaint(closed.number.lower(), cast.admin)
    event = Event.select().where(Event.complaint == closed.id).order_by(Event.seq.desc()).get()
    assert event.action == "anonymise" and event.actor_id == cast.admin.id
    assert reload(still_open).complainant_name == NAME
    with pytest.raises(DomainError, match="already"):
        privacy.anonymise_complaint(closed.number, cast.admin)
    assert not FieldChange.select().where(FieldChange.new.contains("13912345678")).exists()


def test_anonymise_command_runs_only_when_a_retention_period_is_set(cast, app):
    complaint = drive(cast, "closed", **PERSON)
    _closed_years_ago(complaint, 3)
    cli_ops.register(app)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["anonymise"])
    assert result.exit_code == 0 and "off" in result.output
    db.connect(reuse_if_open=True)
    save_settings({"retention_years": 2})
    result = runner.invoke(args=["anonymise"])
    assert result.exit_code == 0 and "1 complaints anonymised" in result.output
    db.connect(reuse_if_open=True)
    assert privacy.is_anonymised(reload(complaint))


# --- The Privacy page ------------------------------------------------------------------

def test_privacy_page_is_for_administrators_only(cast, login_as):
    assert login_as(cast.admin).get("/admin/privacy").status_code == 200
    for user in (cast.manager, cast.leader, cast.auditor):
        client = login_as(user)
        assert client.get("/admin/privacy").status_code == 403
        assert client.post("/admin/privacy/export", data={"person": PHONE}).status_code == 403
        assert client.post("/admin/privacy/anonymise",
                           data={"number": "X", "confirm": "y"}).status_code == 403


def test_privacy_page_saves_the_retention_period_and_rejects_bad_values(cast, login_as):
    client = login_as(cast.admin)
    page = client.get("/admin/privacy").get_data(as_text=True)
    assert "Retention period" in page and 'aria-current="page"' in page
    response = client.post("/admin/privacy/retention", data={"retention_years": "-1"})
    assert response.status_code == 422
    assert "from 0 to 100" in response.get_data(as_text=True)
    assert load_settings()["retention_years"] == 0
    response = client.post("/admin/privacy/retention", data={"retention_years": "7"})
    assert response.status_code == 303
    assert load_settings()["retention_years"] == 7
    assert "7 years" in client.get("/admin/privacy").get_data(as_text=True)


def test_privacy_page_downloads_one_persons_data_as_json(cast, login_as):
    complaint = drive(cast, "registered", **PERSON)
    client = login_as(cast.admin)
    response = client.post("/admin/privacy/export", data={"person": EMAIL})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["complaints"][0]["number"] == complaint.number
    assert data["complaints"][0]["complainant"]["name"] == NAME
    response = client.post("/admin/privacy/export", data={"person": "nobody@example.org"})
    assert response.status_code == 422
    assert "No complaint has this phone number" in response.get_data(as_text=True)


def test_privacy_page_anonymises_one_complaint_by_number_after_confirmation(cast, login_as):
    complaint = drive(cast, "closed", **PERSON)
    client = login_as(cast.admin)
    response = client.post("/admin/privacy/anonymise", data={"number": complaint.number})
    assert response.status_code == 422
    assert "Tick the box" in response.get_data(as_text=True)
    assert reload(complaint).complainant_name == NAME
    response = client.post("/admin/privacy/anonymise",
                           data={"number": "TS-1999-000001", "confirm": "y"})
    assert response.status_code == 422
    assert "There is no complaint with this number" in response.get_data(as_text=True)
    response = client.post("/admin/privacy/anonymise",
                           data={"number": complaint.number, "confirm": "y"})
    assert response.status_code == 303
    assert privacy.is_anonymised(reload(complaint))
    page = client.get("/admin/privacy").get_data(as_text=True)
    assert "anonymised" in page and "1 complaint has been anonymised" in page


def test_privacy_page_htmx_post_redirects_with_hx_redirect(cast, login_as):
    client = login_as(cast.admin)
    response = client.post("/admin/privacy/retention", data={"retention_years": "3"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].endswith("/admin/privacy")
