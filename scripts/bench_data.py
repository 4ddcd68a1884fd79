"""Synthetic data for scripts/bench.py: the vocabulary the complaints are made of, the staff,
and the random choices for one complaint (texts, complainant, workflow path).

Only the standard library: scripts/bench_seed.py turns these into rows."""
import datetime as dt
import random

DEPARTMENTS = [
    ("Customer Service", "客户服务部"), ("Quality", "质量管理部"), ("Logistics", "物流配送部"),
    ("Stores", "门店运营部"), ("After-sales", "售后服务部"), ("E-commerce", "电子商务部"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
         "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华", "志强", "晓明", "海燕", "子涵", "浩然"]
FIRST = ["Emma", "James", "Olivia", "Noah", "Ava", "Liam", "Mia", "Lucas", "Sophia", "Ethan",
         "Grace", "Harry", "Chloe", "Jack", "Amelia", "Oscar", "Isla", "George", "Lily", "Leo"]
LAST = ["Wilson", "Brown", "Smith", "Taylor", "Jones", "Davies", "Evans", "Thomas", "Roberts",
        "Walker", "Wright", "Green", "Hall", "Wood", "Clarke", "Hughes", "Lewis", "Baker"]
PRODUCTS_ZH = ["电水壶", "洗衣机", "冰箱", "空调", "电视机", "微波炉", "热水器", "吸尘器", "电饭煲",
               "油烟机", "燃气灶", "净水器", "空气净化器", "洗碗机", "电风扇", "扫地机器人",
               "婴儿奶粉", "手机", "笔记本电脑", "智能门锁"]
PROBLEMS_ZH = ["使用三天后漏水", "通电后无法开机", "运行时有很大的异响", "送货延误一周才到",
               "安装师傅迟到四个小时", "实际价格与宣传价格不一致", "维修后同样的故障再次出现",
               "收到的商品外包装破损", "商品临近保质期但页面未说明", "门店店员态度恶劣",
               "客服热线长时间无人接听", "会员积分没有到账", "赠品一直没有发放",
               "合同约定的上门安装没有安排", "发票开具错误", "配件缺失无法使用"]
CONTEXT_ZH = ["多次联系客服都没有解决。", "已经影响正常生活。", "家里有老人小孩，非常着急。",
              "对处理结果很不满意。", "之前投诉过一次，没有回复。", "希望尽快处理。", ""]
DEMANDS_ZH = ["要求全额退款", "要求退款并道歉", "要求退还多收的差价", "要求换一台新机",
              "要求赔偿损失", "要求上门维修", "要求尽快安排安装并补偿", "要求书面道歉",
              "要求退货退款", "要求补发赠品"]
PRODUCTS_EN = ["kettle", "washing machine", "fridge", "air conditioner", "television",
               "microwave", "water heater", "vacuum cleaner", "rice cooker", "cooker hood",
               "dishwasher", "baby formula", "phone", "laptop", "smart lock", "air purifier"]
PROBLEMS_EN = ["leaks after three days of use", "does not switch on", "makes a loud noise",
               "was delivered a week late", "arrived with a damaged box",
               "broke again with the same fault after repair", "was priced higher at the till",
               "was close to expiry and this was not stated", "is missing parts",
               "was never installed as the contract says", "came with the wrong invoice"]
CONTEXT_EN = ["Nobody answers the hotline.", "I have called three times already.",
              "The store assistant was rude.", "This is my second complaint.",
              "Please deal with it quickly.", ""]
DEMANDS_EN = ["A full refund", "A refund and an apology", "Refund of the difference",
              "A replacement", "Compensation for the loss", "A repair visit",
              "Installation and compensation", "A written apology", "A call back"]
ADDRESSES_ZH = ["上海市浦东新区世纪大道100号", "北京市朝阳区建国路88号", "广州市天河区体育西路12号",
                "深圳市南山区科技园南区8栋", "杭州市西湖区文三路256号", "成都市武侯区人民南路四段9号"]
ADDRESSES_EN = ["12 Harbour Road, Leeds", "4 Mill Lane, York", "88 High Street, Bath",
                "7 Station Road, Derby"]
CHANNEL_WEIGHTS = {"hotline": 34, "online": 30, "email": 9, "letter": 4, "walk_in": 12,
                   "group_visit": 2, "regulator": 9}
NATURES = ["product_quality", "service", "price", "contract", "after_sales", "other"]
# The workflow after registration (domain/statuses.py), step by step, each with how long it
# takes after the one before, in hours (drawn uniformly between the two). The investigation
# takes 1–8 days against 5 working days allowed, approval up to 3 days against 2, so some
# complaints are overdue at their stage; complaints older than about three months are
# archived, except the stalled ones (STALLED).
PATH = [
    ("assess", "registered", 0.2, 20),
    ("accept", "accepted", 1, 30),
    ("assign", "assigned", 1, 20),
    ("confirm_receipt", "investigating", 1, 40),
    ("submit_investigation", "proposing", 24, 190),
    ("submit_proposal", "reviewing", 4, 60),
    ("review", "approving", 4, 70),
    ("approve", "approved", 4, 70),
    ("record_response", "responded", 8, 100),
    ("accept_result", "executing", 24, 240),
    ("mark_done", "executing", 24, 200),  # the remedy
    ("mark_done", "executing", 1, 150),   # the measure
    ("complete_execution", "visiting", 1, 48),
    ("record_visit", "visiting", 4, 72),
    ("close", "closed", 2, 72),
    ("archive", "archived", 24, 720),
]
REJECTED = 0.08  # share not accepted
STALLED = 0.01   # share that stops at a random step and stays there (overdue in the end)
PUBLIC_ACTIONS = {"register", "accept", "reject", "record_response", "accept_result",
                  "complete_execution", "close"}
# Who takes each step (the rest: the intake staff member who registered the complaint).
HEAD_ACTIONS = {"confirm_receipt", "review", "mark_done", "complete_execution"}
INVESTIGATOR_ACTIONS = {"submit_investigation", "submit_proposal"}
LEADER_ACTIONS = {"approve"}
MANAGER_ACTIONS = {"close", "archive"}
FACTS_ZH = ["经核实，商品确有质量问题。", "送货记录显示确实延误。", "门店监控显示服务态度存在问题。",
            "价格标示与结算系统不一致。"]
FACTS_EN = ["The product was found faulty.", "The delivery records confirm the delay.",
            "The store's recordings confirm the complaint.", "The shelf price and the till "
            "price differed."]
MEASURES_ZH = ["对同批次商品全面抽检", "对门店员工进行服务培训", "修正价格标签系统",
               "调整配送排班"]
MEASURES_EN = ["Check the whole batch", "Service training for the store staff",
               "Fix the price label system", "Change the delivery rota"]


def users_plan() -> list[tuple]:
    """(username, full name, roles, department index) of the synthetic staff."""
    plan = [("bench-intake%d" % i, f"{SURNAMES[i]}{GIVEN[i]} (intake {i})", "intake", 0)
            for i in range(6)]
    for d in range(1, len(DEPARTMENTS)):
        plan.append((f"bench-head{d}", f"{SURNAMES[10 + d]}{GIVEN[10 + d]} (head {d})",
                     "dept_head", d))
        for k in range(3):
            n = 20 + d * 3 + k
            plan.append((f"bench-inv{d}-{k}", f"{SURNAMES[n % len(SURNAMES)]}"
                         f"{GIVEN[n % len(GIVEN)]} (investigator {d}-{k})", "investigator", d))
    plan += [("bench-leader1", "Leader One", "leader", None),
             ("bench-leader2", "赵伟 (leader 2)", "leader", None),
             ("bench-manager1", "Manager One", "manager", None),
             ("bench-auditor", "Auditor One", "auditor", None)]
    return plan


def matter(rng: random.Random, chinese: bool) -> tuple[str, str]:
    """(matter, demand)."""
    if chinese:
        product = rng.choice(PRODUCTS_ZH)
        text = (f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日购买的{product}"
                f"{rng.choice(PROBLEMS_ZH)}，{rng.choice(CONTEXT_ZH)}")
        return text.rstrip("，"), rng.choice(DEMANDS_ZH)
    product = rng.choice(PRODUCTS_EN)
    text = f"The {product} I bought {rng.choice(PROBLEMS_EN)}. {rng.choice(CONTEXT_EN)}"
    return text.strip(), rng.choice(DEMANDS_EN)


def complainant(rng: random.Random, chinese: bool, cid: int) -> tuple[str, str, str, str]:
    """(name, address, phone, email): 10 % without a phone, then an email for half."""
    if chinese:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        address = rng.choice(ADDRESSES_ZH)
    else:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        address = rng.choice(ADDRESSES_EN) if rng.random() < 0.5 else ""
    phone = f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}"
    if rng.random() < 0.1:
        phone = ""
    email = f"customer{cid}@example.com" if (not phone or rng.random() < 0.5) else ""
    return name, address, phone, email


def status_path(rng: random.Random, registered: dt.datetime,
                now: dt.datetime) -> list[tuple[str, str, dt.datetime]]:
    """The steps a complaint has been through since its registration, as (action, status
    reached, when): as far along PATH as the time since then allows."""
    if rng.random() < REJECTED:
        at = min(registered + dt.timedelta(hours=rng.uniform(1, 48)), now)
        return [("reject", "rejected", at.replace(microsecond=0))]
    stop = rng.randrange(len(PATH)) if rng.random() < STALLED else len(PATH)
    out, at = [], registered
    for action, status, low, high in PATH[:stop]:
        at = at + dt.timedelta(hours=rng.uniform(low, high))
        if at > now:
            break
        out.append((action, status, at.replace(microsecond=0)))
    return out


def actor_for(action: str, registrar: int, head: int, investigator: int, leader: int,
              manager: int) -> int:
    if action in HEAD_ACTIONS:
        return head
    if action in INVESTIGATOR_ACTIONS:
        return investigator
    if action in LEADER_ACTIONS:
        return leader
    if action in MANAGER_ACTIONS:
        return manager
    return registrar


def actions(path, registered: dt.datetime, actors: dict) -> tuple[list[tuple], str]:
    """The history as (action, from status, to status, actor id, when), starting with the
    registration, and the status reached. `actors`: the keyword arguments of actor_for."""
    status = "registered"
    out = [("register", "", "registered", actors["registrar"], registered)]
    for action, reached, at in path:
        out.append((action, status, reached, actor_for(action, **actors), at))
        status = reached
    return out, status
