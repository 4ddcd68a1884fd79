"""Staff accounts and departments: created, changed, deactivated, never deleted."""
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from extensions import db
from domain.errors import DomainError
from domain.models import Department, LoginEvent, User, utcnow
from domain.vocab import ROLES

MIN_PASSWORD = 10
# Compared against when the username is unknown, so both paths take the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def check_password_rules(password: str, username: str = "") -> None:
    if len(password) < MIN_PASSWORD:
        raise DomainError(_l("Use at least %(n)s characters.", n=MIN_PASSWORD), "password")
    if username and username.lower() in password.lower():
        raise DomainError(_l("The password must not contain the username."), "password")


def authenticate(username: str, password: str, ip: str) -> User | None:
    user = User.get_or_none(User.username == username.strip().lower())
    ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
    ok = ok and user is not None and user.active
    with db.atomic():
        LoginEvent.create(username=username.strip().lower()[:64], user=user if ok else None,
                          ip=ip[:64], success=ok)
    return user if ok else None


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
                locale="") -> User:
    username = username.strip().lower()
    check_password_rules(password, username)
    with db.atomic():
        if User.select().where(User.username == username).exists():
            raise DomainError(_l("This username is taken."), "username")
        return User.create(username=username, full_name=full_name.strip(), email=email or "",
                           roles=_validate_roles(roles), department=_department(department_id),
                           password_hash=generate_password_hash(password), locale=locale,
                           password_changed_at=utcnow())


def update_user(user_id: int, *, full_name, email, roles, department_id, active,
                actor: User | None = None, new_password: str | None = None) -> User:
    """Change an account (and optionally reset its password) in one transaction."""
    with db.atomic():
        user = User.get_by_id(user_id)
        if new_password:
            check_password_rules(new_password, user.username)
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
        return user


def set_password(user: User, current: str | None, new: str) -> None:
    """Change a password; `current` is required unless an admin resets it (None)."""
    if current is not None and not check_password_hash(user.password_hash, current):
        raise DomainError(_l("The current password is incorrect."), "current_password")
    check_password_rules(new, user.username)
    with db.atomic():
        User.update(password_hash=generate_password_hash(new), password_changed_at=utcnow(),
                    session_version=User.session_version + 1).where(User.id == user.id).execute()
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
        with db.atomic():
            user, _created = User.get_or_create(
                username=username,
                defaults={"full_name": full_name, "password_hash": "!", "roles": "",
                          "active": False})
    return user
