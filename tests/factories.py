"""Builders for test data, going through the domain layer like the app does."""
import datetime as dt
import itertools

from domain import accounts, intake
from domain.models import Department, User, utcnow
from domain.settings import load_settings

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


def make_department(name=None, name_zh="") -> Department:
    return accounts.save_department(None, name=name or f"Department {next(_counter)}",
                                    name_zh=name_zh)


def make_user(role="intake", department=None, username=None, roles=None, **extra) -> User:
    username = username or f"{role}{next(_counter)}"
    return accounts.create_user(
        username=username, full_name=extra.get("full_name", username.title()),
        email=f"{username}@example.org", roles=roles or [role],
        department_id=department.id if department else None, password=PASSWORD)


def complaint_data(**overrides) -> dict:
    data = {
        "channel": "hotline",
        "received_at": utcnow() - dt.timedelta(hours=2),
        "language": "zh_Hans",
        "complainant_name": "张伟",
        "complainant_phone": "13800138000",
        "complainant_email": "zhang@example.com",
        "complainant_address": "",
        "matter": "购买的电水壶漏水，申请退款。",
        "demand": "全额退款",
        "order_ref": "SO-1",
        "amount_claimed": None,
        "nature": "product_quality",
        "severity": "ordinary",
        "urgency": "normal",
        "regulator_name": "",
        "regulator_ref": "",
        "regulator_due": None,
    }
    data.update(overrides)
    return data


def make_complaint(app, registered_by=None, files=(), department=None, assignee=None,
                   **overrides):
    """Register a complaint through the domain; optionally place it in a department."""
    user = registered_by or make_user("intake")
    complaint, code = intake.register(
        complaint_data(**overrides), user, list(files), settings=load_settings(),
        upload_dir=app.config["UPLOAD_DIR"], max_bytes=10 * 1024 * 1024)
    if department or assignee:
        complaint.department = department
        complaint.assignee = assignee
        complaint.save()
    complaint.lookup_code = code
    return complaint
