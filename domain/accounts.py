"""Staff accounts and departments: created, changed, deactivated, never deleted.
Every change of roles, department, active state or password is written to the audit trail
(domain.audit) in the same transaction; sign-ins are LoginEvent rows, from which the
lockout after repeated failures is computed (so it holds across every server process)."""
import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from peewee import fn
from werkzeug.security import check_password_hash, generate_password_hash

from extensions import db
from domain import audit, sessions
from domain.errors import DomainError
from domain.models import Department, LoginEvent, User, utcnow
from domain.security_models import AuditEntry
from domain.vocab import ROLES

MIN_PASSWORD = 10
# Compared against when the username is unknown, so both paths take the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password")

# The most common passwords of 10 characters or more in published breach lists (shorter
# ones are refused by the length rule anyway), Chinese favourites included. Compared
# case-insensitively.
COMMON_PASSWORDS = frozenset("""
1234567890 0123456789 0987654321 9876543210 12345678910 123456789a a123456789 1234567890a
a1234567890 123456789q q123456789 1234567890q 12345678900 123123123123 1234512345
1122334455 1111111111 0000000000 2222222222 5555555555 6666666666 8888888888 9999999999
1qaz2wsx3edc 1q2w3e4r5t 1q2w3e4r5t6y 1q2w3e4r5t6y7u8i 1qazxsw23edc qwertyuiop qwertyuiop123
qwerty1234 qwerty12345 qwerty123456 qwertyuiop1 asdfghjkl1 asdfghjkl123 zxcvbnm123
zxcvbnm1234 zaq12wsx3edc abcdefghij abcd123456 abc1234567 abcd1234567 abc123456789
abcdef123456 aa12345678 aa123456789 password12 password123 password1234 password12345
password123! password1! passw0rd123 p@ssw0rd123 p@ssword123 password01 password00
passwordpassword iloveyou12 iloveyou123 iloveyou1314 woaini1314 woaini520 woaini123456
5201314520 1314520520 5201314123 1314521521 520131400 qq123456789 qq1234567890
admin12345 admin123456 administrator admin@1234 root123456 welcome123 welcome1234
letmein123 changeme123 football123 baseball123 sunshine123 princess123 dragon1234
monkey12345 superman123 batman12345 starwars123 trustno1234 michael123 qwer123456
asdf123456 zxcv123456 1234qwerasdf 1234qwer!@#$ 123qweasdzxc qweasdzxc123 147258369a
147258369147 1472583690 123654789a 7894561230 9638527410
""".split())


def check_password_rules(password: str, username: str = "", full_name: str = "") -> None:
    """Refuse short, common, trivially simple passwords and ones made of the person's own
    username or name."""
    if len(password) < MIN_PASSWORD:
        raise DomainError(_l("Use at least %(n)s characters.", n=MIN_PASSWORD), "password")
    folded = password.casefold()
    if username and username.casefold() in folded:
        raise DomainError(_l("The password must not contain the username."), "password")
    name = "".join((full_name or "").split()).casefold()
    if name and ("".join(folded.split()) == name or (len(name) >= 4 and name in folded)):
        raise DomainError(_l("The password must not be the person's name."), "password")
    if folded in COMMON_PASSWORDS or len(set(folded)) < 4:
        raise DomainError(_l("This password is too common or too simple: choose another."),
                          "password")


# --- sign-in and lockout ----------------------------------------------------------------------

@dataclass
class LockoutPolicy:
    """`attempts` failed sign-ins for one username within `window_minutes` lock it for
    `lock_minutes` (counted from the last failure; failures while locked count too)."""
    attempts: int = 5
    window_minutes: int = 15
    lock_minutes: int = 15


@dataclass
class SignIn:
    user: User | None
    locked: bool = False


def _reset_point(username: str, user: User | None, since: dt.datetime) -> dt.datetime | None:
    """The last successful sign-in or admin unlock after `since`: failures before it no
    longer count (both lookups read only the recent rows, through the `at` indexes)."""
    last_ok = (LoginEvent.select(LoginEvent.at)
               .where((LoginEvent.at > since) & (LoginEvent.username == username)
                      & LoginEvent.success)
               .order_by(LoginEvent.at.desc()).first())
    points = [last_ok.at] if last_ok else []
    if user is not None:
        unlock = (AuditEntry.select(AuditEntry.at)
                  .where((AuditEntry.target_user == user.id)
                         & (AuditEntry.action == "account_unlocked") & (AuditEntry.at > since))
                  .order_by(AuditEntry.at.desc()).first())
        if unlock:
            points.append(unlock.at)
    return max(points) if points else None


_LOOK_UP = object()


def locked_until(username: str, policy: LockoutPolicy, now: dt.datetime | None = None,
                 user=_LOOK_UP) -> dt.datetime | None:
    """When the lock on `username` ends, or None if it is not locked. Computed from the
    LoginEvent rows alone (known and unknown usernames alike)."""
    now = now or utcnow()
    username = username.strip().lower()[:64]
    since = now - dt.timedelta(minutes=policy.window_minutes + policy.lock_minutes)
    query = (LoginEvent.select(LoginEvent.at)
             .where((LoginEvent.username == username) & ~LoginEvent.success
                    & (LoginEvent.at > since)))
    if user is _LOOK_UP:
        user = User.get_or_none(User.username == username)
    reset = _reset_point(username, user, since)
    if reset is not None:
        query = query.where(LoginEvent.at > reset)
    times = [e.at for e in query.order_by(LoginEvent.at.desc()).limit(500)]
    window = dt.timedelta(minutes=policy.window_minutes)
    lock = dt.timedelta(minutes=policy.lock_minutes)
    n = policy.attempts
    for i in range(len(times) - n + 1):
        if now >= times[i] + lock:
            break  # older failures end their locks earlier still
        if times[i] - times[i + n - 1] <= window:
            return times[i] + lock
    return None


def sign_in(username: str, password: str, ip: str,
            policy: LockoutPolicy | None = None) -> SignIn:
    """Check a sign-in and record it. A locked username is refused even with the right
    password; the answer never tells whether the username exists."""
    policy = policy or LockoutPolicy()
    name = username.strip().lower()
    user = User.get_or_none(User.username == name)
    ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
    ok = ok and user is not None and user.active
    locked = locked_until(name, policy, user=user) is not None
    ok = ok and not locked
    with db.atomic():
        LoginEvent.create(username=name[:64], user=user if ok else None, ip=ip[:64],
                          success=ok)
        if not ok and not locked:
            # This failure may be the one that starts a lock.
            locked = locked_until(name, policy, user=user) is not None
    return SignIn(user if ok else None, locked)


def authenticate(username: str, password: str, ip: str,
                 policy: LockoutPolicy | None = None) -> User | None:
    return sign_in(username, password, ip, policy).user


def unlock(user: User, actor: User) -> None:
    """Lift a sign-in lock: earlier failures stop counting (an audit row says who did it)."""
    with db.atomic():
        audit.record("account_unlocked", actor=actor, target=user)


def locked_accounts(policy: LockoutPolicy, now: dt.datetime | None = None) -> list[tuple]:
    """(user, locked until) for the existing accounts locked now, for the sessions page:
    one query for the names with enough recent failures, then a check of each (few)."""
    now = now or utcnow()
    since = now - dt.timedelta(minutes=policy.window_minutes + policy.lock_minutes)
    names = (LoginEvent.select(LoginEvent.username)
             .where(~LoginEvent.success & (LoginEvent.at > since))
             .group_by(LoginEvent.username)
             .having(fn.COUNT(LoginEvent.id) >= policy.attempts))
    found = []
    for user in User.select().where(User.username.in_(names)).order_by(User.username).limit(100):
        until = locked_until(user.username, policy, now, user=user)
        if until is not None:
            found.append((user, until))
    return found


def _validate_roles(roles) -> str:
    roles = [r for r in roles if r]
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        raise DomainError(_l("Choose at least one role from the list."), "roles")
    return ",".join(sorted(set(roles), key=list(ROLES).index))


def _department(dept_id) -> Department | None:
    if dept_id in (None, "", 0):
        return None
    dept = Department.get_or_none(Department.id == dept_id)
    if dept is None or not dept.active:
        raise DomainError(_l("Choose a department from the list."), "department")
    return dept


def create_user(*, username, full_name, email, roles, department_id, password,
                locale="", actor: User | None = None) -> User:
    username = username.strip().lower()
    check_password_rules(password, username, full_name)
    with db.atomic():
        if User.select().where(User.username == username).exists():
            raise DomainError(_l("This username is taken."), "username")
        user = User.create(username=username, full_name=full_name.strip(), email=email or "",
                           roles=_validate_roles(roles), department=_department(department_id),
                           password_hash=generate_password_hash(password), locale=locale,
                           password_changed_at=utcnow())
        audit.record("user_created", actor=actor, target=user, roles=user.roles,
                     department=_dept_names(user.department)[0],
                     department_zh=_dept_names(user.department)[1])
        return user


def _dept_names(dept: Department | None) -> tuple[str, str]:
    """The department's names as they are now (the audit keeps them even if renamed)."""
    return (dept.name, dept.name_zh) if dept else ("", "")


def update_user(user_id: int, *, full_name, email, roles, department_id, active,
                actor: User | None = None, new_password: str | None = None) -> User:
    """Change an account (and optionally reset its password) in one transaction; changes
    of roles, department, active state and password are written to the audit trail, and
    deactivating or resetting the password ends the person's open sessions."""
    with db.atomic():
        user = User.get_by_id(user_id)
        if new_password:
            check_password_rules(new_password, user.username, full_name.strip())
        old_roles, old_dept, was_active = user.roles, user.department, user.active
        user.full_name = full_name.strip()
        user.email = email or ""
        user.roles = _validate_roles(roles)
        user.department = _department(department_id)
        if user.active and not active:
            user.session_version += 1  # signs the person out everywhere
        user.active = bool(active)
        if new_password:
            user.password_hash = generate_password_hash(new_password)
            user.password_changed_at = utcnow()
            user.session_version += 1
        if actor is not None and actor.id == user.id and not (user.active and user.has_role("admin")):
            raise DomainError(_l("You cannot remove your own administrator access."), "roles")
        user.save()
        if not (User.select().where(User.active & User.roles.contains("admin")).exists()):
            raise DomainError(_l("At least one active administrator must remain."), "roles")
        if user.roles != old_roles:
            audit.record("roles_changed", actor=actor, target=user, old=old_roles,
                         new=user.roles)
        if (old_dept.id if old_dept else None) != user.department_id:
            (old, old_zh), (new, new_zh) = _dept_names(old_dept), _dept_names(user.department)
            audit.record("department_changed", actor=actor, target=user, old=old, old_zh=old_zh,
                         new=new, new_zh=new_zh)
        if was_active != user.active:
            audit.record("reactivated" if user.active else "deactivated", actor=actor,
                         target=user)
            if not user.active:
                sessions.end_all(user, "deactivated", by=actor)
        if new_password:
            audit.record("password_reset", actor=actor, target=user)
            if user.active:
                sessions.end_all(user, "password", by=actor)
        return user


def set_password(user: User, current: str | None, new: str, keep_session: str | None = None) -> None:
    """Change a password; `current` is required unless an admin resets it (None). Every
    other session of the person is ended (`keep_session`, the key of this one, stays)."""
    if current is not None and not check_password_hash(user.password_hash, current):
        raise DomainError(_l("The current password is incorrect."), "current_password")
    check_password_rules(new, user.username, user.full_name)
    with db.atomic():
        User.update(password_hash=generate_password_hash(new), password_changed_at=utcnow(),
                    session_version=User.session_version + 1).where(User.id == user.id).execute()
        audit.record("password_changed", actor=user, target=user)
        sessions.end_all(user, "password", by=user, keep=keep_session)
    user.session_version += 1


def set_locale(user: User, locale: str) -> None:
    with db.atomic():
        User.update(locale=locale).where(User.id == user.id).execute()
    user.locale = locale


def save_department(dept_id, *, name, name_zh, active=True) -> Department:
    name = name.strip()
    with db.atomic():
        clash = Department.select().where(Department.name == name)
        if dept_id:
            clash = clash.where(Department.id != dept_id)
        if clash.exists():
            raise DomainError(_l("A department with this name exists."), "name")
        dept = Department.get_by_id(dept_id) if dept_id else Department()
        dept.name, dept.name_zh, dept.active = name, name_zh.strip(), bool(active)
        dept.save()
        return dept


# Complaints that arrive without a member of staff (the public form, the mailbox) are
# registered by a system account: never active, no password, no roles, so it can neither
# sign in nor be chosen for work; it only names where the complaint came from.
SYSTEM_ACCOUNTS = {
    "online": ("system-online", "Online form · 在线投诉"),
    "email": ("system-email", "Email intake · 邮件受理"),
}


def system_user(kind: str) -> User:
    """The system account for `kind` ("online" or "email"), created on first use."""
    username, full_name = SYSTEM_ACCOUNTS[kind]
    user = User.get_or_none(User.username == username)
    if user is None:
        # "!" is no password hash at all, so no password ever matches it.
        with db.atomic():
            user, _created = User.get_or_create(
                username=username,
                defaults={"full_name": full_name, "password_hash": "!", "roles": "",
                          "active": False})
    return user
