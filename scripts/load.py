"""Load test: 20 simulated staff working at once against gunicorn with the production config.

    .venv/bin/python scripts/load.py [--data-dir /tmp/loadG] [--seconds 120] [--staff 20]
                                     [--complaints 100000] [--seed 7]

The database is the benchmark's (scripts/bench_seed.py: 100,000 complaints along the whole
workflow; a database already seeded is reused after any new migration, else seeded, which
takes a while); the run works on a copy of it in <data-dir>/load-run/ (it adds and moves
complaints), so the seeded one stays reusable. gunicorn is started
on a free loopback port with deploy/gunicorn.conf.py as production runs it (its worker count:
2 per CPU, at most 8), only with the control socket off and the sign-in rate limit raised
(LOGIN_RATE_LIMIT), since all staff sign in from 127.0.0.1 within a second.

The staff (each a thread with its own signed-in session, waiting 0–1 s between steps):
- intake clerks register a complaint through the intake form (multipart POST), open it,
  accept it and assign it to the Quality department (the complaint page's POST endpoints,
  sent as htmx requests with the form's CSRF token and version);
- a manager issues the acknowledgement letter (a PDF) for complaints just registered;
- the Quality department's head confirms receipt of what was assigned and names an
  investigator; when nothing waits, looks at My work;
- investigators look at My work and open complaints of their department;
- managers, leaders and an auditor list, filter, search and open complaints, and look at
  the board and the analysis dashboard (whose stored stage figures the others' steps keep
  making stale).

Prints a table per operation (count, p50, p95, max in ms, errors) and a JSON summary, and
exits 1 on any error (an unexpected status or a failed connection). See docs/performance.md.
"""
import argparse
import datetime as dt
import json
import math
import os
import queue
import random
import re
import shutil
import signal
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import bench_seed, bench_server  # noqa: E402  (after the path is set)
from scripts.bench_server import csrf_token, log  # noqa: E402

PASSWORD = bench_seed.BENCH_PASSWORD
QUALITY = 1  # index in bench_data.DEPARTMENTS: the department bench-head1 leads


# --------------------------------------------------------------------------- HTML forms

class _Forms(HTMLParser):
    """Every <form> of a page: action -> {name: value} as a browser would post it unchanged
    (selects: the selected or first option; `options` keeps each select's choices)."""

    def __init__(self):
        super().__init__()
        self.forms: dict[str, dict] = {}
        self.options: dict[str, dict] = {}
        self._form = self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = a.get("action") or ""
            self.forms.setdefault(self._form, {})
            self.options.setdefault(self._form, {})
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            if a.get("type") in ("submit", "file"):
                return
            self.forms[self._form][a["name"]] = a.get("value") or ""
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self.options[self._form][self._select] = []
        elif tag == "option" and self._select:
            value = a.get("value") or ""
            self.options[self._form][self._select].append(value)
            if "selected" in a or self._select not in self.forms[self._form]:
                self.forms[self._form][self._select] = value
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.forms[self._form][self._textarea] = ""

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self.forms[self._form][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def page_forms(html: bytes) -> _Forms:
    parser = _Forms()
    parser.feed(html.decode("utf-8", "replace"))
    return parser


def form_ending(forms: _Forms, suffix: str) -> tuple[dict, dict] | None:
    for action, fields in forms.forms.items():
        if action.endswith(suffix):
            return dict(fields), forms.options[action]
    return None


# --------------------------------------------------------------------------- results

class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = {}
        self.errors: dict[str, list[str]] = {}

    def record(self, op: str, ms: float, error: str | None = None):
        with self.lock:
            self.latencies.setdefault(op, []).append(ms)
            if error:
                self.errors.setdefault(op, []).append(error)

    def table(self) -> dict:
        out = {}
        for op in sorted(self.latencies):
            values = sorted(self.latencies[op])
            out[op] = {"count": len(values), "p50_ms": round(values[(len(values) - 1) // 2], 1),
                       "p95_ms": round(values[math.ceil(0.95 * len(values)) - 1], 1),
                       "max_ms": round(values[-1], 1), "errors": len(self.errors.get(op, []))}
        return out


def _message(html: bytes) -> str:
    """The page's error messages (beside fields, or the notice), for the report."""
    text = html.decode("utf-8", "replace")
    found = re.findall(r'class="[^"]*(?:error|notice|alert)[^"]*"[^>]*>(.*?)</', text, re.S)
    return " | ".join(re.sub(r"\s+", " ", m).strip() for m in found if m.strip())[:300] or \
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))[:300]


class Stop(Exception):
    pass


class Staff:
    """One simulated member of staff: a thread with its own session."""

    def __init__(self, name, session, results, deadline, rng, shared):
        self.name, self.s, self.results = name, session, results
        self.deadline, self.rng, self.shared = deadline, rng, shared

    def think(self):
        time.sleep(self.rng.uniform(0, 1))
        if time.monotonic() >= self.deadline:
            raise Stop

    def call(self, op, method, path, body=None, headers=None, expect=(200,)):
        t0 = time.perf_counter()
        try:
            status, data = self.s.request(method, path, body, headers, keep_cookies=False)
        except OSError as e:
            self.results.record(op, (time.perf_counter() - t0) * 1000,
                                f"{method} {path}: {e.__class__.__name__}: {e}")
            return None, b""
        ms = (time.perf_counter() - t0) * 1000
        error = None if status in expect else f"{method} {path}: {status} {_message(data)}"
        self.results.record(op, ms, error)
        return (status if error is None else None), data

    def post_form(self, op, path, fields, htmx=True):
        fields = dict(fields, csrf_token=self.s.token)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if htmx:
            headers["HX-Request"] = "true"
        return self.call(op, "POST", path, urlencode(fields).encode(), headers,
                         expect=(200,) if htmx else (200, 303))

    def act(self, op, complaint_id, action, html, fill=None):
        """Post the complaint page's form for `action` as shown, with `fill` changes."""
        found = form_ending(page_forms(html), f"/complaints/{complaint_id}/act/{action}")
        if found is None:
            self.results.record(op, 0, f"no {action} form on complaint {complaint_id}")
            return None
        fields, options = found
        fields.update(fill(fields, options) if fill else {})
        return self.post_form(op, f"/complaints/{complaint_id}/act/{action}", fields)[0]

    def run(self):
        try:
            while True:
                self.step()
                self.think()  # also after a step that stopped early on an error
        except Stop:
            pass
        except Exception as e:  # a bug of this script is an error of the run too
            self.results.record("script", 0, f"{self.name}: {e.__class__.__name__}: {e}")


class Intake(Staff):
    def step(self):
        i = self.shared["counter"]()
        local = dt.datetime.now(self.shared["tz"]) - dt.timedelta(hours=1)
        chinese = i % 3 != 0
        body, ctype = bench_server.multipart({
            "csrf_token": self.s.token,
            "channel": self.rng.choice(["hotline", "online", "email", "letter", "walk_in"]),
            "received_at": local.strftime("%Y-%m-%dT%H:%M"),
            "complainant_name": "压测用户" if chinese else "Load Caller",
            "complainant_phone": f"138{i:08d}", "complainant_email": "",
            "complainant_address": "上海市浦东新区世纪大道100号",
            "matter": ("购买的电水壶使用三天后漏水，多次联系客服都没有解决。" if chinese
                       else "The kettle I bought leaks after three days of use."),
            "demand": "要求全额退款" if chinese else "A full refund",
            "order_ref": f"LOAD-{i}", "amount_claimed": "199.00", "nature": "product_quality",
            "severity": "ordinary", "urgency": "normal",
            "language": "zh_Hans" if chinese else "en",
            "regulator_name": "", "regulator_ref": "", "regulator_due": "",
        })
        status, _ = self.call("intake", "POST", "/complaints/new", body,
                              {"Content-Type": ctype}, expect=(303,))
        if status is None:
            return
        cid = self.shared["newest"](self.name.split("#")[0])
        if cid is None:
            return
        self.shared["letters"].put(cid)
        self.think()
        status, html = self.call("open", "GET", f"/complaints/{cid}")
        if status is None or self.act("act_accept", cid, "accept", html,
                                      lambda f, o: {"note": "材料齐全，予以受理。"}) is None:
            return
        self.think()
        status, html = self.call("open", "GET", f"/complaints/{cid}")
        dept = str(self.shared["quality_id"])
        if status is None or self.act("act_assign", cid, "assign", html, lambda f, o: {
                "department": dept, "requirements": "请尽快核实并答复。"}) is None:
            return
        self.shared["assigned"].put(cid)
        self.think()


class Letters(Staff):
    def step(self):
        try:
            cid = self.shared["letters"].get(timeout=1)
        except queue.Empty:
            self.call("list", "GET", "/complaints?" + urlencode({"status": "registered"}))
            self.think()
            return
        path = f"/complaints/{cid}/letters/new/acknowledgement"
        status, html = self.call("letter_prepare", "GET", path)
        if status is None:
            return
        found = form_ending(page_forms(html), path)
        if found is None:
            self.results.record("letter_issue", 0, f"no letter form for {cid}")
            return
        self.think()
        self.post_form("letter_issue", path, found[0], htmx=False)
        self.think()


class Head(Staff):
    def step(self):
        try:
            cid = self.shared["assigned"].get(timeout=1)
        except queue.Empty:
            self.call("my_work", "GET", "/work")
            self.think()
            return
        status, html = self.call("open", "GET", f"/complaints/{cid}")
        if status is None:
            return
        self.think()

        def investigator(fields, options):
            people = [v for v in options.get("investigator", []) if v]
            return {"investigator": self.rng.choice(people) if people else ""}
        self.act("act_confirm_receipt", cid, "confirm_receipt", html, investigator)
        self.think()


class Investigator(Staff):
    """Looks at My work and opens the complaints it lists."""

    def step(self):
        status, html = self.call("my_work", "GET", "/work")
        ids = sorted(set(re.findall(rb'href="/complaints/(\d+)"', html or b"")))
        for cid in self.rng.sample(ids, min(len(ids), 2)):
            self.think()
            self.call("open", "GET", f"/complaints/{int(cid)}")


class Reader(Staff):
    """Managers, leaders, an auditor: lists, search, complaint pages."""

    def step(self):
        ids = self.shared["ids"]
        choice = self.rng.random()
        if choice < 0.25:
            self.call("list", "GET", "/complaints")
        elif choice < 0.45:
            args = self.rng.choice([{"status": "investigating", "channel": "hotline"},
                                    {"status": "open"}, {"severity": "major"},
                                    {"sort": "number"}, {"nature": "product_quality"}])
            self.call("list_filtered", "GET", "/complaints?" + urlencode(args))
        elif choice < 0.55:
            self.call("search", "GET", "/complaints?" + urlencode(
                {"q": self.rng.choice(["退款", "漏水", "refund", "洗衣机"])}))
        elif choice < 0.82:
            self.call("open", "GET", f"/complaints/{self.rng.choice(ids)}")
        elif choice < 0.92:
            self.call("my_work", "GET", "/work")
        elif choice < 0.97:
            self.call("board", "GET", "/work/board")
        else:  # this month's figures, while the intake clerks change them
            self.call("dashboard", "GET", "/analysis/")
        self.think()


# --------------------------------------------------------------------------- set-up

CAST = (  # (username, kind, threads)
    [(f"bench-intake{i}", Intake, 1) for i in range(5)]
    + [("bench-manager1", Letters, 1), ("bench-head1", Head, 3)]
    + [(f"bench-inv1-{k}", Investigator, 1) for k in range(3)]
    + [("bench", Reader, 3), ("bench-manager1", Reader, 1), ("bench-leader1", Reader, 2),
       ("bench-leader2", Reader, 1), ("bench-auditor", Reader, 1)])


def prepare(data_dir: Path, n: int) -> dict:
    """Migrate the database, give the cast the known password, collect ids."""
    from werkzeug.security import generate_password_hash
    from zoneinfo import ZoneInfo

    info = bench_seed.prepare_database(data_dir, n, reseed=False)
    from app import create_app
    from extensions import db
    from domain.models import Department, User
    from scripts import bench_data

    create_app()
    db.connect(reuse_if_open=True)
    try:
        names = [u for u, _kind, _n in CAST]
        User.update(password_hash=generate_password_hash(PASSWORD)).where(
            User.username.in_(names)).execute()
        quality = Department.get(Department.name == bench_data.DEPARTMENTS[QUALITY][0])
        users = {u.username: u.id for u in User.select().where(User.username.in_(names))}
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # the file alone is the database
    finally:
        db.close()
    return {"ids": info["complaint_ids"], "tz": ZoneInfo(info["timezone"]),
            "quality_id": quality.id, "users": users}


def start_gunicorn(data_dir: Path, port: int, log_file):
    """gunicorn as production runs it: deploy/gunicorn.conf.py, its worker count."""
    import subprocess
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    env = dict(os.environ, REDRESS_INSTANCE=str(data_dir),
               DATABASE_URL=f"sqlite:///{data_dir / 'redress.db'}",
               LOGIN_RATE_LIMIT="200 per minute", GUNICORN_ACCESSLOG="/dev/null")
    env.pop("GUNICORN_WORKERS", None)
    cmd = [str(gunicorn), "-c", "deploy/gunicorn.conf.py", "--no-control-socket",
           "-b", f"127.0.0.1:{port}", "wsgi:app"]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT,
                            start_new_session=True)


def newest_finder(data_dir: Path):
    """The id of the complaint a clerk just registered (the intake answers 303 to its page:
    the Location header is not kept by bench_server.Client, so ask the database)."""
    import sqlite3
    lock = threading.Lock()

    def newest(username):
        with lock:
            con = sqlite3.connect(f"file:{data_dir / 'redress.db'}?mode=ro", uri=True,
                                  timeout=30)
            try:
                row = con.execute(
                    "SELECT c.id FROM complaint c JOIN user u ON u.id = c.registered_by_id "
                    "WHERE u.username = ? ORDER BY c.id DESC LIMIT 1", (username,)).fetchone()
            finally:
                con.close()
            return row[0] if row else None
    return newest


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default=str(ROOT / "bench-data"))
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    data_dir = Path(args.data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["REDRESS_INSTANCE"] = str(data_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'redress.db'}"
    info = prepare(data_dir, args.complaints)
    # The run registers and moves complaints: it works on a copy, so that the seeded database
    # stays as seeded (and scripts/bench.py keeps reusing it).
    run_dir = data_dir / "load-run"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir()
    for name in ("redress.db", "secret_key"):
        if (data_dir / name).exists():
            shutil.copy2(data_dir / name, run_dir / name)
    log(f"running on a copy: {run_dir / 'redress.db'}")

    counter = iter(range(10**9))
    count_lock = threading.Lock()

    def next_number():
        with count_lock:
            return int(time.time()) % 100000 * 1000 + next(counter)

    shared = {"ids": info["ids"], "tz": info["tz"], "quality_id": info["quality_id"],
              "letters": queue.Queue(), "assigned": queue.Queue(), "counter": next_number,
              "newest": newest_finder(run_dir)}
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    proc = None
    port = bench_server.free_port()
    results = Results()
    with open(run_dir / "gunicorn.log", "ab") as log_file:
        try:
            proc = start_gunicorn(run_dir, port, log_file)
            bench_server.wait_healthy(proc, port)
            workers = bench_server.worker_pids(proc.pid)
            log(f"gunicorn {proc.pid} on 127.0.0.1:{port}, {len(workers)} workers")
            rng = random.Random(args.seed)
            staff = []
            for username, kind, threads in CAST:
                session = bench_server.sign_in(port, username, PASSWORD)
                page = "/complaints/new" if kind is Intake else "/work"
                status, html = session.request("GET", page)
                if status != 200:
                    raise RuntimeError(f"{username}: GET {page} answered {status}")
                session.token = csrf_token(html)
                for k in range(threads):
                    staff.append(kind(f"{username}#{k}", session.copy(), results, 0,
                                      random.Random(rng.random()), shared))
            load_before = os.getloadavg()
            deadline = time.monotonic() + args.seconds
            t0 = time.perf_counter()
            threads = []
            for member in staff:
                member.deadline = deadline
                threads.append(threading.Thread(target=member.run, daemon=True))
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - t0
            load_after = os.getloadavg()
            restarted = bench_server.worker_pids(proc.pid) != workers
        finally:
            bench_server.stop_gunicorn(proc)

    table = results.table()
    total = sum(r["count"] for r in table.values())
    log(f"\n{'operation':22s} {'count':>6s} {'p50 ms':>8s} {'p95 ms':>8s} {'max ms':>8s} errors")
    for op, r in table.items():
        log(f"{op:22s} {r['count']:6d} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} "
            f"{r['max_ms']:8.1f} {r['errors']:6d}")
    for op, errors in results.errors.items():
        for e in errors[:5]:
            log(f"error {op}: {e}")
    summary = {
        "staff": len(staff), "seconds": round(wall, 1), "requests": total,
        "requests_per_s": round(total / wall, 1), "gunicorn_workers": len(workers),
        "workers_recycled_during_run": restarted, "cpus": os.cpu_count(),
        "loadavg_1_5_15_before": [round(x, 2) for x in load_before],
        "loadavg_1_5_15_after": [round(x, 2) for x in load_after],
        "database_mb": round((run_dir / "redress.db").stat().st_size / 2**20, 1),
        "operations": table,
        "errors": sum(len(e) for e in results.errors.values()),
    }
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    return 1 if summary["errors"] else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
