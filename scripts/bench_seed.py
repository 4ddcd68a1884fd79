"""The benchmark's database: seeds N synthetic complaints (scripts/bench_data.py) into
<data-dir>/redress.db with bulk inserts, or reuses a database already seeded with N.

Chinese and English complaints, 6 departments and 31 users. Each complaint has gone as far
along the workflow as its age allows (scripts/bench_data.py: most older ones archived, some
stalled and overdue), with its hash-chained history events (so `flask --app app audit
verify` passes), its stage records (assignment, investigation, extension request, proposal
with a remedy and a measure, approvals, response, return visit) and its dates and stage
deadline as the workflow sets them; the search index is filled with domain.search.document. Two users have a known password: `bench`, a
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
# 4: the whole workflow (to archived), stage records and deadlines (stage_due_on), so My work
#    and the board have work to show, some of it overdue.
SEED_VERSION = 4
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


class _CachedCalendar:
    """The organisation's calendar with add_working_days memoised (the same few hundred
    dates come back for every complaint)."""

    def __init__(self, calendar):
        self._calendar = calendar
        self._cache = {}

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        key = (start, n)
        if key not in self._cache:
            self._cache[key] = self._calendar.add_working_days(start, n)
        return self._cache[key]


def _between(rng, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    return (start + (end - start) * rng.random()).replace(microsecond=0)


class _Rows:
    """The rows of one batch, per table, with their insert order."""
    TABLES = ("complaints", "events", "changes", "docs", "assignments", "investigations",
              "extensions", "proposals", "remedies", "measures", "approvals", "responses",
              "visits")

    def __init__(self):
        for name in self.TABLES:
            setattr(self, name, [])

    def __len__(self):
        return len(self.complaints)


def seed(n: int, rng_seed: int = 20240601) -> None:
    """Bulk-insert `n` complaints with their history, stage records and search index (app
    context needed)."""
    from werkzeug.security import generate_password_hash

    from extensions import db
    from domain import deadlines, history, search
    from domain.intake import contact_key
    from domain.models import Complaint, Event, FieldChange, NumberSequence
    from domain.settings import load_settings
    from domain.stage_models import (Approval, Assignment, Extension, Investigation, Measure,
                                     Notification, Proposal, Remedy, Response, RootCause,
                                     Visit)

    rng = random.Random(rng_seed)
    settings = load_settings()
    calendar = _CachedCalendar(deadlines.load_calendar(settings))
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
    manager = users["bench-manager1"].id
    root_causes = [r.id for r in RootCause.select(RootCause.id)]
    receipt_and_investigation = (int(settings["receipt_days"])
                                 + int(settings["investigation_days"]))

    def local(moment: dt.datetime) -> dt.date:
        return deadlines.local_date(moment, settings)

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
        c.updated_at, c.closed_at, c.accepted_at, c.rejection_reason, c.responded_at,
        c.stage_due_on, c.reply_due_on, c.investigation_started_on, c.investigation_days,
        c.history_count, c.history_head,
    ]
    fields = {
        "events": [Event.id, Event.complaint, Event.seq, Event.at, Event.actor, Event.action,
                   Event.from_status, Event.to_status, Event.note, Event.public,
                   Event.prev_hash, Event.hash],
        "changes": [FieldChange.event, FieldChange.field, FieldChange.old, FieldChange.new],
        "assignments": [Assignment.complaint, Assignment.department, Assignment.requirements,
                        Assignment.due_on, Assignment.assigned_by, Assignment.assigned_at,
                        Assignment.received_by, Assignment.received_at,
                        Assignment.investigator, Assignment.current],
        "investigations": [Investigation.complaint, Investigation.investigator,
                           Investigation.methods, Investigation.facts_verdict,
                           Investigation.facts_text, Investigation.root_cause,
                           Investigation.submitted_at],
        "extensions": [Extension.complaint, Extension.requested_by, Extension.requested_at,
                       Extension.days, Extension.reason, Extension.decided_by,
                       Extension.decided_at, Extension.approved],
        "proposals": [Proposal.id, Proposal.complaint, Proposal.author, Proposal.submitted_at,
                      Proposal.apology, Proposal.current],
        "remedies": [Remedy.proposal, Remedy.kind, Remedy.amount, Remedy.currency,
                     Remedy.description, Remedy.done_at, Remedy.done_by],
        "measures": [Measure.proposal, Measure.description, Measure.owner, Measure.due_on,
                     Measure.done_at, Measure.done_by],
        "approvals": [Approval.complaint, Approval.proposal, Approval.level, Approval.approved,
                      Approval.decided_by, Approval.decided_at],
        "responses": [Response.complaint, Response.method, Response.sent_on,
                      Response.recipient, Response.recorded_by, Response.recorded_at],
        "visits": [Visit.complaint, Visit.method, Visit.visited_on, Visit.satisfaction,
                   Visit.resolved, Visit.recorded_by, Visit.recorded_at],
    }
    models = {"events": Event, "changes": FieldChange, "assignments": Assignment,
              "investigations": Investigation, "extensions": Extension, "proposals": Proposal,
              "remedies": Remedy, "measures": Measure, "approvals": Approval,
              "responses": Response, "visits": Visit}
    ids = {"event": 0, "proposal": 0}
    totals = {name: 0 for name in _Rows.TABLES}

    def flush(rows: _Rows):
        with db.atomic():
            Complaint.insert_many(rows.complaints, fields=complaint_fields).execute()
            for name, model in models.items():
                batch = getattr(rows, name)
                for i in range(0, len(batch), BATCH):
                    model.insert_many(batch[i:i + BATCH], fields=fields[name]).execute()
            db.connection().executemany(
                f"INSERT INTO {search.FTS_TABLE}(rowid, body) VALUES (?, ?)", rows.docs)
        for name in _Rows.TABLES:
            totals[name] += len(getattr(rows, name))

    rows = _Rows()
    for i in range(n):
        cid = i + 1
        received = (start + span * ((i + rng.random()) / n)).replace(microsecond=0)
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
        amount = Decimal(rng.choice([0, 45, 199, 899, 2599, 5999])) or None

        d = rng.randrange(1, len(depts))
        head, investigator = heads[d], rng.choice(investigators[d])
        path = data.status_path(rng, registered, now)
        actions, status = data.actions(path, registered, {
            "registrar": registrar, "head": head, "investigator": investigator,
            "leader": rng.choice(leaders), "manager": manager})
        when: dict[str, list[dt.datetime]] = {}
        for action, _from, _to, _actor, at in actions:
            when.setdefault(action, []).append(at)

        def at_(action):
            return when[action][0] if action in when else None

        # A correction of the phone number while the complaint is open (8 %).
        if phone and rng.random() < 0.08:
            end = next((k for k, a in enumerate(actions) if a[2] in ("closed", "rejected")),
                       len(actions))
            pos = rng.randint(1, end)
            before = actions[pos - 1]
            after = actions[pos][4] if pos < len(actions) else now
            actions.insert(pos, ("edit", before[2], before[2], registrar,
                                 _between(rng, before[4], after)))
        old_phone = f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}"

        prev = history.GENESIS
        for seq, (action, from_status, to_status, actor, at) in enumerate(actions, start=1):
            ids["event"] += 1
            changes = [("complainant_phone", old_phone, phone)] if action == "edit" else []
            note = ("Outside our remit: the product was bought elsewhere." if action == "reject"
                    else "")
            ev = SimpleNamespace(complaint_id=cid, seq=seq, at=at, actor_id=actor,
                                 action=action, from_status=from_status, to_status=to_status,
                                 note=note, public=action in data.PUBLIC_ACTIONS, prev_hash=prev)
            digest = history._digest(ev, changes)
            rows.events.append((ids["event"], cid, seq, at, actor, action, from_status,
                                to_status, note, ev.public, prev, digest))
            rows.changes.extend((ids["event"], f, o, nw) for f, o, nw in changes)
            prev = digest

        # The stage records, and the complaint's dates and deadlines, as the workflow sets them.
        confirmed = at_("confirm_receipt")
        investigation_days = int(settings["investigation_days"]) if confirmed else 0
        if at_("assign"):
            rows.assignments.append((
                cid, depts[d].id, "", calendar.add_working_days(
                    local(at_("assign")), receipt_and_investigation),
                registrar, at_("assign"), head if confirmed else None, confirmed,
                investigator if confirmed else None, True))
        if confirmed and rng.random() < 0.12:  # an extension request
            waiting = status in ("investigating", "proposing") and rng.random() < 0.6
            asked = _between(rng, confirmed, at_("submit_investigation") or now)
            days = rng.choice([2, 3, 5])
            approved = None if waiting else rng.random() < 0.8
            decided = None if waiting else _between(rng, asked, at_("submit_investigation")
                                                    or now)
            if approved:
                investigation_days += days
            rows.extensions.append((
                cid, investigator, asked, days,
                "需要等待检测报告。" if chinese else "Waiting for the test report.",
                None if waiting else head, decided, approved))
        if at_("submit_investigation"):
            rows.investigations.append((
                cid, investigator, ",".join(rng.sample(["records", "site", "interviews",
                                                        "data"], rng.randint(1, 3))),
                rng.choices(["true", "partly", "not_true"], [60, 30, 10])[0],
                rng.choice(data.FACTS_ZH if chinese else data.FACTS_EN),
                rng.choice(root_causes), at_("submit_investigation")))
        measure_due = None
        if at_("submit_proposal"):
            ids["proposal"] += 1
            proposal_id, submitted = ids["proposal"], at_("submit_proposal")
            done = when.get("mark_done", [])
            rows.proposals.append((proposal_id, cid, investigator, submitted,
                                   "对给您带来的不便深表歉意。" if chinese
                                   else "We apologise for the trouble.", True))
            rows.remedies.append((
                proposal_id, rng.choice(["refund", "replacement", "repair", "payment"]),
                amount or Decimal(199), "CNY", "", done[0] if done else None,
                head if done else None))
            measure_due = local(submitted) + dt.timedelta(days=rng.randint(7, 30))
            measure_done = done[1] if len(done) > 1 else None
            rows.measures.append((
                proposal_id, rng.choice(data.MEASURES_ZH if chinese else data.MEASURES_EN),
                head, measure_due, measure_done, head if measure_done else None))
            if measure_done:
                measure_due = None  # nothing left open
            for level, action in ((1, "review"), (2, "approve")):
                if at_(action):
                    rows.approvals.append((cid, proposal_id, level, True,
                                           actions[[a[0] for a in actions].index(action)][3],
                                           at_(action)))
        if at_("record_response"):
            rows.responses.append((cid, rng.choice(["post", "email", "in_person",
                                                    "phone_then_letter"]),
                                   local(at_("record_response")), name, registrar,
                                   at_("record_response")))
        if at_("record_visit"):
            satisfaction = rng.choices([5, 4, 3, 2, 1], [55, 30, 10, 3, 2])[0]
            rows.visits.append((cid, rng.choice(["phone", "questionnaire", "on_site"]),
                                local(at_("record_visit")), satisfaction, satisfaction >= 3,
                                registrar, at_("record_visit")))

        entered = next(a[4] for a in reversed(actions) if a[2] == status and a[1] != status)
        if status in ("investigating", "proposing"):
            stage_due = deadlines.stage_due("investigating", local(confirmed), settings,
                                            calendar, investigation_days)
        elif status == "executing":
            stage_due = measure_due or local(actions[-1][4])
        elif status == "visiting":
            stage_due = max(deadlines.stage_due("visiting", local(at_("record_response")),
                                                settings, calendar), local(entered))
        else:  # None once answered (waiting for the complainant), closed or archived
            stage_due = deadlines.stage_due(status, local(entered), settings, calendar) \
                if status in deadlines.STAGE_DAYS and status != "responded" else None
        accepted = at_("accept")

        order_ref = f"SO-{rng.randint(10**8, 10**9 - 1)}" if rng.random() < 0.7 else ""
        key = contact_key(phone)
        row = SimpleNamespace(number=number, complainant_name=name, complainant_phone=phone,
                              contact_key=key, complainant_email=email, order_ref=order_ref,
                              matter=matter, demand=demand)
        rows.complaints.append((
            cid, number, hashlib.sha256(f"bench-{cid}".encode()).hexdigest(), status,
            len(actions), channel, "zh_Hans" if chinese else "en", received, registered,
            registrar, registrar, name, phone, email, address, key, matter, demand, order_ref,
            amount, rng.choice(data.NATURES) if at_("assess") else "", severity,
            rng.choices(["normal", "urgent", "critical"], [80, 17, 3])[0],
            "12315平台" if regulator else "",
            f"12315-{rng.randint(10**7, 10**8 - 1)}" if regulator else "",
            received + dt.timedelta(days=10) if regulator else None,
            depts[d].id if at_("assign") else None, investigator if confirmed else None,
            actions[-1][4], at_("close") or at_("reject"), accepted,
            "Outside our remit: the product was bought elsewhere." if at_("reject") else "",
            at_("record_response"), stage_due,
            deadlines.reply_due(local(accepted), settings, calendar) if accepted else None,
            local(confirmed) if confirmed else None, investigation_days,
            len(actions), prev,
        ))
        rows.docs.append((cid, search.document(row)))
        if len(rows) >= BATCH:
            flush(rows)
            rows = _Rows()
            if cid % 10_000 == 0:
                log(f"  {cid:,} complaints, {time.perf_counter() - started:.0f} s")
    if len(rows):
        flush(rows)
    with db.atomic():
        for seq_name, value in sequences.items():
            (NumberSequence.insert(name=seq_name, value=value)
             .on_conflict(conflict_target=[NumberSequence.name],
                          update={NumberSequence.value: value}).execute())
        # Some notifications for the two users who sign in (the header counts the unread).
        kinds = ["assigned", "review_needed", "approved", "due_soon", "overdue"]
        Notification.insert_many([
            {"user": users[u].id, "complaint": rng.randint(1, n), "kind": rng.choice(kinds),
             "created_at": now - dt.timedelta(hours=k * 7),
             "read_at": None if k < 12 else now - dt.timedelta(hours=k * 7 - 1),
             "day_key": ""}
            for u in (BENCH_USER, BENCH_HEAD_USER) for k in range(150)]).execute()
    db.execute_sql("PRAGMA synchronous = NORMAL")
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    log(f"seeded {n:,} complaints in {time.perf_counter() - started:.1f} s: "
        + ", ".join(f"{totals[t]:,} {t}" for t in _Rows.TABLES if t not in ("complaints",
                                                                           "docs")))


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
