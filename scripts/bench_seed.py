"""The benchmark's database: seeds N synthetic complaints (scripts/bench_data.py) into
<data-dir>/redress.db with bulk inserts, or reuses a database already seeded with N.

Chinese and English complaints, 6 departments and 31 users, statuses spread, 1–6
hash-chained history events each (so `flask --app app audit verify` passes), the search
index filled with domain.search.document. Two users have a known password: `bench`, a
manager, and `bench-head1`, head of the Quality department. Needs the app importable
(the repository root on sys.path) and REDRESS_INSTANCE / DATABASE_URL set before the
first import of config.py.
"""
import datetime as dt
import hashlib
import json
import random
import shutil
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from scripts import bench_data as data

BENCH_USER = "bench"            # a manager: sees every complaint
BENCH_HEAD_USER = "bench-head1"  # department head of data.DEPARTMENTS[1] (Quality)
BENCH_PASSWORD = "load-test-secret-42"
MARKER = "bench-seed.json"
# 3: search documents carry contact_key, history_count/head filled, bench-head1 signs in.
SEED_VERSION = 3
BATCH = 500


def log(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


def _create_users(db, one_hash: str, known_hash: str):
    """Departments and staff; returns (departments, users by username)."""
    from domain import accounts
    from domain.models import Department, User

    with db.atomic():
        Department.insert_many(
            [{"name": en, "name_zh": zh} for en, zh in data.DEPARTMENTS]).execute()
    depts = list(Department.select().order_by(Department.id))
    with db.atomic():
        User.insert_many([{"username": u, "full_name": name, "email": f"{u}@example.org",
                           "password_hash": known_hash if u == BENCH_HEAD_USER else one_hash,
                           "roles": roles,
                           "department": depts[d].id if d is not None else None}
                          for u, name, roles, d in data.users_plan()]).execute()
    accounts.create_user(username=BENCH_USER, full_name="Bench Manager", email="",
                         roles=["manager"], department_id=None, password=BENCH_PASSWORD)
    return depts, {u.username: u for u in User.select()}


def seed(n: int, rng_seed: int = 20240601) -> None:
    """Bulk-insert `n` complaints with their history and search index (app context needed)."""
    from werkzeug.security import generate_password_hash

    from extensions import db
    from domain import history, search
    from domain.intake import contact_key
    from domain.models import Complaint, Event, FieldChange, NumberSequence
    from domain.settings import load_settings

    rng = random.Random(rng_seed)
    settings = load_settings()
    prefix, padding = settings["number_prefix"], int(settings["number_padding"])
    started = time.perf_counter()
    db.execute_sql("PRAGMA synchronous = OFF")

    depts, users = _create_users(db, generate_password_hash("not-used-" + uuid.uuid4().hex),
                                 generate_password_hash(BENCH_PASSWORD))
    intake_ids = [users[f"bench-intake{i}"].id for i in range(6)]
    heads = {d: users[f"bench-head{d}"].id for d in range(1, len(depts))}
    investigators = {d: [users[f"bench-inv{d}-{k}"].id for k in range(3)]
                     for d in range(1, len(depts))}
    leaders = [users["bench-leader1"].id, users["bench-leader2"].id]

    channels = list(data.CHANNEL_WEIGHTS)
    channel_w = list(data.CHANNEL_WEIGHTS.values())
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    span = dt.timedelta(days=730)
    start = now - span - dt.timedelta(days=2)
    sequences: dict[str, int] = {}
    c = Complaint
    complaint_fields = [
        c.id, c.number, c.lookup_code_hash, c.status, c.version, c.channel, c.language,
        c.received_at, c.registered_at, c.registered_by, c.first_contact, c.complainant_name,
        c.complainant_phone, c.complainant_email, c.complainant_address, c.contact_key,
        c.matter, c.demand, c.order_ref, c.amount_claimed, c.nature, c.severity, c.urgency,
        c.regulator_name, c.regulator_ref, c.regulator_due, c.department, c.assignee,
        c.updated_at, c.closed_at, c.history_count, c.history_head,
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
        received = (start + span * ((i + rng.random()) / n)).replace(microsecond=0)
        age_days = (now - received).total_seconds() / 86400
        chinese = rng.random() < 0.6
        channel = rng.choices(channels, channel_w)[0]
        matter, demand = data.matter(rng, chinese)
        name, address, phone, email = data.complainant(rng, chinese, cid)
        # Numbers in numbering.next_number's format; the year is near enough the org's.
        seq_name = f"{prefix}-{(received + dt.timedelta(hours=8)).year}"
        sequences[seq_name] = sequences.get(seq_name, 0) + 1
        number = f"{seq_name}-{sequences[seq_name]:0{padding}d}"
        registered = min(received + dt.timedelta(minutes=rng.randint(2, 240)), now)
        registrar = rng.choice(intake_ids)
        severity = "group" if channel == "group_visit" else rng.choices(
            ["ordinary", "major"], [85, 15])[0]
        regulator = channel == "regulator"

        path = data.status_path(rng, age_days)
        d = rng.randrange(1, len(depts))
        actions, status = data.actions(rng, path, registrar, heads[d], investigators[d], leaders)
        dept = assignee = None
        if status in data.WITH_DEPARTMENT:
            dept, assignee = depts[d].id, rng.choice(investigators[d])
        edited = len(actions) < 6 and rng.random() < 0.12 and phone
        old_phone = f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}"
        if edited:  # a correction of the phone number while the complaint is open
            pos = rng.randint(1, len(actions) - (status == "rejected"))
            st = actions[pos - 1][2]
            actions.insert(pos, ("edit", st, st, registrar))

        prev, at = history.GENESIS, registered
        for seq, (action, from_status, to_status, actor) in enumerate(actions, start=1):
            if seq > 1:
                at = min(at + dt.timedelta(minutes=rng.randint(20, 60 * 24 * 3)), now)
            event_id += 1
            changes = [("complainant_phone", old_phone, phone)] if action == "edit" else []
            note = ("Outside our remit: the product was bought elsewhere." if action == "reject"
                    else "")
            ev = SimpleNamespace(complaint_id=cid, seq=seq, at=at, actor_id=actor,
                                 action=action, from_status=from_status, to_status=to_status,
                                 note=note, public=action in data.PUBLIC_ACTIONS, prev_hash=prev)
            digest = history._digest(ev, changes)
            batch_e.append((event_id, cid, seq, at, actor, action, from_status, to_status,
                            note, ev.public, prev, digest))
            batch_f.extend((event_id, f, o, nw) for f, o, nw in changes)
            prev = digest

        order_ref = f"SO-{rng.randint(10**8, 10**9 - 1)}" if rng.random() < 0.7 else ""
        key = contact_key(phone)
        row = SimpleNamespace(number=number, complainant_name=name, complainant_phone=phone,
                              contact_key=key, complainant_email=email, order_ref=order_ref,
                              matter=matter, demand=demand)
        batch_c.append((
            cid, number, hashlib.sha256(f"bench-{cid}".encode()).hexdigest(), status,
            len(actions), channel, "zh_Hans" if chinese else "en", received, registered,
            registrar, registrar, name, phone, email, address, key, matter, demand, order_ref,
            Decimal(rng.choice([0, 45, 199, 899, 2599, 5999])) or None,
            rng.choice(data.NATURES) if len(actions) > 1 else "", severity,
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
    """Seed the bench database unless it already holds `n` seeded complaints (of this
    SEED_VERSION). Returns {"complaint_ids": [...], "timezone": ...}."""
    db_path = data_dir / "redress.db"
    marker = data_dir / MARKER
    wanted = {"complaints": n, "version": SEED_VERSION}
    if not reseed and db_path.exists() and marker.exists():
        try:
            if json.loads(marker.read_text()) == wanted:
                return _open_and_check(data_dir, n, reuse=True)
        except ValueError:
            pass
        log(f"{marker} is not {wanted}: seeding again")
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
        applied = migrate()  # an existing bench database gets new migrations, as in set-up
        if applied and reuse:
            log(f"applied {', '.join(applied)}")
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
