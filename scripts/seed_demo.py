"""Demo data: an organisation, 4 departments, one user per role, ~60 complaints in every
state and channel, half of them in Chinese. Run through `flask --app app seed-demo`."""
import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

from extensions import db
from domain import accounts, history, intake
from domain.models import Complaint, utcnow
from domain.settings import load_settings, save_settings

DEMO_PASSWORD = "demo-password-1"

DEPARTMENTS = [
    ("Customer Service", "客户服务部"),
    ("Quality", "质量管理部"),
    ("Logistics", "物流配送部"),
    ("Stores", "门店运营部"),
]

USERS = [  # username, name, roles, department index
    ("admin", "Alex Admin", ["admin"], None),
    ("intake", "李娜 (Li Na)", ["intake"], 0),
    ("investigator", "王强 (Wang Qiang)", ["investigator"], 1),
    ("head", "陈静 (Chen Jing)", ["dept_head"], 1),
    ("leader", "赵伟 (Zhao Wei)", ["leader"], None),
    ("manager", "Morgan Manager", ["manager"], None),
    ("auditor", "Avery Auditor", ["auditor"], None),
    ("logistics", "刘洋 (Liu Yang)", ["investigator", "dept_head"], 2),
]

MATTERS_ZH = [
    ("网购的电水壶使用三天后漏水，要求退款。", "全额退款并道歉", "product_quality"),
    ("门店店员态度恶劣，拒绝为我办理退货。", "店员道歉，办理退货", "service"),
    ("快递延误一周，生鲜商品已经变质。", "赔偿损失并退款", "after_sales"),
    ("会员价与结算价格不一致，多收了45元。", "退还多收的差价", "price"),
    ("合同约定的上门安装服务一直没有安排。", "尽快安排安装并补偿", "contract"),
    ("维修后的洗衣机又出现同样的故障。", "更换新机", "after_sales"),
    ("客服热线长时间无人接听，问题得不到解决。", "改进热线服务并回复", "service"),
    ("购买的奶粉临近保质期，商品页面未说明。", "退款并赔偿", "product_quality"),
]
MATTERS_EN = [
    ("The kettle I bought online leaks after three days of use.", "A full refund", "product_quality"),
    ("A store assistant was rude and refused to process my return.", "An apology and the return", "service"),
    ("Delivery was a week late and the fresh food had spoiled.", "Compensation and a refund", "after_sales"),
    ("I was charged more at the till than the shelf price.", "Refund of the difference", "price"),
    ("The installation included in my contract was never scheduled.", "Installation and compensation", "contract"),
    ("The washing machine broke again with the same fault after repair.", "A replacement machine", "after_sales"),
    ("Nobody answers the hotline; my problem is still open.", "A call back and a fix", "service"),
    ("The baby formula was close to expiry and this was not stated.", "Refund and compensation", "product_quality"),
]
NAMES_ZH = ["张伟", "王芳", "李娜", "刘洋", "陈杰", "杨敏", "黄磊", "周婷", "吴刚", "徐静"]
NAMES_EN = ["Emma Wilson", "James Brown", "Olivia Smith", "Noah Taylor", "Ava Jones",
            "Liam Davies", "Mia Evans", "Lucas Thomas", "Sophia Roberts", "Ethan Walker"]

PATH = [  # action, status reached
    ("accept", "accepted"), ("assign", "assigned"), ("confirm_receipt", "investigating"),
    ("submit_investigation", "reviewing"), ("review", "approving"), ("approve", "approved"),
    ("record_response", "responded"), ("accept_result", "executing"),
    ("complete_execution", "visiting"), ("close", "closed"), ("archive", "archived"),
]
TARGETS = ["registered", "rejected"] + [status for _, status in PATH]
CHANNELS = ["hotline", "online", "email", "letter", "walk_in", "group_visit", "regulator"]


def seed(upload_dir: Path, complaints: int = 60, rng_seed: int = 7) -> None:
    rng = random.Random(rng_seed)
    settings = load_settings()
    save_settings({"org_name": "Harbour Home Appliances Ltd", "org_name_zh": "港湾家电有限公司"})
    settings = load_settings()
    depts = [accounts.save_department(None, name=en, name_zh=zh) for en, zh in DEPARTMENTS]
    users = {}
    for username, name, roles, dept in USERS:
        users[username] = accounts.create_user(
            username=username, full_name=name, email=f"{username}@example.org", roles=roles,
            department_id=depts[dept].id if dept is not None else None, password=DEMO_PASSWORD)
    now = utcnow()
    for i in range(complaints):
        chinese = i % 2 == 0
        matter, demand, nature = rng.choice(MATTERS_ZH if chinese else MATTERS_EN)
        name = rng.choice(NAMES_ZH if chinese else NAMES_EN)
        channel = CHANNELS[i % len(CHANNELS)]
        received = now - dt.timedelta(days=60 - i, hours=rng.randint(0, 8))
        data = {
            "channel": channel, "received_at": received, "language": "zh_Hans" if chinese else "en",
            "complainant_name": name,
            "complainant_phone": f"1{rng.randint(3, 9)}{rng.randint(100000000, 999999999)}",
            "complainant_email": f"customer{i}@example.com" if i % 3 else "",
            "complainant_address": "上海市浦东新区世纪大道100号" if chinese else "12 Harbour Road, Leeds",
            "matter": matter, "demand": demand, "order_ref": f"SO-{2026000 + i}",
            "amount_claimed": Decimal(rng.choice([0, 45, 199, 899, 2599])) or None,
            "nature": nature, "severity": "group" if channel == "group_visit" else rng.choice(
                ["ordinary", "ordinary", "major"]),
            "urgency": rng.choice(["normal", "normal", "urgent"]),
            "regulator_name": "12315平台" if channel == "regulator" else "",
            "regulator_ref": f"12315-{rng.randint(100000, 999999)}" if channel == "regulator" else "",
            "regulator_due": received + dt.timedelta(days=10) if channel == "regulator" else None,
        }
        complaint, _code = intake.register(data, users["intake"], [], settings=settings,
                                           upload_dir=upload_dir, max_bytes=10 * 1024 * 1024)
        _advance(complaint, TARGETS[i % len(TARGETS)], users, depts, rng)


def _advance(complaint: Complaint, target: str, users: dict, depts: list, rng) -> None:
    """Give a demo complaint the history of a complaint that reached `target`."""
    if target == "registered":
        return
    with db.atomic():
        if target == "rejected":
            history.append_event(complaint, users["intake"], "reject", from_status="registered",
                                 to_status="rejected", public=True,
                                 note="Outside our remit: the product was bought elsewhere.")
            Complaint.update(status="rejected", version=Complaint.version + 1).where(
                Complaint.id == complaint.id).execute()
            return
        status = "registered"
        dept = rng.choice(depts[1:3])
        actor_for = {"accept": "intake", "assign": "intake", "confirm_receipt": "head",
                     "submit_investigation": "investigator", "review": "head",
                     "approve": "leader", "record_response": "intake",
                     "accept_result": "intake", "complete_execution": "head",
                     "close": "manager", "archive": "manager"}
        for action, reached in PATH:
            history.append_event(complaint, users[actor_for[action]], action,
                                 from_status=status, to_status=reached,
                                 public=action in ("accept", "record_response", "close"))
            status = reached
            if reached == target:
                break
        assigned = status not in ("accepted",)
        Complaint.update(
            status=status, version=Complaint.version + 1,
            department=dept.id if assigned else None,
            assignee=users["investigator"].id if assigned and dept == depts[1] else (
                users["logistics"].id if assigned else None),
            closed_at=utcnow() if status in ("closed", "archived") else None,
        ).where(Complaint.id == complaint.id).execute()
