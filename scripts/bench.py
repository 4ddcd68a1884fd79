"""Load and timing benchmark: seed a large separate database, serve it with gunicorn, time pages.

    .venv/bin/python scripts/bench.py [--complaints 100000] [--requests 200]
                                      [--concurrency 1] [--data-dir bench-data] [--reseed]
                                      [--only my_work_manager,board_manager]

1. Seeds N synthetic complaints into <data-dir>/redress.db (scripts/bench_seed.py, with
   the data of scripts/bench_data.py). A database already seeded with N is reused, after
   any new migration is applied.
2. Starts gunicorn (2 workers) on a free loopback port with REDRESS_INSTANCE=<data-dir>
   (scripts/bench_server.py), signs in as a manager and as a department head, and times
   the scenarios of `scenarios()`: the list (unfiltered, filtered, sorted, a keyword, as
   the department head), My work and the board (as the manager and as the department
   head), a complaint page and the intake POST.
   See docs/performance.md for the figures and what they led to.
3. Prints a JSON summary to stdout: per scenario requests/s, p50/p95 ms, the gunicorn workers'
   CPU ms per request (from /proc/<pid>/stat), and the status codes seen. Progress goes to stderr.
gunicorn is stopped at the end, also on error or Ctrl-C.
"""
import argparse
import datetime as dt
import json
import math
import os
import random
import signal
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import bench_seed, bench_server  # noqa: E402  (after the path is set)
from scripts.bench_server import log  # noqa: E402

MANAGER, DEPT_HEAD = "manager", "dept_head"  # who runs a scenario
ACCOUNTS = {MANAGER: bench_seed.BENCH_USER, DEPT_HEAD: bench_seed.BENCH_HEAD_USER}


def scenarios(info: dict, rng: random.Random) -> list[tuple[str, str, callable]]:
    """(name, who, request); `request(client, i)` sends request i, returns (status, body)."""
    ids = info["complaint_ids"]
    tz = info["timezone"]
    from zoneinfo import ZoneInfo

    def get(path, **args):
        if args:
            path += "?" + urlencode(args)
        return lambda client, i: client.request("GET", path, keep_cookies=False)

    def complaint_page(client, i):
        return client.request("GET", f"/complaints/{rng.choice(ids)}", keep_cookies=False)

    def intake(client, i):
        local = dt.datetime.now(ZoneInfo(tz)) - dt.timedelta(hours=1)
        chinese = i % 2 == 0
        body, ctype = bench_server.multipart({
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
        ("list", MANAGER, get("/complaints")),
        ("list_filter_status_channel", MANAGER,
         get("/complaints", status="investigating", channel="hotline")),
        ("list_filter_open", MANAGER, get("/complaints", status="open")),
        ("list_filter_nature", MANAGER, get("/complaints", nature="product_quality")),
        ("list_filter_severity", MANAGER, get("/complaints", severity="major")),
        ("list_sort_number", MANAGER, get("/complaints", sort="number")),
        ("search_zh_退款", MANAGER, get("/complaints", q="退款")),
        ("search_en_refund", MANAGER, get("/complaints", q="refund")),
        ("dept_head_list", DEPT_HEAD, get("/complaints")),
        ("dept_head_list_open", DEPT_HEAD, get("/complaints", status="open")),
        ("my_work_manager", MANAGER, get("/work")),
        ("my_work_dept_head", DEPT_HEAD, get("/work")),
        ("board_manager", MANAGER, get("/work/board")),
        ("board_dept_head", DEPT_HEAD, get("/work/board")),
        ("analysis_dashboard", MANAGER, get("/analysis/")),
        ("analysis_dashboard_fragment", MANAGER,
         lambda client, i: client.request("GET", "/analysis/?trend=week&channel=hotline",
                                          headers={"HX-Request": "true"}, keep_cookies=False)),
        ("analysis_dashboard_quarter", MANAGER, get("/analysis/", period=_quarter_key())),
        ("analysis_dashboard_dept_head", DEPT_HEAD, get("/analysis/")),
        ("analysis_root_causes", MANAGER, get("/analysis/root-causes")),
        ("complaint_page", MANAGER, complaint_page),
        ("intake_post", MANAGER, intake),
    ]


def _quarter_key() -> str:
    today = dt.date.today()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


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
    pids = bench_server.worker_pids(master)
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

    cpu0 = bench_server.cpu_seconds(pids)
    t0 = time.perf_counter()
    _in_threads(worker, len(clients))
    wall = time.perf_counter() - t0
    cpu1 = bench_server.cpu_seconds(pids)
    if bench_server.worker_pids(master) != pids:
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


def signed_in_clients(port: int, concurrency: int) -> dict[str, list]:
    """Per kind of user, one client per thread sharing one sign-in (the sign-in form is
    rate-limited). The manager's clients carry the intake form's CSRF token."""
    clients = {}
    for who, username in ACCOUNTS.items():
        session = bench_server.sign_in(port, username, bench_seed.BENCH_PASSWORD)
        if who == MANAGER:
            status, html = session.request("GET", "/complaints/new")
            if status != 200:
                raise RuntimeError(f"GET /complaints/new answered {status}")
            session.token = bench_server.csrf_token(html)
        clients[who] = [session.copy() for _ in range(concurrency)]
    return clients


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="per scenario")
    parser.add_argument("--concurrency", type=int, default=1, help="client threads")
    parser.add_argument("--data-dir", default=str(ROOT / "bench-data"))
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--warmup", type=int, default=10, help="untimed requests per scenario")
    parser.add_argument("--documents", action="store_true",
                        help="time a letter and a 200-event dossier in-process instead")
    parser.add_argument("--export", action="store_true",
                        help="time the ledger XLSX and CSV export of every complaint instead")
    parser.add_argument("--only", default="", metavar="NAME,…",
                        help="run only these scenarios (comma-separated names)")
    args = parser.parse_args(argv)
    if args.documents:
        from scripts.bench_documents import measure
        print(json.dumps({"documents": measure()}, ensure_ascii=False, indent=2))
        return 0
    if args.complaints < 1 or args.requests < 1 or args.concurrency < 1:
        parser.error("--complaints, --requests and --concurrency must be positive")
    only = {name for name in args.only.split(",") if name}
    known = {name for name, _who, _fn in scenarios({"complaint_ids": [], "timezone": "UTC"},
                                                    random.Random(1))}
    if only - known:
        parser.error(f"unknown scenarios: {', '.join(sorted(only - known))}; "
                     f"known: {', '.join(sorted(known))}")

    data_dir = Path(args.data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    # Before the app is imported: config.py reads these when it is first imported.
    os.environ["REDRESS_INSTANCE"] = str(data_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'redress.db'}"
    if args.export:
        import subprocess
        bench_seed.prepare_database(data_dir, args.complaints, args.reseed)
        results = [json.loads(subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "bench_export.py"), fmt], check=True,
            capture_output=True, text=True, env=os.environ).stdout.strip().splitlines()[-1])
            for fmt in ("xlsx", "csv")]
        print(json.dumps({"export": results}, ensure_ascii=False, indent=2))
        return 0

    load_before = os.getloadavg()
    t_seed = time.perf_counter()
    info = bench_seed.prepare_database(data_dir, args.complaints, args.reseed)
    seed_s = time.perf_counter() - t_seed

    # A plain `kill` of this script unwinds through the `finally` that stops gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    proc = None
    port = bench_server.free_port()
    with open(data_dir / "gunicorn.log", "ab") as log_file:
        try:
            proc = bench_server.start_gunicorn(data_dir, port, log_file)
            bench_server.wait_healthy(proc, port)
            log(f"gunicorn {proc.pid} on 127.0.0.1:{port}, "
                f"workers {bench_server.worker_pids(proc.pid)}")
            clients = signed_in_clients(port, args.concurrency)
            results = {}
            for name, who, fn in scenarios(info, random.Random(1)):
                if only and name not in only:
                    continue
                results[name] = run_scenario(name, fn, clients[who], args.requests, proc.pid,
                                             args.warmup)
        finally:
            bench_server.stop_gunicorn(proc)

    summary = {
        "complaints": args.complaints,
        "requests_per_scenario": args.requests,
        "concurrency": args.concurrency,
        "gunicorn_workers": bench_server.WORKERS,
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
