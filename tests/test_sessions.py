"""Signed-in sessions: recorded at sign-in, listed for admins and on one's own account page,
ended by signing out, by an administrator, by idleness, age, a password change or
deactivation."""
import datetime as dt
import time

import pytest
from werkzeug.security import generate_password_hash

from domain import accounts, sessions
from domain.models import User, utcnow
from domain.security_models import AuditEntry, UserSession
from tests.factories import PASSWORD, make_user

HX = {"HX-Request": "true"}
FIREFOX = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 "
           "Firefox/128.0")


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    monkeypatch.setattr(accounts, "generate_password_hash",
                        lambda password: generate_password_hash(password, "pbkdf2:sha256:1"))


def _sign_in(app, user, agent=FIREFOX):
    c = app.test_client()
    c.environ_base.update(HTTP_USER_AGENT=agent, REMOTE_ADDR="198.51.100.7")
    response = c.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 303
    c.user = user
    return c


def _key(client):
    with client.session_transaction() as s:
        return sessions.key_of(s["sid"])


def _age(client, **seconds):
    """Make this browser's session look older: seen=…, started=… seconds ago."""
    with client.session_transaction() as s:
        for name, ago in seconds.items():
            s[name] = int(time.time()) - ago


def test_signing_in_records_a_session_with_browser_and_address(app):
    user = make_user("intake")
    c = _sign_in(app, user)
    row = UserSession.get()
    assert row.user_id == user.id and row.id == _key(c)
    assert (row.ip, row.user_agent) == ("198.51.100.7", "Firefox 128 · Windows")
    assert row.ended_at is None
    with c.session_transaction() as s:
        assert row.id != s["sid"]  # only the token's hash is stored


def test_signing_out_ends_the_session_row(app):
    user = make_user("intake")
    c = _sign_in(app, user)
    key = _key(c)
    assert c.post("/logout").status_code == 303
    row = UserSession.get_by_id(key)
    assert row.ended_at is not None and row.end_reason == "signed_out"
    assert row.ended_by_id == user.id


def test_admin_lists_active_sessions_with_name_browser_and_address(app, login_as):
    admin_client = login_as("admin")
    make_user("intake", username="li.na", full_name="Li Na")
    _sign_in(app, User.get(User.username == "li.na"))
    page = admin_client.get("/admin/sessions")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Active sessions" in text and "Li Na" in text
    assert "Firefox 128 · Windows" in text and "198.51.100.7" in text
    assert "2 open sessions" in text  # the admin's own too


def test_admin_forces_a_sign_out_and_the_person_is_signed_out_at_their_next_click(
        app, login_as):
    admin_client = login_as("admin")
    user = make_user("intake", full_name="Zhao Lei")
    c = _sign_in(app, user)
    key = _key(c)
    assert c.get("/work").status_code == 200

    response = admin_client.post(f"/admin/sessions/{key}/end")
    assert response.status_code == 303
    row = UserSession.get_by_id(key)
    assert (row.end_reason, row.ended_by_id) == ("forced", admin_client.user.id)
    entry = AuditEntry.get(AuditEntry.action == "session_ended")
    assert (entry.actor_id, entry.target_user_id) == (admin_client.user.id, user.id)
    assert "Zhao Lei was signed out of that session." in admin_client.get(
        "/admin/sessions").get_data(as_text=True)

    after = c.get("/work")
    assert after.status_code == 302 and after.headers["Location"].startswith("/login")
    assert "You were signed out. Please sign in again." in c.get("/login").get_data(as_text=True)


def test_a_forced_sign_out_tells_htmx_to_go_to_the_sign_in_page(app, login_as):
    admin_client = login_as("admin")
    c = _sign_in(app, make_user("intake"))
    admin_client.post(f"/admin/sessions/{_key(c)}/end")
    response = c.get("/work", headers=HX)
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login")


def test_ending_one_session_leaves_the_persons_other_sessions_signed_in(app, login_as):
    admin_client = login_as("admin")
    user = make_user("intake")
    office, phone = _sign_in(app, user), _sign_in(app, user, agent="Mozilla/5.0 (iPhone)")
    admin_client.post(f"/admin/sessions/{_key(phone)}/end")
    assert office.get("/work").status_code == 200
    assert phone.get("/work").status_code == 302


def test_session_list_is_paginated_as_page_and_htmx_fragment(app, login_as):
    admin_client = login_as("admin")
    user = make_user("intake")
    for _ in range(app.config["PAGE_SIZE"] + 2):
        sessions.start(user, "192.0.2.1", FIREFOX)
    page = admin_client.get("/admin/sessions?page=2")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "<h1>Active sessions</h1>" in text
    assert "Page 2 of 2" in text
    fragment = admin_client.get("/admin/sessions?page=2", headers=HX).get_data(as_text=True)
    assert "<h1>" not in fragment and "Page 2 of 2" in fragment
    assert fragment.count("/end\"") == 3  # 28 sessions, 25 on page one


def test_only_admins_see_or_end_sessions(app, login_as):
    c = _sign_in(app, make_user("intake"))
    manager = login_as("manager")
    assert manager.get("/admin/sessions").status_code == 403
    assert manager.post(f"/admin/sessions/{_key(c)}/end").status_code == 403
    assert UserSession.get_by_id(_key(c)).ended_at is None


def test_ending_an_unknown_session_is_not_found(login_as):
    assert login_as("admin").post("/admin/sessions/" + "0" * 64 + "/end").status_code == 404


def test_idle_for_longer_than_the_timeout_signs_out_with_a_message(app):
    c = _sign_in(app, make_user("intake"))
    key = _key(c)
    _age(c, seen=31 * 60)
    response = c.get("/work")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert UserSession.get_by_id(key).end_reason == "idle"
    assert ("You were signed out after 30 minutes without activity."
            in c.get("/login").get_data(as_text=True))


def test_idle_timeout_follows_the_configuration(app):
    app.config["SESSION_IDLE_MINUTES"] = 5
    c = _sign_in(app, make_user("intake"))
    _age(c, seen=4 * 60)
    assert c.get("/work").status_code == 200
    _age(c, seen=6 * 60)
    assert c.get("/work").status_code == 302


def test_a_session_older_than_its_lifetime_ends_even_when_used(app):
    c = _sign_in(app, make_user("intake"))
    key = _key(c)
    lifetime = int(app.permanent_session_lifetime.total_seconds())
    _age(c, started=lifetime + 60, seen=10)
    assert c.get("/work").status_code == 302
    assert UserSession.get_by_id(key).end_reason == "expired"
    assert "Your sign-in has expired." in c.get("/login").get_data(as_text=True)


def test_last_seen_is_written_at_most_once_a_minute(app):
    c = _sign_in(app, make_user("intake"))
    key = _key(c)
    first = UserSession.get_by_id(key).last_seen_at
    _age(c, seen=30)
    c.get("/work")
    assert UserSession.get_by_id(key).last_seen_at == first
    UserSession.update(last_seen_at=first.replace(year=first.year - 1)).execute()
    _age(c, seen=90)
    c.get("/work")
    assert UserSession.get_by_id(key).last_seen_at.year == first.year


def test_the_session_check_is_part_of_the_user_query_and_costs_no_extra_one(
        app, count_queries):
    c = _sign_in(app, make_user("intake"))
    c.get("/account")  # warm up
    with count_queries() as q:
        c.get("/work/notifications")
    session_statements = [s for s in q.statements if "user_session" in s]
    assert len(session_statements) == 1
    assert 'FROM "user"' in session_statements[0]


def test_sessions_idle_too_long_are_not_listed_as_active(app, login_as):
    admin_client = login_as("admin")
    user = make_user("intake", full_name="Old Browser")
    key = sessions.key_of(sessions.start(user, "", FIREFOX))
    UserSession.update(last_seen_at=utcnow() - dt.timedelta(minutes=31)).where(
        UserSession.id == key).execute()
    assert "Old Browser" not in admin_client.get("/admin/sessions").get_data(as_text=True)


def test_own_account_page_lists_ones_sessions_and_signs_out_another(app):
    user = make_user("intake")
    office = _sign_in(app, user)
    phone = _sign_in(app, user, agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Version/17.0 "
                                       "Mobile Safari/604.1")
    page = office.get("/account").get_data(as_text=True)
    assert "Where you are signed in" in page
    assert "Firefox 128 · Windows" in page and "Safari 17 · iOS" in page
    assert "This browser" in page

    response = office.post(f"/account/sessions/{_key(phone)}/end")
    assert response.status_code == 303
    assert UserSession.get_by_id(_key(phone)).end_reason == "signed_out"
    assert phone.get("/work").status_code == 302
    assert office.get("/work").status_code == 200
    assert not AuditEntry.select().where(AuditEntry.action == "session_ended").exists()


def test_nobody_ends_another_persons_session_from_their_account_page(app):
    victim = _sign_in(app, make_user("intake"))
    other = _sign_in(app, make_user("intake"))
    assert other.post(f"/account/sessions/{_key(victim)}/end").status_code == 404
    assert victim.get("/work").status_code == 200


def test_changing_ones_password_ends_the_other_sessions_but_keeps_this_one(app):
    user = make_user("intake")
    office, phone = _sign_in(app, user), _sign_in(app, user)
    response = office.post("/account", data={"pw-current_password": PASSWORD,
                                             "pw-password": "river-lantern-orchid-7",
                                             "pw-confirm": "river-lantern-orchid-7"})
    assert response.status_code == 303
    assert UserSession.get_by_id(_key(phone)).end_reason == "password"
    assert UserSession.get_by_id(_key(office)).ended_at is None
    assert office.get("/work").status_code == 200
    assert phone.get("/work").status_code == 302
    assert AuditEntry.get(AuditEntry.action == "password_changed").target_user_id == user.id


def test_deactivating_a_user_ends_their_sessions(app, login_as):
    admin_client = login_as("admin")
    user = make_user("intake")
    c = _sign_in(app, user)
    admin_client.post(f"/admin/users/{user.id}", data={
        "username": user.username, "full_name": user.full_name, "email": user.email,
        "roles": ["intake"], "department": "", "password": ""})
    row = UserSession.get_by_id(_key(c))
    assert (row.end_reason, row.ended_by_id) == ("deactivated", admin_client.user.id)
    assert c.get("/work").status_code == 302


def test_signing_in_again_in_the_same_browser_replaces_the_older_session(app):
    user = make_user("intake")
    c = _sign_in(app, user)
    first = _key(c)
    with c.session_transaction() as s:
        s["_fresh"] = False
    c.post("/login", data={"username": user.username, "password": PASSWORD})
    assert UserSession.get_by_id(first).end_reason == "replaced"
    assert _key(c) != first and UserSession.get_by_id(_key(c)).ended_at is None


def test_signing_out_this_browser_from_the_account_page_signs_out_here(app):
    user = make_user("intake")
    c = _sign_in(app, user)
    key = _key(c)
    response = c.post(f"/account/sessions/{key}/end")
    assert response.status_code == 303 and response.headers["Location"].endswith("/login")
    assert UserSession.get_by_id(key).end_reason == "signed_out"
    assert c.get("/work").status_code == 302
