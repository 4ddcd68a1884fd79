"""Faults: what a crash, a full disk or a restart leaves behind. Each test says how its fault
is produced. The gunicorn ones start the real server (deploy/gunicorn.conf.py, on a free
loopback port, on the test's own database) and are skipped, saying why, when it cannot start.

SMTP unreachable is covered in tests/test_outbox.py (not repeated here):
test_while_the_server_is_down_messages_wait_with_backoff_then_go_once sends to a port nobody
listens on: the message stays queued with the connection error and a backoff, and goes out
exactly once when the server is back; test_after_too_many_attempts_a_message_fails_and_an_
admin_can_send_it_again shows the failure to the administrator. The complaint and its
workflow step never wait on mail (the outbox is written in the step's transaction).
"""
import datetime as dt
import errno
import hashlib
import http.client
import os
import signal
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from domain import history, letters
from domain.letter_models import Letter
from domain.models import Complaint, Event, Evidence
from extensions import db
from scripts import bench_server
from scripts.load import form_ending, page_forms
from tests.conftest import PNG
from tests.factories import PASSWORD, make_complaint, make_user
from tests.test_intake import field_error, form_data, post_intake, stored_files

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"


# --------------------------------------------------------------------------- helpers

class Server:
    """gunicorn with the production config on the test's database (tmp_path/test.db, or
    the test's PostgreSQL database under script/test --postgres)."""

    def __init__(self, instance: Path, workers: int, database_url: str):
        self.instance, self.workers, self.database_url = instance, workers, database_url
        self.port = bench_server.free_port()
        self.proc = None
        self.log = open(instance / "gunicorn.log", "ab")

    def start(self):
        if not GUNICORN.exists():
            pytest.skip(f"gunicorn is not installed ({GUNICORN})")
        env = dict(os.environ, REDRESS_INSTANCE=str(self.instance),
                   DATABASE_URL=self.database_url,
                   HEALTH_MIN_FREE_MB="0", GUNICORN_ACCESSLOG="/dev/null")
        env.pop("GUNICORN_WORKERS", None)
        self.proc = subprocess.Popen(
            [str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "--no-control-socket",
             "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}", "wsgi:app"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)
        try:
            bench_server.wait_healthy(self.proc, self.port, timeout=30)
        except RuntimeError as e:
            self.kill()
            pytest.skip(f"gunicorn cannot start here: {e} "
                        f"(log: {(self.instance / 'gunicorn.log').read_text()[-500:]})")
        return self

    def kill(self, sig=signal.SIGKILL):
        """The whole process group: master and workers at once (a power cut, an OOM kill)."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            self.proc.wait(timeout=40)

    def stop(self):
        bench_server.stop_gunicorn(self.proc)
        self.log.close()

    def workers_now(self):
        return bench_server.worker_pids(self.proc.pid)

    def sign_in(self, username):
        return bench_server.sign_in(self.port, username, PASSWORD)


@pytest.fixture
def server_factory(app, tmp_path):
    """Closes the test's own connection (gunicorn's workers open theirs), stops servers."""
    db.close()
    servers = []

    def make(workers=1):
        server = Server(tmp_path, workers, app.config["DATABASE_URL"])
        servers.append(server)
        return server
    yield make
    for server in servers:
        server.stop()
    db.connect(reuse_if_open=True)


def _reopen():
    db.close()
    db.connect(reuse_if_open=True)


def _chains_verify():
    checked, problems = history.verify_all()
    assert problems == [], problems
    return checked


# --------------------------------------------------------------------------- 1. worker killed

def test_a_worker_killed_while_issuing_a_letter_leaves_the_whole_letter_or_none(
        app, tmp_path, server_factory):
    """Fault: SIGKILL to the only gunicorn worker (its pid read from /proc/<master>/task/
    <master>/children) while it works on the manager's "issue the acknowledgement letter"
    POST: as soon as /proc/<worker>/stat shows 80 ms of CPU spent since the POST was sent
    (rendering the PDF takes several hundred ms). The client's connection drops; the master starts a new worker. The database holds
    no letter and no issue_letter event, or both with the PDF file matching its sha256; the
    history chain verifies; issuing again gives exactly one letter, version 1."""
    manager = make_user("manager")
    complaint = make_complaint(app)
    server = server_factory(workers=1).start()
    session = server.sign_in(manager.username)
    path = f"/complaints/{complaint.id}/letters/new/acknowledgement"
    status, html = session.request("GET", path)
    assert status == 200
    fields = form_ending(page_forms(html), path)[0]
    body = urlencode(fields).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}

    outcome = {}

    def post():
        try:
            outcome["status"] = session.request("POST", path, body, headers)[0]
        except (OSError, http.client.HTTPException) as e:  # the connection dropped
            outcome["error"] = e
    [worker] = server.workers_now()
    cpu_before = bench_server.cpu_seconds([worker])
    thread = threading.Thread(target=post)
    thread.start()
    # Mid-request: once the worker has spent 80 ms of CPU on it (the PDF takes ~300 ms+).
    deadline = time.monotonic() + 10
    while (bench_server.cpu_seconds([worker]) - cpu_before < 0.08
           and thread.is_alive() and time.monotonic() < deadline):
        time.sleep(0.005)
    os.kill(worker, signal.SIGKILL)
    thread.join(30)

    assert "error" in outcome, f"the letter was issued before the kill: {outcome}"
    _reopen()
    issued = list(Letter.select().where(Letter.complaint == complaint.id))
    events = Event.select().where((Event.complaint == complaint.id)
                                  & (Event.action == "issue_letter")).count()
    assert len(issued) == events <= 1
    for letter in issued:
        pdf = letters.letter_path(app.config["DOCUMENT_DIR"], letter).read_bytes()
        assert hashlib.sha256(pdf).hexdigest() == letter.sha256
    _chains_verify()

    # The new worker serves; the clerk issues again (or sees the letter already issued).
    bench_server.wait_healthy(server.proc, server.port, timeout=30)
    assert server.workers_now() != [worker]
    if not issued:
        status, _ = session.request("POST", path, body, headers)
        assert status == 303
    _reopen()
    assert [(x.kind, x.version) for x in Letter.select().where(
        Letter.complaint == complaint.id)] == [("acknowledgement", 1)]
    _chains_verify()


# --------------------------------------------------------------------------- 2. disk full

@pytest.fixture
def full_upload_dir(app, tmp_path):
    """A 64 KB tmpfs mounted as UPLOAD_DIR (as root, where mount works); else the file write
    in domain/uploads.store is patched to fail with ENOSPC. Yields how it was produced."""
    mount = tmp_path / "tiny-uploads"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k,mode=0755", "tmpfs",
                           str(mount)], capture_output=True)
    app.config["UPLOAD_DIR"] = mount
    if done.returncode == 0:
        yield "tmpfs"
        subprocess.run(["umount", str(mount)], check=False)
        return
    original = Path.write_bytes

    def no_space(self, data):
        if str(self).startswith(str(mount)):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return original(self, data)
    Path.write_bytes = no_space
    try:
        yield "patched"
    finally:
        Path.write_bytes = original


def _png_of(size: int) -> bytes:
    return PNG + b"\x00" * (size - len(PNG))  # still detected as a PNG by its content


def test_intake_on_a_full_disk_says_so_beside_the_files_and_saves_nothing(
        app, login_as, full_upload_dir):
    """Fault: UPLOAD_DIR is a 64 KB tmpfs (see full_upload_dir; "patched" ENOSPC where mount
    is not allowed). A 20 KB photo fits, the 100 KB scan after it does not: the disk fills
    in the middle of the second file. The form comes back (422) with a clear message beside
    the files field, no complaint, event or evidence row, and no file left on the disk,
    not even the photo that fitted."""
    c = login_as("intake")
    response = post_intake(c, form_data(), files=[(_png_of(20_000), "photo.png"),
                                                  (_png_of(100_000), "scan.png")])
    assert response.status_code == 422, full_upload_dir
    message = field_error(response.get_data(as_text=True), "evidence")
    assert message and "scan.png could not be saved" in message
    assert "Nothing was saved" in message
    assert Complaint.select().count() == 0
    assert Event.select().count() == 0
    assert Evidence.select().count() == 0
    assert stored_files(app) == []

    # With room again (no file), the same clerk registers the complaint.
    response = post_intake(c, form_data())
    assert response.status_code == 303
    assert Complaint.select().count() == 1


# --------------------------------------------------------------------------- 4. restart

@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_a_restart_during_a_burst_of_intakes_leaves_each_complaint_whole_or_absent(
        app, tmp_path, server_factory, sig):
    """Fault: four clerks post intakes as fast as they can to gunicorn (2 workers); after
    1.5 s the whole process group gets SIGKILL (a crash or power cut) or SIGTERM (systemd's
    stop: graceful, requests in progress finish), then gunicorn is started again on the same
    database. Every complaint in the database has its full history chain (verify_all), the
    numbers are unique, every intake that answered 303 is there (at most the requests in
    flight at the kill are extra: committed, answer lost), and intake works after the
    restart."""
    clerk = make_user("intake")
    db.close()
    server = server_factory(workers=2).start()
    session = server.sign_in(clerk.username)
    status, html = session.request("GET", "/complaints/new")
    assert status == 200
    session.token = bench_server.csrf_token(html)

    answered, failed = [], []
    stop = threading.Event()
    local = (dt.datetime.now() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")

    def clerk_at_work(k):
        own = session.copy()
        i = 0
        while not stop.is_set():
            i += 1
            body, ctype = bench_server.multipart(dict(
                form_data(received_at=local, order_ref=f"R{k}-{i}"), csrf_token=own.token))
            try:
                status, _ = own.request("POST", "/complaints/new", body,
                                        {"Content-Type": ctype}, keep_cookies=False)
                (answered if status == 303 else failed).append(status)
            except (OSError, http.client.HTTPException) as e:  # the server went away
                failed.append(e.__class__.__name__)
                time.sleep(0.05)
    threads = [threading.Thread(target=clerk_at_work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    server.kill(sig)
    time.sleep(0.3)
    stop.set()
    for t in threads:
        t.join(30)

    assert answered, f"no intake went through before the {sig.name}: {failed[:5]}"
    assert set(failed) <= {"ConnectionRefusedError", "ConnectionResetError",
                           "RemoteDisconnected", "BadStatusLine", "BrokenPipeError",
                           "IncompleteRead"}, failed
    _reopen()
    complaints = list(Complaint.select())
    assert len(answered) <= len(complaints) <= len(answered) + 4
    assert len({c.number for c in complaints}) == len(complaints)
    for c in complaints:
        assert Event.select().where((Event.complaint == c.id)
                                    & (Event.action == "register")).count() == 1
    assert _chains_verify() == len(complaints)

    # Started again on the same database: intake works and the numbering goes on.
    db.close()
    server.stop()
    again = server_factory(workers=2).start()
    session = again.sign_in(clerk.username)
    status, html = session.request("GET", "/complaints/new")
    body, ctype = bench_server.multipart(dict(form_data(received_at=local),
                                              csrf_token=bench_server.csrf_token(html)))
    status, _ = session.request("POST", "/complaints/new", body, {"Content-Type": ctype})
    assert status == 303
    _reopen()
    assert Complaint.select().count() == len(complaints) + 1
    assert len({c.number for c in Complaint.select()}) == len(complaints) + 1
    _chains_verify()
