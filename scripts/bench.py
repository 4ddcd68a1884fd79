"""Load and timing benchmark: seed a large separate database, serve it with gunicorn, time pages.

    .venv/bin/python scripts/bench.py [--complaints 100000] [--requests 200]
                                      [--concurrency 1] [--data-dir bench-data] [--reseed]

1. Seeds N synthetic complaints (Chinese and English, several departments and users, statuses
   spread, 1–6 hash-chained history events each, search index filled) into <data-dir>/redress.db
   with bulk inserts. A database already seeded with N complaints is reused.
2. Starts gunicorn (2 workers) on a free loopback port with REDRESS_INSTANCE=<data-dir>, signs
   in as a manager and times: the list page (no filter, status + channel, status "open", a
   Chinese and an English keyword), a complaint page and the intake POST.
   See docs/performance.md for the figures and what they led to.
3. Prints a JSON summary to stdout: per scenario requests/s, p50/p95 ms, the gunicorn workers'
   CPU ms per request (from /proc/<pid>/stat), and the status codes seen. Progress goes to stderr.
gunicorn is stopped at the end, also on error or Ctrl-C.
"""
import argparse
import datetime as dt
import hashlib
import http.client
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from decimal import Decimal
from http.cookies import SimpleCookie
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BENCH_USER = "bench"
BENCH_PASSWORD = "load-test-secret-42"
MARKER = "bench-seed.json"
SEED_VERSION = 2
BATCH = 500
USER_AGENT = "redress-bench/1"


def log(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- synthetic data

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
# The workflow path after registration (as in scripts/seed_demo.py), cut to fit 6 events.
PATH = [("accept", "accepted"), ("assign", "assigned"), ("confirm_receipt", "investigating"),
        ("submit_investigation", "reviewing"), ("review", "approving")]
PUBLIC_ACTIONS = {"register", "accept", "reject"}


def _users_plan():
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


def _matter(rng, chinese: bool):
    if chinese:
        product = rng.choice(PRODUCTS_ZH)
        matter = (f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日购买的{product}"
                  f"{rng.choice(PROBLEMS_ZH)}，{rng.choice(CONTEXT_ZH)}")
        return matter.rstrip("，"), rng.choice(DEMANDS_ZH)
    product = rng.choice(PRODUCTS_EN)
    matter = f"The {product} I bought {rng.choice(PROBLEMS_EN)}. {rng.choice(CONTEXT_EN)}"
    return matter.strip(), rng.choice(DEMANDS_EN)


def _status_path(rng, age_days: float):
    """The actions a complaint has been through: older ones got further (1–6 events)."""
    if rng.random() < 0.08:
        return [("reject", "rejected")]
    if age_days < 3:
        steps = rng.choice([0, 0, 1, 1, 2])
    elif age_days < 20:
        steps = rng.choice([1, 2, 2, 3, 3, 4])
    else:
        steps = rng.choice([2, 3, 3, 4, 4, 5, 5])
    return PATH[:steps]


def seed(n: int, rng_seed: int = 20240601) -> None:
    """Bulk-insert `n` complaints with their history and search index (app context needed)."""
    from werkzeug.security import generate_password_hash

    from extensions import db
    from domain import accounts, history, search
    from domain.intake import contact_key
    from domain.models import Complaint, Department, Event, FieldChange, NumberSequence, User
    from domain.settings import load_settings

    rng = random.Random(rng_seed)
    settings = load_settings()
    prefix, padding = settings["number_prefix"], int(settings["number_padding"])
    started = time.perf_counter()
    db.execute_sql("PRAGMA synchronous = OFF")

    with db.atomic():
        Department.insert_many(
            [{"name": en, "name_zh": zh} for en, zh in DEPARTMENTS]).execute()
    depts = list(Department.select().order_by(Department.id))
    one_hash = generate_password_hash("not-used-" + uuid.uuid4().hex)
    plan = _users_plan()
    with db.atomic():
        User.insert_many([{"username": u, "full_name": name, "email": f"{u}@example.org",
                           "password_hash": one_hash, "roles": roles,
                           "department": depts[d].id if d is not None else None}
                          for u, name, roles, d in plan]).execute()
    accounts.create_user(username=BENCH_USER, full_name="Bench Manager", email="",
                         roles=["manager"], department_id=None, password=BENCH_PASSWORD)
    users = {u.username: u for u in User.select()}
    intake_ids = [users[f"bench-intake{i}"].id for i in range(6)]
    heads = {d: users[f"bench-head{d}"].id for d in range(1, len(depts))}
    investigators = {d: [users[f"bench-inv{d}-{k}"].id for k in range(3)]
                     for d in range(1, len(depts))}
    leaders = [users["bench-leader1"].id, users["bench-leader2"].id]

    channels = list(CHANNEL_WEIGHTS)
    channel_w = list(CHANNEL_WEIGHTS.values())
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    span = dt.timedelta(days=730)
    start = now - span - dt.timedelta(days=2)
    sequences: dict[str, int] = {}
    complaint_fields = [
        Complaint.id, Complaint.number, Complaint.lookup_code_hash, Complaint.status,
        Complaint.version, Complaint.channel, Complaint.language, Complaint.received_at,
        Complaint.registered_at, Complaint.registered_by, Complaint.first_contact,
        Complaint.complainant_name, Complaint.complainant_phone, Complaint.complainant_email,
        Complaint.complainant_address, Complaint.contact_key, Complaint.matter,
        Complaint.demand, Complaint.order_ref, Complaint.amount_claimed, Complaint.nature,
        Complaint.severity, Complaint.urgency, Complaint.regulator_name,
        Complaint.regulator_ref, Complaint.regulator_due, Complaint.department,
        Complaint.assignee, Complaint.updated_at, Complaint.closed_at,
        Complaint.history_count, Complaint.history_head,
    ]
    event_fields = [Event.id, Event.complaint, Event.seq, Event.at, Event.actor, Event.action,
                    Event.from_status, Event.to_status, Event.note, Event.public,
                    Event.prev_hash, Event.hash]
    change_fields = [FieldChange.event, FieldChange.field, FieldChange.old, FieldChange.new]
    event_id = 0
    totals = {"events": 0, "changes": 0}

    def flush(complaints, events, changes, docs):
        with db.atomic():
            Complaint.insert_many(complaints, fields=complaint_fields).execute()
            for i in range(0, len(events), BATCH):
                Event.insert_many(events[i:i + BATCH], fields=event_fields).execute()
            if changes:
                FieldChange.insert_many(changes, fields=change_fields).execute()
            db.connection().executemany(
                f"INSERT INTO {search.FTS_TABLE}(rowid, body) VALUES (?, ?)", docs)
        totals["events"] += len(events)
        totals["changes"] += len(changes)

    batch_c, batch_e, batch_f, batch_d = [], [], [], []
    for i in range(n):
        cid = i + 1
        received = start + span * ((i + rng.random()) / n)
        received = received.replace(microsecond=0)
        age_days = (now - received).total_seconds() / 86400
        chinese = rng.random() < 0.6
        channel = rng.choices(channels, channel_w)[0]
        matter, demand = _matter(rng, chinese)
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
        # Numbers in numbering.next_number's format; the year is near enough the org's.
        year = (received + dt.timedelta(hours=8)).year
        seq_name = f"{prefix}-{year}"
        sequences[seq_name] = sequences.get(seq_name, 0) + 1
        number = f"{seq_name}-{sequences[seq_name]:0{padding}d}"
        registered = min(received + dt.timedelta(minutes=rng.randint(2, 240)), now)
        registrar = rng.choice(intake_ids)
        severity = "group" if channel == "group_visit" else rng.choices(
            ["ordinary", "major"], [85, 15])[0]
        regulator = channel == "regulator"

        path = _status_path(rng, age_days)
        dept_index = rng.randrange(1, len(depts))
        dept = assignee = None
        status, at = "registered", registered
        actions = [("register", "", "registered", registrar)]
        for action, reached in path:
            if action in ("accept", "reject", "assign"):
                actor = registrar
            elif action in ("confirm_receipt", "review"):
                actor = heads[dept_index]
            elif action == "submit_investigation":
                actor = rng.choice(investigators[dept_index])
            else:
                actor = rng.choice(leaders)
            actions.append((action, status, reached, actor))
            status = reached
        if status in ("assigned", "investigating", "reviewing", "approving"):
            dept = depts[dept_index].id
            assignee = rng.choice(investigators[dept_index])
        edited = len(actions) < 6 and rng.random() < 0.12 and phone
        old_phone = f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}"
        if edited:  # a correction of the phone number while the complaint is open
            pos = rng.randint(1, len(actions) - (status == "rejected"))
            st = actions[pos - 1][2]
            actions.insert(pos, ("edit", st, st, registrar))

        prev = history.GENESIS
        for seq, (action, from_status, to_status, actor) in enumerate(actions, start=1):
            if seq > 1:
                at = min(at + dt.timedelta(minutes=rng.randint(20, 60 * 24 * 3)), now)
            event_id += 1
            changes = [("complainant_phone", old_phone, phone)] if action == "edit" else []
            note = ("Outside our remit: the product was bought elsewhere." if action == "reject"
                    else "")
            ev = SimpleNamespace(complaint_id=cid, seq=seq, at=at, actor_id=actor,
                                 action=action, from_status=from_status, to_status=to_status,
                                 note=note, public=action in PUBLIC_ACTIONS, prev_hash=prev)
            digest = history._digest(ev, changes)
            batch_e.append((event_id, cid, seq, at, actor, action, from_status, to_status,
                            note, ev.public, prev, digest))
            batch_f.extend((event_id, f, o, nw) for f, o, nw in changes)
            prev = digest

        row = SimpleNamespace(
            number=number, complainant_name=name, complainant_phone=phone,
            contact_key=contact_key(phone), complainant_email=email, order_ref=f"SO-{rng.randint(10**8, 10**9 - 1)}"
            if rng.random() < 0.7 else "", matter=matter, demand=demand)
        batch_c.append((
            cid, number, hashlib.sha256(f"bench-{cid}".encode()).hexdigest(), status,
            len(actions), channel, "zh_Hans" if chinese else "en", received, registered,
            registrar, registrar, name, phone, email, address, contact_key(phone), matter,
            demand, row.order_ref,
            Decimal(rng.choice([0, 45, 199, 899, 2599, 5999])) or None,
            rng.choice(NATURES) if len(actions) > 1 else "", severity,
            rng.choices(["normal", "urgent", "critical"], [80, 17, 3])[0],
            "12315平台" if regulator else "",
            f"12315-{rng.randint(10**7, 10**8 - 1)}" if regulator else "",
            received + dt.timedelta(days=10) if regulator else None,
            dept, assignee, at, None, len(actions), prev,
        ))
        batch_d.append((cid, search.document(row)))
        if len(batch_c) >= BATCH:
            flush(batch_c, batch_e, batch_f, batch_d)
            batch_c, batch_e, batch_f, batch_d = [], [], [], []
            if cid % 10_000 == 0:
                log(f"  {cid:,} complaints, {time.perf_counter() - started:.0f} s")
    if batch_c:
        flush(batch_c, batch_e, batch_f, batch_d)
    with db.atomic():
        for name, value in sequences.items():
            (NumberSequence.insert(name=name, value=value)
             .on_conflict(conflict_target=[NumberSequence.name],
                          update={NumberSequence.value: value}).execute())
    db.execute_sql("PRAGMA synchronous = NORMAL")
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    log(f"seeded {n:,} complaints, {totals['events']:,} events, {totals['changes']:,} field "
        f"changes in {time.perf_counter() - started:.1f} s")


def prepare_database(data_dir: Path, n: int, reseed: bool) -> dict:
    """Seed the bench database unless it already holds `n` seeded complaints."""
    db_path = data_dir / "redress.db"
    marker = data_dir / MARKER
    wanted = {"complaints": n, "version": SEED_VERSION}
    if not reseed and db_path.exists() and marker.exists():
        try:
            if json.loads(marker.read_text()) == wanted:
                return _open_and_check(data_dir, n, reuse=True)
        except ValueError:
            pass
    log(f"seeding {n:,} complaints into {db_path}")
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    marker.unlink(missing_ok=True)
    shutil.rmtree(data_dir / "uploads", ignore_errors=True)
    info = _open_and_check(data_dir, n, reuse=False)
    marker.write_text(json.dumps(wanted))
    return info


def _open_and_check(data_dir: Path, n: int, reuse: bool) -> dict:
    from app import create_app
    from extensions import db
    from domain.database import migrate
    from domain.models import Complaint, User
    from domain.settings import load_settings

    create_app()
    db.connect(reuse_if_open=True)
    try:
        migrate()
        if not reuse:
            seed(n)
        bench = User.get_or_none(User.username == BENCH_USER)
        seeded = (Complaint.select().where(Complaint.registered_by != bench.id).count()
                  if bench else 0)
        if seeded != n:
            raise SystemExit(f"{data_dir}: expected {n} seeded complaints, found {seeded}; "
                             "run with --reseed")
        if reuse:
            log(f"reusing {data_dir / 'redress.db'} ({n:,} seeded complaints)")
        ids = [c.id for c in Complaint.select(Complaint.id)
               .where(Complaint.registered_by != bench.id).order_by(Complaint.id)]
        return {"complaint_ids": ids, "timezone": load_settings()["timezone"]}
    finally:
        db.close()


# --------------------------------------------------------------------------- HTTP client

class Client:
    """A tiny HTTP client for one signed-in session (a new connection per request: gunicorn's
    sync workers close the connection after each response)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None, keep_cookies: bool = True):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            h = {"User-Agent": USER_AGENT, "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}
            if self.cookies:
                h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            h.update(headers or {})
            conn.request(method, path, body=body, headers=h)
            response = conn.getresponse()
            data = response.read()
            if keep_cookies:
                for header in response.headers.get_all("Set-Cookie") or []:
                    for key, morsel in SimpleCookie(header).items():
                        self.cookies[key] = morsel.value
            return response.status, data
        finally:
            conn.close()


def csrf_token(html: bytes) -> str:
    m = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        rb'value="([^"]+)"[^>]*name="csrf_token"', html)
    if not m:
        raise RuntimeError("no CSRF token in the form")
    return m.group(1).decode()


def sign_in(port: int) -> Client:
    client = Client(port)
    status, html = client.request("GET", "/login")
    if status != 200:
        raise RuntimeError(f"GET /login answered {status}")
    body = urlencode({"csrf_token": csrf_token(html), "username": BENCH_USER,
                      "password": BENCH_PASSWORD}).encode()
    status, _ = client.request("POST", "/login", body, {
        "Content-Type": "application/x-www-form-urlencoded"})
    if status != 303:
        raise RuntimeError(f"sign-in failed ({status})")
    return client


def multipart(fields: dict) -> tuple[bytes, str]:
    boundary = "----redress-bench-" + uuid.uuid4().hex
    out = []
    for name, value in fields.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                   f"{value}\r\n".encode())
    out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="evidence"; '
               f'filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n'.encode())
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


# --------------------------------------------------------------------------- gunicorn

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(data_dir: Path, port: int, log_file):
    gunicorn = Path(sys.executable).parent / "gunicorn"
    if not gunicorn.exists():
        gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    env = dict(os.environ, REDRESS_INSTANCE=str(data_dir),
               DATABASE_URL=f"sqlite:///{data_dir / 'redress.db'}")
    env.pop("GUNICORN_WORKERS", None)
    cmd = [str(gunicorn), "-c", "deploy/gunicorn.conf.py", "--no-control-socket", "-w", "2",
           "-b", f"127.0.0.1:{port}", "wsgi:app"]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT,
                            start_new_session=True)


def wait_healthy(proc, port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}; see its log")
        try:
            status, body = Client(port).request("GET", "/healthz")
            if status == 200:
                return
            log(f"/healthz: {status} {body[:200]!r}")
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not become healthy in time")


def stop_gunicorn(proc) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
    try:
        proc.wait(timeout=35)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def worker_pids(master: int) -> list[int]:
    try:
        text = Path(f"/proc/{master}/task/{master}/children").read_text()
        return sorted(int(p) for p in text.split())
    except OSError:
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                    pids.append(int(entry.name))
        return sorted(pids)


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of the processes, in seconds (from /proc/<pid>/stat)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # a worker that died; the run reports the change
            continue
        total += int(fields[11]) + int(fields[12])  # fields 14 and 15 of stat(5)
    return total / TICK


# --------------------------------------------------------------------------- scenarios

def scenarios(info: dict, rng: random.Random) -> list[tuple[str, callable]]:
    ids = info["complaint_ids"]
    tz = info["timezone"]
    from zoneinfo import ZoneInfo

    def get(path):
        return lambda client, i: client.request("GET", path, keep_cookies=False)

    def complaint_page(client, i):
        return client.request("GET", f"/complaints/{rng.choice(ids)}", keep_cookies=False)

    def intake(client, i):
        local = dt.datetime.now(ZoneInfo(tz)) - dt.timedelta(hours=1)
        chinese = i % 2 == 0
        body, ctype = multipart({
            "csrf_token": client.token,
            "channel": "hotline" if chinese else "online",
            "received_at": local.strftime("%Y-%m-%dT%H:%M"),
            "complainant_name": "压测用户" if chinese else "Bench Caller",
            "complainant_phone": f"139{i:08d}",
            "complainant_email": "",
            "complainant_address": "上海市浦东新区世纪大道100号",
            "matter": ("购买的电水壶使用三天后漏水，要求退款。" if chinese
                       else "The kettle I bought leaks after three days of use."),
            "demand": "全额退款" if chinese else "A full refund",
            "order_ref": f"BENCH-{i}", "amount_claimed": "199.00", "nature": "product_quality",
            "severity": "ordinary", "urgency": "normal",
            "language": "zh_Hans" if chinese else "en",
            "regulator_name": "", "regulator_ref": "", "regulator_due": "",
        })
        return client.request("POST", "/complaints/new", body, {"Content-Type": ctype},
                              keep_cookies=False)

    return [
        ("list", get("/complaints")),
        ("list_filter_status_channel", get("/complaints?" + urlencode(
            {"status": "investigating", "channel": "hotline"}))),
        ("list_filter_open", get("/complaints?" + urlencode({"status": "open"}))),
        ("search_zh_退款", get("/complaints?" + urlencode({"q": "退款"}))),
        ("search_en_refund", get("/complaints?" + urlencode({"q": "refund"}))),
        ("complaint_page", complaint_page),
        ("intake_post", intake),
    ]


def _in_threads(target, n: int) -> None:
    threads = [threading.Thread(target=target, args=(k,), daemon=True) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def run_scenario(name, fn, clients, requests: int, master: int, warmup: int) -> dict:
    # Untimed warm-up from two threads at once, so that both workers get requests (their
    # first ones compile templates and load catalogues).
    _in_threads(lambda k: [fn(clients[0], -1 - k - 2 * j) for j in range(max(1, warmup // 2))],
                2)
    pids = worker_pids(master)
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    lock = threading.Lock()
    counter = iter(range(requests))

    def worker(k):
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            t0 = time.perf_counter()
            try:
                status = str(fn(clients[k], i)[0])
            except OSError as e:
                status = f"error: {e.__class__.__name__}"
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    cpu0 = cpu_seconds(pids)
    t0 = time.perf_counter()
    _in_threads(worker, len(clients))
    wall = time.perf_counter() - t0
    cpu1 = cpu_seconds(pids)
    if worker_pids(master) != pids:
        log(f"warning: gunicorn workers changed during {name}; CPU figure is incomplete")
    latencies.sort()
    result = {
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / wall, 1),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(latencies[math.ceil(0.95 * len(latencies)) - 1], 1),  # nearest rank
        "max_ms": round(latencies[-1], 1),
        "server_cpu_ms_per_request": round((cpu1 - cpu0) * 1000 / len(latencies), 1),
        "statuses": dict(sorted(statuses.items())),
    }
    log(f"  {name:30s} {result['requests_per_s']:7.1f} req/s  p50 {result['p50_ms']:6.1f} ms"
        f"  p95 {result['p95_ms']:6.1f} ms  cpu {result['server_cpu_ms_per_request']:5.1f} ms"
        f"  {result['statuses']}")
    return result


# --------------------------------------------------------------------------- main

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="per scenario")
    parser.add_argument("--concurrency", type=int, default=1, help="client threads")
    parser.add_argument("--data-dir", default=str(ROOT / "bench-data"))
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--warmup", type=int, default=10, help="untimed requests per scenario")
    args = parser.parse_args(argv)
    if args.complaints < 1 or args.requests < 1 or args.concurrency < 1:
        parser.error("--complaints, --requests and --concurrency must be positive")

    data_dir = Path(args.data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    # Before the app is imported: config.py reads these when it is first imported.
    os.environ["REDRESS_INSTANCE"] = str(data_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'redress.db'}"
    sys.path.insert(0, str(ROOT))

    load_before = os.getloadavg()
    t_seed = time.perf_counter()
    info = prepare_database(data_dir, args.complaints, args.reseed)
    seed_s = time.perf_counter() - t_seed

    # A plain `kill` of this script unwinds through the `finally` that stops gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    proc = None
    port = free_port()
    log_path = data_dir / "gunicorn.log"
    with open(log_path, "ab") as log_file:
        try:
            proc = start_gunicorn(data_dir, port, log_file)
            wait_healthy(proc, port)
            log(f"gunicorn {proc.pid} on 127.0.0.1:{port}, workers {worker_pids(proc.pid)}")
            # One sign-in (the sign-in form is rate-limited), its cookie shared by the threads.
            signed_in = sign_in(port)
            status, html = signed_in.request("GET", "/complaints/new")
            if status != 200:
                raise RuntimeError(f"GET /complaints/new answered {status}")
            clients = []
            for _ in range(args.concurrency):
                client = Client(port)
                client.cookies = dict(signed_in.cookies)
                client.token = csrf_token(html)
                clients.append(client)
            rng = random.Random(1)
            results = {}
            for name, fn in scenarios(info, rng):
                results[name] = run_scenario(name, fn, clients, args.requests, proc.pid,
                                             args.warmup)
        finally:
            stop_gunicorn(proc)

    summary = {
        "complaints": args.complaints,
        "requests_per_scenario": args.requests,
        "concurrency": args.concurrency,
        "gunicorn_workers": 2,
        "database": str(data_dir / "redress.db"),
        "database_mb": round((data_dir / "redress.db").stat().st_size / 2**20, 1),
        "seed_or_check_s": round(seed_s, 1),
        "cpus": os.cpu_count(),
        # Other work on the machine shows up in the latencies (not much in the CPU figures).
        "loadavg_1m_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "python": sys.version.split()[0],
        "scenarios": results,
    }
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    bad = [n for n, r in results.items()
           if set(r["statuses"]) - {"200", "303"}]
    return 1 if bad else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # gunicorn was stopped on the way out
        sys.exit(130)
