"""Sign-in lockout after repeated failures (counted in the database, so every worker sees it),
the administrator lifting it, and the password rules."""
import datetime as dt
import re

import pytest
from werkzeug.security import generate_password_hash

from domain import accounts
from domain.errors import DomainError
from domain.models import LoginEvent, utcnow
from domain.security_models import AuditEntry, UserSession
from tests.factories import PASSWORD, make_user

WRONG = "not-the-password-1"
GENERIC = "The username or password is incorrect."
LOCKED = "Too many failed attempts: try again later."


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    monkeypatch.setattr(accounts, "generate_password_hash",
                        lambda password: generate_password_hash(password, "pbkdf2:sha256:1"))


def _attempt(client, username, password):
    return client.post("/login", data={"username": username, "password": password})


def _fail(username, minutes_ago, ip="203.0.113.9"):
    """A failed sign-in recorded earlier (by any worker: it is only a database row)."""
    LoginEvent.create(username=username, ip=ip, success=False,
                      at=utcnow() - dt.timedelta(minutes=minutes_ago))


def test_five_failed_sign_ins_lock_the_account_even_for_the_right_password(app, client):
    user = make_user("intake")
    for _ in range(4):
        response = _attempt(client, user.username, WRONG)
        assert response.status_code == 422
        assert LOCKED not in response.get_data(as_text=True)
    fifth = _attempt(client, user.username, WRONG).get_data(as_text=True)
    assert GENERIC in fifth and LOCKED in fifth

    right = _attempt(client, user.username, PASSWORD)
    page = right.get_data(as_text=True)
    assert right.status_code == 422
    assert GENERIC in page and LOCKED in page
    assert UserSession.select().count() == 0
    assert LoginEvent.select().where(LoginEvent.success).count() == 0
    assert client.get("/work").status_code == 302  # still signed out


def test_a_locked_unknown_username_gets_the_same_answer_as_a_locked_real_one(app):
    real = make_user("intake")
    answers = {}
    for name in (real.username, "nobody-here"):
        c = app.test_client()
        for _ in range(5):
            _attempt(c, name, WRONG)
        response = _attempt(c, name, WRONG)
        page = response.get_data(as_text=True).replace(name, "NAME")
        answers[name] = (response.status_code,
                         re.sub(r'(csrf_token|X-CSRFToken)(&#34;|")?[^>]*>', "", page))
    assert answers[real.username] == answers["nobody-here"]
    assert answers["nobody-here"][0] == 422 and LOCKED in answers["nobody-here"][1]


def test_failures_recorded_by_another_worker_count_towards_the_lock(app, client):
    user = make_user("intake")
    for minutes in (1, 2, 3, 4, 5):
        _fail(user.username, minutes)
    response = _attempt(client, user.username, PASSWORD)
    assert response.status_code == 422 and LOCKED in response.get_data(as_text=True)


def test_the_lock_ends_after_fifteen_minutes(app, client):
    user = make_user("intake")
    for minutes in (16, 17, 18, 19, 20):
        _fail(user.username, minutes)
    assert _attempt(client, user.username, PASSWORD).status_code == 303


def test_failures_spread_over_more_than_the_window_do_not_lock(app, client):
    user = make_user("intake")
    # Five failures, but never five within 15 minutes of each other.
    for minutes in (1, 5, 10, 14, 20):
        _fail(user.username, minutes)
    with app.app_context():
        assert accounts.locked_until(user.username, accounts.LockoutPolicy()) is None
    assert _attempt(client, user.username, PASSWORD).status_code == 303


def test_a_successful_sign_in_clears_earlier_failures(app, client):
    user = make_user("intake")
    for _ in range(4):
        _attempt(client, user.username, WRONG)
    assert _attempt(client, user.username, PASSWORD).status_code == 303
    other = app.test_client()
    for _ in range(4):
        _attempt(other, user.username, WRONG)
    assert _attempt(other, user.username, PASSWORD).status_code == 303


def test_the_lock_settings_come_from_the_configuration(app, client):
    app.config.update(LOCKOUT_ATTEMPTS=2, LOCKOUT_WINDOW_MINUTES=1, LOCKOUT_MINUTES=60)
    user = make_user("intake")
    _fail(user.username, 50.5)
    _fail(user.username, 50)
    response = _attempt(client, user.username, PASSWORD)
    assert response.status_code == 422 and LOCKED in response.get_data(as_text=True)


def test_admin_sees_the_locked_account_and_lifts_the_lock(app, login_as):
    admin_client = login_as("admin")
    user = make_user("intake", full_name="Wang Fang")
    for minutes in (1, 2, 3, 4, 5):
        _fail(user.username, minutes)
    page = admin_client.get("/admin/sessions").get_data(as_text=True)
    assert "Locked accounts" in page and "Wang Fang" in page
    assert f"/admin/users/{user.id}/unlock" in page

    response = admin_client.post(f"/admin/users/{user.id}/unlock")
    assert response.status_code == 303
    entry = AuditEntry.get(AuditEntry.action == "account_unlocked")
    assert (entry.actor_id, entry.target_user_id) == (admin_client.user.id, user.id)
    assert "Wang Fang can sign in again." in admin_client.get("/admin/sessions").get_data(as_text=True)
    assert _attempt(app.test_client(), user.username, PASSWORD).status_code == 303


def test_only_administrators_lift_a_lock(app, login_as):
    user = make_user("intake")
    for minutes in (1, 2, 3, 4, 5):
        _fail(user.username, minutes)
    manager = login_as("manager")
    assert manager.post(f"/admin/users/{user.id}/unlock").status_code == 403
    assert manager.get("/admin/sessions").status_code == 403
    assert AuditEntry.select().where(AuditEntry.action == "account_unlocked").count() == 0


def test_unlocking_an_unknown_user_is_not_found(login_as):
    assert login_as("admin").post("/admin/users/99999/unlock").status_code == 404


# --- password rules --------------------------------------------------------------------------

@pytest.mark.parametrize("password", ["1234567890", "Password123", "qwertyuiop", "woaini1314",
                                      "aaaaaaaaaaaa", "abababababab"])
def test_common_or_trivial_passwords_are_refused(app, password):
    with app.test_request_context(), pytest.raises(DomainError) as refused:
        accounts.check_password_rules(password, "li.na", "Li Na")
    assert refused.value.field == "password"
    assert "too common or too simple" in str(refused.value.message)


@pytest.mark.parametrize("password", ["Zhang Xiuying", "zhangxiuying", "my-ZhangXiuying-9"])
def test_a_password_made_of_the_persons_name_is_refused(app, password):
    with app.test_request_context(), pytest.raises(DomainError) as refused:
        accounts.check_password_rules(password, "xiuying.z", "Zhang Xiuying")
    assert "must not be the person's name" in str(refused.value.message)


def test_a_good_password_passes_the_rules(app):
    with app.test_request_context():
        accounts.check_password_rules("tea-kettle-harbour-41", "li.na", "Li Na")


def test_changing_ones_password_to_a_common_one_is_refused_beside_the_field(app, login_as):
    c = login_as("intake")
    response = c.post("/account", data={"pw-current_password": PASSWORD,
                                        "pw-password": "password123",
                                        "pw-confirm": "password123"})
    assert response.status_code == 422
    assert "too common or too simple" in response.get_data(as_text=True)


def test_admin_cannot_give_a_new_user_their_own_name_as_password(app, login_as):
    admin_client = login_as("admin")
    response = admin_client.post("/admin/users/new", data={
        "username": "chen.jie", "full_name": "Chen Jiehao", "email": "", "roles": ["intake"],
        "department": "", "password": "Chen Jiehao"})
    assert response.status_code == 422
    assert "must not be the person&#39;s name" in response.get_data(as_text=True)
    assert not accounts.User.select().where(accounts.User.username == "chen.jie").exists()
